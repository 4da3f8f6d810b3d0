"""Data health notes built from metric frames (no Streamlit here)."""

from __future__ import annotations

import json
from typing import Any


def redaction_note(status: dict[str, Any]) -> tuple[str, str]:
    """(level, text) for the redaction status row: level "success", "info" (nothing loaded:
    no success drawn from absent data) or "warning"."""
    current = status["current_version"]
    scrubbed = status["last_scrub_at"]
    last = (
        f"Last scrubbed {scrubbed:%Y-%m-%d %H:%M} UTC with redaction rules version "
        f"{status['last_scrub_version']}{_removed(status['last_scrub_removed'])}."
        if scrubbed is not None
        else "Never scrubbed with `python -m etl redact`."
    )
    if not status["loads"]:
        return "info", f"Nothing loaded yet; loads redact with rules version {current}."
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


def facts_note(facts: Any) -> tuple[str, str]:
    """(level, text) for the derived-facts table (metrics.reports.fact_health.derived_facts):
    "success" when every fact was built at load for the settings in use, else "warning"."""
    lazy = facts.filter(~facts["state"].is_in(["built at load", "prebuilt"]))
    if lazy.is_empty():
        by = "were prebuilt" if (facts["state"] == "prebuilt").any() else "the last write built"
        return "success", (
            f"The pages read {facts.height} derived facts that {by} with the data "
            "for these settings: no page waits for them."
        )
    names = ", ".join(lazy["fact"].to_list())
    return "warning", (
        f"{lazy.height} derived fact(s) ({names}) are not stored for these settings and this "
        "data, so the first page that needs one builds it (slower first visit). Run "
        "`python -m etl facts --db PATH` with the settings the dashboard uses to store them."
    )


def prebuilt_note(origin: dict | None) -> str | None:
    """The line saying which engine built the prebuilt facts and when (None for a warehouse
    file, whose loads build its facts)."""
    if origin is None:
        return None
    where = f" on {origin['master']}" if origin.get("master") else ""
    return (
        f"Derived facts prebuilt by {origin['engine_version']}{where} at "
        f"{origin['built_at']:%Y-%m-%d %H:%M} UTC in {origin['seconds']:.1f} s, from the lake "
        f"`{origin['lake']}`; drill-down rows come from the same lake."
    )
