"""Customer sentiment and sentiment change on hand-written messages."""

from __future__ import annotations

from datetime import date

import pytest
from builders import msg, ticket

from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.registry import REGISTRY
from metrics.voice.sentiment import sentiment, sentiment_change, sentiment_totals

SETTINGS = load_settings()
DAY = "2026-01-05"


def said(conversation: str, at: str, score: float | None, method: str | None = "vader") -> dict:
    """A customer message with its score (None = not scored, so no method either)."""
    return msg(
        conversation,
        "customer",
        f"{DAY} {at}",
        sentiment=score,
        sentiment_method=method if score is not None else None,
    )


MIXED = {
    "tickets": [
        ticket("T1", f"{DAY} 09:00", language="en", agent_id="A1"),
        ticket("T2", f"{DAY} 09:00", language="zh", agent_id="A2"),
        ticket("T3", f"{DAY} 09:00", language="ru", agent_id="A2"),
    ],
    "messages": [
        said("T1", "09:00", -0.5),
        # agent messages are never customer sentiment, however they score
        msg("T1", "agent", f"{DAY} 09:05", sentiment=0.9, sentiment_method="vader"),
        said("T1", "09:10", 0.3),
        said("T1", "09:20", 0.02),
        said("T2", "09:00", -0.2, "snownlp"),
        said("T2", "09:10", None),
        # Russian: no scorer installed, so both stay NULL (not neutral)
        said("T3", "09:00", None),
        said("T3", "09:10", None),
    ],
}


def test_each_scoring_method_is_its_own_row_and_unscored_text_is_not_neutral(make_wh):
    wh = make_wh(MIXED)
    # 7 customer messages, 3 unscored. vader: -0.5, 0.3, 0.02 -> n 3, mean -0.18/3 = -0.06,
    # negative (<= -0.05) 1 -> 1/3, positive (>= 0.05) 1 -> 1/3 (0.02 is neutral),
    # coverage 3/7. snownlp: -0.2 -> n 1, negative 1/1, coverage 1/7.
    # Were the 3 NULLs counted as neutral 0.0, vader's mean would be -0.18/6 = -0.03.
    frame = sentiment(wh, SETTINGS, Filters())
    assert frame.to_dicts() == [
        {"method": "snownlp", "n": 1, "mean": pytest.approx(-0.2), "negative": 1,
         "negative_share": 1.0, "positive": 0, "positive_share": 0.0,
         "customer_messages": 7, "unscored": 3, "coverage": pytest.approx(1 / 7)},
        {"method": "vader", "n": 3, "mean": pytest.approx(-0.06), "negative": 1,
         "negative_share": pytest.approx(1 / 3), "positive": 1,
         "positive_share": pytest.approx(1 / 3), "customer_messages": 7, "unscored": 3,
         "coverage": pytest.approx(3 / 7)},
    ]  # fmt: skip


def test_methods_combined_name_every_method_they_cover(make_wh):
    wh = make_wh(MIXED)
    # all 4 scored: (-0.5 + 0.3 + 0.02 - 0.2)/4 = -0.095; negative -0.5, -0.2 -> 2/4;
    # positive 0.3 -> 1/4; coverage 4/7
    row = sentiment(wh, SETTINGS, Filters(), per_method=False).row(0, named=True)
    assert row == {
        "method": "snownlp+vader",
        "n": 4,
        "mean": pytest.approx(-0.095),
        "negative": 2,
        "negative_share": 0.5,
        "positive": 1,
        "positive_share": 0.25,
        "customer_messages": 7,
        "unscored": 3,
        "coverage": pytest.approx(4 / 7),
    }


def test_coverage_by_language_shows_the_unscored_language(make_wh):
    wh = make_wh(MIXED)
    # en: 3 of 3 scored (1.0); ru: 0 of 2 (0.0, a row with no method); zh: 1 of 2 (0.5)
    frame = sentiment(wh, SETTINGS, Filters(), by="language")
    assert frame.select("language", "method", "n", "customer_messages", "coverage").to_dicts() == [
        {"language": "en", "method": "vader", "n": 3, "customer_messages": 3, "coverage": 1.0},
        {"language": "ru", "method": None, "n": 0, "customer_messages": 2, "coverage": 0.0},
        {"language": "zh", "method": "snownlp", "n": 1, "customer_messages": 2, "coverage": 0.5},
    ]


def test_only_messages_of_the_filtered_contacts_count(make_wh):
    wh = make_wh(
        {
            **MIXED,
            "messages": [
                *MIXED["messages"],
                # a chat with no ticket is a contact too (created 2026-01-06)
                msg("C9", "customer", "2026-01-06 10:00", sentiment=0.8, sentiment_method="vader"),
            ],
        }
    )
    # language zh only: T2's two customer messages, one scored (-0.2)
    zh = sentiment(wh, SETTINGS, Filters(language=("zh",))).row(0, named=True)
    assert (zh["method"], zh["n"], zh["customer_messages"], zh["coverage"]) == (
        "snownlp",
        1,
        2,
        0.5,
    )
    # created on 2026-01-06: only the ticketless chat C9 (0.8, positive)
    day = Filters(date_from=date(2026, 1, 6))
    c9 = sentiment(wh, SETTINGS, day).row(0, named=True)
    assert (c9["n"], c9["mean"], c9["positive_share"], c9["coverage"]) == (1, 0.8, 1.0, 1.0)


