"""Follow-up of negative customer messages, on hand-written conversations."""

from __future__ import annotations

import pytest
from builders import msg, ticket

from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.registry import REGISTRY
from metrics.voice.followup import negative_followup, negative_unfollowed

SETTINGS = load_settings()  # negative: sentiment <= -0.05
DAY = "2026-01-05"


def said(conversation: str, at: str, score: float | None, body: str = "...") -> dict:
    """A customer message with its score (None = not scored, so no method either)."""
    method = "vader" if score is not None else None
    return msg(
        conversation, "customer", f"{DAY} {at}", body=body, sentiment=score, sentiment_method=method
    )


def sent(conversation: str, sender: str, at: str) -> dict:
    return msg(conversation, sender, f"{DAY} {at}", body="reply")


CONVERSATIONS = {
    "tickets": [
        ticket("T1", f"{DAY} 09:00", language="en", agent_id="A1", team="en", channel="email"),
        ticket("T2", f"{DAY} 09:00", language="en", agent_id="A2", team="en", channel="chat"),
        ticket("T3", f"{DAY} 09:00", language="ru", agent_id="A3", team="ru", channel="email"),
        ticket("T4", f"{DAY} 09:00", language="en", agent_id="A1", team="en", channel="email"),
        ticket("T5", f"{DAY} 09:00", language="en", agent_id="A2", team="en", channel="email"),
    ],
    "messages": [
        # T1: two negatives answered after 30 and 90 minutes, then a negative last message
        said("T1", "09:00", -0.6, "this is broken"),
        sent("T1", "agent", "09:30"),
        said("T1", "10:00", -0.2, "still broken"),
        sent("T1", "agent", "11:30"),
        said("T1", "12:00", -0.9, "terrible, nobody helps"),
        # T2: a positive message is no negative; the threshold itself (-0.05) is negative,
        # and an agent message at the same instant follows it (0 minutes)
        said("T2", "09:00", 0.5),
        sent("T2", "agent", "09:10"),
        said("T2", "09:20", -0.05, "hmm"),
        sent("T2", "agent", "09:20"),
        # T3: Russian, unscored: never negative, never neutral
        said("T3", "09:00", None, "всё сломалось"),
        sent("T3", "agent", "09:05"),
        # T4: only a bot and a system message after the negative: no follow-up
        said("T4", "13:00", -0.4, "where is my money"),
        sent("T4", "bot", "13:01"),
        sent("T4", "system", "13:02"),
        # T5: the customer writes again (unscored), the agent answers 120 minutes later
        said("T5", "09:00", -0.3, "fee too high"),
        said("T5", "10:00", None, "hello?"),
        sent("T5", "agent", "11:00"),
        # C6: a conversation the bot closed alone (no ticket): counted as bot_only
        said("C6", "09:00", -0.5, "help"),
        sent("C6", "bot", "09:01"),
    ],
}


def test_follow_up_rate_and_minutes_over_negative_messages(make_wh):
    wh = make_wh(CONVERSATIONS)
    # negatives: T1 09:00 (30 min), T1 10:00 (90 min), T1 12:00 (none), T2 09:20 (0 min),
    # T4 13:00 (none: bot/system), T5 09:00 (120 min) -> n 6, followed 4, value 4/6.
    # minutes sorted [0, 30, 90, 120]: median (30 + 90)/2 = 60; p90 at 0.9*3 = 2.7 ->
    # 90 + 0.7*30 = 111. Wilson 4/6: centre (0.6667 + 1.9600^2/12)/(1 + 1.9600^2/6) = 0.6016,
    # half 1.96*sqrt(0.6667*0.3333/6 + 1.96^2/144)/1.6402 = 0.3016 -> 0.3000 .. 0.9032.
    # customer messages: T1 3, T2 2, T3 1, T4 1, T5 2, C6 1 = 10; unscored T3, T5 10:00 = 2.
    assert negative_followup(wh, SETTINGS, Filters()).to_dicts() == [
        {"n": 6, "followed": 4, "value": pytest.approx(4 / 6),
         "ci_low": pytest.approx(0.3000, abs=1e-4), "ci_high": pytest.approx(0.9032, abs=1e-4),
         "median": pytest.approx(60.0), "p90": pytest.approx(111.0), "unfollowed": 2,
         "bot_only": 1, "untimed": 0, "customer_messages": 10, "scored_messages": 8, "unscored": 2,
         "coverage": pytest.approx(0.8), "method": "vader"},
    ]  # fmt: skip


