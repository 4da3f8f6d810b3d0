"""Benchmark scripts run end to end at a tiny scale, so they cannot rot (no figures written)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench import (
    dashboard_memory,
    dataset,
    demo_build,
    facts_pages,
    first_page,
    growth,
    incremental_load,
    kpi_pandas,
    message_load,
    page_metrics,
    quality_scoring,
    quarantine_load,
    spark_facts,
    ticket_load,
)
from bench.__main__ import BENCHMARKS
from bench.results import RESULTS, record

SMOKE = dataset.SMOKE_SCALE


@pytest.fixture(scope="module", autouse=True)
def bench_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A private cache for the tiny benchmark warehouse (built once for this module)."""
    before = os.environ.get("SQD_BENCH_CACHE")
    folder = tmp_path_factory.mktemp("bench-cache")
    os.environ["SQD_BENCH_CACHE"] = str(folder)
    try:
        yield folder
    finally:
        if before is None:
            os.environ.pop("SQD_BENCH_CACHE", None)
        else:
            os.environ["SQD_BENCH_CACHE"] = before


@pytest.fixture(autouse=True)
def results_untouched() -> Iterator[None]:
    """Smoke runs never write bench/RESULTS.md."""
    before = RESULTS.read_bytes() if RESULTS.exists() else None
    yield
    assert (RESULTS.read_bytes() if RESULTS.exists() else None) == before


def test_every_benchmark_script_is_registered():
    assert list(BENCHMARKS) == [
        "demo", "tickets", "quarantine", "messages", "incremental", "pages", "kpis", "memory",
        "first-page", "growth", "quality", "spark", "facts-pages",
    ]  # fmt: skip


def test_the_demo_build_benchmark_runs_and_reports_its_steps():
    figures = demo_build.run(scale=SMOKE, write=False)
    assert set(figures) == {"generate_seconds", "load_seconds", "total_seconds"}
    assert figures["total_seconds"] >= figures["load_seconds"] > 0


def test_the_benchmark_warehouse_is_built_once_and_then_reused(bench_cache: Path):
    first = dataset.ensure(SMOKE)
    again = dataset.ensure(SMOKE)
    assert first.db == again.db and first.db.is_relative_to(bench_cache)
    assert first.build_seconds == again.build_seconds  # read from the manifest, not rebuilt
    assert {e.kind for e in first.exports} >= {"tickets", "messages", "surveys"}


def test_the_ticket_file_is_topped_up_with_new_ids(tmp_path: Path):
    source = tmp_path / "source.csv"
    source.write_text("id,subject\n1,a\n2,b\n")
    assert ticket_load.ticket_file(source, 5, tmp_path / "out.csv") == 5
    ids = [line.split(",")[0] for line in (tmp_path / "out.csv").read_text().splitlines()[1:]]
    assert ids == ["1", "2", "100000001", "100000002", "200000001"]
    assert ticket_load.ticket_file(source, 2, tmp_path / "new.csv", keep_original=False) == 2
    assert (tmp_path / "new.csv").read_text() == "id,subject\n100000001,a\n100000002,b\n"


@pytest.fixture(scope="module")
def ticket_figures() -> dict[str, float]:
    """One smoke run of the ticket loading benchmark: its in-process and whole-process
    comparisons come from the same run (each test below checks one of them). Built before
    ``results_untouched`` starts watching (a module fixture), so it checks the same itself."""
    before = RESULTS.read_bytes() if RESULTS.exists() else None
    figures = ticket_load.run(scale=SMOKE, write=False, repeats=1)
    assert (RESULTS.read_bytes() if RESULTS.exists() else None) == before
    return figures


def test_the_ticket_loading_benchmark_compares_with_read_csv(ticket_figures):
    figures = ticket_figures
    assert figures["rows"] == round(1_000_000 * SMOKE / dataset.FULL_SCALE)
    assert figures["ratio"] == pytest.approx(figures["duckdb_seconds"] / figures["load_seconds"])


def test_the_ticket_loading_benchmark_also_compares_whole_processes(ticket_figures):
    figures = ticket_figures
    assert figures["process_ratio"] == pytest.approx(
        figures["duckdb_process_seconds"] / figures["load_process_seconds"]
    )