def test_no_customer_messages_gives_n_zero_and_no_coverage(make_wh):
    wh = make_wh({"tickets": [ticket("T1", f"{DAY} 09:00")]})
    assert sentiment(wh, SETTINGS, Filters()).to_dicts() == [
        {"method": None, "n": 0, "mean": None, "negative": 0, "negative_share": None,
         "positive": 0, "positive_share": None, "customer_messages": 0, "unscored": 0,
         "coverage": None},
    ]  # fmt: skip


def test_sentiment_change_compares_first_and_last_scored_customer_message(make_wh):
    wh = make_wh(
        {
            "tickets": [ticket(t, f"{DAY} 09:00") for t in ("T1", "T2", "T3", "T4", "T5", "T6")],
            "messages": [
                said("T1", "09:00", -0.5),
                said("T1", "09:30", 0.5),  # improved: +1.0
                said("T2", "09:00", 0.5),
                said("T2", "09:30", -0.25),  # worsened: -0.75
                said("T3", "09:00", 0.0),
                said("T3", "09:10", None),  # unscored in between: skipped, not neutral
                said("T3", "09:30", 0.0),  # same: 0.0
                said("T4", "09:00", -0.4),  # one scored message only
                said("T4", "09:30", None),
                said("T5", "09:00", None),  # none scored
                # T6 has no messages at all: not a conversation to judge
            ],
        }
    )
    # n = 3 (T1, T2, T3); improved 1/3, worsened 1/3, same 1/3;
    # mean change = (1.0 - 0.75 + 0.0)/3 = 0.25/3; too few scored: T4, T5 = 2
    row = sentiment_change(wh, SETTINGS, Filters()).row(0, named=True)
    assert row == {
        "method": "vader",
        "n": 3,
        "improved": 1,
        "improved_share": pytest.approx(1 / 3),
        "worsened": 1,
        "worsened_share": pytest.approx(1 / 3),
        "same": 1,
        "same_share": pytest.approx(1 / 3),
        "mean_change": pytest.approx(0.25 / 3),
        "too_few_scored": 2,
    }


def test_sentiment_change_by_agent_and_when_nothing_can_be_judged(make_wh):
    wh = make_wh(
        {
            "tickets": [
                ticket("T1", f"{DAY} 09:00", agent_id="A1"),
                ticket("T2", f"{DAY} 09:00", agent_id="A2"),
            ],
            "messages": [
                said("T1", "09:00", -0.5),
                said("T1", "09:30", -0.1),  # improved by 0.4
                said("T2", "09:00", 0.3),  # a single scored message
            ],
        }
    )
    frame = sentiment_change(wh, SETTINGS, Filters(), by="agent")
    assert frame.select("agent", "method", "n", "improved_share", "too_few_scored").to_dicts() == [
        {"agent": "A1", "method": "vader", "n": 1, "improved_share": 1.0, "too_few_scored": 0},
        {"agent": "A2", "method": None, "n": 0, "improved_share": None, "too_few_scored": 1},
    ]
    empty = sentiment_change(make_wh({}), SETTINGS, Filters()).row(0, named=True)
    assert (empty["n"], empty["improved_share"], empty["mean_change"]) == (0, None, None)


def test_both_sentiment_metrics_are_registered():
    assert REGISTRY["sentiment"].function is sentiment
    assert REGISTRY["sentiment_change"].function is sentiment_change


def test_sentiment_totals_from_the_contact_fact_equal_the_message_level_figures(make_wh):
    wh = make_wh(MIXED)
    # A1 (T1): -0.5, 0.3, 0.02 scored -> n 3, mean (-0.5 + 0.3 + 0.02) / 3 = -0.06,
    # negative 1 (-0.5), 1/3; 3 customer messages, coverage 1. The agent's 0.9 is not a
    # customer message. A2 (T2, T3): -0.2 scored, three unscored -> n 1, mean -0.2,
    # negative 1, 1/1; 4 customer messages, coverage 1/4.
    frame = sentiment_totals(wh, SETTINGS, Filters(), by="agent")
    assert frame.to_dicts() == [
        {"agent": "A1", "n": 3, "mean": pytest.approx(-0.06), "negative": 1,
         "negative_share": pytest.approx(1 / 3), "customer_messages": 3, "coverage": 1.0},
        {"agent": "A2", "n": 1, "mean": pytest.approx(-0.2), "negative": 1,
         "negative_share": 1.0, "customer_messages": 4, "coverage": 0.25},
    ]  # fmt: skip
    full = sentiment(wh, SETTINGS, Filters(), by="agent", per_method=False)
    assert full.select(frame.columns).to_dicts() == frame.to_dicts()
    # Overall: 4 scored of 7 customer messages, mean (-0.18 - 0.2) / 4 = -0.095,
    # 2 negative (-0.5, -0.2).
    assert sentiment_totals(wh, SETTINGS, Filters()).to_dicts() == [
        {"n": 4, "mean": pytest.approx(-0.095), "negative": 2, "negative_share": 0.5,
         "customer_messages": 7, "coverage": pytest.approx(4 / 7)}
    ]  # fmt: skip
