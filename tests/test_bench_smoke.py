"""Benchmark scripts run end to end at a tiny scale, so they cannot rot (no figures written)."""

from __future__ import annotations

from bench import demo_build
from bench.results import record


def test_the_demo_build_benchmark_runs_and_reports_its_steps():
    figures = demo_build.run(scale=0.02, write=False)
    assert set(figures) == {"generate_seconds", "load_seconds", "total_seconds"}
    assert figures["total_seconds"] >= figures["load_seconds"] > 0


def test_recording_replaces_only_its_own_section(tmp_path):
    path = tmp_path / "RESULTS.md"
    record("A", ["figure-one"], path)
    record("B", ["other"], path)
    record("A", ["figure-two"], path)
    text = path.read_text()
    assert "figure-two" in text and "figure-one" not in text and "other" in text
    assert text.count("## A") == 1
