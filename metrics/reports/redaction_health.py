"""Data health: under which redaction rules the stored texts were cleaned, and when the
warehouse was last scrubbed (``python -m etl redact``). All times UTC."""

from __future__ import annotations

import polars as pl

from warehouse.reader import ReadOnlyWarehouse
from warehouse.redaction_version import REDACTION_VERSION

STATUS_COLUMNS = (
    "current_version", "last_scrub_at", "last_scrub_version", "last_scrub_removed",
    "loads", "loads_under_older_rules", "oldest_rules_version", "up_to_date",
)  # fmt: skip


def redaction_status(wh: ReadOnlyWarehouse) -> pl.DataFrame:
    """One row: the rules version this program redacts with (current_version), the newest
    scrub (last_scrub_at, last_scrub_version, last_scrub_removed as JSON per column and kind;
    nulls when never scrubbed), the number of loads, how many of them ran under older rules
    and were not covered by a later scrub with the current rules (loads_under_older_rules; a
    load from before rules were recorded counts as version 1), the oldest such version, and
    up_to_date (no such load).
    """
    versioned = "redaction_version" in _columns(wh, "load_runs")
    scrubs = "redaction_runs" in wh.tables
    version = "coalesce(redaction_version, 1)" if versioned else "1"
    last_current = (
        "(SELECT max(run_at) FROM redaction_runs WHERE version >= $v)" if scrubs else "NULL"
    )
    last = (
        "SELECT run_at, version, removed FROM redaction_runs ORDER BY run_at DESC LIMIT 1"
        if scrubs
        else "SELECT NULL::TIMESTAMPTZ AS run_at, NULL::INTEGER AS version, NULL AS removed"
    )
    frame = wh.query(
        f"""
        WITH last_scrub AS ({last}),
        loads AS (
            SELECT count(*) AS loads,
                   count(*) FILTER (WHERE {version} < $v
                       AND started_at > coalesce({last_current}, '-infinity')) AS older,
                   min({version}) FILTER (WHERE {version} < $v
                       AND started_at > coalesce({last_current}, '-infinity')) AS oldest
            FROM load_runs
        )
        SELECT $v AS current_version, s.run_at AS last_scrub_at, s.version AS last_scrub_version,
               s.removed AS last_scrub_removed, CAST(l.loads AS BIGINT) AS loads,
               CAST(l.older AS BIGINT) AS loads_under_older_rules,
               l.oldest AS oldest_rules_version, l.older = 0 AS up_to_date
        FROM loads AS l LEFT JOIN last_scrub AS s ON true
        """,  # noqa: S608 -- fixed fragments chosen above, the version is bound
        {"v": REDACTION_VERSION},
    )
    return frame.select(STATUS_COLUMNS)


def _columns(wh: ReadOnlyWarehouse, table: str) -> set[str]:
    rows = wh.query(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = 'wh' AND table_name = ?",
        [table],
    )
    return set(rows["column_name"].to_list())
