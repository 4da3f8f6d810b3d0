"""The metric registry: every metric's name, label, unit, definition, variant and exclusions.

Pages, the CLI (``python -m metrics list`` / ``show``) and the README glossary
read it; a test fails when a registered metric is missing from the glossary.
It fills itself by importing every module of the ``metrics`` package (the metric
modules declare themselves with ``metrics.core.metric.metric`` and never import this
module back).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from functools import cache

import metrics
from metrics.core.metric import REGISTRY, MetricInfo

__all__ = ["REGISTRY", "MetricInfo", "all_metrics", "get_metric"]

# Entry points, not libraries: the command line, and this module itself.
_NOT_SCANNED = {"metrics.__main__", __name__}


def _module_names(path: list[str], prefix: str) -> Iterator[str]:
    """Dotted names of every module and package under ``path``, parents before children."""
    for info in sorted(pkgutil.iter_modules(path, prefix), key=lambda info: info.name):
        if info.name in _NOT_SCANNED:
            continue
        yield info.name
        if info.ispkg:
            package = importlib.import_module(info.name)
            yield from _module_names(list(package.__path__), f"{info.name}.")


@cache
def _import_every_module() -> None:
    """Import each module of the package once, so that every metric has declared itself."""
    for name in _module_names(list(metrics.__path__), "metrics."):
        importlib.import_module(name)


def all_metrics() -> dict[str, MetricInfo]:
    """Every registered metric, importing each module of the package so all are present."""
    _import_every_module()
    return dict(sorted(REGISTRY.items()))


def get_metric(name: str) -> MetricInfo:
    """One metric by name; KeyError lists the known names."""
    known = all_metrics()
    if name not in known:
        raise KeyError(f"unknown metric {name!r}; see `python -m metrics list`")
    return known[name]
