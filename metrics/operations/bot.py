"""The chatbot: how often it resolves a conversation alone, hands over, or only seems to resolve.

A *bot conversation* is a contact with at least one bot message. The contact
fact defines ``bot_resolved`` (bot messages, no human agent message, and the
conversation ended: a chat-only conversation, or a ticket that was solved) and
``bot_handed_over`` (bot messages and a human agent message).
"""

from __future__ import annotations

import polars as pl

from metrics.core.aggregate import rate_summary, with_wilson
from metrics.core.contacts import Warehouse, contacts_table
from metrics.core.filters import Filters
from metrics.core.grouping import group_expr
from metrics.core.metric import metric
from metrics.core.settings import Settings
from metrics.response.conversation import bind

BOT_CONVERSATION = "c.bot_messages > 0"
# Bot conversations that neither ended with the bot nor reached a human (an open ticket).
BOT_EXCLUDED = {
    "without_bot": "c.bot_messages = 0",
    "abandoned": "c.bot_messages > 0 AND NOT c.bot_resolved AND NOT c.bot_handed_over",
}
BOT_EXCLUSIONS = (
    "contacts without a bot message (without_bot), merged duplicates; abandoned counts bot "
    "conversations that neither the bot resolved nor a human answered (they stay in n)"
)


@metric(
    "bot_deflection",
    label="Bot deflection rate",
    unit="share",
    family="bot",
    definition=(
        "Bot conversations resolved by the bot alone (no human agent message, and the "
        "conversation ended: a chat that never became a ticket, or a solved ticket) divided by "
        "all conversations the bot answered."
    ),
    variant="ratio of counts over the filtered bot conversations; Wilson 95% interval",
    exclusions=BOT_EXCLUSIONS,
)
def bot_deflection(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """Share of bot conversations the bot resolved alone: n, hits, value, ci_low, ci_high."""
    return rate_summary(
        wh, settings, filters, "c.bot_resolved", BOT_CONVERSATION, by, excluded=BOT_EXCLUDED
    )


@metric(
    "bot_handover",
    label="Bot hand-over rate",
    unit="share",
    family="bot",
    definition="Bot conversations in which a human agent replied, divided by all bot conversations.",
    variant="ratio of counts over the filtered bot conversations; Wilson 95% interval",
    exclusions=BOT_EXCLUSIONS,
)
def bot_handover(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """Share of bot conversations handed to a human: n, hits, value, ci_low, ci_high."""
    return rate_summary(
        wh, settings, filters, "c.bot_handed_over", BOT_CONVERSATION, by, excluded=BOT_EXCLUDED
    )


# The next contact of each customer (in the order created_at, source, contact_id) is looked
# up only for the customers of the filtered bot-resolved contacts: the same window over the
# same partitions, instead of ordering every contact of every customer (about 1 s at a
# million contacts) for the few the filters keep.
_FALSE_RESOLUTION_SQL = """
    WITH c AS (SELECT * FROM {table} AS c WHERE {where}),
    customers AS (
        SELECT DISTINCT customer_id FROM c WHERE c.bot_resolved AND c.customer_id IS NOT NULL
    ),
    nexts AS (
        SELECT source, contact_id, lead(created_at) OVER (
            PARTITION BY customer_id ORDER BY created_at, source, contact_id
        ) AS next_contact_at
        FROM {table}
        WHERE customer_id IN (SELECT customer_id FROM customers)
    )
    SELECT {key}
        count(*) FILTER (WHERE c.bot_resolved AND c.customer_id IS NOT NULL) AS n,
        count(*) FILTER (WHERE c.bot_resolved AND c.customer_id IS NOT NULL
            AND x.next_contact_at <= coalesce(c.last_solved_at, c.created_at)
                + to_days(CAST($fcr_days AS INTEGER))) AS hits,
        count(*) FILTER (WHERE c.bot_resolved AND c.customer_id IS NULL) AS unknown_customer,
        count(*) FILTER (WHERE NOT c.bot_resolved) AS not_bot_resolved
    FROM c LEFT JOIN nexts AS x ON x.source = c.source AND x.contact_id = c.contact_id
    {group_by}
"""


@metric(
    "bot_false_resolution",
    label="Bot false-resolution rate",
    unit="share",
    family="bot",
    definition=(
        "Bot-resolved conversations whose customer comes back (any new contact, on any channel, "
        "about anything) within the FCR window (settings windows.fcr_days) after the "
        "conversation (its last solve for a ticket, else its start), divided by all "
        "bot-resolved conversations."
    ),
    variant="ratio of counts; the later contact may fall outside the filters; Wilson 95% interval",
    exclusions=(
        "bot-resolved conversations whose customer is unknown (unknown_customer), contacts the "
        "bot did not resolve (not_bot_resolved), merged duplicates"
    ),
)
def bot_false_resolution(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """Share of bot-resolved conversations followed by a new contact within fcr_days."""
    table = contacts_table(wh, settings)
    where, params = filters.where(settings.reporting_timezone)
    group = group_expr(by)
    sql = _FALSE_RESOLUTION_SQL.format(
        key=f"{group} AS {by}," if group else "",
        table=table,
        where=where,
        group_by=f"GROUP BY ALL ORDER BY {by} NULLS LAST" if group else "",
    )
    all_params = {**params, "fcr_days": settings.fcr_days, "timezone": settings.reporting_timezone}
    frame = wh.query(sql, bind(sql, all_params))
    frame = frame.with_columns(
        pl.when(pl.col("n") > 0).then(pl.col("hits") / pl.col("n")).otherwise(None).alias("value")
    )
    return with_wilson(frame)
