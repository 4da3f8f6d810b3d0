"""What a warehouse holds, as counts: the facts the availability rules judge inputs by.

Two kinds of count: over the whole warehouse (does any agent message, survey, shift ...
exist, and does it join a contact?) and over the contacts the filters select (how many of
them have a creation time, a customer, a first reply ...). The rules themselves, which turn
these counts into "available", "partial" or "not available", are
``metrics.core.availability``; this module only counts. The whole-warehouse counts read
derived facts the writers keep (input counts per contact key, the contacts' people, the
activity's customers: ``docs/facts.md``), so no reader scans the 10M messages for them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from metrics.core.aggregate import count_where
from metrics.core.contacts import Warehouse, contacts_table
from metrics.core.facts import Fact, fact_table
from metrics.core.filters import Filters
from metrics.core.settings import Settings

# Over the filtered contacts `c` (the contact fact): name -> SQL aggregate.
CONTACT_COUNTS: dict[str, str] = {
    "contacts": "count(*)",
    "timed": "count(c.created_at)",
    "tickets": count_where("c.contact_type = 'ticket'"),
    "with_messages": count_where("c.has_messages"),
    "needing_agent": count_where("NOT c.bot_resolved AND NOT c.is_outbound"),
    "answered": "count(c.first_reply_at)",
    "solved": count_where("c.is_solved AND c.contact_type = 'ticket'"),
    "solve_timed": "count(c.first_resolution_minutes)",
    "reopen_known": "count(c.reopened)",
    "with_customer": "count(c.customer_id)",
    "surveyed": "count(c.csat_score)",
    "surveyed_timed": count_where("c.csat_score IS NOT NULL AND c.created_at IS NOT NULL"),
    "customer_messages": "coalesce(sum(c.customer_messages), 0)",
    "scored_messages": "coalesce(sum(c.scored_messages), 0)",
    "with_language": "count(c.language)",
    "with_agent": "count(c.agent_id)",
    "with_team": "count(c.team)",
    "with_priority": "count(c.priority)",
    "with_category": "count(c.category)",
    "with_channel": "count(c.channel)",
    "with_status": count_where(
        "c.contact_type = 'ticket' AND (c.status IS NOT NULL OR c.first_solved_at IS NOT NULL)"
    ),
    "with_bot": count_where("c.bot_messages > 0 OR c.via_bot"),
    "security": count_where("c.is_security"),
    "first_at": "min(c.created_at)",
    "last_at": "max(c.created_at)",
}

# Over the whole warehouse, per contact key (source + ticket or conversation id) of the four
# tables keyed by contact: one row per key, kept by every write (a derived fact), so the
# warehouse-wide counts are sums over it instead of scans of the 10M messages on a reader's
# first call.
INPUT_COUNTS_SQL = """
    WITH t AS (
        SELECT source, ticket_id AS contact_id, count(*) AS tickets,
            count(*) FILTER (WHERE via_bot) AS bot_tickets,
            count(first_response_at) AS first_response_field,
            count(coalesce(solved_at, closed_at)) AS solved_tickets,
            count(reopens) AS reopens_field, count(agent_replies) AS agent_replies_field,
            count(customer_id) AS ticket_customers,
            count(*) FILTER (WHERE array_length(tags) > 0) AS tags,
            count(escalated_at) AS escalated
        FROM tickets GROUP BY source, ticket_id
    ),
    m AS (
        SELECT source, conversation_id AS contact_id, count(*) AS messages,
            count(*) FILTER (WHERE sender_type = 'agent' AND sent_at IS NOT NULL)
                AS agent_messages,
            count(*) FILTER (WHERE sender_type = 'agent' AND sent_at IS NOT NULL
                AND sender_id IS NOT NULL) AS agent_senders,
            count(*) FILTER (WHERE sender_type = 'customer' AND sent_at IS NOT NULL)
                AS customer_messages,
            count(*) FILTER (WHERE sender_type = 'customer') AS customer_texts,
            count(*) FILTER (WHERE sender_type = 'customer' AND sentiment IS NOT NULL)
                AS scored_messages,
            count(*) FILTER (WHERE sender_type IN ('agent', 'bot')
                AND agent_sentiment IS NOT NULL) AS scored_agent_messages,
            count(*) FILTER (WHERE sender_type = 'bot') AS bot_messages,
            min(sent_at) AS first_message_at, max(sent_at) AS last_message_at
        FROM messages GROUP BY source, conversation_id
    ),
    e AS (
        SELECT source, ticket_id AS contact_id, count(*) AS status_events,
            count(*) FILTER (WHERE value IN ('solved', 'closed')) AS solved_events
        FROM ticket_events WHERE field = 'status' GROUP BY source, ticket_id
    ),
    s AS (SELECT source, ticket_id AS contact_id, count(*) AS surveys FROM surveys
        GROUP BY source, ticket_id),
    k AS (
        SELECT source, contact_id FROM t UNION SELECT source, contact_id FROM m
        UNION SELECT source, contact_id FROM e UNION SELECT source, contact_id FROM s
    )
    SELECT k.source, k.contact_id,
        coalesce(t.tickets, 0) AS tickets, coalesce(t.bot_tickets, 0) AS bot_tickets,
        coalesce(t.first_response_field, 0) AS first_response_field,
        coalesce(t.solved_tickets, 0) AS solved_tickets,
        coalesce(t.reopens_field, 0) AS reopens_field,
        coalesce(t.agent_replies_field, 0) AS agent_replies_field,
        coalesce(t.ticket_customers, 0) AS ticket_customers, coalesce(t.tags, 0) AS tags,
        coalesce(t.escalated, 0) AS escalated, coalesce(m.messages, 0) AS messages,
        coalesce(m.agent_messages, 0) AS agent_messages,
        coalesce(m.agent_senders, 0) AS agent_senders,
        coalesce(m.customer_messages, 0) AS customer_messages,
        coalesce(m.customer_texts, 0) AS customer_texts,
        coalesce(m.scored_messages, 0) AS scored_messages,
        coalesce(m.scored_agent_messages, 0) AS scored_agent_messages,
        coalesce(m.bot_messages, 0) AS bot_messages, m.first_message_at, m.last_message_at,
        coalesce(e.status_events, 0) AS status_events,
        coalesce(e.solved_events, 0) AS solved_events, coalesce(s.surveys, 0) AS surveys,
        CASE WHEN t.contact_id IS NOT NULL OR m.contact_id IS NOT NULL
            THEN coalesce(s.surveys, 0) ELSE 0 END AS surveys_matched
    FROM k
    LEFT JOIN t ON t.source = k.source AND t.contact_id = k.contact_id
    LEFT JOIN m ON m.source = k.source AND m.contact_id = k.contact_id
    LEFT JOIN e ON e.source = k.source AND e.contact_id = k.contact_id
    LEFT JOIN s ON s.source = k.source AND s.contact_id = k.contact_id
