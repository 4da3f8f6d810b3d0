"""Coverage and staffing: contacts by hour of week against agents on shift, after-hours
contacts, Erlang C staffing per slot, and contacts in a language nobody on shift speaks.

Slots, team time zones, the period and presence (shifts, else agent message hours) are
defined in ``metrics.coverage_shifts``. Gap outputs are sorted largest first.
"""

from __future__ import annotations

import math
from typing import Any

import polars as pl

from metrics.aggregate import with_wilson
from metrics.business_time import DEFAULT_CALENDAR, calendar_frame
from metrics.contacts import Warehouse
from metrics.coverage_presence import covered, presence_fact, present_ctes
from metrics.coverage_shifts import (
    Scope,
    check_by,
    language_key,
    prepare,
    slot_frame,
    slot_label,
)
from metrics.filters import Filters
from metrics.grouping import group_expr
from metrics.registry import metric
from metrics.settings import Settings
from metrics.staffing import erlang_c, erlang_c_probability

SLOT_DEFINITION = (
    " Slots are hours of the week (weekday 0 = Monday, hour 0-23) in the team's time zone: "
    "its agents' most common agents.timezone, else its support-hours calendar's zone, else "
    "the reporting zone. Agents on shift come from the shifts table, else are inferred (an "
    "agent is on in a local clock hour in which they sent a message); an agent counts for "
    "the share of the hour on shift, averaged over the times the slot occurs in the period "
    "(the filters' dates, else the filtered contacts' days)."
)
NEEDS_AGENT = "bot-only and outbound contacts (counted), contacts without a creation time, merged"


def finish(frame: pl.DataFrame, by: str | None) -> pl.DataFrame:
    """Name the group column after the breakdown, or drop it for the overall figure."""
    return frame.rename({"grp": by}) if by else frame.drop("grp")


