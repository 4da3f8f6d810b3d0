"""What a warehouse holds, as counts: the facts the availability rules judge inputs by.

Two kinds of count: over the whole warehouse (does any agent message, survey, shift ...
exist, and does it join a contact?) and over the contacts the filters select (how many of
them have a creation time, a customer, a first reply ...). The rules themselves, which turn
these counts into "available", "partial" or "not available", are
``metrics.core.availability``; this module only counts, in two queries.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from metrics.core.contacts import Warehouse, contacts_table
from metrics.core.filters import Filters
from metrics.core.settings import Settings

# Over the filtered contacts `c` (the contact fact): name -> SQL aggregate.
CONTACT_COUNTS: dict[str, str] = {
    "contacts": "count(*)",
    "timed": "count(c.created_at)",
    "tickets": "count(*) FILTER (WHERE c.contact_type = 'ticket')",
    "with_messages": "count(*) FILTER (WHERE c.has_messages)",
    "needing_agent": "count(*) FILTER (WHERE NOT c.bot_resolved AND NOT c.is_outbound)",
    "answered": "count(c.first_reply_at)",
    "solved": "count(*) FILTER (WHERE c.is_solved AND c.contact_type = 'ticket')",
    "solve_timed": "count(c.first_resolution_minutes)",
    "reopen_known": "count(c.reopened)",
    "with_customer": "count(c.customer_id)",
    "surveyed": "count(c.csat_score)",
    "customer_messages": "coalesce(sum(c.customer_messages), 0)",
    "scored_messages": "coalesce(sum(c.scored_messages), 0)",
    "with_language": "count(c.language)",
    "with_agent": "count(c.agent_id)",
    "with_team": "count(c.team)",
    "with_priority": "count(c.priority)",
    "with_category": "count(c.category)",
    "with_channel": "count(c.channel)",
    "with_status": "count(*) FILTER (WHERE c.contact_type = 'ticket' AND (c.status IS NOT NULL"
    " OR c.first_solved_at IS NOT NULL))",
    "with_bot": "count(*) FILTER (WHERE c.bot_messages > 0 OR c.via_bot)",
    "security": "count(*) FILTER (WHERE c.is_security)",
    "first_at": "min(c.created_at)",
    "last_at": "max(c.created_at)",
}

# Over the whole warehouse: name -> scalar SQL (fixed text, no input).
TABLE_COUNTS: dict[str, str] = {
    "tickets": "SELECT count(*) FROM tickets",
    "messages": "SELECT count(*) FROM messages",
    "agent_messages": "SELECT count(*) FROM messages"
    " WHERE sender_type = 'agent' AND sent_at IS NOT NULL",
    "agent_senders": "SELECT count(*) FROM messages"
    " WHERE sender_type = 'agent' AND sent_at IS NOT NULL AND sender_id IS NOT NULL",
    "customer_messages": "SELECT count(*) FROM messages"
    " WHERE sender_type = 'customer' AND sent_at IS NOT NULL",
    "customer_texts": "SELECT count(*) FROM messages WHERE sender_type = 'customer'",
    "scored_messages": "SELECT count(*) FROM messages"
    " WHERE sender_type = 'customer' AND sentiment IS NOT NULL",
    "scored_agent_messages": "SELECT count(*) FROM messages"
    " WHERE sender_type IN ('agent', 'bot') AND agent_sentiment IS NOT NULL",
    "bot": "SELECT (SELECT count(*) FROM messages WHERE sender_type = 'bot')"
    " + (SELECT count(*) FROM tickets WHERE via_bot)",
    "first_response_field": "SELECT count(first_response_at) FROM tickets",
    "solve_times": "SELECT (SELECT count(*) FROM tickets WHERE coalesce(solved_at, closed_at)"
    " IS NOT NULL) + (SELECT count(*) FROM ticket_events WHERE field = 'status'"
    " AND value IN ('solved', 'closed'))",
    "status_events": "SELECT count(*) FROM ticket_events WHERE field = 'status'",
    "reopens_field": "SELECT count(reopens) FROM tickets",
    "agent_replies_field": "SELECT count(agent_replies) FROM tickets",
    "ticket_customers": "SELECT count(customer_id) FROM tickets",
    "tags": "SELECT count(*) FROM tickets WHERE len(tags) > 0",
    "escalated": "SELECT count(escalated_at) FROM tickets",
    "surveys": "SELECT count(*) FROM surveys",
    "qa_scores": "SELECT count(*) FROM qa_scores",
    "qa_reviews": "SELECT count(*) FROM qa_reviews",
    "surveys_matched": "SELECT count(*) FROM surveys AS s WHERE EXISTS (SELECT 1 FROM tickets"
    " AS t WHERE t.source = s.source AND t.ticket_id = s.ticket_id) OR EXISTS (SELECT 1 FROM"
    " messages AS m WHERE m.source = s.source AND m.conversation_id = s.ticket_id)",
    "activity": "SELECT count(*) FROM customer_activity",
    "activity_matched": "SELECT count(DISTINCT a.customer_id) FROM customer_activity AS a"
    " WHERE a.customer_id IN (SELECT customer_id FROM tickets UNION ALL SELECT sender_id"
    " FROM messages WHERE sender_type = 'customer')",
    "trainings": "SELECT count(*) FROM trainings",
    "trainings_matched": "SELECT count(DISTINCT t.agent_id) FROM trainings AS t"
    " WHERE t.agent_id IN (SELECT agent_id FROM tickets UNION ALL SELECT sender_id"
    " FROM messages WHERE sender_type = 'agent')",
    "shifts": "SELECT count(*) FROM shifts",
    "agents": "SELECT count(*) FROM agents",
    "agents_with_team": "SELECT count(team) FROM agents",
    "agents_with_languages": "SELECT count(*) FROM agents WHERE len(languages) > 0",
}

# Presence in the period [$p_start, $p_end): shifts overlapping it, agent messages inside it.
PERIOD_COUNTS = """
    SELECT (SELECT count(*) FROM shifts
            WHERE starts_at < $p_end AND ends_at > $p_start AND ends_at > starts_at) AS shifts,
        (SELECT count(*) FROM messages WHERE sender_type = 'agent' AND sender_id IS NOT NULL
            AND sent_at >= $p_start AND sent_at < $p_end) AS agent_messages