"""

INPUT_COUNTS = Fact(
    name="input_counts",
    sql=INPUT_COUNTS_SQL,
    reads=frozenset({"tickets", "messages", "ticket_events", "surveys"}),
    grain="contact",
)

# The customers and agents each contact key's tickets and messages name: what product activity
# and trainings are matched against.
CONTACT_PEOPLE = Fact(
    name="contact_people",
    sql="""
        SELECT source, ticket_id AS contact_id, 'customer' AS role, customer_id AS person_id
        FROM tickets WHERE customer_id IS NOT NULL
        UNION SELECT source, ticket_id, 'agent', agent_id FROM tickets
        WHERE agent_id IS NOT NULL
        UNION SELECT source, conversation_id, 'customer', sender_id FROM messages
        WHERE sender_type = 'customer' AND sender_id IS NOT NULL
        UNION SELECT source, conversation_id, 'agent', sender_id FROM messages
        WHERE sender_type = 'agent' AND sender_id IS NOT NULL
    """,
    reads=frozenset({"tickets", "messages"}),
    grain="contact",
)

# The distinct customers of the product activity (tens of millions of rows at scale 33, a
# few hundred thousand customers): what activity can match, rebuilt only by activity loads.
ACTIVITY_CUSTOMERS = Fact(
    name="activity_customers",
    sql="SELECT DISTINCT customer_id FROM customer_activity WHERE customer_id IS NOT NULL",
    reads=frozenset({"customer_activity"}),
    key=("customer_id",),
)

# Over the whole warehouse: name -> SQL aggregate over the input counts ``n`` (the rest of
# the tables are small: read directly).
TABLE_COUNTS: dict[str, str] = {
    "tickets": "sum(n.tickets)",
    "messages": "sum(n.messages)",
    "agent_messages": "sum(n.agent_messages)",
    "agent_senders": "sum(n.agent_senders)",
    "customer_messages": "sum(n.customer_messages)",
    "customer_texts": "sum(n.customer_texts)",
    "scored_messages": "sum(n.scored_messages)",
    "scored_agent_messages": "sum(n.scored_agent_messages)",
    "bot": "sum(n.bot_messages) + sum(n.bot_tickets)",
    "first_response_field": "sum(n.first_response_field)",
    "solve_times": "sum(n.solved_tickets) + sum(n.solved_events)",
    "status_events": "sum(n.status_events)",
    "reopens_field": "sum(n.reopens_field)",
    "agent_replies_field": "sum(n.agent_replies_field)",
    "ticket_customers": "sum(n.ticket_customers)",
    "tags": "sum(n.tags)",
    "escalated": "sum(n.escalated)",
    "surveys": "sum(n.surveys)",
    "surveys_matched": "sum(n.surveys_matched)",
}
# Over the small tables, the contacts' people (``{people}``) and the activity's customers
# (``{activity}``): name -> scalar SQL.
SMALL_COUNTS: dict[str, str] = {
    "qa_scores": "SELECT count(*) FROM qa_scores",
    "qa_reviews": "SELECT count(*) FROM qa_reviews",
    "activity": "SELECT count(*) FROM customer_activity",
    "activity_matched": "SELECT count(*) FROM {activity} AS a"
    " WHERE a.customer_id IN (SELECT person_id FROM {people} WHERE role = 'customer')",
    "trainings": "SELECT count(*) FROM trainings",
    "trainings_matched": "SELECT count(DISTINCT t.agent_id) FROM trainings AS t"
    " WHERE t.agent_id IN (SELECT person_id FROM {people} WHERE role = 'agent')",
    "shifts": "SELECT count(*) FROM shifts",
    "agents": "SELECT count(*) FROM agents",
    "agents_with_team": "SELECT count(team) FROM agents",
    "agents_with_languages": "SELECT count(*) FROM agents WHERE len(languages) > 0",
}

# Presence in the period [$p_start, $p_end): any shift overlapping it, any agent message
# inside it. Whether any, not how many (the presence rule asks no more): EXISTS stops at the
# first row, where a count read every agent message of the period (all 10M messages' dates
# when the filters name no dates: about 100 ms CPU at scale 33, against 3).
PERIOD_COUNTS = """
    SELECT EXISTS (SELECT 1 FROM shifts
            WHERE starts_at < $p_end AND ends_at > $p_start AND ends_at > starts_at) AS shifts,
        EXISTS (SELECT 1 FROM messages WHERE sender_type = 'agent' AND sender_id IS NOT NULL
            AND sent_at >= $p_start AND sent_at < $p_end) AS agent_messages
