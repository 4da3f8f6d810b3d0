"""The DuckDB fact engine over a lake: the baseline the Spark engine is compared with.

It runs exactly what a load runs (``metrics.facts.store.build_whole``) on a private in-memory
connection whose tables are the lake's Parquet (``warehouse.lake``), then writes each fact as
Parquet.
"""

from __future__ import annotations

from pathlib import Path

from metrics.core.facts import Fact
from metrics.facts.store import build_whole
from warehouse.lake import lake_connection


class DuckDBFactBuilder:
    """Builds facts from a lake on DuckDB, each written to ``out/<table>/part-0.parquet``."""

    def __init__(self, lake: Path) -> None:
        self.con = lake_connection(lake)

    def build(self, fact: Fact, out: Path) -> int:
        """Compute ``fact`` (its inputs built before it) into ``out/<table>``; its rows."""
        build_whole(self.con, fact)
        folder = out / fact.table
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.parquet"):
            old.unlink()
        # The table name comes from the fact's definition (a fixed list).
        self.con.execute(
            f"COPY {fact.table} TO ? (FORMAT parquet, COMPRESSION zstd)",  # noqa: S608
            [str(folder / "part-0.parquet")],
        )
        rows = self.con.execute(f"SELECT count(*) FROM {fact.table}").fetchall()  # noqa: S608
        return int(rows[0][0]) if rows else 0

    def close(self) -> None:
        self.con.close()
