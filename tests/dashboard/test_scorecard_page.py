"""The Agent scorecards page: the agent from the URL, figures equal to
`metrics.agents.scorecard.agent_scorecard`, training dates, coaching examples, the printable
report."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from page_runner import open_page
from small_warehouse import CURRENT, serve_small_warehouse
from streamlit.testing.v1 import AppTest

from dashboard.report_html import ScorecardReport, scorecard_report
from dashboard.views.scorecard import scorecard_table
from metrics.agents.coaching import coaching_examples
from metrics.agents.scorecard import agent_scorecard
from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from warehouse.reader import ReadOnlyWarehouse

WEEK = Filters(date(2026, 1, 8), date(2026, 1, 14))


@pytest.fixture
def small_db(clean_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return serve_small_warehouse(tmp_path, monkeypatch)


def scorecard_page(params: dict[str, str]) -> AppTest:
    return open_page("pages/agent_scorecards.py", params, timeout=30)


def expected_table(db: Path, agent: str):
    wh = ReadOnlyWarehouse(db)
    try:
        card = agent_scorecard(wh, load_settings(), WEEK, agent=agent)
        examples = coaching_examples(wh, load_settings(), WEEK, agent, 5)
    finally:
        wh.close()
    return scorecard_table(card, 30), examples


def test_the_page_shows_the_linked_agents_figures_weakest_first(small_db):
    at = scorecard_page({**CURRENT, "scorecard_agent": "A1"})
    assert not at.exception
    assert at.selectbox(key="url_scorecard_agent").value == "A1"
    assert [h.value for h in at.header] == [
        "Figures, weakest areas first", "Trends and training", "Conversations to talk through",
    ]  # fmt: skip
    shown = at.dataframe[0].value
    table, _ = expected_table(small_db, "A1")
    assert shown["label"].tolist() == table["label"].to_list()
    assert shown["value_text"].tolist() == table["value_text"].to_list()
    assert shown["team_text"].tolist() == table["team_text"].to_list()
    # A1 this week: T1 (10 min, from its messages) and T3 (45 min): median 27.5 minutes
    frt = shown[shown["label"] == "First response time (median)"].iloc[0]
    assert frt["value_text"] == "27.5 min"
    assert "small sample" in frt["note"]


def test_the_trend_marks_the_agents_training(small_db):
    at = scorecard_page({**CURRENT, "scorecard_agent": "A1"})
    charts = at.get("plotly_chart")
    assert len(charts) == 2
    assert "trained: De-escalation" in charts[1].proto.spec


def test_coaching_examples_show_the_low_rated_conversation(small_db):
    at = scorecard_page({**CURRENT, "scorecard_agent": "A1"})
    _, examples = expected_table(small_db, "A1")
    assert examples["contact_id"].to_list() == ["T1"]
    assert [e.label for e in at.expander if e.label.startswith("Low CSAT")] == [
        "Low CSAT · 2026-01-08 · zd:T1 · CSAT 2 · last message sentiment -0.60"
    ]
    assert "> too slow" in [m.value for m in at.markdown]
    assert len(at.get("chat_message")) == 3
    assert at.get("download_button")


def test_changing_the_agent_rewrites_the_url(small_db):
    at = scorecard_page(CURRENT)
    assert at.selectbox(key="url_scorecard_agent").value == "A1"  # Ann Lee sorts first
    at.selectbox(key="url_scorecard_agent").select("A2").run()
    assert not at.exception
    assert at.query_params["scorecard_agent"] == "A2"
    assert not [e for e in at.expander if e.label.startswith("Low CSAT")]
    assert "No low-rated" in at.info[0].value


def test_the_printable_report_is_self_contained_and_escaped(small_db):
    table, examples = expected_table(small_db, "A1")
    trainings = pl.DataFrame(
        {"course": ["<b>De-escalation</b>"], "completed_day": [date(2026, 1, 8)]}
    )
    html = scorecard_report(ScorecardReport("Ann Lee (A1)", "en", "2026-01-08 to 2026-01-14",
                                            "2026-01-01 to 2026-01-07", table, trainings, examples))  # fmt: skip
    assert (
        html.startswith("<!DOCTYPE html>")
        and "<script" not in html
        and "http" not in html.replace("http://www.w3.org/2000/svg", "")
    )
    assert "Agent scorecard: Ann Lee (A1)" in html
    assert "27.5 min" in html and "&lt;b&gt;De-escalation&lt;/b&gt;" in html
    assert "Someone took my funds, seed [REDACTED]" in html
    assert "<svg" in html and "@media print" in html
