"""Tone of agents' (and bots') own messages, for coaching: kept apart from customer sentiment.

The ETL scores agent and bot messages into ``messages.agent_sentiment`` with the same
per-language models as customer messages; customer figures read ``messages.sentiment`` only,
so an agent's wording can never move a customer figure (issue 13, point 6).
"""

from __future__ import annotations

import polars as pl

from metrics.core.contacts import Warehouse, contacts_table
from metrics.core.filters import Filters
from metrics.core.grouping import group_expr
from metrics.core.metric import metric
from metrics.core.settings import Settings

COLUMNS = [
    "n", "mean", "negative", "negative_share", "positive", "positive_share", "messages",
    "coverage",
]  # fmt: skip


def _score_column(wh: Warehouse) -> str:
    """``m.agent_sentiment``, or NULL on a warehouse older than schema 5 (never re-scored)."""
    columns = wh.query("SELECT * FROM messages LIMIT 0").columns
    return "m.agent_sentiment" if "agent_sentiment" in columns else "CAST(NULL AS DOUBLE)"


@metric(
    "agent_tone",
    label="Tone of agent messages",
    unit="share of scored agent messages",
    family="sentiment",
    definition=(
        "Sentiment of the messages agents and bots wrote (not of customers): n scored "
        "messages, mean score, share negative (<= the negative threshold) and positive "
        "(>= the positive threshold), coverage = scored / all agent and bot messages. "
        "By agent: the agent who wrote the message (bots left out)."
    ),
    variant="per agent or bot message of the filtered contacts",
    exclusions="customer and system messages; unscored messages (counted); merged duplicates",
)
def agent_tone(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """Columns: [by], n, mean, negative, negative_share, positive, positive_share, messages
    (agent and bot messages, scored or not), coverage (n / messages)."""
    table = contacts_table(wh, settings)
    where, params = filters.where(settings.reporting_timezone)
    senders = "('agent', 'bot')"
    group = "NULL"
    if by == "agent":
        group, senders = "m.sender_id", "('agent')"
    elif by is not None:
        group = group_expr(by) or "NULL"
        if "$timezone" in group:
            params["timezone"] = settings.reporting_timezone
    params |= {"negative": settings.sentiment_negative, "positive": settings.sentiment_positive}
    score = _score_column(wh)
    sql = f"""
        WITH scoped AS (
            SELECT {group} AS grp, {score} AS score
            FROM {table} AS c
            JOIN messages AS m ON m.source = c.source AND m.conversation_id = c.contact_id
            WHERE {where} AND m.sender_type IN {senders}
        )
        SELECT grp, count(score) AS n, avg(score) AS mean,
            count(*) FILTER (WHERE score <= $negative) AS negative,
            CASE WHEN count(score) > 0
                THEN count(*) FILTER (WHERE score <= $negative) / count(score) END
                AS negative_share,
            count(*) FILTER (WHERE score >= $positive) AS positive,
            CASE WHEN count(score) > 0
                THEN count(*) FILTER (WHERE score >= $positive) / count(score) END
                AS positive_share,
            count(*) AS messages,
            CASE WHEN count(*) > 0 THEN count(score) / count(*) END AS coverage
        FROM scoped GROUP BY grp ORDER BY grp NULLS LAST
    """  # noqa: S608 (group and score expressions come from fixed lists)
    frame = wh.query(sql, params)
    if by is None:
        return frame.drop("grp") if frame.height else pl.DataFrame({c: [None] for c in COLUMNS})
    return frame.rename({"grp": by}).select(by, *COLUMNS)
