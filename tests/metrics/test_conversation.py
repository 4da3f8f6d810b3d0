"""Reply time, requester wait and the chat queue on hand-written conversations."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from builders import msg, ticket

from metrics.core.filters import Filters
from metrics.core.settings import load_settings, settings_from_dict
from metrics.operations.chat_queue import chat_queue_by_hour, hourly_queue
from metrics.registry import REGISTRY
from metrics.response.conversation import contact_waits_table, reply_time, requester_wait

SETTINGS = load_settings()
DAY = "2026-01-05"


def base_tables() -> dict:
    """Five contacts on Monday 2026-01-05 (UTC); the waits each one makes are noted."""
    return {
        "tickets": [
            ticket("T2", f"{DAY} 09:00", channel="email"),
            ticket("T5", f"{DAY} 13:00", channel="email"),  # no transcript: without_runs
        ],
        "messages": [
            # C1 (chat): 09:00-09:10 = 10 min (the bot at 09:03 does not end the wait and the
            # 09:02 message joins the run); 09:20-09:50 = 30 min (a second run after the
            # agent's reply); the 10:00 "thanks" is never answered: unanswered.
            msg("C1", "customer", f"{DAY} 09:00", sender_id="u1"),
            msg("C1", "customer", f"{DAY} 09:02", sender_id="u1"),
            msg("C1", "bot", f"{DAY} 09:03"),
            msg("C1", "agent", f"{DAY} 09:10", sender_id="a1"),
            msg("C1", "customer", f"{DAY} 09:20", sender_id="u1"),
            msg("C1", "agent", f"{DAY} 09:50", sender_id="a1"),
            msg("C1", "customer", f"{DAY} 10:00", sender_id="u1"),
            # T2 (email ticket): the agent wrote first; the customer's 09:30 waits 60 min.
            msg("T2", "agent", f"{DAY} 09:00", sender_id="a1"),
            msg("T2", "customer", f"{DAY} 09:30", sender_id="u2"),
            msg("T2", "agent", f"{DAY} 10:30", sender_id="a1"),
            # C3 (chat): the bot alone answers; one run (bots do not split it): bot_only.
            msg("C3", "customer", f"{DAY} 11:00", sender_id="u3"),
            msg("C3", "bot", f"{DAY} 11:01"),
            msg("C3", "customer", f"{DAY} 11:05", sender_id="u3"),
            msg("C3", "bot", f"{DAY} 11:06"),
            # C4 (chat): no sender ids at all; the roles still decide: 12:00-12:15 = 15 min.
            msg("C4", "customer", f"{DAY} 12:00", sender_id=None),
            msg("C4", "agent", f"{DAY} 12:15", sender_id=None),
            # C6 (chat): 09:10-10:30 = 80 min.
            msg("C6", "customer", f"{DAY} 09:10", sender_id="u6"),
            msg("C6", "agent", f"{DAY} 10:30", sender_id="a2"),
        ],
    }


def test_reply_time_counts_every_run_and_separates_unanswered_and_bot_only(make_wh):
    wh = make_wh(base_tables())
    # answered waits 10, 15, 30, 60, 80: median 30; p90 at rank 0.9 * 4 = 3.6:
    # 60 + 0.6 * (80 - 60) = 72
    assert reply_time(wh, SETTINGS, Filters()).to_dicts() == [
        {
            "n": 5,
            "unanswered": 1,
            "bot_only": 1,
            "without_runs": 1,
            "untimed": 0,
            "median": 30.0,
            "p90": 72.0,
        }
    ]


def test_reply_time_per_conversation_summarises_each_conversations_median(make_wh):
    wh = make_wh(base_tables())
    # per conversation: C1 median(10, 30) = 20, T2 60, C4 15, C6 80 -> 15, 20, 60, 80:
    # median (20 + 60) / 2 = 40; p90 at rank 2.7: 60 + 0.7 * (80 - 60) = 74
    row = reply_time(wh, SETTINGS, Filters(), per="conversation").row(0, named=True)
    assert row == {
        "n": 4,
        "unanswered": 1,
        "bot_only": 1,
        "without_runs": 1,
        "untimed": 0,
        "median": 40.0,
        "p90": 74.0,
    }


def test_reply_time_follows_the_contacts_filters_and_breakdowns(make_wh):
    wh = make_wh(base_tables())
    # chat only: 10, 15, 30, 80 -> median 22.5; p90 at rank 2.7: 30 + 0.7 * 50 = 65
    chat = reply_time(wh, SETTINGS, Filters(channel=("chat",))).row(0, named=True)
    assert (chat["n"], chat["median"], chat["p90"]) == (4, 22.5, pytest.approx(65.0))
    # by channel: email has T2's 60 min and T5 without a transcript
    frame = reply_time(wh, SETTINGS, Filters(), by="channel")
    assert frame.select(
        "channel", "n", "unanswered", "bot_only", "without_runs", "median"
    ).rows() == [
        ("chat", 4, 1, 1, 0, 22.5),
        ("email", 1, 0, 0, 1, 60.0),
    ]


def test_a_conversation_with_an_untimed_message_is_counted_not_measured(make_wh):
    wh = make_wh(
        {
            "messages": [
                msg("C1", "customer", f"{DAY} 09:00"),
                msg("C1", "agent", f"{DAY} 09:10", sent_at=None),
                msg("C2", "customer", f"{DAY} 09:00"),
                msg("C2", "agent", f"{DAY} 09:05"),
            ]
        }
    )
    # C1 cannot be ordered: untimed; C2 waits 5 min
    row = reply_time(wh, SETTINGS, Filters()).row(0, named=True)
    assert (row["n"], row["untimed"], row["median"]) == (1, 1, 5.0)


def test_requester_wait_sums_each_contacts_answered_waits(make_wh):
    wh = make_wh(base_tables())
    # C1 10 + 30 = 40 (its last run is open: still_waiting), T2 60, C4 15, C6 80
    # -> 15, 40, 60, 80: median 50; p90 at rank 2.7: 60 + 0.7 * 20 = 74
    assert requester_wait(wh, SETTINGS, Filters()).to_dicts() == [
        {
            "n": 4,
            "unanswered": 0,
            "bot_only": 1,
            "without_runs": 1,
            "untimed": 0,
            "still_waiting": 1,
            "median": 50.0,
            "p90": 74.0,
        }
    ]


def test_requester_wait_counts_a_never_answered_contact_as_unanswered(make_wh):
    wh = make_wh(
        {
            "messages": [
                msg("C1", "customer", f"{DAY} 09:00"),
                msg("C2", "customer", f"{DAY} 09:00"),
                msg("C2", "agent", f"{DAY} 09:30"),
            ]
        }
    )
    row = requester_wait(wh, SETTINGS, Filters()).row(0, named=True)
    assert (row["n"], row["unanswered"], row["median"]) == (1, 1, 30.0)


def queue_row(hour: int, mean: float = 0.0, peak: int = 0, n: int = 0, open_: int = 0, hours=1):
    return {
        "hour": hour,
        "mean_waiting": mean,
        "max_waiting": peak,
        "n": n,
        "unanswered": open_,
        "hours": hours,
    }


def test_chat_queue_integrates_waiting_time_over_each_hour(make_wh):
    wh = make_wh(base_tables())
    day = date(2026, 1, 5)
    # chat waits: C1 09:00-09:10, 09:20-09:50 (+ unanswered at 10:00), C6 09:10-10:30,
    # C4 12:00-12:15 (C3 is bot-only, T2 is e-mail).
    # 09h: C1 10 + 30 min, C6 50 min = 90 min / 60 = 1.5 waiting on average; at 09:10 one
    #      wait ends as another starts (level stays 1); 09:20-09:50 two wait: max 2; 3 waits.
    # 10h: C6 30 min = 0.5; max 1; 1 wait; C1's unanswered run starts at 10:00.
    # 12h: C4 15 min = 0.25; max 1.
    expected = [queue_row(h) for h in range(24)]
    expected[9] = queue_row(9, 1.5, 2, 3)
    expected[10] = queue_row(10, 0.5, 1, 1, open_=1)
    expected[12] = queue_row(12, 0.25, 1, 1)
    frame = chat_queue_by_hour(wh, SETTINGS, Filters(date_from=day, date_to=day))
    assert frame.to_dicts() == expected
    # without a date range the period is the days the waits span: the same single day
    assert chat_queue_by_hour(wh, SETTINGS, Filters()).to_dicts() == expected


def test_chat_queue_averages_over_the_days_and_uses_the_reporting_zone(make_wh):
    wh = make_wh(base_tables())
    # two days, only one with waits: each hour's mean halves, the max stays; hours = 2
    two_days = Filters(date_from=date(2026, 1, 4), date_to=date(2026, 1, 5))
    row9 = chat_queue_by_hour(wh, SETTINGS, two_days).row(9, named=True)
    assert row9 == queue_row(9, 0.75, 2, 3, hours=2)
    # Asia/Shanghai is UTC+8: 09:00 UTC is 17:00 local
    shanghai = settings_from_dict({"reporting": {"timezone": "Asia/Shanghai"}})
    day = Filters(date_from=date(2026, 1, 5), date_to=date(2026, 1, 5))
    frame = chat_queue_by_hour(wh, shanghai, day)
    assert frame.row(17, named=True) == queue_row(17, 1.5, 2, 3)


def test_chat_queue_breaks_down_by_language(make_wh):
    tables = base_tables()
    for row in tables["messages"]:
        row["language"] = "zh" if row["conversation_id"] == "C6" else "en"
    wh = make_wh(tables)
    day = Filters(date_from=date(2026, 1, 5), date_to=date(2026, 1, 5))
    frame = chat_queue_by_hour(wh, SETTINGS, day, by="language").filter(pl.col("hour") == 9)
    # 09h: en = C1's 40 min -> 2/3, max 1; zh = C6's 50 min -> 5/6, max 1
    assert frame.select("language", "max_waiting", "n").rows() == [("en", 1, 2), ("zh", 1, 1)]
    assert frame["mean_waiting"].to_list() == pytest.approx([40 / 60, 50 / 60])


def test_the_hourly_sweep_counts_ties_boundaries_and_clipped_waits():
    minute = 60_000_000  # microseconds
    # minutes from the period's start, 3 hours long; None: unanswered
    waits = {
        "A": (0, 90),  # starts on the first hour boundary
        "B": (60, 60),  # answered at the instant it starts: never waiting, never active
        "C": (90, 150),  # starts as A is answered: the level stays 1
        "F": (100, 110),
        "E": (120, None),  # unanswered, from the third hour
        "D": (170, 180),  # answered after the period: clipped to its end
    }
    starts = pl.Series([start * minute for start, _ in waits.values()], dtype=pl.Int64)
    ends = pl.Series([end and end * minute for _, end in waits.values()], dtype=pl.Int64)
    queue = hourly_queue(starts, ends, 180 * minute)
    # hour 0: A all hour = 60 min, max 1, active A.
    # hour 1: A 60-90, C 90-120, F 100-110 = 30 + 30 + 10 = 70 min; max 2 (100-110);
    #         active: A (waiting at 60) + C + F = 3 (B starts and ends at 60).
    # hour 2: C 120-150, D 170-180 = 30 + 10 = 40 min; max 1; active C + D = 2; E unanswered.
    assert (queue.waiting_us // minute).tolist() == [60, 70, 40]
    assert queue.max_level.tolist() == [1, 2, 1]
    assert queue.active.tolist() == [1, 3, 2]
    assert queue.unanswered.tolist() == [0, 0, 1]


def test_an_empty_warehouse_gives_zero_runs_and_an_empty_queue(make_wh):
    wh = make_wh({})
    empty_runs = {
        "n": 0,
        "unanswered": 0,
        "bot_only": 0,
        "without_runs": 0,
        "untimed": 0,
        "median": None,
        "p90": None,
    }
    assert reply_time(wh, SETTINGS, Filters()).to_dicts() == [empty_runs]
    assert reply_time(wh, SETTINGS, Filters(), per="conversation").to_dicts() == [empty_runs]
    assert requester_wait(wh, SETTINGS, Filters()).to_dicts() == [
        {**empty_runs, "still_waiting": 0}
    ]
    assert reply_time(wh, SETTINGS, Filters(), by="agent").is_empty()
    day = Filters(date_from=date(2026, 1, 5), date_to=date(2026, 1, 5))
    assert chat_queue_by_hour(wh, SETTINGS, day).to_dicts() == [queue_row(h) for h in range(24)]
    assert chat_queue_by_hour(wh, SETTINGS, Filters()).is_empty()


def test_the_conversation_metrics_are_registered():
    assert {"reply_time", "requester_wait", "chat_queue_by_hour"} <= set(REGISTRY)
    assert REGISTRY["reply_time"].function is reply_time


def test_per_conversation_and_requester_wait_come_from_one_query(make_wh, monkeypatch):
    wh = make_wh(base_tables())
    queries: list[str] = []
    run = wh.query
    monkeypatch.setattr(wh, "query", lambda sql, *a, **k: queries.append(sql) or run(sql, *a, **k))
    by_channel = reply_time(wh, SETTINGS, Filters(), by="channel", per="conversation")
    waits = requester_wait(wh, SETTINGS, Filters(), by="channel")
    # one pass over the contacts' runs: the second is answered from the first
    assert len([sql for sql in queries if "per_contact" in sql]) == 1
    # chat: C1 median 20 and sum 40, C4 15 and 15, C6 80 and 80 (C3 bot only);
    # email: T2 60 and 60 (T5 without runs)
    assert by_channel.select("channel", "n", "median", "bot_only").rows() == [
        ("chat", 3, 20.0, 1),
        ("email", 1, 60.0, 0),
    ]
    assert waits.select("channel", "n", "median", "still_waiting", "without_runs").rows() == [
        ("chat", 3, 40.0, 1, 0),
        ("email", 1, 60.0, 0, 1),
    ]


def test_the_per_contact_waits_fact_summarises_each_contacts_runs(make_wh):
    wh = make_wh(base_tables())
    table = contact_waits_table(wh, SETTINGS)
    rows = wh.query(
        f"SELECT contact_id, runs, open_runs, wait_minutes, median_wait, last_run_open, is_timed"  # noqa: S608
        f" FROM {table} ORDER BY contact_id"
    ).rows()
    # C1: runs at 09:00 (10 min), 09:20 (30 min) and 10:00 (open): sum 40, median (10 + 30) / 2
    # = 20, its last run open; C3: one run only bots answered (open, no wait); T5: no
    # transcript, no run (its last run: none); the others one answered run each.
    assert rows == [
        ("C1", 3, 1, 40.0, 20.0, True, True),
        ("C3", 1, 1, None, None, True, True),
        ("C4", 1, 0, 15.0, 15.0, False, True),
        ("C6", 1, 0, 80.0, 80.0, False, True),
        ("T2", 1, 0, 60.0, 60.0, False, True),
        ("T5", 0, 0, None, None, None, True),
    ]
