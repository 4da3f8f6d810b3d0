"""The Retention page, run headless with AppTest on the demo and on a warehouse without
product activity."""

from __future__ import annotations

from pathlib import Path

from page_runner import metric_value, open_page
from streamlit.testing.v1 import AppTest

from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.retention.experience import NO_ACTIVITY_NOTE, retention_gap
from tests.metrics.builders import build_warehouse, ticket
from warehouse.reader import ReadOnlyWarehouse

PAGE = "pages/retention.py"
GAP = "Retention gap (good minus bad experience)"


def run_page(**params: str) -> AppTest:
    return open_page(PAGE, params)


def gap_sentence(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "a gap of" in m.value)


def gap_of(db: Path, split: str) -> dict:
    wh = ReadOnlyWarehouse(db)
    try:
        return retention_gap(wh, load_settings(None), Filters(), split=split).row(0, named=True)
    finally:
        wh.close()


def test_curves_gap_and_cohorts_show_the_metric_values(demo):
    at = run_page(period="all")
    assert not at.exception
    assert at.title[0].value == "Retention"
    assert [h.value for h in at.header] == [
        "Retention curves by experience",
        "The gap after a bad experience",
        "Cohorts by contact month",
    ]
    assert at.selectbox(key="url_split").value == "fcr"
    row = gap_of(demo, "fcr")
    assert metric_value(at, GAP) == f"{row['gap'] * 100:+.1f} pp"
    assert f"a gap of {row['gap'] * 100:+.1f} percentage points" in gap_sentence(at)
    assert len(at.get("plotly_chart")) == 2


def test_a_shared_link_picks_the_split_and_the_gap_follows_it(demo):
    at = run_page(period="all", split="csat")
    assert not at.exception
    assert at.selectbox(key="url_split").value == "csat"
    row = gap_of(demo, "csat")
    assert metric_value(at, GAP) == f"{row['gap'] * 100:+.1f} pp"
    assert "*rated 4-5*" in gap_sentence(at)


def test_a_period_whose_windows_have_not_ended_says_so_in_plain_words(demo):
    at = run_page()  # the last 30 days: no 30-day window after them has ended yet
    assert not at.exception
    assert at.warning[0].value.startswith("No contact of this period can be followed yet")
    assert "(?period=all)" in at.warning[0].value
    assert len(at.get("plotly_chart")) == 0


def test_without_activity_data_the_page_says_so_in_plain_words(clean_env, tmp_path, monkeypatch):
    db = tmp_path / "no_activity.duckdb"
    tickets = [ticket("T1", "2026-03-02 10:00", customer_id="C1", status="solved")]
    build_warehouse(db, {"tickets": tickets}).close()
    monkeypatch.setenv("SUPPORT_DB", str(db))
    at = run_page(period="all")
    assert not at.exception
    assert [i.value for i in at.info] == [NO_ACTIVITY_NOTE]
    assert len(at.get("plotly_chart")) == 0


def test_a_filter_that_excludes_every_contact_is_said_in_plain_words(
    clean_env, tmp_path, monkeypatch
):
    db = tmp_path / "two.duckdb"
    tickets = [
        ticket("T1", "2026-03-02 10:00", channel="chat", language="en"),
        ticket("T2", "2026-03-03 10:00", channel="email", language="ru"),
    ]
    build_warehouse(db, {"tickets": tickets}).close()
    monkeypatch.setenv("SUPPORT_DB", str(db))
    at = run_page(period="all", channel="chat", language="ru")  # each exists, never together
    assert not at.exception
    assert at.info[0].value.startswith("No contacts match these filters")
