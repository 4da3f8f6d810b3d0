"""Read-only access to the warehouse, safe beside a running load.

A private in-memory DuckDB ATTACHes the file READ_ONLY and exposes each table
as a view, so queries use plain table names. The connection is keyed on the
file's identity (inode, mtime): after a load swaps a new file in, the next
:meth:`ReadOnlyWarehouse.is_current` check fails and the caller opens a new one.
Each query runs on its own cursor, because a DuckDB connection refuses to be
used by two threads at once. Derived facts are normally built by the load that brought the
data (``fact_*`` tables, see ``metrics.facts``): :meth:`ReadOnlyWarehouse.stored_fact` hands
one out while it is current. Otherwise they are built on first use and kept compressed in a
private in-memory catalog (a million contacts take about 100 MB instead of 450 MB), and a
``memory_limit`` makes DuckDB spill big intermediate results to a temporary folder instead
of growing. ``reader_clock`` holds the instant this object opened the file (``as_of``): the
"now" of read-time parts of a fact such as an unanswered ticket's SLA breach.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import polars as pl

from warehouse.schema import FACT_BUILDS, STATE

FileKey = tuple[int, int, int]
T = TypeVar("T")
REMEMBERED = 64  # intermediate results kept per warehouse version (see remember)
_DERIVED_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
_SPILL_PREFIX = "sqd-duckdb-"
_MEMORY = re.compile(r"^\d+(\.\d+)?\s*(KB|MB|GB|KiB|MiB|GiB)$")


# What a folder of prebuilt facts is known by (warehouse.facts_reader writes and reads it).
FACTS_MANIFEST = "_facts.json"


def file_key(path: str | os.PathLike[str]) -> FileKey:
    """Identity of the warehouse file as it is now: (inode, mtime_ns, size); of a folder of
    prebuilt facts, its manifest's (rewritten last by every build)."""
    if os.path.isdir(path):
        path = os.path.join(path, FACTS_MANIFEST)
    stat = os.stat(path)
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


