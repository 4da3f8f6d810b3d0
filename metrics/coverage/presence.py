"""Who could answer when, as merged time intervals: the ground of after_hours and language_gaps.

Both metrics ask, per contact, whether some agent of a kind was present at the contact's
creation instant: an agent of the contact's team (any agent for a contact without a team),
or an agent speaking the contact's language. Joining every contact to every shift row that
might hold it costs seconds at a million contacts, so presence is kept once per warehouse
version as a derived fact (``metrics.core.facts``: built by the load, else on first use) of
intervals per *kind* and *key*:

- ``team``: agents of team ``key`` (agents without a team never match a team);
- ``any``: every agent (key ``''``), for contacts without a team;
- ``language``: agents whose ``agents.languages`` has ``key`` as a primary subtag.

With shifts, the fact holds each key's shifts merged into disjoint islands (overlapping or
touching shifts joined): an instant lies in some shift exactly when it lies in an island.
Inferred from agent messages, it holds each key's local clock hours with a message and the
first and last such message, so a query keeps only the hours with a message in its period,
as ``metrics.coverage.shifts`` does. A query merges the rows left into islands, cuts them
at UTC clock hours and finds a contact's island with a hash join on its hour.
"""

from __future__ import annotations

import polars as pl

from metrics.core.contacts import Warehouse
from metrics.core.facts import Fact, Runner, fact_table, per_settings
from metrics.core.settings import Settings
from metrics.coverage.shifts import ZONE, Scope, language_key, local_hour_start, team_zones
from metrics.response.conversation import bind

# Per presence source: the rows (agent_id, team, languages, zone, starts_at, ends_at, at)
# whose union is presence; ``at`` is the instant a message-hour was seen (NULL for shifts).
SPANS_SQL = {
    "shifts": """
        SELECT s.agent_id, a.team, a.languages, s.starts_at, s.ends_at
        FROM shifts AS s LEFT JOIN agents AS a USING (agent_id)
        WHERE s.ends_at > s.starts_at""",
    "messages": f"""
        SELECT m.sender_id AS agent_id, a.team, a.languages, m.sent_at,
            {local_hour_start("m.sent_at", ZONE)} AS starts_at,
            {local_hour_start("m.sent_at", ZONE)} + INTERVAL 1 HOUR AS ends_at
        FROM messages AS m LEFT JOIN agents AS a ON a.agent_id = m.sender_id
        LEFT JOIN team_zones AS z ON z.team = a.team
        WHERE m.sender_type = 'agent' AND m.sender_id IS NOT NULL
            AND m.sent_at IS NOT NULL""",  # noqa: S608
}
KEYED_SQL = f"""
    keyed AS (
        SELECT 'team' AS kind, team AS key, * EXCLUDE (team, languages) FROM spans
        WHERE team IS NOT NULL
        UNION ALL
        SELECT 'any' AS kind, '' AS key, * EXCLUDE (team, languages) FROM spans
        UNION ALL
        SELECT 'language' AS kind, {language_key("spoken")} AS key,
            * EXCLUDE (team, languages, spoken)
        FROM (SELECT *, unnest(languages) AS spoken FROM spans)
        WHERE spoken IS NOT NULL
    )"""  # noqa: S608
# Islands of overlapping or touching intervals, per {part} ("kind, key", or "day, kind, key"
# for a query of many days; {rows}: {part}, starts_at, ends_at, first_at, last_at).
# Intervals sharing a start are first made one, so the order by start is total and both
# windows see the rows in the same order (with ties, DuckDB may order them differently in
# each, and a duplicate would bridge a gap).
ISLANDS_SQL = """
    island_starts AS (
        SELECT {part}, starts_at, max(ends_at) AS ends_at, min(first_at) AS first_at,
            max(last_at) AS last_at
        FROM {rows} GROUP BY {part}, starts_at
    ),
    island_reach AS (
        SELECT *, max(ends_at) OVER (PARTITION BY {part} ORDER BY starts_at
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
        FROM island_starts
    ),
    island_numbered AS (
        SELECT *, sum(CASE WHEN reach >= starts_at THEN 0 ELSE 1 END) OVER (
            PARTITION BY {part} ORDER BY starts_at ROWS UNBOUNDED PRECEDING) AS island
        FROM island_reach
    )"""
