"""Published wait estimates and their back-test on hand-written tickets."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from builders import ticket, ts

from metrics.core.aggregate import wilson_interval
from metrics.core.filters import Filters
from metrics.core.settings import settings_from_dict
from metrics.operations.wait_estimates import wait_estimates
from metrics.registry import REGISTRY

# Two weeks of history per estimate keeps the fixture small; a minimum of one answered contact
# per estimate lets every slot stand on its own (pooling has its own test below).
SETTINGS = settings_from_dict({"wait_estimates": {"weeks": 2}, "reporting": {"small_sample": 1}})


def answered(tid: str, created: str, frt: int | None, channel="chat", language="en") -> dict:
    """A ticket created at ``created`` (UTC) and first answered ``frt`` minutes later."""
    reply = None if frt is None else ts(created) + timedelta(minutes=frt)
    return ticket(tid, created, channel=channel, language=language, first_response_at=reply)


def tables() -> dict:
    """Slot A = chat/en/Monday 09h, B = email/en/Monday 09h, C = chat/es/Tuesday 14h.

    Weeks start on Mondays 2026-01-05 (W1), 01-12 (W2), 01-19 (W3), 01-26 (W4).
    """
    return {
        "tickets": [
            answered("A1", "2026-01-05 09:00", 10),  # W1
            answered("A2", "2026-01-05 09:30", 20),  # W1
            answered("A3", "2026-01-12 09:10", 30),  # W2
            answered("A4", "2026-01-19 09:00", 12),  # W3
            answered("A5", "2026-01-19 09:20", 50),  # W3
            answered("A6", "2026-01-19 09:40", None),  # W3, never answered
            answered("A7", "2026-01-26 09:00", 40),  # W4
            answered("B1", "2026-01-12 09:00", 100, channel="email"),  # W2
            answered("B2", "2026-01-19 09:00", 60, channel="email"),  # W3
            answered("C1", "2026-01-20 14:00", 5, language="es"),  # W3
        ]
    }


def test_the_published_table_is_the_median_per_slot_over_the_last_weeks(make_wh):
    wh = make_wh(tables())
    # published at the end of 2026-01-25 = Monday 01-26 00:00; history [01-12, 01-26):
    # A: 30, 12, 50 (+ A6 unanswered) -> median 30; B: 100, 60 -> 80; C: 5.
    # Tuesday 14h = hour of week 24 + 14 = 38
    frame = wait_estimates(wh, SETTINGS, Filters(date_to=date(2026, 1, 25)))
    own = {"pooled": "hour of week"}
    assert frame.to_dicts() == [
        {"channel": "chat", "language": "en", "weekday": 0, "hour": 9, "hour_of_week": 9,
         "n": 3, "unanswered": 1, "estimate_minutes": 30.0, **own, "basis_n": 3},
        {"channel": "chat", "language": "es", "weekday": 1, "hour": 14, "hour_of_week": 38,
         "n": 1, "unanswered": 0, "estimate_minutes": 5.0, **own, "basis_n": 1},
        {"channel": "email", "language": "en", "weekday": 0, "hour": 9, "hour_of_week": 9,
         "n": 2, "unanswered": 0, "estimate_minutes": 80.0, **own, "basis_n": 2},
    ]  # fmt: skip


def test_a_sparse_slot_borrows_the_same_hour_then_part_of_day_then_every_hour(make_wh):
    # chat/en in the week of Monday 2026-01-12; at least 3 answered contacts per estimate.
    wh = make_wh({
        "tickets": [
            answered("M9", "2026-01-12 09:00", 10),  # Mon 09h
            answered("T9", "2026-01-13 09:00", 20),  # Tue 09h
            answered("W9", "2026-01-14 09:00", 30),  # Wed 09h
            answered("M10", "2026-01-12 10:00", 40),  # Mon 10h
            answered("M20", "2026-01-12 20:00", 100),  # Mon 20h
            answered("H1", "2026-01-15 15:00", 1),  # Thu 15h x 3
            answered("H2", "2026-01-15 15:10", 2),
            answered("H3", "2026-01-15 15:20", 3),
            answered("E9", "2026-01-12 09:00", 60, channel="email"),  # alone in email
        ]
    })  # fmt: skip
    three = settings_from_dict({"wait_estimates": {"weeks": 2}, "reporting": {"small_sample": 3}})
    frame = wait_estimates(wh, three, Filters(date_to=date(2026, 1, 25)))
    # Mon/Tue/Wed 09h: one each; 09h on every weekday: 10, 20, 30 -> median 20 (n 3).
    # Mon 10h: one; 10h: one; 06-12h: 10, 20, 30, 40 -> (20 + 30) / 2 = 25 (n 4).
    # Mon 20h: one; 20h and 18-24h: one; every hour: 1, 2, 3, 10, 20, 30, 40, 100 ->
    #   (10 + 20) / 2 = 15 (n 8). Thu 15h (hour of week 3 x 24 + 15 = 87): 1, 2, 3 -> 2.
    # email: one contact at every level -> no estimate.
    assert frame.select(
        "channel", "hour_of_week", "n", "estimate_minutes", "pooled", "basis_n"
    ).rows() == [
        ("chat", 9, 1, 20.0, "hour of day", 3),
        ("chat", 10, 1, 25.0, "part of day", 4),
        ("chat", 20, 1, 15.0, "all hours", 8),
        ("chat", 33, 1, 20.0, "hour of day", 3),
        ("chat", 57, 1, 20.0, "hour of day", 3),
        ("chat", 87, 3, 2.0, "hour of week", 3),
        ("email", 9, 1, None, None, 1),
    ]


def test_without_an_end_date_the_table_is_published_after_the_newest_day(make_wh):
    wh = make_wh(tables())
    # newest contact 01-26 -> published 01-27 00:00; history [01-13, 01-27):
    # A: 12, 50, 40 -> 40 (A3 on 01-12 is too old); B: 60
    frame = wait_estimates(wh, SETTINGS, Filters())
    assert frame.select("channel", "language", "n", "estimate_minutes").rows() == [
        ("chat", "en", 3, 40.0),
        ("chat", "es", 1, 5.0),
        ("email", "en", 1, 60.0),
    ]


def test_the_slot_is_the_hour_of_week_in_the_reporting_zone(make_wh):
    wh = make_wh(tables())
    new_york = settings_from_dict(
        {
            "wait_estimates": {"weeks": 2},
            "reporting": {"timezone": "America/New_York", "small_sample": 1},
        }
    )
    # Monday 09:00 UTC is Monday 04:00 in New York (EST, UTC-5)
    frame = wait_estimates(wh, new_york, Filters(date_to=date(2026, 1, 25), channel=("email",)))
    assert frame.select("hour_of_week", "estimate_minutes").rows() == [(4, 80.0)]


def test_the_back_test_scores_each_week_against_the_estimate_published_before_it(make_wh):
    wh = make_wh(tables())
    period = Filters(date_from=date(2026, 1, 19), date_to=date(2026, 2, 1))
    # W3, A: estimate from [01-05, 01-19) = 10, 20, 30 -> 20; A4 12 (error 8, within),
    #        A5 50 (error 30, late); A6 unanswered.
    # W3, B: estimate 100 (B1); B2 60 (error 40, within).
    # W3, C: no history -> no_estimate.
    # W4, A: estimate from [01-12, 01-26) = 30, 12, 50 -> 30; A7 40 (error 10, late).
    # errors 8, 10, 30, 40 -> median 20; within 2 of 4
    low, high = wilson_interval(2, 4)
    assert wait_estimates(wh, SETTINGS, period, view="accuracy").to_dicts() == [
        {"n": 4, "hits": 2, "no_estimate": 1, "unanswered": 1, "median_abs_error": 20.0,
         "value": 0.5, "ci_low": low, "ci_high": high}
    ]  # fmt: skip


def test_the_back_test_breaks_down_by_week_and_channel(make_wh):
    wh = make_wh(tables())
    period = Filters(date_from=date(2026, 1, 19), date_to=date(2026, 2, 1))
    # W3: errors 8, 30, 40 -> 30, 2 of 3 within; W4: error 10, 0 of 1 (grouping's week
    # is the Monday as a timestamp)
    weeks = wait_estimates(wh, SETTINGS, period, by="week", view="accuracy")
    assert weeks.select("week", "n", "hits", "median_abs_error").rows() == [
        (datetime(2026, 1, 19), 3, 2, 30.0),
        (datetime(2026, 1, 26), 1, 0, 10.0),
    ]
    # chat: errors 8, 30, 10 -> 10, 1 of 3, C1 without estimate; email: 40, 1 of 1
    channels = wait_estimates(wh, SETTINGS, period, by="channel", view="accuracy")
    assert channels.select("channel", "n", "hits", "no_estimate", "median_abs_error").rows() == [
        ("chat", 3, 1, 1, 10.0),
        ("email", 1, 1, 0, 40.0),
    ]


def test_the_back_test_scores_the_pooled_estimate_the_table_publishes(make_wh):
    # chat/en, at least 3 answered contacts per estimate, two weeks of history.
    wh = make_wh({
        "tickets": [
            answered("M9", "2026-01-05 09:00", 10),  # Mon 09h, history
            answered("T9", "2026-01-06 09:00", 20),  # Tue 09h, history
            answered("W9", "2026-01-07 09:00", 30),  # Wed 09h, history
            answered("X9", "2026-01-19 09:00", 15),  # Mon 09h, target week 01-19
            answered("X10", "2026-01-19 10:00", 40),  # Mon 10h, target, no history there
        ]
    })  # fmt: skip
    three = settings_from_dict({"wait_estimates": {"weeks": 2}, "reporting": {"small_sample": 3}})
    period = Filters(date_from=date(2026, 1, 19), date_to=date(2026, 1, 25))
    # published on 01-19 for Mon 09h: its own slot holds one contact (10), so it borrows 09h on
    # every weekday: 10, 20, 30 -> 20 (the table's pooled estimate, tested above). X9: 15 <= 20,
    # a hit, error 5 (the slot's own median, 10, would have called it late). Mon 10h had no
    # contact before 01-19, so the table lists no estimate for it: X10 counts as no_estimate.
    published = wait_estimates(wh, three, Filters(date_to=date(2026, 1, 18)))
    assert published.select("hour_of_week", "estimate_minutes", "pooled").rows() == [
        (9, 20.0, "hour of day"),
        (33, 20.0, "hour of day"),
        (57, 20.0, "hour of day"),
    ]
    row = wait_estimates(wh, three, period, view="accuracy").row(0, named=True)
    assert (row["n"], row["hits"], row["no_estimate"], row["median_abs_error"]) == (1, 1, 1, 5.0)


def test_an_empty_warehouse_has_no_estimates_and_nothing_to_score(make_wh):
    wh = make_wh({})
    assert wait_estimates(wh, SETTINGS, Filters()).is_empty()
    row = wait_estimates(wh, SETTINGS, Filters(), view="accuracy").row(0, named=True)
    assert (row["n"], row["median_abs_error"], row["value"]) == (0, None, None)


def test_the_options_are_checked():
    with pytest.raises(ValueError, match="view"):
        wait_estimates(None, SETTINGS, Filters(), view="table")
    with pytest.raises(ValueError, match="hour of week"):
        wait_estimates(None, SETTINGS, Filters(), by="agent")
    assert "wait_estimates" in REGISTRY


def test_the_overall_and_per_channel_back_tests_share_the_estimates(make_wh, monkeypatch):
    wh = make_wh(tables())
    queries: list[str] = []
    run = wh.query
    monkeypatch.setattr(wh, "query", lambda sql, *a, **k: queries.append(sql) or run(sql, *a, **k))
    period = Filters(date_from=date(2026, 1, 19), date_to=date(2026, 2, 1))
    overall = wait_estimates(wh, SETTINGS, period, view="accuracy")
    channels = wait_estimates(wh, SETTINGS, period, by="channel", view="accuracy")
    # the estimates published at each week's start are worked out once
    assert len([sql for sql in queries if "week_history AS" in sql]) == 1
    # as in the test above: errors 8, 10, 30, 40 overall; chat 8, 30, 10 and email 40
    assert overall.select("n", "hits", "median_abs_error").row(0) == (4, 2, 20.0)
    assert channels.select("channel", "n", "hits", "no_estimate", "median_abs_error").rows() == [
        ("chat", 3, 1, 1, 10.0),
        ("email", 1, 1, 0, 40.0),
    ]
