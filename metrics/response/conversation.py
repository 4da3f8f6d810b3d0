"""Conversation waits: reply time and requester wait (chat queue: metrics.operations.chat_queue).

A *run* is a stretch of consecutive customer messages (bot and system messages
neither break nor end it). Its wait runs from the run's first message to the
next human agent message. Messages belong to a contact through source +
``conversation_id`` = ``contact_id``; the contact's filters and breakdowns apply.
"""

from __future__ import annotations

import re
from typing import Any

import polars as pl

from metrics.core.contacts import Warehouse, contacts_fact
from metrics.core.facts import Fact, fact_table, per_settings
from metrics.core.filters import Filters
from metrics.core.grouping import group_expr
from metrics.core.metric import metric
from metrics.core.settings import Settings

RUN_DEFINITION = (
    "For every run of consecutive customer messages, the wait from the run's first message to "
    "the next human agent message. Bot and system messages neither end the wait nor start a "
    "new run; an agent's opener is not a reply. Messages are ordered by time; at the same "
    "instant a customer message comes before an agent's (as first response time counts a "
    "reply at the same instant), then by message id."
)
RUN_EXCLUSIONS = (
    "runs with no later agent reply (unanswered), runs of bot-only conversations (bot_only), "
    "contacts with no customer message or no transcript (without_runs), contacts with an "
    "untimed message (untimed), merged duplicates"
)


