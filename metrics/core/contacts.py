"""The contact fact: one row per contact with every per-contact figure, defined once.

A *contact* is a ticket, or a conversation in ``messages`` that belongs to no
ticket. The SQL is ``metrics/sql/contacts.sql``; this module binds its
parameters from Settings, supplies the business-hours calendar, and keeps the
result as an in-memory table per warehouse version and settings, so every
metric (and the export) reads the same rows without recomputing them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import polars as pl

from metrics.core.business_time import DEFAULT_CALENDAR, calendar_frame
from metrics.core.filters import Filters
from metrics.core.settings import Settings

CONTACTS_SQL = (Path(__file__).parent / "sql" / "contacts.sql").read_text(encoding="utf-8")

# Columns of the contact-level export, in order (DESIGN section 5: export contacts).
EXPORT_COLUMNS: tuple[str, ...] = (
    "contact_type", "source", "contact_id", "created_at", "created_day", "channel", "language",
    "team", "agent_id", "priority", "category", "customer_id", "status", "is_security", "via_bot",
    "customer_messages", "agent_replies", "bot_messages", "first_reply_at", "frt_minutes",
    "frt_business_minutes", "frt_after_handover_minutes", "unanswered", "is_solved",
    "first_solved_at", "last_solved_at", "first_resolution_minutes", "full_resolution_minutes",
    "reopens", "reopened", "one_touch", "fcr", "repeat_contact", "bot_resolved", "bot_handed_over",
    "escalated_at", "escalation_minutes", "sla_target_minutes", "sla_met", "csat_score",
    "csat_responded_at", "csat_assignee_id", "last_agent_id", "scored_messages", "sentiment_mean",
    "sentiment_first", "sentiment_last",
)  # fmt: skip


class Warehouse(Protocol):
    """What metrics need from a warehouse (``warehouse.reader.ReadOnlyWarehouse`` provides it)."""

    def query(
        self,
        sql: str,
        params: dict[str, Any] | None = None,
        frames: dict[str, pl.DataFrame] | None = None,
    ) -> pl.DataFrame: ...

    def materialize(
        self,
        name: str,
        sql: str,
        params: dict[str, Any],
        frames: Callable[[], dict[str, pl.DataFrame]],
    ) -> str: ...


def settings_key(settings: Settings) -> str:
    """A short stable hash of the settings, part of the cached table's name."""
    return hashlib.sha256(repr(settings).encode()).hexdigest()[:12]


def contact_params(settings: Settings, as_of: datetime | None = None) -> dict[str, Any]:
    """Named parameters of contacts.sql, from settings."""
    open_calendars = [team for team, hours in settings.team_hours.items() if hours.always_open]
    if settings.default_hours.always_open:
        open_calendars.append(DEFAULT_CALENDAR)
    sla = settings.sla_minutes
    return {
        "timezone": settings.reporting_timezone,
        "calendars": list(settings.team_hours),
        "open_calendars": open_calendars,
        "security_categories": list(settings.security_categories),
        "security_tags": list(settings.security_tags),
        "fcr_days": settings.fcr_days,
        "repeat_days": settings.repeat_days,
        "sla_urgent": sla.get("urgent", settings.sla_default_minutes),
        "sla_high": sla.get("high", settings.sla_default_minutes),
        "sla_normal": sla.get("normal", settings.sla_default_minutes),
        "sla_low": sla.get("low", settings.sla_default_minutes),
        "sla_default": settings.sla_default_minutes,
        "sentiment_negative": settings.sentiment_negative,
        "as_of": as_of or datetime.now(UTC),
    }


def _data_span(wh: Warehouse) -> tuple[date, date]:
    row = wh.query(
        "SELECT least(min(t), current_date) AS lo, greatest(max(t), current_date) AS hi FROM ("
        " SELECT min(created_at)::DATE AS t FROM tickets UNION ALL"
        " SELECT max(coalesce(solved_at, first_response_at, created_at))::DATE FROM tickets"
        " UNION ALL SELECT min(sent_at)::DATE FROM messages UNION ALL"
        " SELECT max(sent_at)::DATE FROM messages)"
    ).row(0)
    today = datetime.now(UTC).date()
    return (row[0] or today) - timedelta(days=2), (row[1] or today) + timedelta(days=2)


def contacts_table(wh: Warehouse, settings: Settings) -> str:
    """Name of the in-memory contact fact for ``settings`` (built on first use)."""
    name = f"contacts_{settings_key(settings)}"

    def lookups() -> dict[str, pl.DataFrame]:
        start, end = _data_span(wh)
        return {"business_calendar": calendar_frame(settings, start, end)}

    return wh.materialize(name, CONTACTS_SQL, contact_params(settings), lookups)


def contacts(
    wh: Warehouse, settings: Settings, filters: Filters, columns: tuple[str, ...] = EXPORT_COLUMNS
) -> pl.DataFrame:
    """The filtered contact rows (the export): one row per contact, oldest first."""
    table = contacts_table(wh, settings)
    where, params = filters.where(settings.reporting_timezone)
    cols = ", ".join(f"c.{col}" for col in columns)
    return wh.query(
        f"SELECT {cols} FROM {table} AS c WHERE {where} ORDER BY c.created_at, c.source, c.contact_id",  # noqa: S608
        params,
    )