class ReadOnlyWarehouse:
    """An open, read-only view of one version of the warehouse file."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        memory_limit: str | None = None,
        *,
        as_of: datetime | None = None,
        stored_facts: bool = True,
    ) -> None:
        """Open ``path``; ``memory_limit`` (e.g. "1GB") caps DuckDB's memory, spilling beyond it.

        ``as_of`` (default: now) is the clock of read-time fact parts; ``stored_facts=False``
        ignores the facts stored in the file, so every fact is built on first use (the lazy
        path the tests compare the stored one with).
        """
        self.path = Path(path)
        if not self.path.exists():
            raise FileNotFoundError(f"{self.path}: no warehouse here yet")
        self.key = file_key(self.path)
        self._derived: set[str] = set()
        self._build_lock = threading.Lock()
        self._spill: Path | None = None
        self._con = duckdb.connect()
        self._con.execute("SET TimeZone = 'UTC'")
        if memory_limit is not None:
            self._limit_memory(memory_limit)
        # Derived tables compress at CHECKPOINT; the plain in-memory catalog never compresses.
        self._con.execute("ATTACH ':memory:' AS derived (COMPRESS)")
        self.tables: tuple[str, ...] = tuple(sorted(self._attach()))
        self.as_of = as_of or datetime.now(UTC)
        self._con.execute(
            "CREATE TABLE memory.main.reader_clock AS SELECT CAST($at AS TIMESTAMPTZ) AS as_of",
            {"at": self.as_of},
        )
        self._stored = self._current_facts() if stored_facts else {}
        self._remembered: OrderedDict[Hashable, Any] = OrderedDict()
        self._remember_lock = threading.Lock()
        self._building: dict[Hashable, threading.Event] = {}  # keys being built, by thread

    def _attach(self) -> list[str]:
        """Make the data's tables visible under their plain names; their names."""
        self._con.execute("ATTACH ? AS wh (READ_ONLY)", [str(self.path)])
        tables = self._con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'wh'"
        ).fetchall()
        for (name,) in tables:
            # Names come from the attached file's own catalog, quoted as identifiers.
            self._con.execute(f'CREATE VIEW "{name}" AS SELECT * FROM wh."{name}"')  # noqa: S608
        return [name for (name,) in tables]

    def remember(self, key: Hashable, build: Callable[[], T]) -> T:
        """``build()``, kept for the next call with the same ``key`` on this file version.

        For an intermediate result several metric calls of one page share (a period's topic
        models, coverage slots): the key must hold every input besides the data (settings,
        filters, options). At most REMEMBERED results are kept, the least recent dropped.
        Built once: a thread asking for a key another thread is building waits for that
        build (two browser sessions, or a page's calls on two threads, share one).
        """
        while True:
            with self._remember_lock:
                if key in self._remembered:
                    self._remembered.move_to_end(key)
                    return self._remembered[key]
                building = self._building.get(key)
                if building is None:
                    building = self._building[key] = threading.Event()
                    break
            building.wait()  # then look again: the build may have failed (built here then)
        try:
            value = build()
            with self._remember_lock:
                self._remembered[key] = value
                while len(self._remembered) > REMEMBERED:
                    self._remembered.popitem(last=False)
        finally:
            with self._remember_lock:
                del self._building[key]
            building.set()
        return value

    def forget(self) -> None:
        """Drop every remembered intermediate result (a benchmark timing a new filter choice)."""
        with self._remember_lock:
            self._remembered.clear()

    def _current_facts(self) -> dict[str, str]:
        """Stored fact table -> fingerprint, for the facts built for the file's data version."""
        if not {FACT_BUILDS, STATE} <= set(self.tables):
            return {}
        rows = self._con.execute(
            f"SELECT f.name, f.fingerprint FROM {FACT_BUILDS} AS f"  # noqa: S608
            f" JOIN {STATE} AS s ON s.data_version = f.data_version"
        ).fetchall()
        return {name: fingerprint for name, fingerprint in rows if name in self.tables}

    def stored_fact(self, name: str, fingerprint: str) -> str | None:
        """``name`` when the file holds that fact built from its current data by the
        definition with ``fingerprint``; else None (the caller builds it on first use)."""
        return name if self._stored.get(name) == fingerprint else None

    def view(self, name: str, sql: str) -> str:
        """Define view ``name`` as ``sql`` in the private catalog (once); return ``name``.

        Used for the read-time part of a derived fact (e.g. what depends on the clock).
        """
        if not _DERIVED_NAME.match(name):
            raise ValueError(f"not a valid derived view name: {name!r}")
        with self._build_lock:
            if name not in self._derived:
                self.cursor().execute(f'CREATE OR REPLACE VIEW memory.main."{name}" AS {sql}')
                self._derived.add(name)
        return name

    def materialize(
        self,
        name: str,
        sql: str,
        params: dict[str, Any] | None = None,
        frames: dict[str, pl.DataFrame] | Callable[[], dict[str, pl.DataFrame]] | None = None,
    ) -> str:
        """Keep the result of ``sql`` as an in-memory table ``name`` (built once); return ``name``.

        Used for derived facts (e.g. the contact fact) that many queries share. The
        table lives in this object's private in-memory catalog, never in the file.
        """
        if not _DERIVED_NAME.match(name):
            raise ValueError(f"not a valid derived table name: {name!r}")
        with self._build_lock:
            if name in self._derived:
                return name
            cur = self.cursor()
            lookups = frames() if callable(frames) else (frames or {})
            for frame_name, frame in lookups.items():
                cur.register(frame_name, frame.to_arrow())
            cur.execute(f'CREATE OR REPLACE TABLE derived.main."{name}" AS {sql}', params or {})
            # FORCE waits for running queries (a plain CHECKPOINT fails while other sessions read).
            cur.execute("FORCE CHECKPOINT derived")
            # Queries name the table plainly: a view in the default catalog points at it.
            cur.execute(
                f'CREATE OR REPLACE VIEW memory.main."{name}" AS SELECT * FROM derived.main."{name}"'  # noqa: S608
            )
            self._derived.add(name)
        return name

    def _limit_memory(self, limit: str) -> None:
        if not _MEMORY.match(limit):
            raise ValueError(f"not a memory size: {limit!r} (e.g. 800MB, 1GB)")
        _remove_orphaned_spills()
        spill = Path(tempfile.gettempdir()) / f"{_SPILL_PREFIX}{os.getpid()}-{id(self)}"
        self._spill = spill
        # Only checked text reaches SET (DuckDB does not bind parameters there).
        self._con.execute(f"SET memory_limit = '{limit}'")
        self._con.execute("SET temp_directory = '" + str(spill).replace("'", "''") + "'")

    def is_current(self) -> bool:
        """True while the file on disk is still the one this object attached."""
        try:
            return file_key(self.path) == self.key
        except FileNotFoundError:
            return False

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor of its own for one caller (thread-safe use)."""
        cur = self._con.cursor()
        cur.execute("SET TimeZone = 'UTC'")
        return cur

    def query(
        self,
        sql: str,
        params: Sequence[Any] | dict[str, Any] | None = None,
        frames: dict[str, pl.DataFrame] | None = None,
    ) -> pl.DataFrame:
        """Run ``sql`` with bound ``params`` and return the result as a Polars frame.

        ``frames`` are small lookup tables (e.g. a business-hours calendar) made
        visible to this one query under the given names.
        """
        cur = self.cursor()
        for name, frame in (frames or {}).items():
            cur.register(name, frame.to_arrow())
        return cur.sql(sql, params=params).pl()

    def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> Any:
        """Run ``sql`` and return the first column of its first row (None when empty)."""
        rows = self.cursor().execute(sql, params or []).fetchall()
        return rows[0][0] if rows else None

    def close(self) -> None:
        self._con.close()
        if self._spill is not None:
            shutil.rmtree(self._spill, ignore_errors=True)


def _remove_orphaned_spills() -> None:
    """Spill folders of processes that ended without closing their warehouse (killed servers)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{_SPILL_PREFIX}*-*"):
        pid = folder.name.removeprefix(_SPILL_PREFIX).split("-")[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue  # alive, but another user's