@metric(
    "coverage_by_hour",
    label="Coverage by hour of week",
    unit="contacts per week; agents",
    family="coverage",
    definition=(
        "Per hour of the week: contacts needing an agent (n; contacts_per_week = n over the "
        "times the slot occurs), agents on shift, contacts per week per agent on shift, and "
        "the median first response time of the slot's contacts." + SLOT_DEFINITION
    ),
    variant="by='team': each team in its zone; overall: every team's slots in its own zone, summed",
    exclusions=NEEDS_AGENT + "; unanswered contacts have no FRT (counted)",
)
def coverage_by_hour(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """Contacts and agents on shift per hour of week, contacts per agent and FRT median."""
    return finish(slot_frame(wh, prepare(wh, settings, filters, by)), by)


HANDLE_TIME_SQL = """
    agent_messages AS (
        SELECT m.source, m.conversation_id, epoch(m.sent_at) - epoch(lag(m.sent_at) OVER (
                PARTITION BY m.sender_id ORDER BY m.sent_at, m.message_id)) AS gap_seconds
        FROM messages AS m
        WHERE m.sender_type = 'agent' AND m.sender_id IS NOT NULL AND m.sent_at IS NOT NULL
            AND m.sent_at >= $p_start - to_seconds(CAST($gap_seconds AS DOUBLE))
    )
    SELECT c.grp, count(DISTINCT (c.source, c.contact_id)) AS contacts, count(*) AS replies,
        count(*) FILTER (WHERE m.gap_seconds <= $gap_seconds) AS timed,
        sum(m.gap_seconds) FILTER (WHERE m.gap_seconds <= $gap_seconds) AS worked_seconds
    FROM agent_messages AS m
    JOIN contacts_in AS c ON c.source = m.source AND c.contact_id = m.conversation_id
    GROUP BY c.grp
"""


def handle_times(
    wh: Warehouse, settings: Settings, scope: Scope, gap_minutes: float
) -> dict[Any, float]:
    """AHT in minutes per group, where the messages give at least small_sample timed ones."""
    sql = f"WITH {scope.contacts_cte('c.contact_id, c.source')},\n{HANDLE_TIME_SQL}"
    out: dict[Any, float] = {}
    for row in scope.run(wh, sql, {"gap_seconds": gap_minutes * 60.0}).iter_rows(named=True):
        if row["timed"] >= max(settings.small_sample, 1) and row["worked_seconds"] > 0:
            per_message = row["worked_seconds"] / row["timed"]
            out[row["grp"]] = per_message * row["replies"] / row["contacts"] / 60.0
    return out


def expected_wait(traffic: float, agents: int, aht_minutes: float) -> float | None:
    """Erlang C average speed of answer (seconds) with ``agents``; None if they cannot keep up."""
    if traffic <= 0:
        return 0.0
    if agents <= traffic:
        return None
    return erlang_c_probability(traffic, agents) * aht_minutes * 60.0 / (agents - traffic)


def staffing_slot(slot: dict[str, Any], aht: tuple[float, str], settings: Settings) -> dict:
    """One slot's Erlang C figures against its agents on shift."""
    shrinkage = settings.staffing_shrinkage
    need = erlang_c(
        slot["contacts_per_week"],
        60.0,
        aht[0],
        settings.staffing_target_seconds,
        settings.staffing_service_level,
        shrinkage,
    )
    taking = math.floor(slot["on_shift"] * (1.0 - shrinkage) + 0.5)
    return {
        "grp": slot["grp"], "weekday": slot["weekday"], "hour": slot["hour"],
        "hour_of_week": slot["hour_of_week"], "contacts_per_week": slot["contacts_per_week"],
        "aht_minutes": aht[0], "aht_source": aht[1], "traffic_erlangs": need["traffic_erlangs"],
        "agents_needed": need["agents"], "rostered_needed": need["rostered_agents"],
        "on_shift": slot["on_shift"], "gap": round(need["rostered_agents"] - slot["on_shift"], 6),
        "expected_wait_seconds": expected_wait(need["traffic_erlangs"], taking, aht[0]),
        "frt_median": slot["frt_median"], "on_shift_source": slot["on_shift_source"],
    }  # fmt: skip


STAFFING_SCHEMA = {
    "weekday": pl.Int64, "hour": pl.Int64, "hour_of_week": pl.Int64,
    "contacts_per_week": pl.Float64, "aht_minutes": pl.Float64, "aht_source": pl.String,
    "traffic_erlangs": pl.Float64, "agents_needed": pl.Int64, "rostered_needed": pl.Int64,
    "on_shift": pl.Float64, "gap": pl.Float64, "expected_wait_seconds": pl.Float64,
    "frt_median": pl.Float64, "on_shift_source": pl.String,
}  # fmt: skip
PERIOD_SCHEMA = {
    "starts": pl.String, "ends": pl.String, "start_hour_of_week": pl.Int64, "hours": pl.Int64,
    "min_on_shift": pl.Float64, "max_rostered_needed": pl.Int64,
    "agent_hours_short": pl.Float64, "contacts_per_week": pl.Float64,
}  # fmt: skip


def cyclic_runs(hours: list[int]) -> list[list[int]]:
    """Sorted hours of the week in runs of consecutive hours (Sunday 23h runs into Monday 0h)."""
    runs: list[list[int]] = []
    for hour in hours:
        if runs and runs[-1][-1] == hour - 1:
            runs[-1].append(hour)
        else:
            runs.append([hour])
    if len(runs) > 1 and runs[0][0] == 0 and runs[-1][-1] == 167:
        runs[0] = runs.pop() + runs[0]
    return runs


def gap_periods(slots: pl.DataFrame, min_gap: float) -> pl.DataFrame:
    """Per group, runs of consecutive slots short by at least ``min_gap`` agents, largest first.

    An idle slot (no contacts and nobody on shift) between short ones does not end a run.
    """
    rows = []
    for (grp,), part in slots.group_by("grp", maintain_order=True):
        by_hour = {row["hour_of_week"]: row for row in part.iter_rows(named=True)}
        short = {h for h, row in by_hour.items() if row["gap"] >= min_gap}
        idle = {h for h, r in by_hour.items() if r["contacts_per_week"] == 0 == r["on_shift"]}
        for run in cyclic_runs(sorted(short | idle)):
            marks = [i for i, h in enumerate(run) if h in short]
            if marks:
                cells = [by_hour[h] for h in run[marks[0] : marks[-1] + 1]]
                rows.append({"grp": grp, **_period(cells)})
    frame = pl.DataFrame(rows, schema={"grp": slots.schema["grp"]} | PERIOD_SCHEMA)
    return frame.sort(["agent_hours_short", "contacts_per_week"], descending=True)


def _period(cells: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "starts": slot_label(cells[0]["hour_of_week"]),
        "ends": slot_label(cells[-1]["hour_of_week"] + 1),
        "start_hour_of_week": cells[0]["hour_of_week"], "hours": len(cells),
        "min_on_shift": min(c["on_shift"] for c in cells),
        "max_rostered_needed": max(c["rostered_needed"] for c in cells),
        "agent_hours_short": round(sum(max(c["gap"], 0.0) for c in cells), 6),
        "contacts_per_week": sum(c["contacts_per_week"] for c in cells),
    }  # fmt: skip


VIEWS = ("slots", "gaps")


@metric(
    "staffing_by_hour",
    label="Staffing by hour of week (Erlang C)",
    unit="agents",
    family="coverage",
    definition=(
        "Per hour of the week: agents needed by Erlang C (metrics.staffing.erlang_c) for "
        "staffing.service_level of contacts answered within staffing.target_seconds, from "
        "the arrival rate (mean contacts needing an agent in the slot per week, per 60-minute "
        "interval) and the handle time; rostered_needed = needed / (1 - staffing.shrinkage), "
        "rounded up; gap = rostered_needed - on_shift; expected_wait_seconds = Erlang C "
        "average speed of answer with the agents on shift who take contacts (on_shift x "
        "(1 - shrinkage), rounded), null when they cannot keep up. Handle time (AHT): an "
        "agent message takes the time since the same agent's previous message when that is "
        "at most aht_gap_minutes (10: continuous work); AHT = the mean of those x the mean "
        "agent messages per answered contact; with fewer than reporting.small_sample such "
        "messages, staffing.default_aht_minutes; aht_minutes > 0 overrides." + SLOT_DEFINITION
    ),
    variant=(
        "view='slots': every slot, by gap then contacts per week, largest first; view='gaps': "
        "runs of consecutive slots (across midnight and the week's end; idle hours with no "
        "contacts and nobody on shift do not end one) with gap >= min_gap (0.5), sorted by "
        "agent_hours_short (the sum of their gaps, per week)"
    ),
    exclusions=NEEDS_AGENT,
    options={"view": VIEWS},
)
def staffing_by_hour(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    by: str | None = None,
    view: str = "slots",
    aht_minutes: float = 0.0,
    aht_gap_minutes: float = 10.0,
    min_gap: float = 0.5,
) -> pl.DataFrame:
    """Erlang C agents needed per slot against agents on shift: the gap and expected wait."""
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}, got {view!r}")
    scope = prepare(wh, settings, filters, by)
    slots = slot_frame(wh, scope)
    fallback = (
        (aht_minutes, "option") if aht_minutes > 0 else (settings.default_aht_minutes, "settings")
    )
    ahts: dict[Any, tuple[float, str]] = {}
    if aht_minutes <= 0:
        estimated = handle_times(wh, settings, scope, aht_gap_minutes)
        ahts = {grp: (aht, "messages") for grp, aht in estimated.items()}
    rows = [
        staffing_slot(slot, ahts.get(slot["grp"], fallback), settings)
        for slot in slots.iter_rows(named=True)
    ]
    frame = pl.DataFrame(rows, schema={"grp": slots.schema["grp"]} | STAFFING_SCHEMA)
    if view == "gaps":
        return finish(gap_periods(frame, min_gap), by)
    order = ["gap", "contacts_per_week", "grp", "hour_of_week"]
    return finish(frame.sort(order, descending=[True, True, False, False], nulls_last=True), by)