def bind(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    """The named parameters ``sql`` uses (DuckDB refuses unused ones)."""
    return {k: v for k, v in params.items() if re.search(rf"\${re.escape(k)}\b", sql)}


# The filter-independent part of every run-based figure, a derived fact (built by the load):
# per contact, its filter and breakdown columns, whether every message of its conversation is
# timed, and one row per customer run (or one row without a run when it has none, or is
# untimed). Stored in creation order, so a date filter skips most of it and no call joins.
RUNS_FACT_SQL = """
    WITH timed AS (
        SELECT source, conversation_id AS contact_id, bool_and(sent_at IS NOT NULL) AS ok
        FROM messages
        GROUP BY source, conversation_id
    ),
    human AS (
        -- (each window spelled out: Spark SQL takes no frame on a named window)
        SELECT m.source, m.conversation_id AS contact_id, m.sent_at, m.sender_type,
            lag(m.sender_type) OVER (
                PARTITION BY m.source, m.conversation_id
                ORDER BY m.sent_at, m.sender_type = 'agent', m.message_id
            ) AS previous_type,
            min(CASE WHEN m.sender_type = 'agent' THEN m.sent_at END) OVER (
                PARTITION BY m.source, m.conversation_id
                ORDER BY m.sent_at, m.sender_type = 'agent', m.message_id
                ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING
            ) AS reply_at
        FROM messages AS m
        JOIN timed AS t ON t.source = m.source AND t.contact_id = m.conversation_id AND t.ok
        WHERE m.sender_type IN ('customer', 'agent')
    ),
    runs AS (
        SELECT source, contact_id, sent_at AS waiting_from, reply_at,
            (epoch(reply_at) - epoch(sent_at)) / 60.0 AS wait_minutes
        FROM human
        WHERE sender_type = 'customer' AND coalesce(previous_type, 'agent') = 'agent'
    )
    SELECT c.source, c.contact_id, c.created_at, c.created_day, c.channel, c.language, c.team,
        c.agent_id, c.priority, c.category, c.is_merged, c.bot_resolved,
        coalesce(t.ok, true) AS is_timed, r.waiting_from, r.reply_at, r.wait_minutes
    FROM {contacts} AS c
    LEFT JOIN timed AS t ON t.source = c.source AND t.contact_id = c.contact_id
    LEFT JOIN runs AS r ON r.source = c.source AND r.contact_id = c.contact_id
    ORDER BY c.created_at, c.source, c.contact_id, r.waiting_from
"""


@per_settings
def runs_fact(settings: Settings) -> Fact:
    """The conversation runs fact's definition for ``settings`` (its contact columns)."""
    return Fact(
        name="conversation_runs",
        sql=RUNS_FACT_SQL,
        inputs=(contacts_fact(settings),),
        reads=frozenset({"messages"}),
        grain="contact",
    )


def runs_table(wh: Warehouse, settings: Settings) -> str:
    """Name of the conversation runs fact (stored by the load, else built on first use).

    Columns: the contact's (source, contact_id, created_at, created_day, channel, language,
    team, agent_id, priority, category, is_merged, bot_resolved), is_timed (every message of
    its conversation has a time), waiting_from, reply_at (NULL: unanswered) and wait_minutes:
    one row per customer run, or one row with NULL run columns when it has no run.
    """
    return fact_table(wh, runs_fact(settings))


# Per contact, its waits summarised (reply time per conversation, requester wait): one row per
# contact of the runs fact, with its filter and breakdown columns, so that a page's call
# filters 184k rows instead of grouping 728k runs (scale 33, a month). Creation order, as the
# runs fact.
CONTACT_WAITS_SQL = """
    SELECT source, contact_id, created_at, created_day, channel, language, team, agent_id,
        priority, category, is_merged, bot_resolved, is_timed,
        count(waiting_from) AS runs,
        count(waiting_from) FILTER (WHERE reply_at IS NULL) AS open_runs,
        sum(wait_minutes) AS wait_minutes,
        quantile_cont(wait_minutes, 0.5) AS median_wait,
        arg_max(reply_at IS NULL, waiting_from) AS last_run_open
    FROM {conversation_runs}
    GROUP BY source, contact_id, created_at, created_day, channel, language, team, agent_id,
        priority, category, is_merged, bot_resolved, is_timed
    ORDER BY created_at, source, contact_id
"""


@per_settings
def contact_waits_fact(settings: Settings) -> Fact:
    """The per-contact waits fact's definition for ``settings`` (it reads the runs fact)."""
    return Fact(
        name="conversation_contact_waits",
        sql=CONTACT_WAITS_SQL,
        inputs=(runs_fact(settings),),
        reads=frozenset({"messages"}),
        grain="contact",
    )


def contact_waits_table(wh: Warehouse, settings: Settings) -> str:
    """Name of the per-contact waits fact: the runs fact's contact columns and is_timed, and
    per contact runs, open_runs (unanswered runs), wait_minutes (sum of the answered waits),
    median_wait (of the answered waits) and last_run_open (its latest run is unanswered)."""
    return fact_table(wh, contact_waits_fact(settings))


def runs_sql(runs: str, where: str, group: str | None) -> str:
    """CTEs ``contact_runs`` (the filtered contacts' rows of the runs fact ``runs``) and
    ``runs`` (one row per customer run).

    ``runs``: source, contact_id, grp, channel, bot_resolved, waiting_from, reply_at and
    wait_minutes (NULL when no agent replied later).
    """
    return f"""
    WITH contact_runs AS (
        -- One row per run, or one empty row for a contact without runs.
        SELECT c.source, c.contact_id, {group or "NULL"} AS grp, c.channel, c.bot_resolved,
            c.is_timed, c.waiting_from, c.reply_at, c.wait_minutes
        FROM {runs} AS c WHERE {where}
    ),
    runs AS (
        SELECT source, contact_id, grp, channel, bot_resolved, waiting_from, reply_at,
            wait_minutes
        FROM contact_runs WHERE waiting_from IS NOT NULL
    )
    """  # noqa: S608 - runs and where come from fact_table() and Filters.where()


_WAIT_ROWS = """
    SELECT source, contact_id, waiting_from, reply_at, wait_minutes, bot_resolved AS bot_only
    FROM runs ORDER BY source, contact_id, waiting_from
"""


def conversation_waits(wh: Warehouse, settings: Settings, filters: Filters) -> pl.DataFrame:
    """The rows behind reply time: one per customer run of the filtered contacts.

    Columns: source, contact_id, waiting_from, reply_at (NULL: unanswered), wait_minutes,
    bot_only (the contact is a bot-only conversation).
    """
    where, params = filters.where(settings.reporting_timezone)
    sql = runs_sql(runs_table(wh, settings), where, None) + _WAIT_ROWS
    return wh.query(sql, bind(sql, params))


# Counts shared by every run-based summary, over `contact_runs` (or per-contact rows).
_RUN_COUNTS = """
    count(waiting_from) FILTER (WHERE reply_at IS NULL AND NOT bot_resolved) AS unanswered,
    count(waiting_from) FILTER (WHERE bot_resolved) AS bot_only,
    count(*) FILTER (WHERE waiting_from IS NULL AND is_timed) AS without_runs,
    count(*) FILTER (WHERE NOT is_timed) AS untimed"""


def _run_query(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None, select: str
) -> pl.DataFrame:
    """Run ``runs_sql`` for ``filters`` and then ``select``: one row overall, or one per group."""
    where, params = filters.where(settings.reporting_timezone)
    grouped = {"key": "grp", "group_by": "GROUP BY grp ORDER BY grp NULLS LAST"}
    overall = {"key": "NULL AS grp", "group_by": ""}
    sql = runs_sql(runs_table(wh, settings), where, group_expr(by)) + select.format(
        **(grouped if by else overall)
    )
    frame = wh.query(sql, bind(sql, {**params, "timezone": settings.reporting_timezone}))
    return frame.rename({"grp": by}) if by else frame.drop("grp")


_PER_RUN = f"""
    SELECT {{key}},
        count(wait_minutes) FILTER (WHERE NOT bot_resolved) AS n,{_RUN_COUNTS},
        quantile_cont(wait_minutes, 0.5) FILTER (WHERE NOT bot_resolved) AS median,
        quantile_cont(wait_minutes, 0.9) FILTER (WHERE NOT bot_resolved) AS p90
    FROM contact_runs {{group_by}}
"""  # noqa: S608 - constant fragments only

_PER_CONTACT = """
    WITH per_contact AS (
        -- One row per filtered contact, its waits summarised by the per-contact waits fact.
        SELECT {group} AS grp, NOT c.is_timed AS untimed, c.bot_resolved AS bot_only, c.runs,
            c.open_runs, c.wait_minutes, c.median_wait, c.last_run_open
        FROM {table} AS c WHERE {where}
    )
"""  # noqa: S608 - the table and where come from fact_table() and Filters.where()

# Per conversation (reply_time per="conversation"): aggregates over `per_contact`.
_PER_CONVERSATION_FIGURES = {
    "n": "count(median_wait) FILTER (WHERE NOT bot_only)",
    "unanswered": "coalesce(sum(open_runs) FILTER (WHERE NOT bot_only), 0)::BIGINT",
    "bot_only": "coalesce(sum(runs) FILTER (WHERE bot_only), 0)::BIGINT",
    "without_runs": "count(*) FILTER (WHERE runs = 0 AND NOT untimed)",
    "untimed": "count(*) FILTER (WHERE untimed)",
    "median": "quantile_cont(median_wait, 0.5)",
    "p90": "quantile_cont(median_wait, 0.9)",
}


@metric(
    "reply_time",
    label="Reply time",
    unit="minutes",
    family="conversation",
    definition=RUN_DEFINITION,
    variant=(
        "calendar time; per='run' (default): median and p90 over all answered runs; "
        "per='conversation': each conversation's median wait, then median and p90 of those"
    ),
    exclusions=RUN_EXCLUSIONS,
    options={"per": ("run", "conversation")},
)
def reply_time(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None, per: str = "run"
) -> pl.DataFrame:
    """Minutes from a customer run's first message to the next human agent message.

    ``per="run"``: n = answered runs; ``per="conversation"``: n = contacts with an answered
    run, summarising each contact's median wait. Both report unanswered and bot_only runs
    and the contacts without_runs / untimed.
    """
    if per not in ("run", "conversation"):
        raise ValueError(f"per must be 'run' or 'conversation', got {per!r}")
    if per == "conversation":
        return _contact_figures(wh, settings, filters, by)["conversation"]
    return _run_query(wh, settings, filters, by, _PER_RUN)


# Requester wait: aggregates over `per_contact`.
_REQUESTER_WAIT_FIGURES = {
    "n": "count(wait_minutes) FILTER (WHERE NOT bot_only)",
    "unanswered": "count(*) FILTER (WHERE wait_minutes IS NULL AND runs > 0 AND NOT bot_only)",
    "bot_only": "count(*) FILTER (WHERE runs > 0 AND bot_only)",
    "without_runs": "count(*) FILTER (WHERE runs = 0 AND NOT untimed)",
    "untimed": "count(*) FILTER (WHERE untimed)",
    "still_waiting": "count(wait_minutes) FILTER (WHERE last_run_open AND NOT bot_only)",
    "median": "quantile_cont(wait_minutes, 0.5) FILTER (WHERE NOT bot_only)",
    "p90": "quantile_cont(wait_minutes, 0.9) FILTER (WHERE NOT bot_only)",
}
_PER_CONTACT_FIGURES = """
    SELECT {key}, {figures} FROM per_contact {group_by}
"""  # noqa: S608 - constant fragments only


def _contact_figures(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None
) -> dict[str, pl.DataFrame]:
    """Reply time per conversation and requester wait, from one pass over the filtered
    contacts' runs (both summarise each contact's waits; a page shows both): remembered per
    settings, filters and breakdown for this file version."""

    def both() -> dict[str, pl.DataFrame]:
        named = {"conversation": _PER_CONVERSATION_FIGURES, "wait": _REQUESTER_WAIT_FIGURES}
        figures = ", ".join(
            f"{sql} AS {kind}__{name}" for kind, sql_of in named.items()
            for name, sql in sql_of.items()
        )  # fmt: skip
        where, params = filters.where(settings.reporting_timezone)
        table = contact_waits_table(wh, settings)
        grouped = {"key": "grp", "group_by": "GROUP BY grp ORDER BY grp NULLS LAST"}
        overall = {"key": "NULL AS grp", "group_by": ""}
        sql = _PER_CONTACT.format(
            group=group_expr(by) or "NULL", table=table, where=where
        ) + _PER_CONTACT_FIGURES.format(figures=figures, **(grouped if by else overall))
        frame = wh.query(sql, bind(sql, {**params, "timezone": settings.reporting_timezone}))
        frame = frame.rename({"grp": by}) if by else frame.drop("grp")
        keys = [by] if by else []
        return {
            kind: frame.select(*keys, *(pl.col(f"{kind}__{n}").alias(n) for n in sql_of))
            for kind, sql_of in named.items()
        }

    return wh.remember(("contact_waits", repr(settings), filters, by), both)


@metric(
    "requester_wait",
    label="Requester wait time",
    unit="minutes",
    family="conversation",
    definition=(
        "Per contact, the total time the customer spent waiting for a human agent: the sum of "
        "its reply-time waits. " + RUN_DEFINITION
    ),
    variant="calendar time, sum of answered waits per contact; median and p90 over contacts",
    exclusions=(
        "contacts whose runs were never answered (unanswered), bot-only conversations, contacts "
        "without runs or with untimed messages, merged duplicates; still_waiting counts the "
        "contacts in n whose last run is unanswered (only their answered waits are summed)"
    ),
)
def requester_wait(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """Sum of a contact's answered reply-time waits (minutes): n contacts, median, p90."""
    return _contact_figures(wh, settings, filters, by)["wait"]
