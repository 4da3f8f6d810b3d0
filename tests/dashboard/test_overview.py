"""The Overview page on a small hand-written warehouse: tiles equal
`metrics.reports.summary.headline` for the same filters, charts and their explanations, empty
states, drill-down and transcripts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from page_runner import open_page
from small_warehouse import CURRENT, serve_small_warehouse
from streamlit.testing.v1 import AppTest

from dashboard import drilldown
from dashboard.tiles import format_change, format_value
from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.reports.summary import headline
from warehouse.reader import ReadOnlyWarehouse
from warehouse.writer import open_for_write

WEEK = Filters(date(2026, 1, 8), date(2026, 1, 14))
BEFORE = Filters(date(2026, 1, 1), date(2026, 1, 7))


@pytest.fixture
def small_db(clean_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return serve_small_warehouse(tmp_path, monkeypatch)


def overview(params: dict[str, str | list[str]]) -> AppTest:
    return open_page("pages/overview.py", params, timeout=30)


def tile(at: AppTest, label: str):
    return next(m for m in at.metric if m.label == label)


def test_overview_renders_tiles_trends_sla_and_staffing(small_db):
    at = overview(CURRENT)
    assert not at.exception
    assert at.title[0].value == "Overview"
    assert [m.label for m in at.metric] == [
        "Contacts", "First response", "First resolution", "SLA attainment", "FCR",
        "Reopen rate", "CSAT", "Negative messages",
    ]  # fmt: skip
    assert [h.value for h in at.header] == [
        "Alerts",
        "Trends",
        "SLA attainment by priority",
        "Contacts and agents on shift",
    ]
    assert len(at.get("plotly_chart")) == 4
    assert "Definition: First response time" in [e.label for e in at.expander]


def test_tiles_show_the_headline_and_its_change_for_the_same_filters(small_db):
    at = overview(CURRENT)
    wh = ReadOnlyWarehouse(small_db)
    try:
        now, before = headline(wh, load_settings(), WEEK), headline(wh, load_settings(), BEFORE)
    finally:
        wh.close()
    # T1-T4 and the chat C1 this week; P1-P3 the week before
    assert tile(at, "Contacts").value == f"{now['contacts']:,}" == "5"
    assert tile(at, "Contacts").delta == "+2 (+67%)"
    # FRT 10, 20, 30, 45 minutes: median 25; the week before 60, 90, 120: median 90
    frt = tile(at, "First response")
    assert frt.value == format_value(now["frt_minutes"]["median"], "minutes") == "25.0 min"
    assert (
        frt.delta == format_change(25.0, before["frt_minutes"]["median"], "minutes") == "-65.0 min"
    )
    assert tile(at, "SLA attainment").value == format_value(now["sla_attainment"]["value"], "share")


def test_every_tile_says_its_n_flags_small_samples_and_offers_its_definition(small_db):
    at = overview(CURRENT)
    captions = [c.value for c in at.caption]
    assert any(c.startswith("n = 4 · median; p90") for c in captions)
    assert any("small sample (n = 4 < 30)" in m.value for m in at.markdown)
    assert "2026-01-08 to 2026-01-14 (7 days, UTC)" in captions[0]
    assert "changes against 2026-01-01 to 2026-01-07 (7 days, UTC)" in captions[0]
    definitions = [m.value for m in at.markdown if m.value.startswith("**First response time**")]
    assert definitions and "**Excluded:**" in definitions[0]


def test_all_data_has_no_previous_period_to_compare(small_db):
    at = overview({"period": "all"})
    assert not at.exception
    assert tile(at, "Contacts").value == "8"
    assert tile(at, "Contacts").delta == ""
    assert "no previous period to compare with" in at.caption[0].value


def test_a_filter_that_excludes_everything_says_so(small_db):
    at = overview({**CURRENT, "channel": "social"})
    assert not at.exception
    assert at.multiselect(key="flt_channel").value == []  # social is not in the data
    at = overview({"from": "2025-06-01", "to": "2025-06-30"})
    assert not at.exception
    assert "No contacts match these filters" in at.info[0].value
    assert not at.metric


def test_an_empty_warehouse_says_how_to_load_one(clean_env, tmp_path, monkeypatch):
    db = tmp_path / "empty.duckdb"
    with open_for_write(db):
        pass
    monkeypatch.setenv("SUPPORT_DB", str(db))
    at = overview({})
    assert not at.exception
    assert "no contacts yet" in at.info[0].value


def test_a_contact_in_the_url_opens_its_transcript(small_db):
    at = overview({**CURRENT, "contact": "zd:T1"})
    assert not at.exception
    assert at.subheader[0].value == "Conversation zd:T1"
    bubbles = at.get("chat_message")
    assert [b.name for b in bubbles] == ["user", "assistant", "assistant"]
    assert "Someone took my funds, seed \\[REDACTED\\]" in [m.value for m in at.markdown]
    at.button(key="close_transcript").click().run()
    assert "contact" not in at.query_params
    assert not at.get("chat_message")


def test_an_unknown_contact_is_named_not_a_traceback(small_db):
    at = overview({**CURRENT, "contact": "zd:nope"})
    assert not at.exception
    assert "There is no contact zd:nope" in at.warning[0].value


def test_a_clicked_bar_becomes_its_days_within_the_period():
    drill = drilldown.bucket_drill(Filters(date(2026, 1, 8), date(2026, 1, 14)), "week")
    # the week of 2026-01-05 runs to the 11th; the period starts on the 8th
    assert drill(["2026-01-05"]) == Filters(date(2026, 1, 8), date(2026, 1, 11))
    assert drilldown.bucket_drill(Filters(), "day")(["2026-01-09", "2026-01-08"]) == Filters(
        date(2026, 1, 8), date(2026, 1, 9)
    )
    assert drilldown.bucket_drill(Filters(), "month")(["2026-02-01"]).date_to == date(2026, 2, 28)
    assert drill([]) is None


def test_a_clicked_priority_becomes_a_priority_filter():
    drill = drilldown.dimension_drill(WEEK, "priority")
    assert drill(["urgent", "high"]) == Filters(
        WEEK.date_from, WEEK.date_to, priority=("urgent", "high")
    )
    assert drill(["(none)"]) is None


def test_selection_events_yield_the_points_keys():
    event = {
        "selection": {
            "points": [{"customdata": ["2026-01-05", 3]}, {"customdata": "low"}, {"x": 1}]
        }
    }
    assert drilldown.selected_keys(event) == ["2026-01-05", "low"]
    assert drilldown.selected_keys(None) == []


def test_rows_link_to_their_transcript_with_the_same_filters():
    rows = pl.DataFrame({"source": ["zd"], "contact_id": ["T1"]})
    links = drilldown.transcript_links(rows, Filters(date(2026, 1, 8), date(2026, 1, 8)))
    assert links["transcript"].to_list() == [
        "?period=custom&from=2026-01-08&to=2026-01-08&contact=zd:T1"
    ]


def test_the_alerts_list_and_the_digest_button_follow_the_filters(small_db):
    at = overview(CURRENT)
    assert not at.exception
    assert "Alerts" in [h.value for h in at.header]
    # two weeks of data: no rule has 8 weeks of history, nothing is above a threshold
    assert any("No alert rule fired in this period" in c.value for c in at.caption)
    assert at.get("download_button")


def test_the_alerts_made_beside_the_page_are_shown_under_their_header(small_db):
    # The alerts are evaluated on a thread and written into a container placed under the
    # "Alerts" header: in the page's order their caption comes before the "Trends" header.
    at = overview(CURRENT)
    assert not at.exception
    order = [
        node.value
        for node in at.main
        if node.type in ("header", "caption")
        and (node.type == "header" or "No alert rule fired" in node.value)
    ]
    assert order[:3] == [
        "Alerts",
        "No alert rule fired in this period (rules: settings [alerts]).",
        "Trends",
    ]
