"""The metric registry: every metric is described, runnable from the CLI and in docs/metrics.md."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import metrics
from metrics.registry import MetricInfo, all_metrics
from metrics.reports.glossary import glossary_markdown, options_of

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "docs" / "metrics.md"


def every_metric() -> dict[str, MetricInfo]:
    """The registry after importing every top-level module of the package (the registry
    itself imports every module of every family package too)."""
    for module in pkgutil.iter_modules(metrics.__path__):
        if module.name != "__main__":
            importlib.import_module(f"metrics.{module.name}")
    return all_metrics()


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


def test_docs_metrics_md_is_what_the_registry_says_now():
    written = GLOSSARY.read_text(encoding="utf-8")
    assert written == glossary_markdown(every_metric()), (
        "docs/metrics.md is stale: run `make docs` (python -m metrics glossary > docs/metrics.md)"
    )


def test_every_metric_has_its_own_section_and_the_readme_links_the_glossary():
    written = GLOSSARY.read_text(encoding="utf-8")
    for name in every_metric():
        assert f'<a id="{name}"></a>\n### `{name}`: ' in written
    assert "docs/metrics.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_a_free_form_option_is_documented_with_what_it_takes():
    (status_time,) = [info for name, info in every_metric().items() if name == "status_time"]
    assert options_of(status_time) == [
        "`as_of`: ISO date-time that open tickets' current status runs to"
        " (default: the newest data in the warehouse)"
    ]
