"""The Coverage and staffing page, run headless with AppTest on the demo and on a tiny
warehouse without shifts."""

from __future__ import annotations

import json
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
    # contacts a day, with decimals (an error of 1.3 is not "1")
    assert metric_value(at, "Forecast error (MAE)") == format_value(test["mae"], "per day")
    assert metric_value(at, "Seasonal naive error (MAE)") == format_value(
        test["mae_naive"], "per day"
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
    assert any(
        "agents on shift inferred from the hours in which they sent messages" in c.value
        for c in at.caption
    )
    # and the figures that rest on that inference say they are partial
    assert any(c.value.startswith(":material/warning: Partial: agents on shift are inferred")
               for c in at.caption)  # fmt: skip
    assert table_with(at, "gap_contacts")["language"].tolist() == ["Russian (ru)"]
    assert any(i.value.startswith("Not enough history for a model forecast") for i in at.info)


def test_a_filter_that_excludes_every_contact_is_said_in_plain_words(tiny):
    at = run_page(period="all", channel="chat", language="ru")  # each exists, never together
    assert not at.exception
    assert at.info[0].value.startswith("No contacts match these filters")
    assert [h.value for h in at.header] == []


def test_the_demo_chinese_night_gap_is_drawn_on_pooled_rates(demo):
    # Planted (c): one zh agent on shift every night 00-06h (Asia/Shanghai), 2 rostered
    # needed. In the default period (the last 30 days, demo scale 0.5) each zh night hour
    # holds at most 4 contacts (< 30): the gap chart left every night blank. Each now borrows
    # 00-06h on every weekday (55 contacts, >= 30): 2 rostered needed - 1 on shift = +1.
    from sample_data import effects as fx

    at = run_page(team=fx.NIGHT_TEAM)
    assert not at.exception
    spec = next(
        json.loads(chart.proto.spec)
        for chart in at.get("plotly_chart")
        if "Staffing gap per hour" in chart.proto.spec
    )
    heat = spec["data"][0]
    night = [(day, hour) for day in range(7) for hour in range(*fx.NIGHT_HOURS)]
    assert {heat["z"][day][hour] for day, hour in night} == {1.0}
    assert {heat["customdata"][day][hour][3] for day, hour in night} == {
        "00-06h on every weekday (n = 55)"
    }
    pooled = next(c.value for c in at.caption if "of their own: their arrival rate" in c.value)
    assert pooled.startswith("168 of 168 hours of the week have fewer than 30 contacts")
    table = table_with(at, "agent_hours_short")
    assert "pooled_hours" in table.columns and (table["pooled_hours"] > 0).all()
