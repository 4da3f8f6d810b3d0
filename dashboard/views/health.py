"""Data health notes built from metric frames (no Streamlit here)."""

from __future__ import annotations

import json
from typing import Any


def redaction_note(status: dict[str, Any]) -> tuple[str, str]:
    """(level, text) for the redaction status row: level "success" or "warning"."""
    current = status["current_version"]
    scrubbed = status["last_scrub_at"]
    last = (
        f"Last scrubbed {scrubbed:%Y-%m-%d %H:%M} UTC with redaction rules version "
        f"{status['last_scrub_version']}{_removed(status['last_scrub_removed'])}."
        if scrubbed is not None
        else "Never scrubbed with `python -m etl redact`."
    )
    if not status["loads"]:
        return "success", f"Nothing loaded yet; loads redact with rules version {current}."
    if status["up_to_date"]:
        return "success", (
            f"Every stored text was redacted under the current rules (version {current}). {last}"
        )
    return "warning", (
        f"{status['loads_under_older_rules']} load(s) stored texts under older redaction rules "
        f"(version {status['oldest_rules_version']}; current {current}), which may have let "
        f"secrets through. {last} Run `python -m etl redact --db PATH` to apply the current rules."
    )


def _removed(removed_json: str | None) -> str:
    if not removed_json:
        return ""
    removed = json.loads(removed_json)
    total = sum(sum(kinds.values()) for kinds in removed.values())
    return f", which removed {total:,} item(s)" if total else ", which found nothing to remove"