def test_the_quarantine_benchmark_compares_mostly_bad_files_with_the_clean_one():
    figures = quarantine_load.run(scale=SMOKE, write=False, repeats=1)
    assert set(figures) == {
        "rows", "clean_seconds",
        *(f"{name}_{what}" for name in quarantine_load.VARIANTS for what in ("seconds", "factor")),
    }  # fmt: skip
    assert figures["implausible_90_factor"] == pytest.approx(
        figures["implausible_90_seconds"] / figures["clean_seconds"]
    )


def test_the_quarantine_variants_rewrite_created_at_on_their_share_of_rows(tmp_path: Path):
    clean = tmp_path / "clean.csv"
    lines = [f"{i},2026-05-01T00:00:{i:02d}Z,Help" for i in range(20)]
    clean.write_text("id,created_at,subject\n" + "\n".join(lines) + "\n")
    assert quarantine_load.variant_file(clean, tmp_path / "i.csv", "implausible", 0.2) == 4
    rows = (tmp_path / "i.csv").read_text().splitlines()[1:]
    assert rows[0] == "0,1990-05-01T00:00:00Z,Help" and rows[2] == "2,2026-05-01T00:00:02Z,Help"
    assert quarantine_load.variant_file(clean, tmp_path / "u.csv", "not_dates", 0.9) == 18
    assert (tmp_path / "u.csv").read_text().splitlines()[1] == "0,Help,Help"


def test_the_message_loading_benchmark_compares_with_a_vader_loop():
    figures = message_load.run(scale=SMOKE, write=False, repeats=1)
    assert figures["messages"] > 1000 and 0 < figures["distinct_share"] <= 1
    assert figures["speedup"] == pytest.approx(
        figures["vader_seconds"] / figures["enrichment_seconds"]
    )
    assert 0 < figures["enrichment_seconds"] < figures["load_seconds"]


def test_the_incremental_load_benchmark_loads_only_new_tickets():
    figures = incremental_load.run(scale=SMOKE, write=False, repeats=1)
    assert figures["rows"] == 10 and figures["load_seconds"] > 0


def test_the_page_benchmark_times_every_page_first_visit_and_warm():
    figures = page_metrics.run(scale=SMOKE, write=False, repeats=1)
    pages = {key.removesuffix(" warm_ms") for key in figures if key.endswith(" warm_ms")}
    assert pages == {
        "Overview", "Agent scorecards", "Training impact", "Quality review", "Customer voice",
        "Retention", "Coverage and staffing", "Response and waits", "Channels and backlog",
        "Bot and security", "Explore and export", "Data health",
    }  # fmt: skip
    assert all(figures[f"{page} first_visit_ms"] > 0 for page in pages)
    assert 0 <= figures["pages_over_warm_target"] <= len(pages)


def test_the_facts_pages_benchmark_times_every_page_on_facts_and_on_the_file():
    figures = facts_pages.run(scale=SMOKE, write=False, repeats=1)
    ratios = [value for key, value in figures.items() if key.endswith(" warm_ratio")]
    assert len(ratios) == 13  # twelve pages and all of them
    assert all(ratio > 0 for ratio in ratios)


def test_the_quality_benchmark_scores_every_conversation_and_times_the_page():
    figures = quality_scoring.run(scale=SMOKE, write=False, repeats=1)
    assert figures["rescore_conversations"] > 0
    assert figures["scorer_per_second_wall"] > 0 and figures["slowest_warm_ms"] > 0


def test_the_kpi_benchmark_agrees_with_the_analysts_pandas_on_the_simple_figures():
    figures = kpi_pandas.run(scale=SMOKE, write=False, repeats=1)
    assert figures["ratio_cold"] > 0 and figures["ratio_warm"] > 0
    data = dataset.ensure(SMOKE)
    settings = kpi_pandas.load_settings(None)
    sla = {**settings.sla_minutes, "default": settings.sla_default_minutes}
    theirs = kpi_pandas.analyst_kpis(kpi_pandas.load_frames(data.db), sla)
    wh = kpi_pandas.ReadOnlyWarehouse(data.db)
    try:
        mine = kpi_pandas.ours(kpi_pandas.headline(wh, settings, kpi_pandas.Filters()))
    finally:
        wh.close()
    for name in ("tickets", "frt_median", "resolution_median", "one_touch_rate", "csat"):
        assert mine[name] == pytest.approx(theirs[name]), name


ROOT_DIR = Path(__file__).resolve().parents[1]


