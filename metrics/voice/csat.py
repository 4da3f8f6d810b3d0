"""Customer satisfaction (CSAT) from post-contact surveys (scores 1-5)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import polars as pl

from metrics.core.aggregate import count_where, select_list, with_wilson
from metrics.core.contacts import Warehouse, contacts_table
from metrics.core.filters import Filters
from metrics.core.grouping import group_expr
from metrics.core.metric import metric
from metrics.core.settings import Settings

# Which agent a rating counts for: a fixed list, the key is all a caller chooses.
# Tickets without assignee history (or without messages) fall back to the ticket's agent.
ATTRIBUTION: dict[str, str] = {
    "assignee": "c.csat_assignee_id",
    "last_replier": "coalesce(c.last_agent_id, c.agent_id)",
}
SATISFIED = "c.csat_score >= 4"
SOLVED_TICKET = "c.is_solved AND c.contact_type = 'ticket'"
# The counts behind every CSAT figure over contact ``c`` (the headline reads the same ones).
CSAT_COUNTS: dict[str, str] = {
    "n": "count(c.csat_score)",
    "satisfied": count_where(SATISFIED),
    "mean": "avg(c.csat_score)",
    "solved": count_where(SOLVED_TICKET),
    "unrated": count_where(f"{SOLVED_TICKET} AND c.csat_score IS NULL"),
}


def attribution_expr(attribution: str) -> str:
    """SQL expression (over contact ``c``) of the agent a rating counts for."""
    try:
        return ATTRIBUTION[attribution]
    except KeyError:
        raise ValueError(
            f"unknown attribution {attribution!r}; expected one of: {', '.join(ATTRIBUTION)}"
        ) from None


def attributed_where(
    settings: Settings, filters: Filters, attribution: str
) -> tuple[str, dict[str, Any]]:
    """The filter condition with its agent choice applied to the attributed agent."""
    agent = attribution_expr(attribution)
    where, params = replace(filters, agent=()).where(settings.reporting_timezone)
    if filters.agent:
        where += f" AND list_contains(CAST($f_agent AS VARCHAR[]), {agent})"
        params["f_agent"] = list(filters.agent)
    return where, params


def attributed_group(by: str | None, attribution: str) -> str | None:
    """Breakdown expression; ``by="agent"`` follows the attribution."""
    return attribution_expr(attribution) if by == "agent" else group_expr(by)


@metric(
    "csat",
    label="Customer satisfaction (CSAT)",
    unit="share",
    family="csat",
    definition=(
        "Share of survey responses scoring 4 or 5 (of 1-5), with the mean score and the "
        "response rate: solved tickets with a response / solved tickets."
    ),
    variant=(
        "per agent, a rating counts for the assignee at rating time (attribution='assignee', "
        "from ticket_events 'assignee') or the last agent who replied (attribution='last_replier')"
    ),
    exclusions="contacts without a survey response (solved ones counted as unrated), merged duplicates",
    options={"attribution": tuple(ATTRIBUTION)},
)
def csat(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    by: str | None = None,
    attribution: str = "assignee",
) -> pl.DataFrame:
    """CSAT share of scores 4-5 among responses (fraction), Wilson 95% CI, mean score (1-5).

    Columns: n (responses), satisfied, value, ci_low, ci_high, mean, solved (solved tickets),
    unrated (solved tickets without a response, excluded from the share), response_rate.
    """
    table = contacts_table(wh, settings)
    where, params = attributed_where(settings, filters, attribution)
    aggregates = select_list(CSAT_COUNTS)
    group = attributed_group(by, attribution)
    if group is None:
        sql = f"SELECT {aggregates} FROM {table} AS c WHERE {where}"  # noqa: S608
    else:
        if "$timezone" in group:
            params["timezone"] = settings.reporting_timezone
        sql = (
            f"SELECT {group} AS {by}, {aggregates} FROM {table} AS c WHERE {where}"  # noqa: S608
            f" GROUP BY ALL ORDER BY {by} NULLS LAST"
        )
    frame = wh.query(sql, params)
    frame = frame.with_columns(
        value=pl.when(pl.col("n") > 0).then(pl.col("satisfied") / pl.col("n")),
        response_rate=pl.when(pl.col("solved") > 0).then(
            (pl.col("solved") - pl.col("unrated")) / pl.col("solved")
        ),
    )
    frame = with_wilson(frame, hits="satisfied")
    keys = [by] if by else []
    return frame.select(
        *keys, "n", "satisfied", "value", "ci_low", "ci_high", "mean", "solved", "unrated",
        "response_rate",
    )  # fmt: skip
