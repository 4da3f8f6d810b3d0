"""Coverage: contacts by hour of week against agents on shift, after-hours contacts, and
contacts in a language nobody on shift speaks (Erlang C staffing per slot is in
``metrics.coverage.staffing``).

Slots, team time zones, the period and presence (shifts, else agent message hours) are
defined in ``metrics.coverage.shifts``. Gap outputs are sorted largest first.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from metrics.core.aggregate import with_wilson
from metrics.core.business_time import DEFAULT_CALENDAR, calendar_frame
from metrics.core.contacts import Warehouse
from metrics.core.filters import Filters
from metrics.core.grouping import group_expr
from metrics.core.metric import metric
from metrics.core.settings import Settings
from metrics.coverage.presence import (
    covered,
    presence_fact,
    present_ctes,
    present_ctes_by_day,
    source_fact,
)
from metrics.coverage.shifts import (
    check_by,
    day_periods,
    language_key,
    prepare,
    slot_frame,
)

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
        {source} AS on_shift_source
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
    select = _language_select(LANGUAGE_SLOTS[slot], covered("'language'", "c.lang"), "$source")
    ctes = [
        scope.contacts_cte(LANGUAGE_COLUMNS),
        present_ctes(presence_fact(wh, settings, scope)),
        select,
    ]
    frame = scope.run(wh, "WITH " + ",\n".join(ctes), {"source": scope.source})
    return finish(frame, by)


def _language_select(keys: tuple[str, ...], presence: tuple[str, str], source: str) -> str:
    """LANGUAGE_GAPS_SQL grouped by ``keys``; ``presence``: covered()'s (join, spoken) pair;
    ``source``: the SQL giving each contact's presence source."""
    join, spoken = presence
    return LANGUAGE_GAPS_SQL.format(
        spoken=spoken,
        present=join,
        keys="".join(f", {SLOT_PARTS.get(k, k)} AS {k}" for k in keys),
        order="".join(f", {k}" for k in keys),
        source=source,
    )


# Each contact's day: the day of ``days`` whose period holds its creation instant.
DAY_CONTACTS_SQL = """
    contacts_in AS (
        SELECT c.*, d.day, d.source AS day_source FROM contacts_period AS c
        ASOF JOIN days AS d ON c.created_at >= d.d_start
        WHERE c.created_at < d.d_end
    )"""


def language_gaps_by_day(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    by: str | None = None,
    slot: str = "hour_of_week",
) -> pl.DataFrame:
    """``language_gaps`` of each day of ``filters`` (both dates set) in one query: a column
    ``day`` first, then per day exactly the rows and order of
    ``language_gaps(replace(filters, date_from=day, date_to=day))``.

    Each day is judged as its own call judges it: its contacts are those created in its
    local day, its presence source is its own (shifts when a shift overlaps that day, else
    agent message hours) and, from message hours, only the hours with a message inside that
    day count (an hour straddling midnight, in a half-hour zone, may count on one day only).
    """
    if slot not in LANGUAGE_SLOTS:
        raise ValueError(f"slot must be one of {', '.join(LANGUAGE_SLOTS)}, got {slot!r}")
    if filters.date_from is None or filters.date_to is None:
        raise ValueError("language_gaps_by_day needs both dates of the filters")
    check_by(by)
    scope = prepare(wh, settings, filters, by)
    days = day_periods(wh, settings, filters)
    facts = {s: source_fact(wh, settings, s) for s in days["source"].unique().to_list()}
    keys = ("day", *LANGUAGE_SLOTS[slot])
    select = _language_select(keys, covered("'language'", "c.lang", by_day=True), "day_source")
    ctes = [
        scope.contacts_cte(LANGUAGE_COLUMNS, name="contacts_period"),
        DAY_CONTACTS_SQL,
        present_ctes_by_day(facts, "'language'"),
        select,
    ]
    frame = scope.run(wh, "WITH " + ",\n".join(ctes), frames={"days": days})
    frame = frame.sort("day", maintain_order=True).select("day", pl.exclude("day"))
    return finish(frame, by)