@pytest.mark.browser
@pytest.mark.skipif(not Path(dashboard_memory.CHROMIUM).exists(), reason="no Debian Chromium")
def test_the_memory_benchmark_clicks_through_every_page_without_an_exception():
    # Its own process: Playwright's sync API refuses to run inside the asyncio loop that the
    # pytest-playwright fixtures of the browser tests leave running in this one.
    script = (
        "import json; from bench import dashboard_memory; "
        f"print(json.dumps(dashboard_memory.run(scale={SMOKE!r}, write=False)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT_DIR, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["exceptions"] == 0
    assert 0 < figures["idle_gb"] <= figures["peak_gb"]
    assert {f"{title} seconds" for _, title in dashboard_memory.PAGES} <= set(figures)


@pytest.mark.browser
@pytest.mark.skipif(not Path(dashboard_memory.CHROMIUM).exists(), reason="no Debian Chromium")
def test_the_first_page_benchmark_opens_the_overview_on_plain_and_warmed_servers():
    # Its own process, as the memory benchmark's test (Playwright's sync API).
    script = (
        "import json; from bench import first_page; "
        f"print(json.dumps(first_page.run(scale={SMOKE!r}, repeats=1, write=False)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT_DIR, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    for variant in first_page.VARIANTS:
        assert figures[f"{variant} exceptions"] == 0
        assert figures[f"{variant} seconds"] > 0
        assert figures[f"{variant} cpu"] > 0


@pytest.mark.spark
def test_the_spark_benchmark_times_both_engines_on_the_same_lake(spark):
    figures = spark_facts.run(scale=SMOKE, write=False, session=spark)
    assert figures["contacts"] > 0
    assert figures["ratio"] == pytest.approx(figures["spark_seconds"] / figures["duckdb_seconds"])


def test_recording_replaces_only_its_own_section(tmp_path):
    path = tmp_path / "RESULTS.md"
    record("A", ["figure-one"], path)
    record("B", ["other"], path)
    record("A", ["figure-two"], path)
    text = path.read_text()
    assert "figure-two" in text and "figure-one" not in text and "other" in text
    assert text.count("## A") == 1


def test_a_section_written_by_hand_stays_above_the_scripts_sections(tmp_path):
    path = tmp_path / "RESULTS.md"
    record("A", ["figure-one"], path)
    path.write_text(
        path.read_text().replace(
            "# Benchmark results\n", "# Benchmark results\n\n## Summary\n\nby hand\n"
        )
    )
    record("B", ["other"], path)
    text = path.read_text()
    assert text.index("## Summary") < text.index("## B") < text.index("## A")


def test_the_growth_benchmark_measures_a_scale_in_a_child_process():
    figures = growth.run(write=False, scale=SMOKE, repeats=1)
    assert figures[f"fact_seconds scale {SMOKE:g}"] > 0
    assert figures[f"peak_rss_mb scale {SMOKE:g}"] > 50  # a Python with polars and DuckDB
    assert figures[f"fact_peak_mb scale {SMOKE:g}"] > 50


def test_a_child_reports_its_own_peak_memory_not_its_parents():
    # The parent touches 600 MB before starting the child. Linux carries the parent's peak
    # into the child's ru_maxrss across vfork + exec, so ru_maxrss says >= 600 MB; the
    # child's VmHWM (growth.peak_rss_mb) counts only its own pages: a bare Python, ~10 MB.
    held = bytearray(600 * 2**20)
    held[:: 2**12] = b"\1" * len(held[:: 2**12])  # touch every page: resident
    code = (
        "import json, resource; from bench.growth import peak_rss_mb;"
        " print(json.dumps([resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,"
        " peak_rss_mb()]))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    inherited, own = json.loads(done.stdout)
    del held
    assert inherited >= 600
    assert own < 300  # bench.growth imports bench.dataset only, not polars or DuckDB


def test_a_growth_slope_is_the_log_log_least_squares_slope():
    # 10x the data: 10x the time is slope 1, 100x slope 2, the same time slope 0
    assert growth.slope([1, 10, 100], [2, 20, 200]) == pytest.approx(1.0)
    assert growth.slope([1, 10, 100], [1, 100, 10_000]) == pytest.approx(2.0)
    assert growth.slope([1, 10], [5, 5]) == pytest.approx(0.0)


def test_the_growth_plot_is_an_svg_with_a_line_per_figure():
    svg = growth.growth_svg([1, 10, 100], {"a": [1, 10, 100], "b": [2, 2, 3]}, "tickets")
    assert svg.startswith("<svg") and svg.count("<polyline") == 3  # two figures, slope 1
    assert ">a</text>" in svg and "tickets (log scale)" in svg
