"""Tone of agents' (and bots') own messages, for coaching: kept apart from customer sentiment.

The ETL scores agent and bot messages into ``messages.agent_sentiment`` with the same
per-language models as customer messages; customer figures read ``messages.sentiment`` only,
so an agent's wording can never move a customer figure (issue 13, point 6).
"""

from __future__ import annotations

from functools import lru_cache

import polars as pl

from metrics.core.contacts import Warehouse, contacts_fact, contacts_table
from metrics.core.facts import Fact, fact_table
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


# Per conversation and writer (agent or bot): scored, their sum, negative, positive and all
# messages, so a figure over contacts joins this instead of the 10M messages.
TONE_SQL = """
    SELECT m.source, m.conversation_id, m.sender_type, m.sender_id,
        count({score}) AS n, sum({score}) AS total,
        count(*) FILTER (WHERE {score} <= $negative) AS negative,
        count(*) FILTER (WHERE {score} >= $positive) AS positive, count(*) AS messages
    FROM messages AS m WHERE m.sender_type IN ('agent', 'bot')
    GROUP BY m.source, m.conversation_id, m.sender_type, m.sender_id
"""


def tone_fact(settings: Settings, score: str = "m.agent_sentiment") -> Fact:
    """The derived fact of agent and bot messages' tone per conversation and writer, for
    the sentiment thresholds of ``settings`` (``score``: the column, see _score_column)."""
    return _tone_fact(settings.sentiment_negative, settings.sentiment_positive, score)


@lru_cache(maxsize=16)
def _tone_fact(negative: float, positive: float, score: str) -> Fact:
    return Fact(
        name="agent_tone",
        sql=TONE_SQL.format(score=score),
        params=(("negative", negative), ("positive", positive)),
        reads=frozenset({"messages"}),
        grain="contact",
        key=("source", "conversation_id"),
    )


# Each agent's or bot's tone row beside its contact's filter columns, in creation order: a
# figure over a period per agent (the scorecard) reads the period's rows of this table, not
# the join of the month's contacts with every conversation's tone (string keys on both sides:
# about 110 of the scorecard's 140 ms CPU for the tone at scale 33).
TONE_CONTACTS_SQL = """
    SELECT c.source, c.contact_id, c.created_at, c.created_day, c.channel, c.language, c.team,
        c.agent_id, c.priority, c.category, c.is_merged,
        t.sender_type, t.sender_id, t.n, t.total, t.negative, t.positive, t.messages
    FROM {contacts} AS c
    JOIN {agent_tone} AS t ON t.source = c.source AND t.conversation_id = c.contact_id
    ORDER BY c.created_at, c.source, c.contact_id, t.sender_type, t.sender_id
"""


def tone_contacts_fact(settings: Settings, score: str = "m.agent_sentiment") -> Fact:
    """The derived fact of the tone rows with their contact's filter columns (it reads the
    contact fact and the tone fact for ``settings``; ``score`` as in ``tone_fact``)."""
    return Fact(
        name="agent_tone_contacts",
        sql=TONE_CONTACTS_SQL,
        inputs=(contacts_fact(settings), tone_fact(settings, score)),
        reads=frozenset({"messages"}),
        grain="contact",
    )


def tone_contacts_table(wh: Warehouse, settings: Settings) -> str:
    """Name of the tone-with-contacts fact: the contact's source, contact_id, created_at,
    created_day, channel, language, team, agent_id, priority, category, is_merged, and the
    tone fact's sender_type, sender_id, n, total, negative, positive, messages; one row per
    contact and writer (agent or bot), oldest contact first."""
    return fact_table(wh, tone_contacts_fact(settings, _score_column(wh)))


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
        group, senders = "t.sender_id", "('agent')"
    elif by is not None:
        group = group_expr(by) or "NULL"
        if "$timezone" in group:
            params["timezone"] = settings.reporting_timezone
    tone = fact_table(wh, tone_fact(settings, _score_column(wh)))
    sql = f"""
        WITH scoped AS (
            SELECT {group} AS grp, t.n, t.total, t.negative, t.positive, t.messages
            FROM {table} AS c
            JOIN {tone} AS t ON t.source = c.source AND t.conversation_id = c.contact_id
            WHERE {where} AND t.sender_type IN {senders}
        )
        SELECT grp, CAST(sum(n) AS BIGINT) AS n,
            CASE WHEN sum(n) > 0 THEN sum(total) / sum(n) END AS mean,
            CAST(sum(negative) AS BIGINT) AS negative,
            CASE WHEN sum(n) > 0 THEN sum(negative) / sum(n) END AS negative_share,
            CAST(sum(positive) AS BIGINT) AS positive,
            CASE WHEN sum(n) > 0 THEN sum(positive) / sum(n) END AS positive_share,
            CAST(sum(messages) AS BIGINT) AS messages,
            CASE WHEN sum(messages) > 0 THEN sum(n) / sum(messages) END AS coverage
        FROM scoped GROUP BY grp ORDER BY grp NULLS LAST
    """  # noqa: S608 (group from a fixed list, tables from fact_table and contacts_table)
    frame = wh.query(sql, params)
    if by is None:
        return frame.drop("grp") if frame.height else pl.DataFrame({c: [None] for c in COLUMNS})
    return frame.rename({"grp": by}).select(by, *COLUMNS)
