"""Every page's calls on prebuilt facts (``SUPPORT_FACTS``) against the warehouse file.

Issue 18 point 4: the dashboard on prebuilt facts must have the warehouse file's timings. The
benchmark warehouse is written as a lake (``export-lake``), its facts are built from the lake
on DuckDB (``python -m metrics facts``), and then the calls of ``bench.page_metrics`` (every
page, the dashboard's default filters and choices) run on both readers in this process, page by
page, one reader after the other (so both see the same load on a shared machine): the warehouse
file (``ReadOnlyWarehouse``) and the facts folder with its lake, read with DuckDB over Parquet
(``FactsWarehouse``), both with the dashboard's DuckDB memory limit. Reported per page: first
visit and warm milliseconds on each, and the ratio facts / file (1.0: the same; above: slower
on facts); per call, the warm milliseconds and their ratio.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench import dataset
from bench.page_metrics import Results, _measure, defaults, page_calls
from bench.results import record
from bench.timing import load_average
from etl.lake import export_lake
from metrics.core.settings import load_settings
from metrics.engines.build import build_facts
from metrics.facts import all_facts
from warehouse.facts_reader import FactsWarehouse
from warehouse.reader import ReadOnlyWarehouse


def _ratio(facts_ms: float, file_ms: float) -> float:
    return facts_ms / file_ms if file_ms > 0 else float("nan")


def _shown(rows: list[tuple[str, float, float]]) -> float:
    """A page's warm total (what opening it costs, without the calls made on a click)."""
    return sum(warm for label, _, warm in rows if "on click" not in label)


def run(
    scale: float = dataset.FULL_SCALE, write: bool = True, repeats: int = 3
) -> dict[str, float]:
    """Per page: warm and first-visit ratios facts / file, and the whole app's warm ratio."""
    data = dataset.ensure(scale)
    settings = load_settings(None)
    with tempfile.TemporaryDirectory(prefix="sqd-bench-facts-pages-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        export_lake(data.db, folder / "lake")
        export_seconds = time.perf_counter() - started
        built = build_facts(folder / "lake", folder / "facts", settings, "duckdb")
        unused = _facts_not_used(folder / "facts")
        probe = ReadOnlyWarehouse(data.db)
        try:
            chosen = defaults(probe, settings)
            counts = probe.query(
                "SELECT (SELECT count(*) FROM tickets) AS t, (SELECT count(*) FROM messages) AS m"
            ).row(0)
        finally:
            probe.close()
        (folder / "exports").mkdir()
        calls = page_calls(settings, chosen, folder / "exports")
        sidebar = calls.pop("sidebar (every page)")
        load = load_average()
        on_file: Results = {}
        on_facts: Results = {}
        for page, page_calls_ in calls.items():
            on_file[page] = _measure(data.db, sidebar, page_calls_, repeats)
            on_facts[page] = _measure(folder / "facts", sidebar, page_calls_, repeats)
    figures = _figures(on_file, on_facts)
    if write:
        head = [
            f"{counts[0]:,} tickets, {counts[1]:,} messages; filters {chosen.chosen.date_from} to"
            f" {chosen.chosen.date_to} (the default last 30 days); warm = best of {repeats};"
            f" load average {load} at the start of the page calls.",
            "",
            f"Lake export {export_seconds:.1f} s; facts built on DuckDB from the lake in"
            f" {built.seconds:.1f} s; prebuilt facts the reader did not use (built on first"
            f" use instead): {', '.join(unused) or 'none'}.",
            "",
        ]
        record(
            f"Pages on prebuilt facts vs the warehouse file (scale {scale:g})",
            head + _table(on_file, on_facts),
        )
    return figures


def _facts_not_used(folder: Path) -> list[str]:
    """Facts of the folder that the reader would not use (fingerprint or lake version off)."""
    wh = FactsWarehouse(folder)
    try:
        return [
            f.name
            for f in all_facts(load_settings(None))
            if not wh.stored_fact(f.table, f.fingerprint)
        ]
    finally:
        wh.close()


def _figures(on_file: Results, on_facts: Results) -> dict[str, float]:
    figures: dict[str, float] = {}
    for page in on_file:
        figures[f"{page} warm_ratio"] = _ratio(
            _shown(on_facts[page].calls), _shown(on_file[page].calls)
        )
        figures[f"{page} first_visit_ratio"] = _ratio(
            on_facts[page].first_ms, on_file[page].first_ms
        )
    figures["all pages warm_ratio"] = _ratio(
        sum(_shown(t.calls) for t in on_facts.values()),
        sum(_shown(t.calls) for t in on_file.values()),
    )
    return figures


def _table(on_file: Results, on_facts: Results) -> list[str]:
    lines = [
        "| page | first visit ms, file | on facts | facts / file | warm ms, file | on facts"
        " | facts / file |",
        "|---|---|---|---|---|---|---|",
    ]
    for page, timing in on_file.items():
        first, rows = timing.first_ms, timing.calls
        facts_first, facts_rows = on_facts[page].first_ms, on_facts[page].calls
        warm, facts_warm = _shown(rows), _shown(facts_rows)
        lines.append(
            f"| {page} | {first:,.0f} | {facts_first:,.0f} | {_ratio(facts_first, first):.2f}"
            f" | {warm:,.0f} | {facts_warm:,.0f} | {_ratio(facts_warm, warm):.2f} |"
        )
    total = sum(_shown(t.calls) for t in on_file.values())
    facts_total = sum(_shown(t.calls) for t in on_facts.values())
    lines.append(
        f"| **all pages** | | | | {total:,.0f} | {facts_total:,.0f}"
        f" | **{_ratio(facts_total, total):.2f}** |"
    )
    lines += [
        "",
        "| page | call | warm ms, file | on facts | facts / file |",
        "|---|---|---|---|---|",
    ]
    for page, timing in on_file.items():
        rows = timing.calls
        facts_warm = {label: warm for label, _, warm in on_facts[page].calls}
        for label, _, warm in rows:
            lines.append(
                f"| {page} | {label} | {warm:,.0f} | {facts_warm[label]:,.0f}"
                f" | {_ratio(facts_warm[label], warm):.2f} |"
            )
    return lines