AFTER_HOURS_SQL = """
    judged AS (
        SELECT c.*, list_contains(CAST($open_calendars AS VARCHAR[]), c.calendar) AS by_shifts,
            {in_calendar} AS in_calendar, {staffed} AS staffed
        FROM contacts_in AS c
        {calendar}
        {present}
    ),
    flagged AS (
        SELECT *, CASE WHEN by_shifts THEN NOT staffed ELSE NOT in_calendar END AS after
        FROM judged
    )
    SELECT grp, count(*) FILTER (WHERE NOT no_agent) AS n,
        count(*) FILTER (WHERE after AND NOT no_agent) AS hits,
        count(*) FILTER (WHERE bot_resolved) AS bot_only,
        count(*) FILTER (WHERE is_outbound AND NOT bot_resolved) AS outbound,
        count(*) FILTER (WHERE NOT by_shifts AND NOT no_agent) AS judged_by_calendar,
        count(*) FILTER (WHERE by_shifts AND NOT no_agent) AS judged_by_shifts,
        count(frt_minutes) FILTER (WHERE NOT after) AS frt_n_in,
        quantile_cont(frt_minutes, 0.5) FILTER (WHERE NOT after) AS frt_median_in,
        count(frt_minutes) FILTER (WHERE after) AS frt_n_after,
        quantile_cont(frt_minutes, 0.5) FILTER (WHERE after) AS frt_median_after
    FROM flagged GROUP BY grp ORDER BY grp NULLS LAST
"""
CALENDAR_COLUMNS = (
    "c.source, c.contact_id, c.created_at, c.team, c.frt_minutes, c.bot_resolved, c.is_outbound, "
    "c.bot_resolved OR c.is_outbound AS no_agent, CASE WHEN list_contains("
    f"CAST($calendars AS VARCHAR[]), c.team) THEN c.team ELSE '{DEFAULT_CALENDAR}' END AS calendar"
)


