"""The contact fact: one row per contact with every per-contact figure, defined once.

A *contact* is a ticket, or a conversation in ``messages`` that belongs to no
ticket. The SQL is ``metrics/core/sql/contacts.sql``; this module declares it as a derived
fact (``metrics.core.facts``): parameters bound from Settings, the business-hours calendar
as a lookup frame, and the read-time ``sla_met`` (an unanswered ticket's breach depends on
"now", the reader's clock). The load builds it into the warehouse; a reader whose settings
differ from the load's builds it in memory on first use, so every metric (and the export)
reads the same rows without recomputing them.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from metrics.core.business_time import DEFAULT_CALENDAR, calendar_frame
from metrics.core.facts import Fact, FactReader, Runner, fact_table, per_settings
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


# What metrics need from a warehouse (``warehouse.reader.ReadOnlyWarehouse`` provides it).
Warehouse = FactReader

# Read-time part: an unanswered ticket counts as breached once its breach instant is past the
# reader's clock (``reader_clock``, the instant the warehouse was opened).
SLA_MET_SQL = """
    SELECT c.*,
        CASE WHEN c.frt_business_minutes IS NOT NULL
                THEN c.frt_business_minutes <= c.sla_target_minutes
            WHEN c.unanswered AND c.contact_type = 'ticket'
                AND c.sla_breach_at < (SELECT as_of FROM reader_clock) THEN false
        END AS sla_met
    FROM {table} AS c
"""
# Base tables the contact fact reads (an upkeep rebuilds it when one of them changed).
CONTACT_READS = frozenset(("tickets", "messages", "ticket_events", "surveys", "agents"))


def contact_params(settings: Settings) -> dict[str, Any]:
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
    }


def _data_span(wh: Runner) -> tuple[date, date]:
    row = wh.query(
        "SELECT least(min(t), current_date) AS lo, greatest(max(t), current_date) AS hi FROM ("
        " SELECT min(created_at)::DATE AS t FROM tickets UNION ALL"
        " SELECT max(coalesce(solved_at, first_response_at, created_at))::DATE FROM tickets"
        " UNION ALL SELECT min(sent_at)::DATE FROM messages UNION ALL"
        " SELECT max(sent_at)::DATE FROM messages)"
    ).row(0)
    today = datetime.now(UTC).date()
    return (row[0] or today) - timedelta(days=2), (row[1] or today) + timedelta(days=2)


def _breach_margin(settings: Settings) -> timedelta:
    """How far past the data the calendar runs, so an unanswered ticket's breach instant is
    found: a week per hour of the longest target (a calendar open an hour a week), plus one."""
    longest = max([settings.sla_default_minutes, *settings.sla_minutes.values()])
    return timedelta(days=7 * math.ceil(longest / 60.0) + 7)


def _has_business_hours(settings: Settings) -> bool:
    calendars = [settings.default_hours, *settings.team_hours.values()]
    return not all(hours.always_open for hours in calendars)


@per_settings
def contacts_fact(settings: Settings) -> Fact:
    """The contact fact's definition for ``settings``."""

    def lookups(runner: Runner) -> dict[str, pl.DataFrame]:
        start, end = _data_span(runner)
        return {
            "business_calendar": calendar_frame(settings, start, end + _breach_margin(settings))
        }

    def origin(runner: Runner) -> str:
        # Business minutes are counted from the calendar's first day: rows built from
        # another first day differ in the last bits, so the upkeep rebuilds them all.
        return _data_span(runner)[0].isoformat() if _has_business_hours(settings) else ""

    calendars = (settings.default_hours, settings.team_hours, _breach_margin(settings))
    return Fact(
        name="contacts",
        sql=CONTACTS_SQL,
        params=tuple(sorted(contact_params(settings).items())),
        reads=CONTACT_READS,
        grain="customer",
        frame_key=repr(calendars),
        frames=lookups,
        origin=origin,
        finish=SLA_MET_SQL,
        order_by="created_at",
    )


def contacts_table(wh: Warehouse, settings: Settings) -> str:
    """Name of the contact fact for ``settings`` (stored by the load, else built on first use)."""
    return fact_table(wh, contacts_fact(settings))


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
