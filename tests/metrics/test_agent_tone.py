"""Agents' and bots' own tone, kept apart from customer sentiment (issue 13, point 6)."""

from __future__ import annotations

from builders import msg, ticket

from metrics.agents.tone import agent_tone
from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.voice.sentiment import sentiment

SETTINGS = load_settings()
DAY = "2026-01-05"


def conversation() -> dict:
    """One ticket: a negative customer, a cheerful agent, a curt bot, an unscored agent line."""
    return {
        "tickets": [ticket("T1", f"{DAY} 09:00", agent_id="A1")],
        "messages": [
            msg("T1", "customer", f"{DAY} 09:00", sentiment=-0.6, sentiment_method="m"),
            msg("T1", "bot", f"{DAY} 09:01", agent_sentiment=-0.3, sentiment_method="m"),
            msg("T1", "agent", f"{DAY} 09:02", sender_id="A1", agent_sentiment=0.8,
                sentiment_method="m"),
            msg("T1", "agent", f"{DAY} 09:03", sender_id="A1"),
        ],
    }  # fmt: skip


def test_agent_and_bot_scores_never_enter_customer_sentiment(make_wh):
    wh = make_wh(conversation())
    customer = sentiment(wh, SETTINGS, Filters(), per_method=False).row(0, named=True)
    # only the customer's -0.6: n 1, mean -0.6, all negative, 1 of 1 customer messages
    assert (customer["n"], customer["mean"], customer["negative_share"]) == (1, -0.6, 1.0)
    assert customer["customer_messages"] == 1


def test_agent_tone_counts_agent_and_bot_messages_and_by_agent_only_the_agents(make_wh):
    wh = make_wh(conversation())
    overall = agent_tone(wh, SETTINGS, Filters()).row(0, named=True)
    # bot -0.3 (negative), agent +0.8 (positive), one agent line unscored: 2 of 3 scored
    assert (overall["n"], overall["messages"], overall["negative"], overall["positive"]) == (
        2, 3, 1, 1,
    )  # fmt: skip
    assert overall["mean"] == 0.25  # (-0.3 + 0.8) / 2
    per_agent = agent_tone(wh, SETTINGS, Filters(), by="agent").to_dicts()
    # the bot is nobody's: A1 has its two lines, one scored +0.8
    assert [(r["agent"], r["n"], r["messages"], r["positive_share"]) for r in per_agent] == [
        ("A1", 1, 2, 1.0)
    ]
