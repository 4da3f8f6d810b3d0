"""Timing helpers: the machine is shared and noisy, so runs are interleaved and the best kept."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any


def seconds(fn: Callable[[], Any]) -> float:
    """Wall-clock seconds of one call."""
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def best_of(repeats: int, **runs: Callable[[], Any]) -> dict[str, float]:
    """Best (lowest) seconds of each run over ``repeats`` rounds, the runs interleaved.

    Interleaving puts a baseline and the code it is compared with under the same
    background load, so their ratio is fairer than two separate series.
    """
    best = {name: float("inf") for name in runs}
    for _ in range(max(1, repeats)):
        for name, fn in runs.items():
            best[name] = min(best[name], seconds(fn))
    return best


def rate(count: float, spent: float) -> float:
    """Items per second (0 when nothing was timed)."""
    return count / spent if spent > 0 else 0.0


def verdict(met: bool) -> str:
    return "met" if met else "**missed**"


def load_average() -> str:
    """The machine's 1, 5 and 15 minute load averages (shared cores: beside every figure)."""
    return "/".join(f"{x:.1f}" for x in os.getloadavg())
