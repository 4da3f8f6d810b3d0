"""Was negative feedback followed up? Agent replies after a negative customer message.

A customer message is *negative* when its sentiment score is at or below the
negative threshold (settings ``sentiment_negative``, VADER's -0.05). Only
scored messages can be negative: unscored text (a language without a scorer)
is never counted as neutral or as negative; every figure states how many
customer messages were scored (``coverage``) and by which method.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from metrics.core.aggregate import with_wilson
from metrics.core.contacts import Warehouse
from metrics.core.filters import Filters
from metrics.core.grouping import group_expr
from metrics.core.metric import metric
from metrics.core.settings import Settings
from metrics.voice.followup_facts import customer_counts_table, negative_texts_table

FOLLOWUP_DEFINITION = (
    "For every scored customer message at or below the negative sentiment threshold "
    "(settings sentiment_negative, default -0.05): was it followed by a human agent message "
    "in the same conversation after it (an agent message at the same instant counts, as for "
    "reply time)? Bot and system messages are no follow-up."
)
FOLLOWUP_EXCLUSIONS = (
    "unscored customer messages (unscored: never counted as neutral or negative), negative "
    "messages in bot-only conversations (bot_only) or without a time (untimed), merged "
    "duplicates"
)


_NEGATIVE_SQL = """
    WITH customer AS (
        -- negative: 'counted', or why a negative message is left out
        SELECT {group} AS grp, c.agent_id, c.team, c.channel,
            coalesce(c.message_language, c.language) AS language, c.source, c.contact_id,
            c.message_id, c.written_at AS sent_at, c.text AS body, c.sentiment,
            c.sentiment_method, c.followed_at,
            (epoch(c.followed_at) - epoch(c.written_at)) / 60.0 AS minutes,
            CASE WHEN c.bot_only THEN 'bot_only'
                WHEN c.written_at IS NULL THEN 'untimed' ELSE 'counted' END AS negative
        FROM {negatives} AS c WHERE c.kind = 'message' AND {where}
    )
"""


def _pieces(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None
) -> tuple[dict[str, str], dict[str, Any]]:
    """The SQL pieces (breakdown, filter condition, negative texts fact) and bound parameters."""
    where, params = filters.where(settings.reporting_timezone)
    group = group_expr(by) or "NULL"
    if "$timezone" in group:
        params["timezone"] = settings.reporting_timezone
    negatives = negative_texts_table(wh, settings)
    return {"group": group, "where": where, "negatives": negatives}, params


# Negative messages and the contacts' customer message counts, stacked: the counts rows
# carry no negative message, the negative rows count no customer message.
_RATE = """,
    stacked AS (
        SELECT grp, negative, followed_at, minutes, 0 AS customer_messages,
            0 AS scored_messages, NULL AS method
        FROM customer
        UNION ALL
        SELECT {group} AS grp, NULL, NULL, NULL, c.customer_messages, c.scored_messages,
            c.sentiment_method
        FROM {counts} AS c WHERE {where}
    )
    SELECT {key},
        count(*) FILTER (WHERE negative = 'counted') AS n,
        count(followed_at) FILTER (WHERE negative = 'counted') AS followed,
        quantile_cont(minutes, 0.5) FILTER (WHERE negative = 'counted') AS median,
        quantile_cont(minutes, 0.9) FILTER (WHERE negative = 'counted') AS p90,
        count(*) FILTER (WHERE negative = 'bot_only') AS bot_only,
        count(*) FILTER (WHERE negative = 'untimed') AS untimed,
        coalesce(sum(customer_messages), 0)::BIGINT AS customer_messages,
        coalesce(sum(scored_messages), 0)::BIGINT AS scored_messages,
        coalesce(sum(customer_messages) - sum(scored_messages), 0)::BIGINT AS unscored,
        string_agg(DISTINCT method, '+' ORDER BY method) AS method
    FROM stacked {group_by}
"""


@metric(
    "negative_followup",
    label="Follow-up of negative messages",
    unit="share of negative messages; minutes",
    family="topics",
    definition=FOLLOWUP_DEFINITION
    + " value = followed / n (Wilson 95% interval); median and p90 minutes from the negative "
    "message to that agent message; coverage = scored / all customer messages.",
    variant="per negative customer message; the contact's agent, team, channel and language",
    exclusions=FOLLOWUP_EXCLUSIONS,
)
def negative_followup(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """Share of negative customer messages that an agent answered after, and how fast.

    Columns: n (negative messages), followed, value, ci_low, ci_high, median and p90
    (minutes to the next agent message, over followed ones), unfollowed, bot_only, untimed,
    customer_messages, scored_messages, unscored, coverage, method (scoring methods).
    """
    pieces, params = _pieces(wh, settings, filters, by)
    pieces |= (
        {"key": "grp", "group_by": "GROUP BY grp ORDER BY grp NULLS LAST"}
        if by
        else {"key": "NULL AS grp", "group_by": ""}
    )
    pieces["counts"] = customer_counts_table(wh, settings)
    sql = _NEGATIVE_SQL.format(**pieces) + _RATE.format(**pieces)
    frame = with_wilson(wh.query(sql, params), hits="followed")
    frame = frame.with_columns(
        pl.when(pl.col("n") > 0).then(pl.col("followed") / pl.col("n")).alias("value"),
        (pl.col("n") - pl.col("followed")).alias("unfollowed"),
        pl.when(pl.col("customer_messages") > 0)
        .then(pl.col("scored_messages") / pl.col("customer_messages"))
        .alias("coverage"),
    )
    columns = "n followed value ci_low ci_high median p90 unfollowed bot_only untimed"
    columns += " customer_messages scored_messages unscored coverage method"
    keys = [pl.col("grp").alias(by)] if by else []
    return frame.select(*keys, *columns.split())


_UNFOLLOWED = """
    SELECT source, contact_id, message_id, sent_at, language, agent_id, team, channel,
        sentiment, sentiment_method AS method, body
    FROM customer
    WHERE negative = 'counted' AND followed_at IS NULL
    ORDER BY sent_at DESC, source, message_id
    LIMIT $limit
"""


@metric(
    "negative_unfollowed",
    label="Negative messages without follow-up",
    unit="messages",
    family="topics",
    definition=(
        "The list a manager acts on: negative customer messages (scored at or below the "
        "negative threshold) with no human agent message after them in the conversation, "
        "newest first, at most `limit` rows: contact, time, language, the contact's agent and "
        "team, channel, score and the message (as stored: redacted by the loader)."
    ),
    variant="one row per message, newest first; limit (default 100)",
    exclusions=FOLLOWUP_EXCLUSIONS + "; messages that were followed up",
)
def negative_unfollowed(
    wh: Warehouse, settings: Settings, filters: Filters, limit: int = 100
) -> pl.DataFrame:
    """Negative customer messages never followed by an agent message, newest first.

    Columns: source, contact_id, message_id, sent_at, language (the message's, else the
    contact's), agent_id, team, channel, sentiment, method, body. ``limit`` caps the rows.
    """
    if limit < 0:
        raise ValueError(f"limit must be 0 or more, got {limit}")
    pieces, params = _pieces(wh, settings, filters, None)
    return wh.query(_NEGATIVE_SQL.format(**pieces) + _UNFOLLOWED, params | {"limit": int(limit)})
