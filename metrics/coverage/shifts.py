"""Who is on shift when: the ground the coverage and staffing metrics stand on.

A *slot* is an hour of the week (``weekday * 24 + hour``, Monday 00h = 0 ... Sunday 23h
= 167) in a team's time zone: the most common ``agents.timezone`` of the team's agents,
else the zone of the team's support-hours calendar in settings, else the reporting
zone (also for contacts without a team).

*Presence* is when agents work: the ``shifts`` table when any shift overlaps the period,
else inferred from agent messages (an agent is on for the whole local clock hour in
which they sent one). An agent counts in a clock hour for the share of it on shift (at
most once, however many shift rows overlap); a slot's ``on_shift`` is that sum averaged
over the times the slot occurs in the period: the filters' local days in the reporting
zone, else the days of the first to the last filtered contact.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

from metrics.core.contacts import Warehouse, contacts_table
from metrics.core.filters import Filters
from metrics.core.settings import Settings
from metrics.response.conversation import bind

ALL = "all"
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
ZONE = "coalesce(z.zone, $timezone)"

TEAM_ZONES_SQL = """
    SELECT team, timezone, count(*) AS agents FROM agents
    WHERE team IS NOT NULL AND timezone IS NOT NULL
    GROUP BY ALL ORDER BY team, agents DESC, timezone
"""
SPAN_SQL = "SELECT min(c.created_at), max(c.created_at) FROM {table} AS c WHERE {where}"
SHIFTS_SQL = "SELECT count(*) FROM shifts WHERE starts_at < $p_end AND ends_at > $p_start"
# The days (of the lookup ``days``) whose period SHIFTS_SQL would find a shift in.
SHIFT_DAYS_SQL = """
    SELECT DISTINCT d.day FROM days AS d
    JOIN shifts AS s ON s.starts_at < d.d_end AND s.ends_at > d.d_start
