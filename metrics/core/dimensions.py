"""Reference data for pickers and annotations: the values of each filter dimension, the span
of the data, the agent roster and the agents' training dates.

These are not metrics (nothing is measured), so they are not in the registry; they read the
same contact fact as every metric, so a value offered in a filter always matches rows.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from metrics.core.contacts import Warehouse, contacts_table
from metrics.core.filters import DIMENSIONS
from metrics.core.settings import Settings

# Display name of an agent: "name (id)" when the roster knows the name, else the id.
_AGENT_LABEL = (
    "CASE WHEN a.name IS NULL OR a.name = '' THEN v.value ELSE a.name || ' (' || v.value || ')' END"
)


def dimension_values(wh: Warehouse, settings: Settings, dimension: str) -> pl.DataFrame:
    """The distinct values of one filter dimension among contacts (merged duplicates left out).

    ``dimension`` is a key of ``metrics.core.filters.DIMENSIONS`` (channel, language, team, agent,
    priority, category, source). Columns: value, label (for agents "name (id)" from the
    roster, else the value itself), contacts (how many contacts carry it). Sorted by label;
    contacts without a value are not listed (a filter cannot pick "no value").
    """
    if dimension not in DIMENSIONS:
        raise ValueError(
            f"unknown dimension {dimension!r}; expected one of: {', '.join(DIMENSIONS)}"
        )
    column = DIMENSIONS[dimension]
    # Every dimension's list comes from one pass over the contacts (the sidebar asks for all
    # of them at once), kept for this file version and settings.
    every = wh.remember(("dimension_values", repr(settings)), lambda: _all_values(wh, settings))
    label = "agent_label" if dimension == "agent" else column
    return (
        every.filter((pl.col(f"grouped_{column}") == 0) & pl.col(column).is_not_null())
        .select(pl.col(column).alias("value"), pl.col(label).alias("label"), "contacts")
        .sort("label", "value")
    )


def _all_values(wh: Warehouse, settings: Settings) -> pl.DataFrame:
    """Contacts per value of each dimension (a grouping set per column; ``grouped_<column>``
    is 0 on that column's rows), with the agents' labels."""
    columns = list(DIMENSIONS.values())
    table = contacts_table(wh, settings)
    # The columns and table come from fixed lists in code (DIMENSIONS, contacts_table).
    sql = f"""
        WITH v AS (
            SELECT {", ".join(f"c.{c} AS {c}" for c in columns)}, count(*) AS contacts,
                {", ".join(f"GROUPING(c.{c}) AS grouped_{c}" for c in columns)}
            FROM {table} AS c WHERE NOT c.is_merged
            GROUP BY GROUPING SETS ({", ".join(f"(c.{c})" for c in columns)})
        )
        SELECT v.*, {_AGENT_LABEL.replace("v.value", "v.agent_id")} AS agent_label
        FROM v LEFT JOIN agents AS a ON a.agent_id = v.agent_id
    """  # noqa: S608
    return wh.query(sql)


def data_span(wh: Warehouse, settings: Settings) -> tuple[date | None, date | None]:
    """First and last creation day of any contact, in the reporting time zone (None, None
    for a warehouse without contacts). Date presets count back from the last day."""
    table = contacts_table(wh, settings)
    row = wh.query(
        f"SELECT min(c.created_day) AS first, max(c.created_day) AS last FROM {table} AS c"  # noqa: S608
        " WHERE NOT c.is_merged"
    ).row(0)
    return row[0], row[1]


def agent_trainings(wh: Warehouse, settings: Settings, agent: str) -> pl.DataFrame:
    """The courses ``agent`` completed: course, completed_at (UTC), completed_day (reporting
    time zone), oldest first. Empty when the trainings table has none for the agent."""
    return wh.query(
        "SELECT course, completed_at, (completed_at AT TIME ZONE $timezone)::DATE AS completed_day"
        " FROM trainings WHERE agent_id = $agent ORDER BY completed_at, course",
        {"agent": agent, "timezone": settings.reporting_timezone},
    )


def agent_names(wh: Warehouse) -> pl.DataFrame:
    """The roster: agent_id, name, team (null where unknown), sorted by agent_id."""
    return wh.query("SELECT agent_id, name, team FROM agents ORDER BY agent_id")
