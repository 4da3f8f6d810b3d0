"""The growth curve (issue 20): how each cost grows with the data, scale 1 to 100.

At each scale (1, 3, 10, 33, 100: about 30k to 3M tickets, 0.3M to 30M messages) it takes
the bulk load of the exports (from the cached build, see bench.dataset), rebuilds every derived
fact from all the data on a copy (the whole upkeep a first load pays), and runs every page's
calls as ``bench.page_metrics`` does in a child process, whose peak resident memory is the
data side of the dashboard's (DuckDB capped at ``dashboard.data.DUCKDB_MEMORY``). Figures: load
seconds, fact build seconds, first-visit and warm page totals (sums over the twelve pages),
the slowest page warm, peak memory. The log-log slope of each against the ticket count says
how it grows: 1 in step with the data, below 1 slower, above 1 faster (``slopes``).

Peak memory is the child's own high-water mark (``VmHWM``), not ``ru_maxrss``: Linux keeps a
process's ``ru_maxrss`` across ``exec`` from the memory it had before, and Python starts a
child with ``vfork``, whose memory before the ``exec`` is the parent's; the child's
``ru_maxrss`` was this process's own peak (the fact build: 4.5 GB at scale 33) whenever that
was above the pages' (bench/RESULTS.md, wip-20p). The fact build runs in a child of its own
for the same reason, so its peak is reported apart (``fact_peak_mb``).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench import dataset
from bench.growth_plot import growth_svg
from bench.results import RESULTS, record
from bench.timing import load_average

SCALES = (1.0, 3.0, 10.0, 33.0, 100.0)
PLOT = RESULTS.with_name("growth.svg")
SERIES = {
    "load_seconds": "load (bulk, s)",
    "fact_seconds": "fact build (s)",
    "first_visit_ms": "first visits, 12 pages (ms)",
    "warm_ms": "warm, 12 pages (ms)",
    "warm_cpu_ms": "warm CPU, 12 pages (ms)",
    "peak_rss_mb": "peak memory, pages (MB)",
    "fact_peak_mb": "peak memory, fact build (MB)",
}


def slope(sizes: Sequence[float], values: Sequence[float]) -> float:
    """Least-squares slope of log(value) against log(size)."""
    xs, ys = [math.log(s) for s in sizes], [math.log(v) for v in values]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / spread


def peak_rss_mb() -> float:
    """This process's own peak resident memory in MB (``VmHWM``: since its ``exec``)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def _child(*args: str) -> dict[str, float]:
    """``python -m bench.growth ARGS`` in a child process; the figures it prints (JSON)."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.growth", *args], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _facts(data: dataset.Dataset) -> dict[str, float]:
    """A whole fact build on a copy of the warehouse (the cache is left as it is), in a child
    process: its seconds and the child's peak memory."""
    with tempfile.TemporaryDirectory(prefix="sqd-bench-growth-", dir=data.folder) as tmp:
        copy = dataset.working_copy(data, Path(tmp))
        return _child("--facts", str(copy))


def _child_facts(db: Path) -> None:
    seconds = dataset.build_facts(db, compact=False)  # the build a first load pays
    print(json.dumps({"fact_seconds": seconds, "fact_peak_mb": peak_rss_mb()}))


def _pages(db: Path, repeats: int) -> dict[str, float]:
    """Page totals and peak RSS, measured in a child process (its own memory)."""
    return _child("--pages", str(db), str(repeats))


def _child_pages(db: Path, repeats: int) -> None:
    from bench.page_metrics import measure_pages, page_figures

    _, results = measure_pages(db, repeats)
    figures = page_figures(results)
    pages = [key.removesuffix(" warm_ms") for key in figures if key.endswith(" warm_ms")]
    peak = peak_rss_mb()
    print(json.dumps({
        "first_visit_ms": sum(figures[f"{p} first_visit_ms"] for p in pages),
        "warm_ms": sum(figures[f"{p} warm_ms"] for p in pages),
        "warm_cpu_ms": sum(figures[f"{p} warm_cpu_ms"] for p in pages),
        "slowest_page_warm_ms": max(figures[f"{p} warm_ms"] for p in pages),
        "slowest_first_visit_ms": max(figures[f"{p} first_visit_ms"] for p in pages),
        "peak_rss_mb": peak,
    }))  # fmt: skip


