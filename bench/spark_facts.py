"""Derived facts on Spark local mode against DuckDB, on the same lake and machine.

The benchmark warehouse (scale 33: about 1M tickets, 10M messages) is written as a lake
(``python -m etl export-lake``), then ``python -m metrics facts`` builds every derived fact
from it on DuckDB and on Spark local mode (every core), one after the other in this process.
Reported: the export, each engine's build (Spark's session start apart), and the ratio
Spark / DuckDB. One machine is where Spark is at its weakest (a JVM, shuffles through local
disk); the figure says what the portability costs here, not what a cluster would do.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import dataset
from bench.results import record

# Local mode holds the whole job in the driver: give it room (the JVM's default is 1 GB).
DRIVER_MEMORY = "8g"


def run(
    scale: float = dataset.FULL_SCALE,
    write: bool = True,
    db: Path | None = None,
    session: Any = None,
) -> dict[str, float]:
    """Export the lake, build the facts on both engines; seconds, rows and the ratio.

    ``db`` replaces the benchmark warehouse at ``scale``; ``session`` reuses a running Spark
    session (the tests' shared one), which is then left running.
    """
    from etl.lake import export_lake
    from metrics.core.settings import load_settings
    from metrics.engines.build import build_facts
    from metrics.engines.spark import spark_available, start_session

    missing = spark_available()
    if missing:
        raise SystemExit(f"spark_facts: {missing}")
    source = db or dataset.ensure(scale).db
    settings = load_settings(None)
    folder = Path(tempfile.mkdtemp(prefix="spark-facts-"))
    try:
        started = time.perf_counter()
        export_lake(source, folder / "lake")
        export_seconds = time.perf_counter() - started
        duck = build_facts(folder / "lake", folder / "duckdb", settings, "duckdb")
        started = time.perf_counter()
        running = session or start_session(memory=DRIVER_MEMORY)
        start_seconds = time.perf_counter() - started
        try:
            spark = build_facts(
                folder / "lake", folder / "spark", settings, "spark", session=running
            )
        finally:
            if session is None:
                running.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    figures = {
        "contacts": float(dict((n, r) for n, r, _ in duck.facts)["contacts"]),
        "export_seconds": export_seconds,
        "duckdb_seconds": duck.seconds,
        "spark_start_seconds": start_seconds,
        "spark_seconds": spark.seconds,
        "ratio": spark.seconds / duck.seconds,
    }
    if write:
        _record(scale, figures, duck.facts, spark.facts)
    return figures


def _record(scale: float, figures: dict[str, float], duck: list, spark: list) -> None:
    rows = [
        f"| {name} | {rows:,} | {d:.1f} | {s:.1f} |"
        for (name, rows, d), (_, _, s) in zip(duck, spark, strict=True)
    ]
    record(
        f"Derived facts on Spark local mode vs DuckDB (scale {scale:g})",
        [
            f"Lake export: {figures['export_seconds']:.1f} s; Spark session start: "
            f"{figures['spark_start_seconds']:.1f} s (not in the build time).",
            "",
            "| fact | rows | DuckDB s | Spark local s |",
            "|---|---|---|---|",
            *rows,
            f"| **all** | | **{figures['duckdb_seconds']:.1f}** | **{figures['spark_seconds']:.1f}** |",
            "",
            f"Spark / DuckDB: **{figures['ratio']:.1f}x** on this machine.",
        ],
    )
