"""How a metric is declared: its description (MetricInfo) and the ``@metric`` decorator.

A metric module imports this and nothing that lists the metrics, so declaring a metric
never needs an import cycle: ``metrics.registry`` imports the family packages and reads
what they declared here.
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
