"""First response time: how long customers wait for the first human answer."""

from __future__ import annotations

import polars as pl

from metrics.core.aggregate import Duration, duration_summary
from metrics.core.contacts import Warehouse
from metrics.core.filters import Filters
from metrics.core.metric import metric
from metrics.core.settings import Settings

# Contacts that cannot have a first response time, counted beside every FRT figure.
FRT_EXCLUDED = {
    "unanswered": "c.unanswered",
    "bot_only": "c.bot_resolved",
    "outbound": "c.is_outbound",
}
FRT_DEFINITION = (
    "From ticket creation (or the conversation's first customer message) to the first public "
    "reply by a human agent after the customer first wrote. Bot, system and automatic replies "
    "do not count. When a ticket has messages they win over its first_response_at field."
)
FRT_EXCLUSIONS = (
    "unanswered (no agent reply yet), bot-only conversations, outbound conversations "
    "(no customer message), merged duplicates"
)
FRT = Duration("frt_minutes", FRT_EXCLUDED)
FRT_BUSINESS = Duration("frt_business_minutes", FRT_EXCLUDED)


@metric(
    "frt",
    label="First response time",
    unit="minutes",
    family="response",
    definition=FRT_DEFINITION,
    variant="calendar time, from creation; median and p90",
    exclusions=FRT_EXCLUSIONS,
)
def first_response_time(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """Calendar minutes to first human reply: n, unanswered, bot_only, outbound, median, p90."""
    return FRT.summary(wh, settings, filters, by)


@metric(
    "frt_business",
    label="First response time (business hours)",
    unit="minutes",
    family="response",
    definition=FRT_DEFINITION + " Only time inside the team's support hours counts.",
    variant="business time in the team's support-hours calendar (settings); median and p90",
    exclusions=FRT_EXCLUSIONS,
)
def first_response_time_business(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """Business minutes to first human reply (equals calendar time for 24x7 calendars)."""
    return FRT_BUSINESS.summary(wh, settings, filters, by)


@metric(
    "frt_after_handover",
    label="First response time after bot hand-over",
    unit="minutes",
    family="response",
    definition=(
        "From the chatbot's hand-over (its last message before the first human reply) to that "
        "first human reply, for conversations the bot answered first."
    ),
    variant="calendar time, from the bot hand-over (Chatwoot's definition); median and p90",
    exclusions="conversations without a bot, unanswered, bot-only, merged duplicates",
)
def first_response_after_handover(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """Minutes from bot hand-over to first human reply."""
    return duration_summary(
        wh,
        settings,
        filters,
        "frt_after_handover_minutes",
        by,
        excluded={"without_bot": "c.bot_messages = 0", **FRT_EXCLUDED},
    )