"""
DAYS_SCHEMA = {
    "day": pl.Date,
    "d_start": pl.Datetime("us", "UTC"),
    "d_end": pl.Datetime("us", "UTC"),
    "source": pl.String,
}

CONTACTS_CTE = """
    {name} AS (
        SELECT {columns}, {group} AS grp, {zone} AS zone,
            CAST((isodow(c.created_at AT TIME ZONE {zone}) - 1) * 24
                + hour(c.created_at AT TIME ZONE {zone}) AS BIGINT) AS hour_of_week
        FROM {table} AS c LEFT JOIN team_zones AS z ON z.team = c.team
        WHERE {where} AND c.created_at >= $p_start AND c.created_at < $p_end
    )"""


def local_hour_start(instant: str, zone: str) -> str:
    """SQL for the UTC instant at which the local clock hour holding ``instant`` began: the
    instant less the minutes and seconds the local clock shows. Exact in the hour a clock
    falls back (both local 01:00 hours are distinct hours; converting the local 01:00 back
    to UTC would have to pick one) and the same on every engine (SQLGlot-translated facts)."""
    local = f"({instant} AT TIME ZONE {zone})"
    return f"({instant} - ({local} - date_trunc('hour', {local})))"


# Local clock hours of a row's zone overlapping [starts_at, ends_at): their UTC starts.
LOCAL_HOURS = (
    "generate_series(timezone(zone, date_trunc('hour', starts_at AT TIME ZONE zone)), "
    "ends_at - INTERVAL 1 MICROSECOND, INTERVAL 1 HOUR)"
)
PRESENCE_FROM = {
    "shifts": """
        SELECT s.agent_id, a.team, a.languages, {group} AS grp, {zone} AS zone,
            greatest(s.starts_at, $p_start) AS starts_at, least(s.ends_at, $p_end) AS ends_at
        FROM shifts AS s LEFT JOIN agents AS a USING (agent_id)
        LEFT JOIN team_zones AS z ON z.team = a.team
        WHERE s.starts_at < $p_end AND s.ends_at > $p_start AND s.ends_at > s.starts_at
            AND {restrict}""",
    "messages": """
        SELECT DISTINCT m.sender_id AS agent_id, a.team, a.languages, {group} AS grp,
            {zone} AS zone,
            {hour_start} AS starts_at, {hour_start} + INTERVAL 1 HOUR AS ends_at
        FROM messages AS m LEFT JOIN agents AS a ON a.agent_id = m.sender_id
        LEFT JOIN team_zones AS z ON z.team = a.team
        WHERE m.sender_type = 'agent' AND m.sender_id IS NOT NULL
            AND m.sent_at >= $p_start AND m.sent_at < $p_end AND {restrict}""",
}

ON_SHIFT_CTES = f"""
    agent_slots AS (
        SELECT p.agent_id, p.grp, p.zone, h.hour_of_week, h.slot_start,
            least(sum(epoch(least(p.ends_at, h.slot_end))
                - epoch(greatest(p.starts_at, h.slot_start))), 3600) AS seconds
        FROM (SELECT *, unnest({LOCAL_HOURS}) AS slot_start FROM presence) AS p
        JOIN coverage_hours AS h ON h.zone = p.zone AND h.slot_start = p.slot_start
        GROUP BY ALL
    ),
    on_shift AS (
        SELECT grp, zone, hour_of_week, sum(seconds) / 3600.0 AS agent_hours
        FROM agent_slots GROUP BY ALL
    ),
    weeks AS (SELECT zone, hour_of_week, count(*) AS weeks FROM coverage_hours GROUP BY ALL)"""  # noqa: S608


def language_key(column: str) -> str:
    """SQL language code reduced to its primary subtag, lower case ('zh-CN' -> 'zh')."""
    return f"lower(split_part(replace({column}, '_', '-'), '-', 1))"


@dataclass(frozen=True)
class Scope:
    """What every coverage query shares: contact table and filter, period, lookups, presence."""

    table: str
    where: str
    params: dict[str, Any]
    frames: dict[str, pl.DataFrame]
    source: str
    by: str | None
    filters: Filters
    key: tuple[Any, ...] = ()  # what the scope was made of (settings, filters, by)

    @property
    def contact_group(self) -> str:
        return "c.team" if self.by == "team" else f"'{ALL}'"

    def contacts_cte(
        self, columns: str, group: str | None = None, name: str = "contacts_in"
    ) -> str:
        """CTE ``name``: filtered contacts of the period, with grp, zone, hour_of_week."""
        return CONTACTS_CTE.format(
            name=name, columns=columns, group=group or self.contact_group, zone=ZONE,
            table=self.table, where=self.where,
        )  # fmt: skip

    def presence_cte(self, restrict: bool = True) -> str:
        """CTE ``presence``: agent_id, team, languages, grp, zone, starts_at, ends_at.

        With ``restrict``, only agents of the filtered teams and agents count.
        """
        clauses = ["TRUE"]
        if restrict and self.filters.team:
            clauses.append("list_contains(CAST($f_team AS VARCHAR[]), a.team)")
        if restrict and self.filters.agent:
            clauses.append("list_contains(CAST($f_agent AS VARCHAR[]), a.agent_id)")
        group = "a.team" if self.by == "team" else f"'{ALL}'"
        body = PRESENCE_FROM[self.source].format(
            group=group,
            zone=ZONE,
            restrict=" AND ".join(clauses),
            hour_start=local_hour_start("m.sent_at", ZONE),
        )
        return f"presence AS ({body}\n    )"

    def run(
        self,
        wh: Warehouse,
        sql: str,
        params: dict[str, Any] | None = None,
        frames: dict[str, pl.DataFrame] | None = None,
    ) -> pl.DataFrame:
        """Run ``sql`` with this scope's parameters (those it uses) and lookup frames."""
        bound = bind(sql, {**self.params, **(params or {})})
        return wh.query(sql, bound, frames={**self.frames, **(frames or {})})


def check_by(by: str | None) -> None:
    """Coverage is per team or overall: refuse any other breakdown."""
    if by not in (None, "team"):
        raise ValueError(f"coverage breaks down by team only (by='team'), got by={by!r}")


def team_zones(wh: Warehouse, settings: Settings) -> pl.DataFrame:
    """team -> zone: the most common valid agents.timezone, else the team calendar's zone."""
    zones: dict[str, str] = {}
    for team, zone, _ in wh.query(TEAM_ZONES_SQL).iter_rows():
        if team not in zones and _valid_zone(zone):
            zones[team] = zone
    for team, hours in settings.team_hours.items():
        zones.setdefault(team, hours.timezone)
    return pl.DataFrame(
        {"team": list(zones), "zone": list(zones.values())},
        schema={"team": pl.String, "zone": pl.String},
    )


def _valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return False
    return True