"""


@dataclass(frozen=True)
class DataFacts:
    """Counts behind every availability judgement.

    ``contacts``: over the filtered contacts (CONTACT_COUNTS); ``tables``: over the whole
    warehouse (TABLE_COUNTS); ``period``: shifts and agent messages in the filters' period
    (their dates, else the filtered contacts' first to last creation); ``calendar``: whether
    settings give any team (or the default) opening hours (business time is then not
    calendar time).
    """

    contacts: dict[str, Any]
    tables: dict[str, int]
    period: dict[str, int]
    calendar: bool

    def contact(self, name: str) -> int:
        """A count over the filtered contacts (0 when None)."""
        return int(self.contacts.get(name) or 0)

    def table(self, name: str) -> int:
        """A count over the whole warehouse."""
        return int(self.tables.get(name) or 0)


def contact_counts(wh: Warehouse, settings: Settings, filters: Filters) -> dict[str, Any]:
    """CONTACT_COUNTS over the contacts ``filters`` select (one row, as a dict)."""
    table = contacts_table(wh, settings)
    where, params = filters.where(settings.reporting_timezone)
    select = ", ".join(f"{sql} AS {name}" for name, sql in CONTACT_COUNTS.items())
    # Aggregates come from the fixed CONTACT_COUNTS, the condition from Filters.where.
    return wh.query(f"SELECT {select} FROM {table} AS c WHERE {where}", params).row(0, named=True)  # noqa: S608


def table_counts(wh: Warehouse) -> dict[str, int]:
    """TABLE_COUNTS over the whole warehouse (filters do not change them: counted once per
    file version and reader, then remembered; whole-table scans of the messages, seconds at
    millions of rows, that every headline, scorecard and availability judgement needs)."""

    def count() -> dict[str, int]:
        select = ", ".join(f"({sql}) AS {name}" for name, sql in TABLE_COUNTS.items())
        row = wh.query(f"SELECT {select}").row(0, named=True)  # noqa: S608 (fixed text)
        return {name: int(value or 0) for name, value in row.items()}

    return dict(wh.remember(("table_counts",), count))


def _period_counts(
    wh: Warehouse, settings: Settings, filters: Filters, counts: dict[str, Any]
) -> dict[str, int]:
    first, last = counts.get("first_at"), counts.get("last_at")
    if first is None and filters.date_from is None and filters.date_to is None:
        return {"shifts": 0, "agent_messages": 0}
    zone = settings.reporting_timezone
    days = replace(
        filters,
        date_from=filters.date_from or _local_day(first or last, zone),
        date_to=filters.date_to or _local_day(last or first, zone),
    )
    start, end = days.bounds(zone)
    row = wh.query(PERIOD_COUNTS, {"p_start": start, "p_end": end}).row(0, named=True)
    return {name: int(value or 0) for name, value in row.items()}


def _local_day(moment: datetime | None, zone: str) -> Any:
    return moment.astimezone(ZoneInfo(zone)).date() if moment else None


def has_calendar(settings: Settings) -> bool:
    """True when settings give the default or some team opening hours (not only 24x7)."""
    calendars = [settings.default_hours, *settings.team_hours.values()]
    return any(not hours.always_open for hours in calendars)


def data_facts(
    wh: Warehouse, settings: Settings, filters: Filters, tables: dict[str, int] | None = None
) -> DataFacts:
    """The counts over the warehouse and over the contacts ``filters`` select; ``tables``
    are ``table_counts(wh)`` when the caller already has them."""
    contacts = contact_counts(wh, settings, filters)
    return DataFacts(
        contacts=contacts,
        tables=tables if tables is not None else table_counts(wh),
        period=_period_counts(wh, settings, filters, contacts),
        calendar=has_calendar(settings),
    )
