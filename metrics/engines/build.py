"""``python -m metrics facts``: every derived fact of a lake, on DuckDB or on Spark, as Parquet.

Both engines compute the same ``metrics.facts.all_facts`` definitions in the same order (each
fact after its inputs); Spark runs their SQL translated by SQLGlot. The output folder gets
one Parquet folder per fact and ``_facts.json`` (written last, so a reader never sees a
half-built folder as current): the engine, when, from which lake and data version, and per
fact its fingerprint, rows and seconds. ``warehouse.facts_reader`` reads it.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from metrics.core.settings import Settings
from metrics.facts import all_facts
from warehouse.facts_reader import FACTS_VERSION
from warehouse.lake import read_manifest
from warehouse.reader import FACTS_MANIFEST

ENGINES = ("duckdb", "spark")


@dataclass
class FactsBuild:
    """What one build did: per fact (name, rows, seconds), and the total."""

    engine: str
    out: Path
    facts: list[tuple[str, int, float]] = field(default_factory=list)
    seconds: float = 0.0


def build_facts(
    lake: Path,
    out: Path,
    settings: Settings,
    engine: str = "duckdb",
    master: str | None = None,
    session: Any = None,
) -> FactsBuild:
    """Build every derived fact of ``lake`` for ``settings`` into ``out`` with ``engine``.

    ``session`` (Spark only) reuses a running Spark session instead of starting one.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    lake_manifest = read_manifest(lake)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / FACTS_MANIFEST).unlink(missing_ok=True)
    facts = all_facts(settings)
    started = time.perf_counter()
    built = FactsBuild(engine, out)
    with _builder(engine, lake, master, session) as builder:
        for fact in facts:
            shutil.rmtree(out / fact.table, ignore_errors=True)
            t0 = time.perf_counter()
            rows = builder.build(fact, out)
            built.facts.append((fact.name, rows, time.perf_counter() - t0))
    built.seconds = time.perf_counter() - started
    if session is not None:
        master = _master_of(session) or master
    _write_manifest(out, lake, lake_manifest, built, facts, master)
    return built


class _builder:
    """The engine's builder as a context (a Spark session started here is stopped here)."""

    def __init__(self, engine: str, lake: Path, master: str | None, session: Any) -> None:
        self.engine, self.lake, self.master, self.session = engine, lake, master, session
        self.owned = None

    def __enter__(self) -> Any:
        if self.engine == "duckdb":
            from metrics.engines.lake_duckdb import DuckDBFactBuilder

            self.owned = DuckDBFactBuilder(self.lake)
            return self.owned
        from metrics.engines.spark import SparkRunner, start_session

        session = self.session
        if session is None:
            session = self.owned = start_session(self.master)
        return SparkRunner(session, self.lake)

    def __exit__(self, *exc: object) -> None:
        if self.owned is not None:
            (self.owned.close if self.engine == "duckdb" else self.owned.stop)()


def _master_of(session: Any) -> str | None:
    """The master a running session uses (None through Spark Connect, which hides it)."""
    try:
        return str(session.sparkContext.master)
    except Exception:  # Spark Connect sessions have no SparkContext
        return None


def engine_version(engine: str) -> str:
    if engine == "spark":
        import pyspark

        return f"Spark {pyspark.__version__}"
    import duckdb

    return f"DuckDB {duckdb.__version__}"


def _write_manifest(
    out: Path,
    lake: Path,
    lake_manifest: dict[str, Any],
    built: FactsBuild,
    facts: tuple,
    master: str | None,
) -> None:
    rows = {name: (n, s) for name, n, s in built.facts}
    manifest = {
        "format": "support-quality-facts",
        "facts_version": FACTS_VERSION,
        "engine": built.engine,
        "engine_version": engine_version(built.engine),
        "master": master or ("local[*]" if built.engine == "spark" else None),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(built.seconds, 3),
        "lake": str(Path(lake).resolve()),
        "lake_data_version": lake_manifest.get("data_version", 0),
        "facts": {
            f.table: {
                "fingerprint": f.fingerprint,
                "rows": rows[f.name][0],
                "seconds": round(rows[f.name][1], 3),
            }
            for f in facts
        },
    }
    tmp = out / f".{FACTS_MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    tmp.replace(out / FACTS_MANIFEST)