def coverage_period(
    wh: Warehouse, settings: Settings, filters: Filters, table: str
) -> tuple[datetime, datetime]:
    """[start, end) in UTC: the filters' local days, else the filtered contacts' days
    (an empty period when there are none)."""
    tz = settings.reporting_timezone
    if filters.date_from is None or filters.date_to is None:
        where, params = filters.where(tz)
        first, last = wh.query(SPAN_SQL.format(table=table, where=where), params).row(0)
        if first is None and (filters.date_from or filters.date_to) is None:
            return datetime(1970, 1, 1, tzinfo=UTC), datetime(1970, 1, 1, tzinfo=UTC)
        zone = ZoneInfo(tz)
        filters = replace(
            filters,
            date_from=filters.date_from or (first or last).astimezone(zone).date(),
            date_to=filters.date_to or (last or first).astimezone(zone).date(),
        )
    start, end = filters.bounds(tz)
    assert start is not None and end is not None
    return start, max(start, end)


def day_periods(wh: Warehouse, settings: Settings, filters: Filters) -> pl.DataFrame:
    """Each local day of ``filters`` (both dates set) as a coverage query of that day alone
    would see it: day, d_start and d_end (its period, ``coverage_period``) and source (its
    presence source: 'shifts' when a shift overlaps that day, else 'messages')."""
    assert filters.date_from is not None and filters.date_to is not None
    rows = []
    for offset in range((filters.date_to - filters.date_from).days + 1):
        day = filters.date_from + timedelta(days=offset)
        single = replace(filters, date_from=day, date_to=day)
        rows.append((day, *coverage_period(wh, settings, single, ""), "messages"))
    days = pl.DataFrame(rows, schema=DAYS_SCHEMA, orient="row")
    with_shifts = wh.query(SHIFT_DAYS_SQL, frames={"days": days})["day"]
    return days.with_columns(
        source=pl.when(pl.col("day").is_in(with_shifts.implode()))
        .then(pl.lit("shifts"))
        .otherwise(pl.col("source"))
    )


def hour_frame(zones: list[str], start: datetime, end: datetime) -> pl.DataFrame:
    """Every whole local clock hour of each zone in [start, end): zone, slot_start, slot_end
    (UTC) and hour_of_week."""
    frames = []
    for zone in sorted(set(zones)):
        local = start.astimezone(ZoneInfo(zone)).replace(minute=0, second=0, microsecond=0)
        first = local.astimezone(UTC)
        first = first if first >= start else first + timedelta(hours=1)
        starts = pl.datetime_range(
            first, max(first, end), "1h", closed="left", time_zone="UTC", eager=True
        )
        local_at = pl.col("slot_start").dt.convert_time_zone(zone)
        frame = (
            pl.DataFrame({"slot_start": starts}, schema={"slot_start": pl.Datetime("us", "UTC")})
            .with_columns(zone=pl.lit(zone), slot_end=pl.col("slot_start") + pl.duration(hours=1))
            .filter(pl.col("slot_end") <= end)
            .with_columns(
                hour_of_week=(local_at.dt.weekday().cast(pl.Int64) - 1) * 24 + local_at.dt.hour()
            )
        )
        frames.append(frame.select("zone", "slot_start", "slot_end", "hour_of_week"))
    return pl.concat(frames)


def prepare(wh: Warehouse, settings: Settings, filters: Filters, by: str | None) -> Scope:
    """The scope of a coverage query: period, contact filter, zones and presence source
    (remembered: every coverage metric of a page starts from the same one)."""
    check_by(by)
    return wh.remember(
        ("coverage_scope", repr(settings), filters, by),
        lambda: _prepare(wh, settings, filters, by),
    )


def _prepare(wh: Warehouse, settings: Settings, filters: Filters, by: str | None) -> Scope:
    table = contacts_table(wh, settings)
    start, end = coverage_period(wh, settings, filters, table)
    where, params = filters.where(settings.reporting_timezone)
    zones = team_zones(wh, settings)
    params = {**params, "timezone": settings.reporting_timezone, "p_start": start, "p_end": end}
    shifts = wh.query(SHIFTS_SQL, {"p_start": start, "p_end": end}).item()
    frames = {
        "team_zones": zones,
        "coverage_hours": hour_frame([*zones["zone"], settings.reporting_timezone], start, end),
    }
    source = "shifts" if shifts else "messages"
    key = (repr(settings), filters, by)
    return Scope(table, where, params, frames, source, by, filters, key)


