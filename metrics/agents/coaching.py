"""Conversations a trainer can coach an agent from: the lowest-rated and the most negative.

Shown on the agent scorecard page beside the figures (``metrics.agents.scorecard``); the
transcripts are the stored message bodies, redacted by the ETL.
"""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from metrics.core.contacts import Warehouse, contacts_table
from metrics.core.filters import Filters
from metrics.core.settings import Settings
from metrics.voice.csat import attribution_expr


def coaching_examples(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    agent: str,
    limit: int = 5,
    attribution: str = "assignee",
) -> pl.DataFrame:
    """Conversations to coach from: up to ``limit`` of the agent's lowest-rated contacts
    (score 1-3, lowest first, with the survey comment) and up to ``limit`` whose last scored
    customer message is most negative (<= the negative threshold), not already listed.

    Columns: reason (lowest_csat | most_negative), source, contact_id, created_at, score,
    comment, sentiment_last, transcript (list of {sent_at, sender_type, body} in order; bodies
    are stored redacted by the ETL). Ratings follow ``attribution``; sentiment follows the
    contact's agent.
    """
    where, params = replace(filters, agent=()).where(settings.reporting_timezone)
    params |= {"agent": agent, "limit": limit, "negative": settings.sentiment_negative}
    rated = attribution_expr(attribution)
    sql = f"""
        WITH scoped AS (
            SELECT c.source, c.contact_id, c.created_at, c.csat_score AS score,
                c.csat_comment AS comment, c.sentiment_last, c.agent_id, {rated} AS rated_agent
            FROM {contacts_table(wh, settings)} AS c WHERE {where}
        ),
        lowest AS (
            SELECT 'lowest_csat' AS reason, * EXCLUDE (agent_id, rated_agent)
            FROM scoped WHERE rated_agent = $agent AND score <= 3
            ORDER BY score, created_at DESC, contact_id LIMIT $limit
        ),
        negative AS (
            SELECT 'most_negative' AS reason, * EXCLUDE (agent_id, rated_agent)
            FROM scoped AS s
            WHERE s.agent_id = $agent AND s.sentiment_last <= $negative
                AND NOT EXISTS (SELECT 1 FROM lowest AS l
                                WHERE l.source = s.source AND l.contact_id = s.contact_id)
            ORDER BY s.sentiment_last, s.created_at DESC, s.contact_id LIMIT $limit
        ),
        picked AS (SELECT * FROM lowest UNION ALL SELECT * FROM negative)
        SELECT * FROM picked
    """  # noqa: S608
    picked = wh.query(sql, params)
    # The transcripts of those few contacts: their ids given as a list, so the scan of the
    # messages compares ids instead of probing a join with every message.
    ids = picked["contact_id"].unique().to_list()
    transcripts = f"""
        SELECT p.reason, p.source, p.contact_id, p.created_at, p.score, p.comment,
            p.sentiment_last, {_TRANSCRIPT} AS transcript
        FROM picked AS p
        LEFT JOIN (
            SELECT * FROM messages
            WHERE conversation_id IN (SELECT unnest(CAST($ids AS VARCHAR[])))
        ) AS m ON m.source = p.source AND m.conversation_id = p.contact_id
        GROUP BY ALL
        ORDER BY p.reason, p.score NULLS LAST, p.sentiment_last, p.created_at DESC
    """  # noqa: S608
    return wh.query(transcripts, {"ids": ids}, frames={"picked": picked})


# DuckDB-only: a struct list in message order (a transpiler maps it to ARRAY_AGG(STRUCT ...)).
_TRANSCRIPT = (
    "coalesce(list({'sent_at': m.sent_at, 'sender_type': m.sender_type, 'body': m.body}"
    " ORDER BY m.sent_at, m.message_id) FILTER (WHERE m.message_id IS NOT NULL), [])"
)