def measure(scale: float, repeats: int) -> dict[str, float]:
    """Every figure at one scale."""
    data = dataset.ensure(scale)
    counts = _counts(data.db)
    loads = {k: v for k, v in data.build_seconds.items() if k not in ("generate", "facts")}
    row = {"scale": scale, **counts, "load_seconds": sum(loads.values())}
    row["load_average"] = load_average()
    started = time.perf_counter()
    row.update(_facts(data))
    row["fact_wall_seconds"] = time.perf_counter() - started
    row.update(_pages(data.db, repeats))
    row["file_mb"] = data.db.stat().st_size / 1e6
    return row


def _counts(db: Path) -> dict[str, float]:
    from warehouse.reader import ReadOnlyWarehouse

    wh = ReadOnlyWarehouse(db)
    try:
        tickets, messages = wh.query(
            "SELECT (SELECT count(*) FROM tickets), (SELECT count(*) FROM messages)"
        ).row(0)
    finally:
        wh.close()
    return {"tickets": float(tickets), "messages": float(messages)}


def run(
    scales: Sequence[float] = SCALES,
    write: bool = True,
    repeats: int = 2,
    scale: float | None = None,
) -> dict[str, float]:
    """The figures at each scale (``scale`` alone: one scale, e.g. the smoke run); slopes."""
    chosen = (scale,) if scale is not None else tuple(scales)
    rows = [measure(s, repeats) for s in chosen]
    sizes = [r["tickets"] for r in rows]
    figures = {f"{name} scale {r['scale']:g}": r[name] for r in rows for name in SERIES}
    if len(rows) > 1:
        figures |= {f"slope {n}": slope(sizes, [r[n] for r in rows]) for n in SERIES}
    if write and len(rows) > 1:
        PLOT.write_text(
            growth_svg(sizes, {SERIES[n]: [r[n] for r in rows] for n in SERIES}, "tickets"),
            encoding="utf-8",
        )
        record("Growth curve", _table(rows, figures))
    return figures


def _table(rows: list[dict[str, float]], figures: dict[str, float]) -> list[str]:
    lines = [
        "Each scale's warehouse built by `bench.dataset` (bulk loads, then one whole fact",
        "build); fact build measured again on a copy, in a child process (its peak RSS); pages",
        "as in the page benchmark, in another child process (its peak RSS: the data side of the",
        "dashboard's memory). Load averages (1/5/15 min) at each scale's start.",
        "",
        "| scale | tickets | messages | load s | fact build s | first visits ms (12 pages)"
        " | warm ms (12 pages) | warm CPU ms | slowest page warm ms | slowest first visit ms | pages peak MB"
        " | fact build peak MB | file MB | load average |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['scale']:g} | {r['tickets']:,.0f} | {r['messages']:,.0f} |"
            f" {r['load_seconds']:,.1f} | {r['fact_seconds']:,.1f} | {r['first_visit_ms']:,.0f} |"
            f" {r['warm_ms']:,.0f} | {r['warm_cpu_ms']:,.0f} | {r['slowest_page_warm_ms']:,.0f} |"
            f" {r['slowest_first_visit_ms']:,.0f} | {r['peak_rss_mb']:,.0f} |"
            f" {r['fact_peak_mb']:,.0f} | {r['file_mb']:,.0f} | {r['load_average']} |"
        )
    lines += ["", "Log-log slope against the ticket count (1: in step with the data):", ""]
    lines += [f"- {SERIES[n]}: {figures[f'slope {n}']:.2f}" for n in SERIES]
    return [*lines, "", f"![growth curve]({PLOT.name})"]


if __name__ == "__main__":  # the child processes: --pages DB REPEATS, --facts DB
    if sys.argv[1:2] == ["--pages"]:
        _child_pages(Path(sys.argv[2]), int(sys.argv[3]))
    elif sys.argv[1:2] == ["--facts"]:
        _child_facts(Path(sys.argv[2]))
