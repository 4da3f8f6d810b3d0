"""Every page on every warehouse of the matrix (tests/dashboard/matrix.py) with AppTest: the
exports in ../shared/real_data loaded with the shipped mappings, an empty warehouse and a
tickets-only one. No exception, no "n = 0", no chart for a figure whose inputs are missing,
no success message resting on absent data."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from matrix import PAGES, WAREHOUSES, frame_texts, missing_charts, n_zero, unfounded_successes
from page_runner import open_page
from streamlit.testing.v1 import AppTest

TEXT_KINDS = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error")


def texts(at: AppTest) -> Iterator[str]:
    for kind in TEXT_KINDS:
        yield from (str(element.value) for element in getattr(at, kind))
    for metric in at.metric:
        yield f"{metric.label}: {metric.value}"
    for frame in at.dataframe:
        yield from frame_texts_pandas(frame.value)


def frame_texts_pandas(frame) -> list[str]:
    import polars as pl

    return frame_texts(pl.from_pandas(frame.astype(str)))


def chart_titles(at: AppTest) -> list[str]:
    titles = []
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        title = spec.get("layout", {}).get("title", {})
        titles.append(title.get("text", "") if isinstance(title, dict) else str(title))
    return titles


@pytest.fixture
def use(matrix_warehouses, clean_env, monkeypatch):
    def pick(name: str):
        db, status = matrix_warehouses[name]
        monkeypatch.setenv("SUPPORT_DB", str(db))
        return status

    return pick


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("warehouse", WAREHOUSES)
def test_every_page_is_honest_on_every_warehouse(use, warehouse, page):
    status = use(warehouse)
    at = open_page(f"pages/{page}.py", timeout=120)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == PAGES[page]
    shown = list(texts(at))
    assert not n_zero(shown), n_zero(shown)
    assert not missing_charts(chart_titles(at), status)
    assert not unfounded_successes([s.value for s in at.success], status)