def _calendar_join(settings: Settings) -> dict[str, str]:
    """The calendar join judging contacts by opening hours; none when every calendar is
    24x7 (then every contact is judged by shifts)."""
    if settings.default_hours.always_open and all(
        hours.always_open for hours in settings.team_hours.values()
    ):
        return {"in_calendar": "true", "calendar": ""}
    return {
        "in_calendar": "coalesce(c.created_at < b.close_at, false)",
        "calendar": "ASOF LEFT JOIN business_calendar AS b"
        " ON b.calendar = c.calendar AND c.created_at >= b.open_at",
    }


def _calendar_params(settings: Settings) -> dict[str, Any]:
    opened = [team for team, hours in settings.team_hours.items() if hours.always_open]
    if settings.default_hours.always_open:
        opened.append(DEFAULT_CALENDAR)
    return {"calendars": list(settings.team_hours), "open_calendars": opened}


@metric(
    "after_hours",
    label="After-hours contacts",
    unit="share of contacts; minutes",
    family="coverage",
    definition=(
        "Share of contacts needing an agent created outside their team's support hours (the team's calendar "
        "in settings, else the default calendar). For a 24x7 calendar (the default) 'after "
        "hours' means no agent of the contact's team on shift at creation (shifts, else agent "
        "message hours; any agent for a contact without a team). Beside it the median first "
        "response time (calendar minutes) after hours and in hours, and their ratio."
    ),
    variant="hits = after-hours contacts; judged_by_calendar / judged_by_shifts: the rule used",
    exclusions=NEEDS_AGENT + "; unanswered contacts have no FRT",
)
def after_hours(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """n, after-hours hits and share (Wilson 95%), FRT median after vs in hours and ratio."""
    scope = prepare(wh, settings, filters, None)
    start, end = scope.params["p_start"].date(), scope.params["p_end"].date()
    # Staffed: an agent of the contact's team on shift (any agent for a contact without one).
    join, staffed = covered(
        "CASE WHEN c.team IS NULL THEN 'any' ELSE 'team' END", "coalesce(c.team, '')"
    )
    ctes = [
        scope.contacts_cte(CALENDAR_COLUMNS, group_expr(by) or "NULL"),
        present_ctes(presence_fact(wh, settings, scope)),
        AFTER_HOURS_SQL.format(staffed=staffed, present=join, **_calendar_join(settings)),
    ]
    calendar = {"business_calendar": calendar_frame(settings, start, end)}
    frame = scope.run(wh, "WITH " + ",\n".join(ctes), _calendar_params(settings), calendar)
    frame = frame.with_columns(
        value=pl.when(pl.col("n") > 0).then(pl.col("hits") / pl.col("n")),
        frt_ratio=pl.col("frt_median_after") / pl.col("frt_median_in"),
        on_shift_source=pl.lit(scope.source),
    )
    return finish(with_wilson(frame), by)


LANGUAGE_SLOTS = {
    "hour_of_week": ("weekday", "hour", "hour_of_week"),
    "weekday": ("weekday",),
    "hour": ("hour",),
    "all": (),
}
SLOT_PARTS = {"weekday": "hour_of_week // 24", "hour": "hour_of_week % 24"}
LANGUAGE_GAPS_SQL = """
    judged AS (
        SELECT c.*, NOT {spoken} AS gap FROM contacts_in AS c
        {present}
        WHERE c.lang IS NOT NULL AND NOT c.bot_resolved AND NOT c.is_outbound
    )
    SELECT grp, lang AS language{keys}, count(*) AS n,
        count(*) FILTER (WHERE gap) AS gap_contacts,
        count(*) FILTER (WHERE gap) / count(*) AS gap_share,
        count(frt_minutes) FILTER (WHERE gap) AS frt_n_gap,
        count(*) FILTER (WHERE gap AND unanswered) AS unanswered_gap,
        quantile_cont(frt_minutes, 0.5) FILTER (WHERE gap) AS frt_median_gap,
        quantile_cont(frt_minutes, 0.5) FILTER (WHERE NOT gap) AS frt_median_covered,
        $source AS on_shift_source
    FROM judged GROUP BY ALL HAVING count(*) FILTER (WHERE gap) > 0
    ORDER BY gap_contacts DESC, grp NULLS LAST, language{order}
"""
LANGUAGE_COLUMNS = (
    "c.source, c.contact_id, c.created_at, c.frt_minutes, c.unanswered, c.bot_resolved, "
    f"c.is_outbound, {language_key('c.language')} AS lang"
)


@metric(
    "language_gaps",
    label="Contacts in a language nobody on shift speaks",
    unit="contacts",
    family="coverage",
    definition=(
        "Contacts needing an agent whose language no agent on shift at the contact's creation "
        "instant speaks (agents.languages of every team's agents on shift; languages compared "
        "by primary subtag, case-insensitive: 'zh-CN' is 'zh'), by language and slot in the "
        "contact's team zone; n is all contacts of that language and slot, with the median "
        "first response time of the gap contacts and of the covered ones." + SLOT_DEFINITION
    ),
    variant=(
        "slot='hour_of_week' (default), 'weekday', 'hour' or 'all' (per language); only rows "
        "with gap contacts, sorted by gap_contacts, largest first"
    ),
    exclusions="contacts without a language or creation time, bot-only and outbound, merged",
    options={"slot": tuple(LANGUAGE_SLOTS)},
)
def language_gaps(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    by: str | None = None,
    slot: str = "hour_of_week",
) -> pl.DataFrame:
    """Gap contacts per language and slot: n, gap_contacts, gap_share, FRT gap vs covered."""
    if slot not in LANGUAGE_SLOTS:
        raise ValueError(f"slot must be one of {', '.join(LANGUAGE_SLOTS)}, got {slot!r}")
    check_by(by)
    scope = prepare(wh, settings, filters, by)
    keys = LANGUAGE_SLOTS[slot]
    join, spoken = covered("'language'", "c.lang")
    select = LANGUAGE_GAPS_SQL.format(
        spoken=spoken,
        present=join,
        keys="".join(f", {SLOT_PARTS.get(k, k)} AS {k}" for k in keys),
        order="".join(f", {k}" for k in keys),
    )
    ctes = [
        scope.contacts_cte(LANGUAGE_COLUMNS),
        present_ctes(presence_fact(wh, settings, scope)),
        select,
    ]
    frame = scope.run(wh, "WITH " + ",\n".join(ctes), {"source": scope.source})
    return finish(frame, by)