def slot_label(hour_of_week: int) -> str:
    """'Mon 09:00' for hour of week 9 (168 is the next Monday 00:00)."""
    return f"{WEEKDAY_NAMES[hour_of_week // 24 % 7]} {hour_of_week % 24:02d}:00"


SLOT_COLUMNS = (
    "c.source, c.contact_id, c.created_at, c.frt_minutes, c.unanswered, c.bot_resolved, "
    "c.is_outbound, c.bot_resolved OR c.is_outbound AS no_agent"
)
SLOTS_SQL = """
    arrivals AS (
        SELECT grp, zone, hour_of_week, count(*) FILTER (WHERE NOT no_agent) AS n,
            count(*) FILTER (WHERE bot_resolved) AS bot_only,
            count(*) FILTER (WHERE is_outbound AND NOT bot_resolved) AS outbound
        FROM contacts_in GROUP BY ALL
    ),
    group_zones AS (
        SELECT DISTINCT grp, zone FROM contacts_in UNION SELECT DISTINCT grp, zone FROM presence
    ),
    slots AS (
        -- Per-week rates are taken in each zone (where a slot occurs its own number of
        -- times), then summed over the zones of a pooled group.
        SELECT g.grp, w.hour_of_week, max(w.weeks) AS weeks,
            CAST(sum(coalesce(a.n, 0)) AS BIGINT) AS n,
            CAST(sum(coalesce(a.bot_only, 0)) AS BIGINT) AS bot_only,
            CAST(sum(coalesce(a.outbound, 0)) AS BIGINT) AS outbound,
            -- Rounded: summed over zones in any order, the last bits would decide ties below.
            round(sum(coalesce(a.n, 0) / w.weeks), 12) AS contacts_per_week,
            round(sum(coalesce(o.agent_hours, 0) / w.weeks), 6) AS on_shift
        FROM group_zones AS g JOIN weeks AS w ON w.zone = g.zone
        LEFT JOIN arrivals AS a ON a.grp IS NOT DISTINCT FROM g.grp AND a.zone = g.zone
            AND a.hour_of_week = w.hour_of_week
        LEFT JOIN on_shift AS o ON o.grp IS NOT DISTINCT FROM g.grp AND o.zone = g.zone
            AND o.hour_of_week = w.hour_of_week
        GROUP BY g.grp, w.hour_of_week
    ),
    slot_frt AS (
        SELECT grp, hour_of_week, count(frt_minutes) AS frt_n,
            count(*) FILTER (WHERE unanswered) AS unanswered,
            quantile_cont(frt_minutes, 0.5) AS frt_median
        FROM contacts_in WHERE NOT no_agent GROUP BY ALL
    )
    SELECT s.grp, s.hour_of_week // 24 AS weekday, s.hour_of_week % 24 AS hour, s.hour_of_week,
        s.weeks, s.n, s.bot_only, s.outbound, s.contacts_per_week, s.on_shift,
        CASE WHEN s.on_shift > 0 THEN s.contacts_per_week / s.on_shift END AS contacts_per_agent,
        coalesce(f.frt_n, 0) AS frt_n, coalesce(f.unanswered, 0) AS unanswered, f.frt_median,
        $source AS on_shift_source
    FROM slots AS s
    LEFT JOIN slot_frt AS f ON f.grp IS NOT DISTINCT FROM s.grp AND f.hour_of_week = s.hour_of_week
    ORDER BY s.grp NULLS LAST, s.hour_of_week
"""


def slot_frame(wh: Warehouse, scope: Scope) -> pl.DataFrame:
    """Per group and hour of week: n (contacts needing an agent), bot_only, outbound,
    contacts_per_week, on_shift, contacts_per_agent, frt_n, unanswered, frt_median
    (remembered per scope: coverage by hour and both staffing views read the same slots)."""
    return wh.remember(("coverage_slots", scope.key), lambda: _slot_frame(wh, scope))


def _slot_frame(wh: Warehouse, scope: Scope) -> pl.DataFrame:
    ctes = [scope.contacts_cte(SLOT_COLUMNS), scope.presence_cte(), ON_SHIFT_CTES, SLOTS_SQL]
    return scope.run(wh, "WITH " + ",\n".join(ctes), {"source": scope.source})
