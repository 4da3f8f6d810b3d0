"""The metric registry: every metric's name, label, unit, definition, variant and exclusions.

Pages, the CLI (``python -m metrics list`` / ``show``) and the README glossary
read it; a test fails when a registered metric is missing from the glossary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

MetricFn = Callable[..., pl.DataFrame]


@dataclass(frozen=True)
class MetricInfo:
    """What a metric is, in words, and the function that computes it."""

    name: str
    label: str
    unit: str
    definition: str
    family: str
    variant: str = ""
    exclusions: str = ""
    function: MetricFn | None = None
    options: dict[str, Any] = field(default_factory=dict)


REGISTRY: dict[str, MetricInfo] = {}


def metric(
    name: str,
    *,
    label: str,
    unit: str,
    definition: str,
    family: str,
    variant: str = "",
    exclusions: str = "",
    options: dict[str, Any] | None = None,
) -> Callable[[MetricFn], MetricFn]:
    """Register the decorated function as metric ``name`` (names are unique)."""

    def register(fn: MetricFn) -> MetricFn:
        if name in REGISTRY:
            raise ValueError(f"metric {name!r} registered twice")
        REGISTRY[name] = MetricInfo(
            name, label, unit, definition, family, variant, exclusions, fn, dict(options or {})
        )
        return fn

    return register


def all_metrics() -> dict[str, MetricInfo]:
    """Every registered metric, importing each family module so all are present."""
    import metrics.catalog  # noqa: F401  (registers every family)

    return dict(sorted(REGISTRY.items()))


def get_metric(name: str) -> MetricInfo:
    """One metric by name; KeyError lists the known names."""
    known = all_metrics()
    if name not in known:
        raise KeyError(f"unknown metric {name!r}; see `python -m metrics list`")
    return known[name]
