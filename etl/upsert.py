"""Merge a prepared file into the warehouse in one transaction and record the load run.

Each incoming row is classified against the stored row with the same key:
inserted (new key), unchanged (same values in every column the file provides,
or the stored row is newer by ``updated_at``), or updated. Columns the file
does not provide keep their stored values. All identifiers come from the
canonical spec (a fixed list); values are only ever bound.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb
import polars as pl

from etl.canonical import TableSpec
from etl.columns import ROW
from etl.prepare import PreparedFile
from etl.redact.version import REDACTION_VERSION
from warehouse.reasons import SEPARATOR, reason_pattern_expr


@dataclass
class LoadReport:
    """What one file's load did; stored in ``load_runs`` and printed."""

    run_id: int
    kind: str
    file: str
    source: str
    mapping: str
    rows_read: int
    inserted: int
    updated: int
    unchanged: int
    quarantined: int
    status: str
    message: str
    redactions: dict[str, int] = field(default_factory=dict)
    top_reasons: list[tuple[str, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        """The accounting invariant: every row read ended up in exactly one bucket."""
        return self.rows_read == self.inserted + self.updated + self.unchanged + self.quarantined


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _incoming(prepared: PreparedFile, columns: list[str]) -> pl.DataFrame:
    """The good rows with ``source`` and exactly the columns to write, in storage order."""
    frame = prepared.good
    if prepared.spec.has_source:
        frame = frame.with_columns(pl.lit(prepared.source, dtype=pl.String).alias("source"))
    return frame.select([ROW, *columns])


def _write_columns(spec: TableSpec, provided: tuple[str, ...]) -> list[str]:
    wanted = set(provided) | set(spec.key)
    return [c for c in spec.storage_columns if c in wanted]


def merge(
    con: duckdb.DuckDBPyConnection, prepared: PreparedFile, started_at: datetime
) -> LoadReport:
    """Upsert ``prepared`` into its table and record the run, all in one transaction."""
    spec = prepared.spec
    columns = _write_columns(spec, prepared.provided)
    # String views are handed over as they are (the default converts every string).
    incoming = _incoming(prepared, columns).to_arrow(compat_level=pl.CompatLevel.newest())
    con.execute("BEGIN TRANSACTION")
    try:
        counts = _apply(con, spec, columns, incoming)
        report = _record_run(con, prepared, counts, started_at)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        con.execute("DROP VIEW IF EXISTS incoming_rows")
        con.execute("DROP TABLE IF EXISTS incoming_actions")
        con.unregister("incoming_arrow")
    return report


def _apply(
    con: duckdb.DuckDBPyConnection, spec: TableSpec, columns: list[str], incoming
) -> dict[str, int]:
    table = _q(spec.table)
    con.register("incoming_arrow", incoming)
    types = _sql_types(con, spec.table, columns)
    casts = ", ".join(f"CAST(i.{_q(c)} AS {types[c]}) AS {_q(c)}" for c in columns)
    # A view, not a copy: the Arrow rows are read in place by each statement below.
    con.execute(
        f"CREATE TEMP VIEW incoming_rows AS SELECT i.{_q(ROW)}, {casts} FROM incoming_arrow i"  # noqa: S608
    )
    if con.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is None:  # noqa: S608
        # An empty table: every row is new (keys are unique within a prepared file).
        if len(incoming):
            _insert(con, table, columns, every_row=True)
        return {"insert": len(incoming)} if len(incoming) else {}
    counts = _classify(con, spec, columns)
    key_join = " AND ".join(f"t.{_q(k)} = i.{_q(k)}" for k in spec.key)
    values = [c for c in columns if c not in spec.key]
    if values and counts.get("update"):
        assignments = ", ".join(f"{_q(c)} = i.{_q(c)}" for c in values)
        con.execute(
            f"""UPDATE {table} AS t SET {assignments}
            FROM incoming_rows i JOIN incoming_actions a ON a.row_id = i.{_q(ROW)}
            WHERE a.action = 'update' AND {key_join}"""  # noqa: S608
        )
    if counts.get("insert"):
        _insert(con, table, columns, every_row=counts["insert"] == sum(counts.values()))
    return counts


def _classify(
    con: duckdb.DuckDBPyConnection, spec: TableSpec, columns: list[str]
) -> dict[str, int]:
    """Mark each incoming row insert, update or unchanged (``incoming_actions``); the counts."""
    key_join = " AND ".join(f"t.{_q(k)} = i.{_q(k)}" for k in spec.key)
    values = [c for c in columns if c not in spec.key]
    same = " AND ".join(f"t.{_q(c)} IS NOT DISTINCT FROM i.{_q(c)}" for c in values) or "TRUE"
    stale = (
        f"i.{_q(spec.updated_at)} < t.{_q(spec.updated_at)}"
        if spec.updated_at in values
        else "FALSE"
    )
    con.execute(
        f"""CREATE TEMP TABLE incoming_actions AS
        SELECT i.{_q(ROW)} AS row_id,
               CASE WHEN t.{_q(spec.key[0])} IS NULL THEN 'insert'
                    WHEN {same} THEN 'unchanged'
                    WHEN {stale} THEN 'unchanged'
                    ELSE 'update' END AS action
        FROM incoming_rows i LEFT JOIN {_q(spec.table)} t ON {key_join}"""  # noqa: S608
    )
    rows = con.execute("SELECT action, count(*) FROM incoming_actions GROUP BY action").fetchall()
    return {action: int(n) for action, n in rows}


def _insert(
    con: duckdb.DuckDBPyConnection, table: str, columns: list[str], every_row: bool
) -> None:
    """Insert the rows marked 'insert'; when that is every row, without joining the marks."""
    names = ", ".join(_q(c) for c in columns)
    picked = ", ".join("i." + _q(c) for c in columns)
    if every_row:
        con.execute(f"INSERT INTO {table} ({names}) SELECT {picked} FROM incoming_rows i")  # noqa: S608
        return
    con.execute(
        f"""INSERT INTO {table} ({names})
        SELECT {picked}
        FROM incoming_rows i JOIN incoming_actions a ON a.row_id = i.{_q(ROW)}
        WHERE a.action = 'insert'"""  # noqa: S608
    )


def _sql_types(con: duckdb.DuckDBPyConnection, table: str, columns: list[str]) -> dict[str, str]:
    """The stored type of each of ``columns`` of ``table``, in one catalog query."""
    rows = con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name ="
        " current_database() AND table_name = ?",
        [table],
    ).fetchall()
    types = {str(name): str(kind) for name, kind in rows}
    for column in columns:
        if column not in types:
            raise KeyError(f"{table}.{column} is not in the warehouse schema")
    return types


def _record_run(
    con: duckdb.DuckDBPyConnection,
    prepared: PreparedFile,
    counts: dict[str, int],
    started_at: datetime,
) -> LoadReport:
    row = con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM load_runs").fetchone()
    run_id = int(row[0]) if row else 1
    quarantined = prepared.quarantine.height
    reasons = _top_reasons(prepared.quarantine)
    report = LoadReport(
        run_id=run_id,
        kind=prepared.spec.kind,
        file=str(prepared.path),
        source=prepared.source if prepared.spec.has_source else "",
        mapping=prepared.mapping.name,
        rows_read=prepared.rows_read,
        inserted=counts.get("insert", 0),
        updated=counts.get("update", 0),
        unchanged=counts.get("unchanged", 0),
        quarantined=quarantined,
        status=_status(prepared.rows_read, quarantined),
        message="; ".join(prepared.notes),
        redactions=dict(prepared.redactions),
        top_reasons=reasons,
    )
    if not report.balanced:
        raise AssertionError(f"row accounting does not balance for {prepared.path}: {report}")
    con.execute(
        """INSERT INTO load_runs (run_id, kind, file, sha256, started_at, finished_at, rows_read,
        inserted, updated, unchanged, quarantined, status, message, source, mapping, redactions,
        redaction_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            run_id,
            report.kind,
            report.file,
            prepared.sha256,
            started_at,
            datetime.now(UTC),
            report.rows_read,
            report.inserted,
            report.updated,
            report.unchanged,
            quarantined,
            report.status,
            report.message,
            report.source or None,
            report.mapping,
            json.dumps(report.redactions, sort_keys=True),
            REDACTION_VERSION,
        ],
    )
    if quarantined:
        rows = (
            prepared.quarantine.with_columns(
                pl.lit(run_id, dtype=pl.Int64).alias("run_id"),
                pl.lit(report.kind).alias("kind"),
                pl.lit(report.file).alias("file"),
            )
            .select("run_id", "row_number", "kind", "file", "raw", "reason")
            .to_arrow()
        )
        con.register("quarantine_arrow", rows)
        con.execute("INSERT INTO quarantine SELECT * FROM quarantine_arrow")
        con.unregister("quarantine_arrow")
    return report


def _status(rows_read: int, quarantined: int) -> str:
    if quarantined == 0:
        return "ok"
    return "rejected" if quarantined == rows_read else "ok with quarantine"


def _top_reasons(quarantine: pl.DataFrame, limit: int = 5) -> list[tuple[str, int]]:
    """The most common problems, grouped by pattern (warehouse.reasons), as Data health does."""
    if quarantine.height == 0:
        return []
    problems = quarantine.select(
        reason_pattern_expr(pl.col("reason").str.split(SEPARATOR).explode()).alias("reason")
    )
    grouped = problems.group_by("reason").len().sort(["len", "reason"], descending=[True, False])
    return [(r, int(n)) for r, n in grouped.head(limit).iter_rows()]
