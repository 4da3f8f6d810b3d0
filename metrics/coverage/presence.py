"""Who could answer when, as merged time intervals: the ground of after_hours and language_gaps.

Both metrics ask, per contact, whether some agent of a kind was present at the contact's
creation instant: an agent of the contact's team (any agent for a contact without a team),
or an agent speaking the contact's language. Joining every contact to every shift row that
might hold it costs seconds at a million contacts, so presence is kept once per warehouse
version as a derived fact of intervals per *kind* and *key*:

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

from metrics.core.contacts import Warehouse, settings_key
from metrics.core.settings import Settings
from metrics.coverage.shifts import ZONE, Scope, language_key
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
            timezone({ZONE}, date_trunc('hour', m.sent_at AT TIME ZONE {ZONE})) AS starts_at,
            timezone({ZONE}, date_trunc('hour', m.sent_at AT TIME ZONE {ZONE}))
                + INTERVAL 1 HOUR AS ends_at
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
# Islands of overlapping or touching intervals, per kind and key ({rows}: kind, key,
# starts_at, ends_at, first_at, last_at). Intervals sharing a start are first made one, so
# the order by start is total and both windows see the rows in the same order (with ties,
# DuckDB may order them differently in each, and a duplicate would bridge a gap).
ISLANDS_SQL = """
    island_starts AS (
        SELECT kind, key, starts_at, max(ends_at) AS ends_at, min(first_at) AS first_at,
            max(last_at) AS last_at
        FROM {rows} GROUP BY kind, key, starts_at
    ),
    island_reach AS (
        SELECT *, max(ends_at) OVER (PARTITION BY kind, key ORDER BY starts_at
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
        FROM island_starts
    ),
    island_numbered AS (
        SELECT *, sum(CASE WHEN reach >= starts_at THEN 0 ELSE 1 END) OVER (
            PARTITION BY kind, key ORDER BY starts_at ROWS UNBOUNDED PRECEDING) AS island
        FROM island_reach
    )"""
ISLAND_ROWS = """
    SELECT kind, key, min(starts_at) AS starts_at, max(ends_at) AS ends_at,
        min(first_at) AS first_at, max(last_at) AS last_at
    FROM island_numbered GROUP BY kind, key, island"""
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
        SELECT kind, key, starts_at, ends_at, unnest(generate_series(date_trunc('hour',
            starts_at), ends_at - INTERVAL 1 MICROSECOND, INTERVAL 1 HOUR)) AS bucket
        FROM present_islands
    )"""
# A query's islands: the rows with presence inside [p_start, p_end), merged.
PERIOD_SQL = """
    present_rows AS (
        SELECT kind, key, starts_at, ends_at, first_at, last_at FROM {fact}
        WHERE first_at < $p_end AND last_at >= $p_start
    )"""


def fact_sql(source: str) -> str:
    """SQL of the presence fact for ``source`` (shifts: islands; messages: clock hours)."""
    head = f"WITH spans AS ({SPANS_SQL[source]}),\n{KEYED_SQL}"
    if source == "messages":
        return head + HOURS_SQL
    return f"{head},\n{BOUNDED_SQL},\n{ISLANDS_SQL.format(rows='bounded')}\n{ISLAND_ROWS}"


def presence_fact(wh: Warehouse, settings: Settings, scope: Scope) -> str:
    """Name of the derived presence fact for the scope's source (built once per version)."""
    source = scope.source
    name = f"coverage_presence_{source}"
    if source == "messages":  # hours in team zones, which depend on settings
        name += f"_{settings_key(settings)}"
    sql = fact_sql(source)

    def lookups() -> dict[str, pl.DataFrame]:
        return {"team_zones": scope.frames["team_zones"]}

    params = bind(sql, {"timezone": settings.reporting_timezone})
    return wh.materialize(name, sql, params, lookups)


def present_ctes(fact: str) -> str:
    """CTEs ending in ``present_hours``: the period's islands (kind, key, starts_at, ends_at),
    one row per UTC clock hour they touch (``bucket``), so a contact meets only its hour's."""
    islands = ISLANDS_SQL.format(rows="present_rows")
    return (
        f"{PERIOD_SQL.format(fact=fact)},\n{islands},\n    present_islands AS ({ISLAND_ROWS}\n"
        f"    ),\n{HOURS_OF_ISLANDS}"
    )


def covered(kind: str, key: str) -> tuple[str, str]:
    """SQL (join, condition): contact ``c`` joined to the island ``p`` of presence ``kind``
    and ``key`` (SQL expressions) holding c.created_at, and whether there is one. Islands
    are disjoint, so a contact meets at most one."""
    join = (
        f"LEFT JOIN present_hours AS p ON p.kind = {kind} AND p.key = {key}"
        " AND p.bucket = date_trunc('hour', c.created_at)"
        " AND c.created_at >= p.starts_at AND c.created_at < p.ends_at"
    )
    return join, "p.kind IS NOT NULL"
