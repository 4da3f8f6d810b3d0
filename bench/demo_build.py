"""Demo warehouse build time at a given scale (target: under a minute at scale 1)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.results import record


def run(scale: float = 1.0, seed: int = 7, write: bool = True) -> dict[str, float]:
    """Build the demo warehouse once and report generation, load and total seconds."""
    from sample_data import build_demo

    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        build = build_demo(Path(folder) / "demo.duckdb", seed=seed, scale=scale)
        total = time.perf_counter() - started
    figures = {
        "generate_seconds": float(build.generate_seconds),
        "load_seconds": float(build.load_seconds),
        "total_seconds": total,
    }
    if write:
        record(
            f"Demo build (scale {scale:g})",
            [
                "| step | seconds |",
                "|---|---|",
                f"| generate export files | {figures['generate_seconds']:.1f} |",
                f"| load through the real loaders | {figures['load_seconds']:.1f} |",
                f"| total (target < 60) | {figures['total_seconds']:.1f} |",
            ],
        )
    return figures
