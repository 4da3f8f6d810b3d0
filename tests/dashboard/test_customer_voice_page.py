"""The Customer voice page, run headless with AppTest on the demo and on tiny warehouses."""

from __future__ import annotations

from pathlib import Path

import pytest
from page_runner import metric_value, open_page, table_with
from streamlit.testing.v1 import AppTest

from dashboard.tiles import format_value
from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.voice.csat import csat
from metrics.voice.followup import negative_followup
from metrics.voice.topics import negative_topics
from tests.metrics.builders import build_warehouse, msg, ticket
from warehouse.reader import ReadOnlyWarehouse

PAGE = "pages/customer_voice.py"
HEADERS = [
    "Customer satisfaction (CSAT)",
    "Sentiment of customer messages",
    "Topics of negative feedback",
    "Was negative feedback followed up?",
]


def run_page(**params: str | list[str]) -> AppTest:
    return open_page(PAGE, params)


@pytest.fixture(scope="module")
def demo_figures(demo_db: Path) -> dict:
    """The metric functions' values over all dates (the page opened with period=all)."""
    wh, settings = ReadOnlyWarehouse(demo_db), load_settings(None)
    try:
        return {
            "csat": csat(wh, settings, Filters()).row(0, named=True),
            "followup": negative_followup(wh, settings, Filters()).row(0, named=True),
            "topics": negative_topics(wh, settings, Filters()),
            "last_replier": csat(wh, settings, Filters(), by="agent", attribution="last_replier"),
        }
    finally:
        wh.close()


def test_the_page_shows_csat_sentiment_topics_and_follow_up_as_the_metrics_do(demo, demo_figures):
    at = run_page(period="all")
    assert not at.exception
    assert at.title[0].value == "Customer voice"
    assert [h.value for h in at.header] == HEADERS
    figures = demo_figures["csat"]
    assert metric_value(at, "CSAT") == format_value(figures["value"], "share")
    assert metric_value(at, "Mean score") == format_value(figures["mean"], "score")
    assert metric_value(at, "Response rate") == format_value(figures["response_rate"], "share")
    follow = demo_figures["followup"]
    assert metric_value(at, "Followed up") == format_value(follow["value"], "share")
    assert metric_value(at, "Not followed up") == format_value(follow["unfollowed"], "count")
    topics = demo_figures["topics"]
    # every language is scored now: the page opens on the language with the most texts
    shown = at.selectbox(key="topic_language").value
    first = topics.filter((topics["language"] == shown) & (topics["status"] == "ok"))
    assert table_with(at, "terms")["size"].tolist() == first["size"].to_list()
    assert len(at.get("plotly_chart")) >= 5


def test_sentiment_per_language_shows_each_method_and_its_measured_accuracy(demo):
    from etl.sentiment import production_methods
    from etl.sentiment.models import MODELS_DIR, manifest

    at = run_page(period="all")
    table = table_with(at, "fixture_accuracy")
    methods = production_methods()
    rows = {r["language_name"]: r for r in table.to_dict("records")}
    for language, name in (("zh", "Chinese"), ("en", "English"), ("ru", "Russian")):
        row = rows[f"{name} ({language})"]
        entry = manifest(MODELS_DIR)["languages"][language]
        fixture = entry["evaluation"][entry["production"]]["fixture"]
        assert row["method"] == methods[language]
        assert row["fixture_accuracy"] == fixture["accuracy"] * 100


def test_the_attribution_switch_reassigns_ratings_to_the_last_replier(demo, demo_figures):
    at = run_page(period="all")
    at.segmented_control(key="voice_attribution").set_value("last_replier").run()
    assert not at.exception
    shown = table_with(at, "mean")
    expected = demo_figures["last_replier"].filter(demo_figures["last_replier"]["n"] > 0)
    assert sorted(shown["n"].tolist()) == sorted(expected["n"].to_list())
    assert any("CSAT per agent (last agent who replied)" in e.label for e in at.expander)


def _voice_warehouse(path: Path) -> None:
    """Two chats, no surveys: an English one with a negative message nobody answered after,
    and a Russian one whose messages no scorer read."""
    build_warehouse(
        path,
        {
            "tickets": [
                ticket(
                    "T1",
                    "2026-03-02 10:00",
                    channel="chat",
                    language="en",
                    agent_id="A1",
                    status="solved",
                    solved_at=None,
                ),
                ticket("T2", "2026-03-03 11:00", channel="email", language="ru", agent_id="A2"),
            ],  # fmt: skip
            "messages": [
                msg("T1", "agent", "2026-03-02 10:01", body="Hello, how can I help?"),
                msg(
                    "T1",
                    "customer",
                    "2026-03-02 10:02",
                    body="My transfer failed again",
                    sentiment=-0.6,
                    sentiment_method="vader",
                    language="en",
                ),
                msg("T2", "customer", "2026-03-03 11:00", body="Перевод не пришёл", language="ru"),
                msg("T2", "agent", "2026-03-03 11:10", body="Проверяем"),
            ],  # fmt: skip
        },
    ).close()


@pytest.fixture
def voice_db(clean_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "voice.duckdb"
    _voice_warehouse(db)
    monkeypatch.setenv("SUPPORT_DB", str(db))
    return db


def test_without_surveys_and_with_an_unscored_language_the_page_says_so(voice_db):
    at = run_page(period="all")
    assert not at.exception
    assert "Customer satisfaction (CSAT): not available.** No survey responses are loaded" in (
        at.info[0].value
    )
    assert "python -m etl load surveys" in at.info[0].value
    assert "**Russian (ru)**: none of its 1 customer messages is scored" in at.warning[0].value
    assert metric_value(at, "Not followed up") == "1"
    unfollowed = table_with(at, "body")
    assert unfollowed["body"].tolist() == ["My transfer failed again"]
    assert unfollowed["transcript"].str.endswith("&contact=t:T1").all()


def test_a_filter_that_excludes_every_contact_is_said_in_plain_words(voice_db):
    at = run_page(period="all", channel="chat", language="ru")  # each exists, never together
    assert not at.exception
    assert at.info[0].value.startswith("No contacts match these filters")
    assert [h.value for h in at.header] == []


def test_the_survey_trained_model_without_any_survey_is_not_available(voice_db):
    # a model trained on surveys needs surveys: without any, no toggle, and the page says why
    at = run_page(period="all")
    assert not at.exception
    assert "run_sentiment_model" not in [t.key for t in at.toggle]
    assert any(
        i.value.startswith("**Customer sentiment (model trained on our surveys): not available")
        and "No survey responses are loaded" in i.value
        for i in at.info
    )
