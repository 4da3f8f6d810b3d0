"""The metric registry: every metric is described, runnable from the CLI and in the README glossary."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import metrics
from metrics.registry import MetricInfo, all_metrics

ROOT = Path(__file__).resolve().parents[2]
START, END = "<!-- metrics-glossary:start -->", "<!-- metrics-glossary:end -->"


def every_metric() -> dict[str, MetricInfo]:
    """The registry after importing every top-level module of the package (the registry
    itself imports every module of every family package too)."""
    for module in pkgutil.iter_modules(metrics.__path__):
        if module.name != "__main__":
            importlib.import_module(f"metrics.{module.name}")
    return all_metrics()


def glossary_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert START in text and END in text, "README.md has no metric glossary section"
    return text[text.index(START) : text.index(END)]


def test_the_registry_is_not_empty():
    assert {"frt", "frt_business"} <= set(every_metric())


@pytest.mark.parametrize("info", every_metric().values(), ids=lambda info: info.name)
def test_every_metric_has_a_name_label_unit_and_definition(info):
    assert re.fullmatch(r"[a-z][a-z0-9_]*", info.name), "names are CLI arguments"
    assert info.label.strip() and info.unit.strip() and info.definition.strip()
    assert info.family.strip()
    assert callable(info.function)


@pytest.mark.parametrize("info", every_metric().values(), ids=lambda info: info.name)
def test_every_metric_takes_the_warehouse_settings_filters_and_its_options(info):
    parameters = inspect.signature(info.function).parameters
    assert list(parameters)[:3] == ["wh", "settings", "filters"]
    assert set(info.options) <= set(parameters), "`show --option` passes options by name"


def test_every_metric_is_in_the_readme_glossary():
    section = glossary_section()
    missing = [name for name in every_metric() if f"`{name}`" not in section]
    assert not missing, (
        f"README.md glossary lacks {missing}: paste `python -m metrics glossary` into it"
    )
