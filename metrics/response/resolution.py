"""Resolution: how long tickets take to solve, and whether they stay solved.

Every per-ticket figure (solve times, reopens, one-touch, FCR, repeat contact,
SLA) is defined once in ``metrics/sql/contacts.sql``; this module only chooses
which contacts each rate is over and what it counts as excluded.
"""

from __future__ import annotations

import polars as pl

from metrics.core.aggregate import Duration, Rate, duration_summary
from metrics.core.contacts import Warehouse
from metrics.core.filters import Filters
from metrics.core.metric import metric
from metrics.core.settings import Settings

TICKET = "c.contact_type = 'ticket'"
SOLVED = f"{TICKET} AND c.is_solved"
RESOLUTION_EXCLUDED = {
    "unsolved": f"{TICKET} AND NOT c.is_solved",
    "solved_without_time": f"{SOLVED} AND c.first_resolution_minutes IS NULL",
    "conversations": "c.contact_type = 'conversation'",
}
RESOLUTION_SOURCE = (
    "Solves come from the ticket's status history (ticket_events) when it has one, else from "
    "its solved_at field; a ticket closed without a recorded solve counts as solved when closed."
)
RESOLUTION_EXCLUSIONS = (
    "unsolved tickets (including solved tickets reopened and open again), solved tickets with "
    "no solve time (or one before creation), chat conversations without a ticket, merged "
    "duplicates"
)
# Each figure's definition over the contact fact (the headline reads the same ones).
FIRST_RESOLUTION = Duration("first_resolution_minutes", RESOLUTION_EXCLUDED)
ONE_TOUCH = Rate(
    hit="c.one_touch",
    eligible=f"{SOLVED} AND c.one_touch IS NOT NULL",
    excluded={
        "unsolved": RESOLUTION_EXCLUDED["unsolved"],
        "replies_unknown": f"{SOLVED} AND c.one_touch IS NULL",
    },
)
REOPEN = Rate(
    hit="c.reopened",
    eligible=f"{SOLVED} AND c.reopened IS NOT NULL",
    excluded={
        "unsolved": RESOLUTION_EXCLUDED["unsolved"],
        "reopens_unknown": f"{SOLVED} AND c.reopened IS NULL",
    },
)
_KNOWN = f"{SOLVED} AND c.customer_id IS NOT NULL"
FCR = Rate(
    hit="c.fcr",
    eligible=f"{SOLVED} AND c.fcr IS NOT NULL",
    excluded={
        "unsolved": RESOLUTION_EXCLUDED["unsolved"],
        "customer_unknown": f"{SOLVED} AND c.customer_id IS NULL",
        "reopens_unknown": f"{_KNOWN} AND c.reopens IS NULL",
        "created_unknown": f"{_KNOWN} AND c.reopens IS NOT NULL AND c.created_at IS NULL",
    },
)
REPEAT_CONTACT = Rate(
    hit="c.repeat_contact",
    eligible="c.repeat_contact IS NOT NULL",
    excluded={
        "customer_unknown": "c.customer_id IS NULL",
        "created_unknown": "c.customer_id IS NOT NULL AND c.created_at IS NULL",
    },
)
SLA = Rate(
    hit="c.sla_met",
    eligible="c.sla_met IS NOT NULL",
    excluded={
        "unanswered_not_breached": "c.unanswered AND c.sla_met IS NULL",
        "bot_only": "c.bot_resolved",
        "outbound": "c.is_outbound",
    },
)


