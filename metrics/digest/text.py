"""The digest and alerts as plain text: the e-mail's text part and the chat webhook's message."""

from __future__ import annotations

from typing import Any

from metrics.alerts.evaluate import Alert
from metrics.digest.html import _figure


def digest_text(digest: dict[str, Any]) -> str:
    """Headline KPIs with their change and significance, the alert count and the link."""
    period = digest["period"]
    lines = [f"Support digest {period['from']} to {period['to']} ({period['timezone']})"]
    for row in digest["kpis"]:
        if row["availability"].get("status") == "not_available":
            lines.append(f"- {row['label']}: not available")
            continue
        was = _figure(row["previous"], row["unit"])
        note = {"worse": " (significantly worse)", "better": " (significantly better)"}
        prov = " [provisional]" if row.get("provisional") else ""
        lines.append(
            f"- {row['label']}: {_figure(row['value'], row['unit'])} (was {was}; n = {row['n']:,})"
            f"{note.get(row['verdict'], '')}{prov}"
        )
    lines.append(f"Alerts that fired: {len(digest['alerts'])}")
    lines.append(f"Dashboard: {digest['link']}")
    return "\n".join(lines)


def alerts_text(alerts: list[Alert]) -> str:
    """One line per alert with its link."""
    return "\n".join(f"- {a.explanation} {a.link}" for a in alerts)