ISLAND_ROWS = """
    SELECT {part}, min(starts_at) AS starts_at, max(ends_at) AS ends_at,
        min(first_at) AS first_at, max(last_at) AS last_at
    FROM island_numbered GROUP BY {part}, island"""
BOUNDED_SQL = """
    bounded AS (
        SELECT kind, key, starts_at, ends_at, starts_at AS first_at,
            ends_at - INTERVAL 1 MICROSECOND AS last_at
        FROM keyed
    )"""
HOURS_SQL = """
    SELECT kind, key, starts_at, ends_at, min(sent_at) AS first_at, max(sent_at) AS last_at
    FROM keyed GROUP BY ALL"""
HOURS_OF_ISLANDS = """
    present_hours AS (
        SELECT {part}, starts_at, ends_at, unnest(generate_series(date_trunc('hour',
            starts_at), ends_at - INTERVAL 1 MICROSECOND, INTERVAL 1 HOUR)) AS bucket
        FROM present_islands
    )"""
# HOURS_OF_ISLANDS per day of the lookup ``days``: only the hours inside the island's day
# [d_start, d_end). A contact of that day meets an island only in its own hour, inside both,
# so the hours outside the day (an island of shifts may span months: thousands of hours for
# each of the period's days) could never be met.
DAY_HOURS_OF_ISLANDS = """
    present_hours AS (
        SELECT i.day, i.kind, i.key, i.starts_at, i.ends_at, unnest(generate_series(
            greatest(date_trunc('hour', i.starts_at), date_trunc('hour', d.d_start)),
            least(i.ends_at, d.d_end) - INTERVAL 1 MICROSECOND, INTERVAL 1 HOUR)) AS bucket
        FROM present_islands AS i JOIN days AS d ON d.day = i.day
    )"""
# A query's islands: the rows with presence inside [p_start, p_end), merged.
PERIOD_SQL = """
    present_rows AS (
        SELECT kind, key, starts_at, ends_at, first_at, last_at FROM {fact}
        WHERE first_at < $p_end AND last_at >= $p_start
    )"""
PART = "kind, key"
DAY_PART = "day, kind, key"
# Per day of the lookup ``days`` (day, d_start, d_end, source): the rows of one kind with
# presence inside that day, from the fact of the day's source (as PERIOD_SQL for that day).
DAY_ROWS_SQL = """
        SELECT d.day, f.kind, f.key, f.starts_at, f.ends_at, f.first_at, f.last_at
        FROM {fact} AS f JOIN days AS d ON d.source = '{source}'
            AND f.first_at < d.d_end AND f.last_at >= d.d_start
        WHERE f.kind = {kind}"""


def fact_sql(source: str) -> str:
    """SQL of the presence fact for ``source`` (shifts: islands; messages: clock hours)."""
    head = f"WITH spans AS ({SPANS_SQL[source]}),\n{KEYED_SQL}"
    if source == "messages":
        return head + HOURS_SQL
    islands = ISLANDS_SQL.format(rows="bounded", part=PART)
    return f"{head},\n{BOUNDED_SQL},\n{islands}\n{ISLAND_ROWS.format(part=PART)}"


# Presence from shifts: each key's shifts merged into islands (no settings involved).
PRESENCE_SHIFTS = Fact(
    name="coverage_presence_shifts", sql=fact_sql("shifts"), reads=frozenset({"shifts", "agents"})
)