"""


@dataclass(frozen=True)
class DataFacts:
    """Counts behind every availability judgement.

    ``contacts``: over the filtered contacts (CONTACT_COUNTS); ``tables``: over the whole
    warehouse (TABLE_COUNTS); ``period``: 1 when any shift, any agent message falls in the
    filters' period (their dates, else the filtered contacts' first to last creation), else
    0 (PERIOD_COUNTS: whether any, not how many); ``calendar``: whether
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
    """The counts over the whole warehouse (filters do not change them): sums over the
    input-counts fact the load keeps (built on first use when the file lacks it), counts of
    the small tables and the activity customers' fact; remembered per file version and
    reader."""

    def count() -> dict[str, int]:
        counts = fact_table(wh, INPUT_COUNTS)
        activity = fact_table(wh, ACTIVITY_CUSTOMERS)
        people = fact_table(wh, CONTACT_PEOPLE)
        sums = ", ".join(f"{sql} AS {name}" for name, sql in TABLE_COUNTS.items())
        small = ", ".join(
            f"({sql.format(people=people, activity=activity)}) AS {name}"
            for name, sql in SMALL_COUNTS.items()
        )
        # Aggregates and scalars from the fixed TABLE_COUNTS and SMALL_COUNTS, the table
        # from fact_table.
        row = wh.query(f"SELECT {sums}, {small} FROM {counts} AS n").row(0, named=True)  # noqa: S608
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
    are ``table_counts(wh)`` when the caller already has them. The filtered counts are
    remembered per settings and filters for this file version: a page's availability gates
    and the metrics that judge availability themselves (the headline) count once."""

    def count() -> tuple[dict[str, Any], dict[str, int]]:
        contacts = contact_counts(wh, settings, filters)
        return contacts, _period_counts(wh, settings, filters, contacts)

    contacts, period = wh.remember(("data_facts", repr(settings), filters), count)
    return DataFacts(
        contacts=dict(contacts),
        tables=tables if tables is not None else table_counts(wh),
        period=dict(period),
        calendar=has_calendar(settings),
    )
