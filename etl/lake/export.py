"""Write a warehouse's tables into the lake layout (``etl.lake.layout``).

Each table is written whole into a staging folder beside its final place, then swapped in
(the old folder renamed away and removed), so a reader sees either the old or the new
version of a table, never half of one. The warehouse is what keeps accounting, redaction and
idempotence: a load upserts into it (a reloaded file replaces its rows) and the tables it
touched are then written out again, so the lake holds exactly the warehouse's rows.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from warehouse.lake import (
    LAKE_VERSION,
    MANIFEST,
    PARTITIONED,
    UNKNOWN_MONTH,
    export_connection,
    in_lake,
)
from warehouse.schema import SCHEMA_VERSION


def export_lake(
    db: Path,
    out: Path,
    tables: Iterable[str] | None = None,
    keep: Callable[[str], bool] | None = None,
) -> dict[str, int]:
    """Write ``tables`` (default: every table of the lake; with ``keep``, those it keeps) of
    warehouse ``db`` under ``out``.

    Returns rows written per table. The manifest lists every table of the warehouse, so a
    partial export (a load's tables) keeps the others as they were.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    con = export_connection(db)
    try:
        present = _tables(con)
        wanted = present if tables is None else [t for t in present if t in set(tables)]
        wanted = [t for t in wanted if keep is None or keep(t) or not (out / t).exists()]
        written = {name: _write_table(con, name, out) for name in wanted}
        _write_manifest(con, out, present)
    finally:
        con.close()
    return written


def _tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = 'wh' ORDER BY table_name"
    ).fetchall()
    return [name for (name,) in rows if in_lake(name)]


def _write_table(con: duckdb.DuckDBPyConnection, name: str, out: Path) -> int:
    """Write one table into a staging folder and swap it in; its row count."""
    final = out / name
    staging = out / f".{name}.staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    # Names come from the attached warehouse's own catalog and are quoted as identifiers.
    count = con.execute(f'SELECT count(*) FROM wh."{name}"').fetchall()[0][0]  # noqa: S608
    column = PARTITIONED.get(name)
    if column is None or count == 0:
        # One file (an empty table still records its columns and types).
        con.execute(
            f'COPY (SELECT * FROM wh."{name}") TO ? (FORMAT parquet, COMPRESSION zstd)',  # noqa: S608
            [str(staging / "part-0.parquet")],
        )
    else:
        con.execute(
            f"""COPY (
                SELECT *, coalesce(strftime(CAST("{column}" AS TIMESTAMPTZ), '%Y-%m'),
                    '{UNKNOWN_MONTH}') AS month
                FROM wh."{name}" ORDER BY "{column}"
            ) TO ? (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (month),
                FILENAME_PATTERN 'part-{{i}}')""",  # noqa: S608
            [str(staging)],
        )
    _swap(staging, final)
    return int(count)


def _swap(staging: Path, final: Path) -> None:
    old = final.with_name(f".{final.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def _write_manifest(con: duckdb.DuckDBPyConnection, out: Path, tables: list[str]) -> None:
    columns = con.execute(
        "SELECT table_name, column_name, data_type FROM duckdb_columns()"
        " WHERE database_name = 'wh' ORDER BY table_name, column_index"
    ).fetchall()
    described: dict[str, dict[str, str]] = {name: {} for name in tables}
    for table, column, kind in columns:
        if table in described:
            described[table][column] = kind
    version = con.execute(
        "SELECT max(data_version) FROM wh.warehouse_state"
        if "warehouse_state" in tables
        else "SELECT 0"
    ).fetchall()[0]
    manifest = {
        "format": "support-quality-lake",
        "lake_version": LAKE_VERSION,
        "warehouse_schema": SCHEMA_VERSION,
        "data_version": int(version[0] or 0),
        "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "partitioned_by_month": {t: c for t, c in PARTITIONED.items() if t in described},
        "tables": described,
    }
    tmp = out / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    tmp.replace(out / MANIFEST)