@metric(
    "first_resolution_time",
    label="First resolution time",
    unit="minutes",
    family="resolution",
    definition="From ticket creation to its first solve. " + RESOLUTION_SOURCE,
    variant="calendar time, creation -> first solve; median and p90",
    exclusions=RESOLUTION_EXCLUSIONS,
)
def first_resolution_time(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """Calendar minutes from creation to first solve: n, unsolved, solved_without_time,
    conversations, median, p90. Exact across DST changes (instants, not wall clocks)."""
    return FIRST_RESOLUTION.summary(wh, settings, filters, by)


@metric(
    "full_resolution_time",
    label="Full resolution time",
    unit="minutes",
    family="resolution",
    definition="From ticket creation to its last solve (after any reopens). " + RESOLUTION_SOURCE,
    variant="calendar time, creation -> last solve; median and p90",
    exclusions=RESOLUTION_EXCLUSIONS,
)
def full_resolution_time(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """Calendar minutes from creation to last solve: n, unsolved, solved_without_time,
    conversations, median, p90. Equals first resolution for tickets never reopened."""
    return duration_summary(
        wh, settings, filters, "full_resolution_minutes", by, excluded=RESOLUTION_EXCLUDED
    )


@metric(
    "one_touch_rate",
    label="One-touch resolution rate",
    unit="share",
    family="resolution",
    definition="Share of solved tickets that were solved with exactly one agent reply.",
    variant="replies counted from messages when the ticket has them, else its agent_replies",
    exclusions="unsolved tickets, solved tickets whose reply count is unknown, chat "
    "conversations without a ticket, merged duplicates",
)
def one_touch_rate(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """Solved tickets with exactly one agent reply / solved tickets with a known reply count:
    n, hits, unsolved, replies_unknown, value, ci_low, ci_high (Wilson 95%)."""
    return ONE_TOUCH.summary(wh, settings, filters, by)


@metric(
    "reopen_rate",
    label="Reopen rate",
    unit="share",
    family="resolution",
    definition="Share of solved tickets that were reopened at least once (solved more than "
    "once in the status history, else the ticket's reopens field is above 0).",
    variant="reopens = solves - 1 from ticket_events when present, else the reopens field",
    exclusions="unsolved tickets, solved tickets whose reopen count is unknown (no status "
    "history and no reopens field), chat conversations without a ticket, merged duplicates",
)
def reopen_rate(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """Solved tickets reopened at least once / solved tickets with a known reopen count:
    n, hits, unsolved, reopens_unknown, value, ci_low, ci_high (Wilson 95%)."""
    return REOPEN.summary(wh, settings, filters, by)


@metric(
    "fcr_rate",
    label="First-contact resolution rate",
    unit="share",
    family="resolution",
    definition="Share of solved tickets that were never reopened and whose customer opened no "
    "new contact in the same category within the FCR window (settings: windows.fcr_days) "
    "after the solve.",
    variant="never reopened + no same-category follow-up; the one-touch variant (exactly one "
    "agent reply) is reported beside it as one_touch_n / one_touch_hits / one_touch_value, "
    "the one_touch_rate metric over the same filters",
    exclusions="unsolved tickets, solved tickets whose customer is unknown (follow-ups cannot "
    "be seen), whose reopen count is unknown, or whose creation time is unknown; chat "
    "conversations without a ticket; merged duplicates",
)
def fcr_rate(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """FCR hits / solved tickets it can be judged for: n, hits, unsolved, customer_unknown,
    reopens_unknown, created_unknown, value, ci_low, ci_high (Wilson 95%), and the one-touch
    variant beside it (one_touch_n, one_touch_hits, one_touch_value)."""
    frame = FCR.summary(wh, settings, filters, by)
    touch = one_touch_rate(wh, settings, filters, by).select(
        *([by] if by else []),
        pl.col("n").alias("one_touch_n"),
        pl.col("hits").alias("one_touch_hits"),
        pl.col("value").alias("one_touch_value"),
    )
    if by is None:
        return pl.concat([frame, touch], how="horizontal")
    return frame.join(touch, on=by, how="left", nulls_equal=True, maintain_order="left")


@metric(
    "repeat_contact_rate",
    label="Repeat-contact rate",
    unit="share",
    family="resolution",
    definition="Share of contacts (tickets and chats) followed by another contact from the same "
    "customer within the repeat window (settings: windows.repeat_days) after their creation.",
    variant="any follow-up contact, any category; the follow-up may fall outside the filters",
    exclusions="contacts whose customer is unknown, contacts without a creation time, merged "
    "duplicates",
)
def repeat_contact_rate(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """Contacts with a follow-up within the window / contacts with a known customer and time:
    n, hits, customer_unknown, created_unknown, value, ci_low, ci_high (Wilson 95%)."""
    return REPEAT_CONTACT.summary(wh, settings, filters, by)


@metric(
    "sla_attainment",
    label="SLA attainment (first response)",
    unit="share",
    family="resolution",
    definition="Share of contacts whose first response time in business hours is within their "
    "priority's target (settings: [sla]); unanswered tickets already older than the target "
    "(in business minutes) count as breached.",
    variant="first-response SLA in business time, per priority target",
    exclusions="unanswered contacts not (yet) breached: tickets still within their target, "
    "unanswered chats (only tickets count as breached) and contacts without a creation time; "
    "bot-only and outbound conversations; contacts with a reply before creation; merged "
    "duplicates",
)
def sla_attainment(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """Contacts answered within target / contacts answered or breached: n, hits,
    unanswered_not_breached, bot_only, outbound, value, ci_low, ci_high (Wilson 95%)."""
    return SLA.summary(wh, settings, filters, by)
