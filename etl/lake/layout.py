"""The lake layout: the warehouse's canonical tables as Parquet, the big ones split by month.

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
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
