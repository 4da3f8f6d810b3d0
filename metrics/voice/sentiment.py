"""Sentiment of customer messages, and whether conversations end better than they start.

Scores come from the ETL's enrichment: each language's trained model (zh, en, es, ru, fr;
docs/sentiment.md), a lexicon scorer for a language without one (e.g. Portuguese), else
NULL. Only customer messages count (agents' and bots' own tone is metrics.agents.tone).
Unscored text is never counted as neutral: every figure states how many customer messages
it covers and which scoring method produced it.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from metrics.core.contacts import Warehouse, contacts_table
from metrics.core.facts import Fact, fact_table
from metrics.core.filters import Filters
from metrics.core.grouping import group_expr
from metrics.core.metric import metric
from metrics.core.settings import Settings
from metrics.voice.followup_facts import customer_counts_table

UNSPECIFIED_METHOD = "unspecified"
_METHOD = f"coalesce(m.sentiment_method, '{UNSPECIFIED_METHOD}')"


METHODS_FACT_SQL = f"""
    SELECT DISTINCT m.source, m.conversation_id, {_METHOD} AS method
    FROM messages AS m
    WHERE m.sender_type = 'customer' AND m.sentiment IS NOT NULL
"""  # noqa: S608


METHODS_FACT = Fact(
    name="sentiment_methods",
    sql=METHODS_FACT_SQL,
    reads=frozenset({"messages"}),
    grain="contact",
    key=("source", "conversation_id"),
)


def methods_table(wh: Warehouse) -> str:
    """Name of the derived fact (source, conversation_id, method): the distinct scoring
    methods of each conversation's scored customer messages (stored by the load, else built
    on first use), so a figure naming its methods need not read the messages again."""
    return fact_table(wh, METHODS_FACT)


def _scope(settings: Settings, filters: Filters, by: str | None) -> tuple[str, str, dict[str, Any]]:
    """The group expression (a constant when overall), the filter and its parameters."""
    where, params = filters.where(settings.reporting_timezone)
    group = group_expr(by)
    if group is not None and "$timezone" in group:
        params["timezone"] = settings.reporting_timezone
    return group or "NULL", where, params


def _share(hits: str, n: str) -> str:
    """SQL for hits / n as a fraction, null (not NaN) when n is 0 or null."""
    return f"CASE WHEN {n} > 0 THEN CAST({hits} AS DOUBLE) / {n} END"


def _finish(frame: pl.DataFrame, by: str | None, columns: list[str]) -> pl.DataFrame:
    keys = [by] if by else []
    if not by:
        frame = frame.drop("grp")
    else:
        frame = frame.rename({"grp": by})
    return frame.select(*keys, *columns)


@metric(
    "sentiment",
    label="Customer sentiment",
    unit="score in [-1, 1]",
    family="sentiment",
    definition=(
        "Sentiment of customer messages (never agents' or bots'): each language's trained "
        "model (calibrated probabilities read with thresholds shared by every language), a "
        "lexicon scorer where no model exists. n scored messages, mean score, share negative (<= the "
        "negative threshold, default -0.05) and positive (>= +0.05), and coverage = scored "
        "customer messages / all customer messages, per scoring method."
    ),
    variant="per message, one row per scoring method (per_method=False: one row, methods joined)",
    exclusions="unscored customer messages (counted, never treated as neutral), merged duplicates",
    options={"per_method": (True, False)},
)
def sentiment(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    by: str | None = None,
    per_method: bool = True,
) -> pl.DataFrame:
    """Customer-message sentiment over the messages of the filtered contacts.

    Columns: method, n (scored messages), mean, negative, negative_share, positive,
    positive_share, customer_messages, unscored, coverage (n / customer_messages). A group
    with no scored message has one row with method null and n 0.
    """
    counts = customer_counts_table(wh, settings)
    group, where, params = _scope(settings, filters, by)
    grp, grouped = ("NULL AS grp", "") if by is None else ("grp", " GROUP BY grp")
    method = f"coalesce(c.sentiment_method, '{UNSPECIFIED_METHOD}')"
    method_key = (
        f"{method} AS method"
        if per_method
        else f"string_agg(DISTINCT {method}, '+' ORDER BY {method}) AS method"
    )
    method_group = ", method" if per_method else ""
    # From the per-contact message counts (metrics.voice.followup_facts): sums of the
    # messages' counts and scores, so no call reads the 10M messages.
    sql = f"""
        WITH scoped AS (
            SELECT {group} AS grp, c.* FROM {counts} AS c WHERE {where}
        ),
        totals AS (
            SELECT {grp}, CAST(coalesce(sum(customer_messages), 0) AS BIGINT) AS customer_messages,
                CAST(coalesce(sum(customer_messages - scored_messages), 0) AS BIGINT) AS unscored
            FROM scoped{grouped}
        ),
        scored AS (
            SELECT grp, {method_key}, CAST(sum(c.scored_messages) AS BIGINT) AS n,
                sum(c.sentiment_sum) / sum(c.scored_messages) AS mean,
                CAST(sum(c.negative_messages) AS BIGINT) AS negative,
                CAST(sum(c.positive_messages) AS BIGINT) AS positive
            FROM scoped AS c WHERE c.scored_messages > 0
            GROUP BY grp{method_group}
        )
        SELECT t.grp, s.method, coalesce(s.n, 0) AS n, s.mean,
            coalesce(s.negative, 0) AS negative, {_share("s.negative", "s.n")} AS negative_share,
            coalesce(s.positive, 0) AS positive, {_share("s.positive", "s.n")} AS positive_share,
            t.customer_messages, t.unscored,
            {_share("coalesce(s.n, 0)", "t.customer_messages")} AS coverage
        FROM totals AS t LEFT JOIN scored AS s ON s.grp IS NOT DISTINCT FROM t.grp
        ORDER BY t.grp NULLS LAST, s.method NULLS LAST
    """  # noqa: S608
    columns = "method n mean negative negative_share positive positive_share"
    columns += " customer_messages unscored coverage"
    return _finish(wh.query(sql, params), by, columns.split())


def totals_aggregates(prefix: str = "") -> str:
    """The sums of ``sentiment_totals`` over contact ``c`` (n, total, negative,
    customer_messages), each named with ``prefix`` (the headline reads the same ones)."""
    return (
        f"CAST(coalesce(sum(c.scored_messages), 0) AS BIGINT) AS {prefix}n,"
        f" sum(c.sentiment_mean * c.scored_messages) AS {prefix}total,"
        f" CAST(coalesce(sum(c.negative_messages), 0) AS BIGINT) AS {prefix}negative,"
        f" CAST(coalesce(sum(c.customer_messages), 0) AS BIGINT) AS {prefix}customer_messages"
    )


def totals_shares(prefix: str = "") -> str:
    """The figures of ``sentiment_totals`` from the sums of ``totals_aggregates(prefix)``."""
    n, negative, messages = f"{prefix}n", f"{prefix}negative", f"{prefix}customer_messages"
    return (
        f"{n}, {_share(f'{prefix}total', n)} AS {prefix}mean, {negative},"
        f" {_share(negative, n)} AS {prefix}negative_share, {messages},"
        f" {_share(n, messages)} AS {prefix}coverage"
    )


def sentiment_totals(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """``sentiment(per_method=False)`` without its method column, from the contact fact's
    per-contact figures (customer_messages, scored_messages, negative_messages,
    sentiment_mean), without reading messages.

    Columns: n (scored customer messages), mean (each contact's mean weighed by its scored
    messages: the mean over messages), negative (<= the negative threshold), negative_share
    (null when n is 0), customer_messages, coverage (n / customer_messages); by group, one
    row per group with customer messages (as there; overall always one row).
    """
    table = contacts_table(wh, settings)
    group, where, params = _scope(settings, filters, by)
    grouped = "" if by is None else " GROUP BY grp HAVING sum(c.customer_messages) > 0"
    sql = f"""
        WITH totals AS (
            SELECT {group} AS grp, {totals_aggregates()}
            FROM {table} AS c WHERE {where}{grouped}
        )
        SELECT grp, {totals_shares()}
        FROM totals ORDER BY grp NULLS LAST
    """  # noqa: S608
    columns = ["n", "mean", "negative", "negative_share", "customer_messages", "coverage"]
    return _finish(wh.query(sql, params), by, columns)


@metric(
    "sentiment_change",
    label="Sentiment change within a conversation",
    unit="score change in [-2, 2]",
    family="sentiment",
    definition=(
        "For conversations with at least two scored customer messages: did the last scored "
        "customer message score higher (improved), lower (worsened) or the same as the first? "
        "Shares of conversations, and the mean change (last - first)."
    ),
    variant="per conversation, first vs last scored customer message",
    exclusions=(
        "conversations with fewer than two scored customer messages (counted), contacts "
        "without messages, merged duplicates"
    ),
)
def sentiment_change(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """First vs last scored customer message per conversation.

    Columns: method (scoring methods involved, joined by '+'), n (conversations), improved,
    improved_share, worsened, worsened_share, same, same_share, mean_change,
    too_few_scored (conversations with messages but fewer than two scored customer messages).
    """
    table = contacts_table(wh, settings)
    group, where, params = _scope(settings, filters, by)
    grp, grouped = ("NULL AS grp", "") if by is None else ("grp", " GROUP BY grp")
    change = "c.sentiment_last - c.sentiment_first"
    method = f"coalesce(k.sentiment_method, '{UNSPECIFIED_METHOD}')"
    where_counts = filters.where(settings.reporting_timezone, alias="k")[0]
    sql = f"""
        WITH scoped AS (
            SELECT {group} AS grp, c.* FROM {table} AS c WHERE {where}
        ),
        figures AS (
            SELECT {grp}, count(*) FILTER (WHERE c.scored_messages >= 2) AS n,
                count(*) FILTER (WHERE c.scored_messages >= 2 AND {change} > 0) AS improved,
                count(*) FILTER (WHERE c.scored_messages >= 2 AND {change} < 0) AS worsened,
                count(*) FILTER (WHERE c.scored_messages >= 2 AND {change} = 0) AS same,
                avg({change}) FILTER (WHERE c.scored_messages >= 2) AS mean_change,
                count(*) FILTER (WHERE c.has_messages AND coalesce(c.scored_messages, 0) < 2)
                    AS too_few_scored
            FROM scoped AS c{grouped}
        ),
        methods AS (
            -- The scoring methods of their scored customer messages, from the per-contact
            -- message counts (kept in creation order: the period's rows only are read).
            SELECT c.grp, string_agg(DISTINCT {method}, '+' ORDER BY {method}) AS method
            FROM scoped AS c
            JOIN {customer_counts_table(wh, settings)} AS k
                ON k.source = c.source AND k.contact_id = c.contact_id
            WHERE c.scored_messages >= 2 AND k.scored_messages > 0 AND {where_counts}
            GROUP BY c.grp
        )
        SELECT f.grp, s.method, f.n, f.improved, {_share("f.improved", "f.n")} AS improved_share,
            f.worsened, {_share("f.worsened", "f.n")} AS worsened_share,
            f.same, {_share("f.same", "f.n")} AS same_share, f.mean_change, f.too_few_scored
        FROM figures AS f LEFT JOIN methods AS s ON s.grp IS NOT DISTINCT FROM f.grp
        ORDER BY f.grp NULLS LAST
    """  # noqa: S608
    columns = "method n improved improved_share worsened worsened_share same same_share"
    columns += " mean_change too_few_scored"
    return _finish(wh.query(sql, params), by, columns.split())
