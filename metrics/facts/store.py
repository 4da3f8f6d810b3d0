"""Derived facts in the warehouse file: built whole, stamped, and what is stored now.

Everything here runs on the read-write connection of a write (``warehouse.writer``), so a
fact lands in the same file, and is swapped in at the same instant, as the data it was built
from. ``fact_builds`` says, per stored fact, which definition (fingerprint) and which data
version it was built for; readers use a stored fact only while both still hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb
import polars as pl

from metrics.core.facts import Fact


class WriteRunner:
    """A writer's connection as a ``metrics.core.facts.Runner`` (for lookup frames)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def query(
        self,
        sql: str,
        params: dict[str, Any] | None = None,
        frames: dict[str, pl.DataFrame] | None = None,
    ) -> pl.DataFrame:
        for name, frame in (frames or {}).items():
            self.con.register(name, frame.to_arrow())
        try:
            return self.con.sql(sql, params=params).pl()
        finally:
            for name in frames or {}:
                self.con.unregister(name)


@dataclass(frozen=True)
class Stored:
    """What ``fact_builds`` says of one stored fact."""

    fingerprint: str
    data_version: int
    origin: str | None


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """The warehouse's data version (counted up by every write)."""
    rows = con.execute("SELECT data_version FROM warehouse_state").fetchall()
    return int(rows[0][0]) if rows else 0


def stored_facts(con: duckdb.DuckDBPyConnection) -> dict[str, Stored]:
    """Stored fact table -> its build record, for the tables that exist."""
    tables = {
        name
        for (name,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
            " AND NOT temporary"
        ).fetchall()
    }
    rows = con.execute("SELECT name, fingerprint, data_version, origin FROM fact_builds").fetchall()
    return {name: Stored(fp, int(v), origin) for name, fp, v, origin in rows if name in tables}


def register_frames(con: duckdb.DuckDBPyConnection, fact: Fact) -> list[str]:
    """Register the fact's lookup frames on ``con`` (computed on the whole data); their names."""
    frames = fact.lookups(WriteRunner(con))
    for name, frame in frames.items():
        con.register(name, frame.to_arrow())
    return list(frames)


def unregister(con: duckdb.DuckDBPyConnection, names: list[str]) -> None:
    for name in names:
        con.unregister(name)


def build_whole(con: duckdb.DuckDBPyConnection, fact: Fact) -> None:
    """(Re)build ``fact`` from all the data, in its storage order."""
    names = register_frames(con, fact)
    try:
        sql = fact.render({f.name: f.table for f in fact.inputs})
        order = f" ORDER BY {fact.order_by}" if fact.order_by else ""
        con.execute(
            f"CREATE OR REPLACE TABLE {fact.table} AS SELECT * FROM ({sql}) AS built{order}",  # noqa: S608
            fact.bound(),
        )
    finally:
        unregister(con, names)


def stamp(
    con: duckdb.DuckDBPyConnection, fact: Fact, mode: str, seconds: float, origin: str | None
) -> int:
    """Record that ``fact`` now holds the current data (``mode``: full, incremental,
    unchanged); its row count."""
    rows = con.execute(f"SELECT count(*) FROM {fact.table}").fetchall()  # noqa: S608
    count = int(rows[0][0]) if rows else 0
    con.execute("DELETE FROM fact_builds WHERE name = ?", [fact.table])
    con.execute(
        "INSERT INTO fact_builds VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            fact.table,
            fact.fingerprint,
            data_version(con),
            datetime.now(UTC),
            mode,
            count,
            seconds,
            origin,
        ],
    )
    return count


def drop_unknown(con: duckdb.DuckDBPyConnection, known: set[str]) -> None:
    """Drop stored facts no definition builds any more (renamed or removed facts)."""
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
        " AND NOT temporary AND starts_with(table_name, 'fact_') AND table_name <> 'fact_builds'"
    ).fetchall()
    for (name,) in rows:
        if name not in known:
            # The name comes from the catalog and is quoted as an identifier.
            con.execute(f'DROP TABLE "{name}"')
            con.execute("DELETE FROM fact_builds WHERE name = ?", [name])
