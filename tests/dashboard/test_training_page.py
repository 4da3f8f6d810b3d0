"""The Training impact page, run headless with AppTest on the demo and on tiny warehouses."""

from __future__ import annotations

from pathlib import Path

from page_runner import metric_value, open_page
from streamlit.testing.v1 import AppTest

from dashboard.views.analytics import MIN_TICKETS, TRAINING_KPIS, signed
from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.training.impact import training_impact
from tests.metrics.builders import build_warehouse, msg, ticket, ts
from warehouse.reader import ReadOnlyWarehouse

PAGE = "pages/training_impact.py"
FIRST_COURSE = "De-escalation & security"


def run_page(**params: str) -> AppTest:
    return open_page(PAGE, params)


def test_each_kpi_of_the_first_course_shows_its_difference_in_differences(demo):
    at = run_page()
    assert not at.exception
    assert at.title[0].value == "Training impact"
    assert at.selectbox(key="url_course").value == FIRST_COURSE
    # the quality outcome is a fifth tile only when the page's selectbox picks one
    assert [m.label for m in at.metric] == [
        kpi.label for name, kpi in TRAINING_KPIS.items() if name != "quality"
    ]
    assert len(at.get("plotly_chart")) == 2
    # the windows ignore the period by default: the metric over every date, same options
    wh = ReadOnlyWarehouse(demo)
    try:
        impact = training_impact(
            wh, load_settings(None), Filters(), course=FIRST_COURSE, min_tickets=MIN_TICKETS
        )
    finally:
        wh.close()
    frt = impact.filter(impact["kpi"] == "frt").row(0, named=True)
    assert frt["status"] == "ok"
    assert metric_value(at, "First response time") == signed(frt["absolute"], "minutes")
    captions = [c.value for c in at.caption]
    assert any(c.startswith(f"{frt['relative_pct']:+.1f}% against") for c in captions)
    assert any("Pre-trend" in c or "pre-trend" in c for c in captions)


def test_the_per_agent_table_lists_each_trained_agent_for_the_chosen_figure(demo):
    at = run_page()
    table = at.dataframe[0].value
    assert list(table.columns)[:3] == ["agent", "completed_on", "n_before"]
    assert len(table) == 8  # the course's eight trained agents
    at.segmented_control(key="training_kpi").set_value("fcr").run()
    assert not at.exception
    assert at.dataframe[0].value["before"].between(0, 100).all()  # a share, in percent


def _untrained_warehouse(path: Path, trainings: bool) -> None:
    tickets = [
        ticket("T1", "2026-03-02 10:00", channel="chat", language="en", agent_id="A1"),
        ticket("T2", "2026-03-03 11:00", channel="email", language="ru", agent_id="A2"),
    ]
    messages = [msg("T1", "customer", "2026-03-02 10:00"), msg("T1", "agent", "2026-03-02 10:05")]
    rows = [{"agent_id": "A1", "course": "Basics", "completed_at": ts("2026-03-10 12:00")}]
    build_warehouse(
        path, {"tickets": tickets, "messages": messages, "trainings": rows if trainings else []}
    ).close()


def test_kpis_with_too_few_contacts_say_not_enough_data_in_words(clean_env, tmp_path, monkeypatch):
    db = tmp_path / "few.duckdb"
    _untrained_warehouse(db, trainings=True)  # two contacts: far below 30 a side
    monkeypatch.setenv("SUPPORT_DB", str(db))
    at = run_page()
    assert not at.exception
    # FRT has too few contacts; FCR (no customer ids), CSAT (no surveys) and sentiment (no
    # scored message) have no inputs at all: not available, not "not enough data"
    assert [m.value for m in at.metric] == ["not enough data"]
    missing = [m.value for m in at.markdown if m.value.endswith("not available]**")]
    assert [m.split("\n")[0] for m in missing] == [
        "First-contact resolution", "CSAT (mean score)", "Sentiment (mean)",
    ]  # fmt: skip
    assert any("Fewer than 30 contacts on a side" in c.value for c in at.caption)
    assert not any(c.value.startswith("95% interval") for c in at.caption)


def test_without_training_records_the_page_says_how_to_load_them(clean_env, tmp_path, monkeypatch):
    db = tmp_path / "untrained.duckdb"
    _untrained_warehouse(db, trainings=False)
    monkeypatch.setenv("SUPPORT_DB", str(db))
    at = run_page()
    assert not at.exception
    assert at.info[0].value.startswith("**Period used: all data")
    assert "Training impact: not available.** No training record is loaded" in at.info[1].value
    assert "python -m etl load trainings" in at.info[1].value


def test_a_filter_that_excludes_every_contact_is_said_in_plain_words(
    clean_env, tmp_path, monkeypatch
):
    db = tmp_path / "trained.duckdb"
    _untrained_warehouse(db, trainings=True)
    monkeypatch.setenv("SUPPORT_DB", str(db))
    at = run_page(channel="chat", language="ru")  # each exists, never together
    assert not at.exception
    assert len(at.metric) == 0
    assert "No contact matches these filters" in at.info[1].value