@per_settings
def presence_messages_fact(settings: Settings) -> Fact:
    """Presence inferred from agent messages: clock hours in each team's zone, which depends
    on settings (the reporting zone, team calendars) and on the agents' zones."""
    sql = fact_sql("messages")

    def lookups(runner: Runner) -> dict[str, pl.DataFrame]:
        return {"team_zones": team_zones(runner, settings)}

    zones = (settings.reporting_timezone, {t: h.timezone for t, h in settings.team_hours.items()})
    return Fact(
        name="coverage_presence_messages",
        sql=sql,
        params=tuple(bind(sql, {"timezone": settings.reporting_timezone}).items()),
        reads=frozenset({"messages", "agents"}),
        grain="day",
        key=("starts_at",),
        frame_key=repr(zones),
        frames=lookups,
    )


def presence_fact(wh: Warehouse, settings: Settings, scope: Scope) -> str:
    """Name of the derived presence fact for the scope's source (stored by the load, else
    built on first use)."""
    return source_fact(wh, settings, scope.source)


def source_fact(wh: Warehouse, settings: Settings, source: str) -> str:
    """Name of the derived presence fact of ``source`` ('shifts' or 'messages')."""
    if source == "messages":
        return fact_table(wh, presence_messages_fact(settings))
    return fact_table(wh, PRESENCE_SHIFTS)


def present_ctes(fact: str) -> str:
    """CTEs ending in ``present_hours``: the period's islands (kind, key, starts_at, ends_at),
    one row per UTC clock hour they touch (``bucket``), so a contact meets only its hour's."""
    islands = ISLANDS_SQL.format(rows="present_rows", part=PART)
    return (
        f"{PERIOD_SQL.format(fact=fact)},\n{islands},\n"
        f"    present_islands AS ({ISLAND_ROWS.format(part=PART)}\n"
        f"    ),\n{HOURS_OF_ISLANDS.format(part=PART)}"
    )


def present_ctes_by_day(facts: dict[str, str], kind: str) -> str:
    """``present_ctes`` for each day of the lookup ``days`` at once (``present_hours`` gains
    a ``day`` column): per day, the islands of presence ``kind`` (SQL expression) built from
    the fact of that day's source (``facts``: source -> fact name) exactly as a query of
    that day alone builds them, so ``covered(..., by_day=True)`` judges a contact of a day
    as that day's query does."""
    rows = "\n        UNION ALL".join(
        DAY_ROWS_SQL.format(fact=fact, source=source, kind=kind)
        for source, fact in sorted(facts.items())
    )
    if not rows:  # no day at all: an empty relation of the right shape
        rows = (
            "\n        SELECT CAST(NULL AS DATE) AS day, '' AS kind, '' AS key,"
            " NULL::TIMESTAMPTZ AS starts_at, NULL::TIMESTAMPTZ AS ends_at,"
            " NULL::TIMESTAMPTZ AS first_at, NULL::TIMESTAMPTZ AS last_at WHERE false"
        )
    islands = ISLANDS_SQL.format(rows="present_rows", part=DAY_PART)
    return (
        f"    present_rows AS ({rows}\n    ),\n{islands},\n"
        f"    present_islands AS ({ISLAND_ROWS.format(part=DAY_PART)}\n    ),\n"
        f"{DAY_HOURS_OF_ISLANDS}"
    )


def covered(kind: str, key: str, by_day: bool = False) -> tuple[str, str]:
    """SQL (join, condition): contact ``c`` joined to the island ``p`` of presence ``kind``
    and ``key`` (SQL expressions) holding c.created_at, and whether there is one. Islands
    are disjoint, so a contact meets at most one. ``by_day``: islands of
    ``present_ctes_by_day``, met only by the contacts of their day (``c.day``)."""
    day = " AND p.day = c.day" if by_day else ""
    join = (
        f"LEFT JOIN present_hours AS p ON p.kind = {kind} AND p.key = {key}{day}"
        " AND p.bucket = date_trunc('hour', c.created_at)"
        " AND c.created_at >= p.starts_at AND c.created_at < p.ends_at"
    )
    return join, "p.kind IS NOT NULL"
