"""The Coverage and staffing page, run headless with AppTest on the demo and on a tiny
warehouse without shifts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from page_runner import metric_value, open_page, table_with
from streamlit.testing.v1 import AppTest

from dashboard.tiles import format_value
from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.coverage.gaps import after_hours, language_gaps
from metrics.operations.forecast import volume_forecast
from metrics.operations.peaks import peak_days
from tests.metrics.builders import build_warehouse, msg, ticket
from warehouse.reader import ReadOnlyWarehouse

PAGE = "pages/coverage.py"
HEADERS = [
    "Contacts and agents on shift by hour of week",
    "Staffing gaps (Erlang C)",
    "After hours",
    "Languages nobody on shift speaks",
    "Peak days",
    "Forecast: the next 14 days",
]


def run_page(**params: str) -> AppTest:
    return open_page(PAGE, params)


def test_every_section_shows_the_metric_functions_values(demo):
    at = run_page(period="all")
    assert not at.exception
    assert at.title[0].value == "Coverage and staffing"
    assert [h.value for h in at.header] == HEADERS
    wh, settings = ReadOnlyWarehouse(demo), load_settings(None)
    try:
        after = after_hours(wh, settings, Filters()).row(0, named=True)
        gaps = language_gaps(wh, settings, Filters(), slot="all")
        peaks = peak_days(wh, settings, Filters())
        test = volume_forecast(wh, settings, Filters(), view="backtest").row(0, named=True)
    finally:
        wh.close()
    assert metric_value(at, "After-hours contacts") == format_value(after["value"], "share")
    assert metric_value(at, "First response after hours") == format_value(
        after["frt_median_after"], "minutes"
    )
    assert table_with(at, "gap_contacts")["gap_contacts"].tolist() == gaps["gap_contacts"].to_list()
    assert table_with(at, "top_categories")["n"].tolist() == peaks["n"].to_list()
    assert metric_value(at, "Forecast error (MAE)") == format_value(test["mae"], "count")
    assert metric_value(at, "Seasonal naive error (MAE)") == format_value(
        test["mae_naive"], "count"
    )
    assert len(at.get("plotly_chart")) == 6


def short_hours(at: AppTest) -> float:
    words = next(c.value for c in at.caption if c.value.startswith("Target:"))
    return float(re.search(r"add up to ([\d,.]+) agent-hours", words)[1].replace(",", ""))


def test_more_shrinkage_needs_more_rostered_agents(demo):
    at = run_page(period="all")
    before = short_hours(at)
    at.slider(key="coverage_shrinkage").set_value(0.5).run()
    assert not at.exception
    assert "shrinkage 50%" in next(c.value for c in at.caption if c.value.startswith("Target:"))
    assert short_hours(at) > before


def _tiny(path: Path) -> None:
    """Two answered chats and no shifts: presence is inferred from agent message hours."""
    build_warehouse(
        path,
        {
            "tickets": [
                ticket("T1", "2026-03-02 10:00", channel="chat", language="en", agent_id="A1"),
                ticket("T2", "2026-03-03 11:00", channel="email", language="ru", agent_id="A1"),
            ],
            "messages": [
                msg("T1", "customer", "2026-03-02 10:00"),
                msg("T1", "agent", "2026-03-02 10:05", sender_id="A1"),
                msg("T2", "customer", "2026-03-03 11:00"),
                msg("T2", "agent", "2026-03-03 11:30", sender_id="A1"),
            ],
            "agents": [{"agent_id": "A1", "name": "Ann", "team": "en", "languages": ["en"]}],
        },
    ).close()


@pytest.fixture
def tiny(clean_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "tiny.duckdb"
    _tiny(db)
    monkeypatch.setenv("SUPPORT_DB", str(db))
    return db


def test_without_shifts_or_history_the_page_says_what_it_used_and_what_it_lacks(tiny):
    at = run_page(period="all")
    assert not at.exception
    assert "agents on shift inferred from the hours in which they sent messages" in (
        at.caption[0].value
    )
    assert table_with(at, "gap_contacts")["language"].tolist() == ["Russian (ru)"]
    assert any(i.value.startswith("Not enough history for a model forecast") for i in at.info)


def test_a_filter_that_excludes_every_contact_is_said_in_plain_words(tiny):
    at = run_page(period="all", channel="chat", language="ru")  # each exists, never together
    assert not at.exception
    assert at.info[0].value.startswith("No contacts match these filters")
    assert [h.value for h in at.header] == []
