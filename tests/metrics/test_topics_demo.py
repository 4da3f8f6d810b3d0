"""Negative topics and their follow-up on the demo warehouse (seed 7, scale 0.5).

The demo's negative texts come from sample_data/templates/<lang>.toml: customer messages
that the language's trained model scores negative (every demo language has one) and the
four negative survey comments per language, given with scores 1-2.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.voice.followup import negative_followup, negative_unfollowed
from metrics.voice.sentiment import sentiment
from metrics.voice.topics import negative_topics
from warehouse.reader import ReadOnlyWarehouse

SETTINGS = load_settings()
TEMPLATES = Path(__file__).resolve().parents[2] / "sample_data" / "templates"


def survey_negatives(language: str) -> set[str]:
    with (TEMPLATES / f"{language}.toml").open("rb") as handle:
        return set(tomllib.load(handle)["survey"]["negative"])


@pytest.fixture(scope="module")
def wh(demo_db: Path) -> ReadOnlyWarehouse:
    return ReadOnlyWarehouse(demo_db)


@pytest.fixture(scope="module")
def topics(wh: ReadOnlyWarehouse):
    return negative_topics(wh, SETTINGS, Filters())


def test_english_topics_name_the_negative_templates(topics):
    english = topics.filter(topics["language"] == "en").to_dicts()
    assert {r["status"] for r in english} == {"ok"} and len(english) == 6
    first = english[0]
    assert (first["coverage"], first["sampled"]) == (1.0, False)
    assert first["method"].startswith("model-en@")
    assert sum(r["size"] for r in english) + first["unassigned"] == first["n"]
    assert first["n"] == first["negative_messages"] + first["low_score_comments"]
    words = {w for r in english for term in r["top_terms"] for w in term.split()}
    # "The app charged me a network fee but the transaction failed", "I tried that and it
    # still doesn't work.", "My previous ticket was closed but the issue is not fixed",
    # "I want to talk to a human"
    assert {"charged", "fee", "tried", "work", "closed", "previous", "human"} <= words
    assert all(1 <= len(r["examples"]) <= 3 for r in english)


def test_only_scored_languages_have_negative_messages(topics):
    languages = topics.unique("language", keep="first", maintain_order=True).to_dicts()
    for row in languages:
        if row["scored_messages"] == 0:
            assert row["negative_messages"] == 0 and row["method"] is None, row["language"]
        if row["negative_messages"] > 0:
            assert row["method"] is not None and row["coverage"] > 0, row["language"]
        assert (row["status"] == "ok") == (row["n"] >= 50), row["language"]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_low_score_comment_topics_are_the_four_survey_templates(wh, language):
    frame = negative_topics(wh, SETTINGS, Filters(language=(language,)), texts="comments")
    rows = frame.filter(frame["language"] == language).to_dicts()
    # each template is its own topic: one distinct example per topic, all four found
    assert len(rows) == 4
    assert {text for r in rows for text in r["examples"]} == survey_negatives(language)
    assert all(len(r["examples"]) == 1 for r in rows)
    assert sum(r["size"] for r in rows) == rows[0]["n"] == rows[0]["low_score_comments"]


def test_follow_up_counts_every_negative_message_once(wh):
    overall = negative_followup(wh, SETTINGS, Filters()).row(0, named=True)
    negatives = sentiment(wh, SETTINGS, Filters(), per_method=False).row(0, named=True)
    # sentiment counts negative customer messages of all contacts; here bot-only ones aside
    assert overall["n"] + overall["bot_only"] == negatives["negative"]
    assert overall["n"] > 1000 and 0.9 < overall["value"] < 1.0
    assert overall["ci_low"] < overall["value"] < overall["ci_high"]
    assert 0 < overall["median"] < overall["p90"]
    by_language = negative_followup(wh, SETTINGS, Filters(), by="language")
    assert by_language["n"].sum() == overall["n"]
    assert by_language["followed"].sum() == overall["followed"]


def test_unfollowed_list_is_every_unfollowed_negative_newest_first(wh):
    overall = negative_followup(wh, SETTINGS, Filters()).row(0, named=True)
    listed = negative_unfollowed(wh, SETTINGS, Filters(), limit=100_000)
    assert listed.height == overall["unfollowed"] > 0
    assert listed["sent_at"].is_sorted(descending=True)
    assert (listed["sentiment"] <= SETTINGS.sentiment_negative).all()
    assert listed["body"].str.len_chars().min() > 0
    assert negative_unfollowed(wh, SETTINGS, Filters(), limit=5).equals(listed.head(5))


@pytest.mark.parametrize("max_texts", [7, 30, 20000])
def test_the_sample_drawn_in_python_is_the_ranked_querys(wh: ReadOnlyWarehouse, max_texts: int):
    from metrics.voice import topics as topics_module
    from metrics.voice.followup_facts import negative_texts_table

    tz = SETTINGS.reporting_timezone
    for kinds in topics_module.TEXT_KINDS:
        where, params = Filters().where(tz)
        ranked = wh.query(
            topics_module._TEXTS.format(texts=negative_texts_table(wh, SETTINGS), where=where),
            params | {"timezone": tz, "max_texts": max_texts, "kinds": topics_module.TEXT_KINDS[kinds]},
        )  # fmt: skip
        sampled, _ = topics_module._fetch(wh, SETTINGS, Filters(), kinds, max_texts)
        assert sampled.height > 0
        assert sampled.equals(ranked)