def test_follow_up_by_agent_uses_the_contacts_agent(make_wh):
    wh = make_wh(CONVERSATIONS)
    frame = negative_followup(wh, SETTINGS, Filters(), by="agent")
    rows = frame.select("agent", "n", "followed", "median", "p90", "unscored").to_dicts()
    # A1: T1 (30, 90, none) + T4 (none): n 4, followed 2, median 60, p90 30 + 0.9*60 = 84.
    # A2: T2 (0) + T5 (120): n 2, followed 2, median 60, p90 0 + 0.9*120 = 108.
    # A3: only an unscored message: n 0, nothing to time. C6 (no agent): only bot_only.
    assert rows == [
        {"agent": "A1", "n": 4, "followed": 2, "median": pytest.approx(60.0),
         "p90": pytest.approx(84.0), "unscored": 0},
        {"agent": "A2", "n": 2, "followed": 2, "median": pytest.approx(60.0),
         "p90": pytest.approx(108.0), "unscored": 1},
        {"agent": "A3", "n": 0, "followed": 0, "median": None, "p90": None, "unscored": 1},
        {"agent": None, "n": 0, "followed": 0, "median": None, "p90": None, "unscored": 0},
    ]  # fmt: skip
    a3 = frame.filter(frame["agent"] == "A3").row(0, named=True)
    assert (a3["value"], a3["ci_low"], a3["coverage"], a3["method"]) == (None, None, 0.0, None)


def test_unfollowed_negative_messages_newest_first_with_a_limit(make_wh):
    wh = make_wh(CONVERSATIONS)
    frame = negative_unfollowed(wh, SETTINGS, Filters())
    columns = ["contact_id", "sent_at", "language", "agent_id", "team", "channel", "body"]
    rows = [{**r, "sent_at": r["sent_at"].isoformat()} for r in frame.select(columns).to_dicts()]
    assert rows == [
        {"contact_id": "T4", "sent_at": "2026-01-05T13:00:00+00:00", "language": "en",
         "agent_id": "A1", "team": "en", "channel": "email", "body": "where is my money"},
        {"contact_id": "T1", "sent_at": "2026-01-05T12:00:00+00:00", "language": "en",
         "agent_id": "A1", "team": "en", "channel": "email", "body": "terrible, nobody helps"},
    ]  # fmt: skip
    assert negative_unfollowed(wh, SETTINGS, Filters(), limit=1)["contact_id"].to_list() == ["T4"]


def test_filters_scope_the_contacts(make_wh):
    wh = make_wh(CONVERSATIONS)
    # agent A2 only: T2 (0 min) and T5 (120 min) -> 2 of 2 followed
    row = negative_followup(wh, SETTINGS, Filters(agent=("A2",))).row(0, named=True)
    assert (row["n"], row["followed"], row["value"]) == (2, 2, 1.0)
    assert negative_unfollowed(wh, SETTINGS, Filters(agent=("A2",))).height == 0


def test_a_negative_message_without_a_time_is_counted_apart(make_wh):
    untimed = {**said("T1", "09:00", -0.7), "sent_at": None}
    wh = make_wh({"tickets": [ticket("T1", f"{DAY} 09:00")], "messages": [untimed]})
    row = negative_followup(wh, SETTINGS, Filters()).row(0, named=True)
    assert (row["n"], row["untimed"], row["scored_messages"]) == (0, 1, 1)
    assert negative_unfollowed(wh, SETTINGS, Filters()).height == 0


def test_no_negative_message_gives_n_zero_and_no_rate(make_wh):
    wh = make_wh(
        {
            "tickets": [ticket("T1", f"{DAY} 09:00", language="ru")],
            "messages": [said("T1", "09:00", None), sent("T1", "agent", "09:30")],
        }
    )
    row = negative_followup(wh, SETTINGS, Filters()).row(0, named=True)
    assert {k: row[k] for k in ("n", "followed", "value", "median", "coverage", "method")} == {
        "n": 0, "followed": 0, "value": None, "median": None, "coverage": 0.0, "method": None
    }  # fmt: skip


def test_both_metrics_are_registered():
    assert REGISTRY["negative_followup"].function is negative_followup
    assert REGISTRY["negative_unfollowed"].function is negative_unfollowed
