"""The lake layout and DuckDB over it: the warehouse's canonical tables as Parquet, the big ones split by month.

::

    DIR/_lake.json                         format, layout version, warehouse schema, tables
    DIR/tickets/month=2026-01/part-0.parquet   (hive partitions: month of created_at, UTC)
    DIR/messages/month=2026-01/...         (month of sent_at)
    DIR/agents/part-0.parquet              (small tables: one file)

A row whose partition column is NULL (an export that cannot say when) lives in
``month=unknown``. The partition column is not stored inside the files (hive style), so a
reader that ignores partitions (``hive_partitioning=false``) sees exactly the warehouse's
columns. Timestamps are Parquet timestamps adjusted to UTC (microseconds); lists are Parquet
lists. Derived facts (``fact_*``) are not part of the lake: ``python -m metrics facts``
builds them from it (``metrics.engines``). docs/lake.md documents the same.

Like every DuckDB connection, the ones over a lake are opened here (``lake_connection``, and
``export_connection`` for ``etl.lake.export``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

# Bump when the layout changes (folders, partitioning, manifest); the warehouse schema
# version is recorded beside it.
LAKE_VERSION = 1
MANIFEST = "_lake.json"
UNKNOWN_MONTH = "unknown"

# Table -> the timestamp (or date) column whose UTC month partitions it.
PARTITIONED: dict[str, str] = {
    "tickets": "created_at",
    "messages": "sent_at",
    "ticket_events": "changed_at",
    "surveys": "responded_at",
    "customer_activity": "active_on",
    "shifts": "starts_at",
}
# Tables that stay in the warehouse only: derived facts and their build records.
NOT_IN_LAKE_PREFIXES = ("fact_",)


@dataclass(frozen=True)
class LakeTable:
    """One table of a lake: its folder and the glob that reads every file of it."""

    name: str
    folder: Path

    @property
    def glob(self) -> str:
        """What ``read_parquet`` (DuckDB) reads: every Parquet file under the folder."""
        return str(self.folder / "**" / "*.parquet")


def in_lake(table: str) -> bool:
    """True for the tables a lake holds (everything but derived facts)."""
    return not table.startswith(NOT_IN_LAKE_PREFIXES)


def read_manifest(lake: Path) -> dict[str, Any]:
    """The lake's manifest; ``FileNotFoundError`` naming the folder when it is not a lake."""
    path = Path(lake) / MANIFEST
    if not path.is_file():
        raise FileNotFoundError(
            f"{lake}: not a lake (no {MANIFEST}); write one with python -m etl export-lake"
        )
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("lake_version") != LAKE_VERSION:
        raise ValueError(
            f"{lake}: lake layout version {manifest.get('lake_version')}, expected {LAKE_VERSION}"
        )
    return manifest


def lake_tables(lake: Path) -> dict[str, LakeTable]:
    """Every table the manifest lists, with its folder."""
    manifest = read_manifest(lake)
    return {name: LakeTable(name, Path(lake) / name) for name in manifest["tables"]}


def attach_lake(con: duckdb.DuckDBPyConnection, lake: Path, schema: str = "main") -> list[str]:
    """Create a view per lake table in ``schema`` of ``con``; the table names."""
    names = []
    for name, table in sorted(lake_tables(lake).items()):
        # Names come from the lake's manifest, quoted as identifiers; DDL cannot bind the glob.
        con.execute(
            f'CREATE OR REPLACE VIEW {schema}."{name}" AS SELECT * FROM read_parquet('  # noqa: S608
            f"{sql_string(table.glob)}, hive_partitioning = false, union_by_name = true)"
        )
        names.append(name)
    return names


def sql_string(text: str) -> str:
    """``text`` as a SQL string literal (for DDL, which cannot bind parameters)."""
    return "'" + text.replace("'", "''") + "'"


def lake_connection(lake: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB whose tables are the lake's (UTC session)."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    attach_lake(con, lake)
    return con


def export_connection(db: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with warehouse ``db`` attached read-only as ``wh`` (UTC session)."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("ATTACH ? AS wh (READ_ONLY)", [str(db)])
    return con
