"""Provisional periods: which days and weeks are still moving (metrics.core.provisional)."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from builders import msg, ticket, ts

from metrics.core.filters import Filters
from metrics.core.provisional import (
    mark_provisional,
    period_provisional,
    settled_filters,
    settling,
)
from metrics.core.settings import load_settings

SETTINGS = load_settings()  # 95% share, UTC


def five_days(make_wh):
    """T1..T5 created 09:00 on Mon 2026-01-05 .. Fri 01-09, answered after 10, 20, 30, 40,
    50 minutes; surveys for T1 one day and T2 two days after creation."""
    tickets, messages = [], []
    for i in range(5):
        day = date(2026, 1, 5) + timedelta(days=i)
        tickets.append(ticket(f"T{i + 1}", f"{day} 09:00", status="solved"))
        messages += [
            msg(f"T{i + 1}", "customer", f"{day} 09:00"),
            msg(f"T{i + 1}", "agent", f"{day} 09:{10 * (i + 1)}", sender_id="A1"),
        ]
    surveys = [
        {"source": "t", "ticket_id": "T1", "score": 5, "responded_at": ts("2026-01-06 09:00")},
        {"source": "t", "ticket_id": "T2", "score": 2, "responded_at": ts("2026-01-08 09:00")},
    ]
    return make_wh({"tickets": tickets, "messages": messages, "surveys": surveys})


def test_lags_are_the_95th_percentile_of_the_warehouses_own_delays(make_wh):
    state = settling(five_days(make_wh), SETTINGS)
    # newest instant: T5's reply at 2026-01-09 09:50
    assert state.as_of == ts("2026-01-09 09:50")
    # first replies 10..50 min: p95 = 40 + 0.8 * (50 - 40) = 48 min (linear, position 3.8)
    assert state.lags["first_reply"] == timedelta(minutes=48)
    # surveys after 1440 and 2880 min: p95 = 1440 + 0.95 * 1440 = 2808 min = 46.8 h
    assert state.lags["csat"] == timedelta(minutes=2808)
    assert state.bases["csat"] == "95% of survey responses arrive within 46.8 hours"
    # the FCR window adds 7 days to the (here zero) last-solve lag; repeat is its window
    assert state.lags["repeat"] == timedelta(days=7)


def test_days_are_marked_still_moving_or_partial(make_wh):
    state = settling(five_days(make_wh), SETTINGS)
    days = pl.DataFrame({"day": [date(2026, 1, 5) + timedelta(days=i) for i in range(5)]})
    marked = mark_provisional(days, "day", "day", state, "csat", SETTINGS)
    # CSAT settled before 01-09 09:50 - 46.8 h = 01-07 11:02: days ending by then are final;
    # 01-07 and 01-08 end after it (still moving); 01-09 ends after the data (partial)
    assert marked["provisional"].to_list() == [False, False, True, True, True]
    reasons = marked["provisional_reason"].to_list()
    assert reasons[2] == "still moving: 95% of survey responses arrive within 46.8 hours"
    assert reasons[4] == "partial day: the data ends at 2026-01-09 09:50 UTC"
    # first replies settle within 48 minutes: only the last, partial day is provisional
    frt = mark_provisional(days, "day", "day", state, "frt", SETTINGS)
    assert frt["provisional"].to_list() == [False, False, False, False, True]


def test_a_week_cut_by_the_period_is_partial(make_wh):
    state = settling(five_days(make_wh), SETTINGS)
    weeks = pl.DataFrame({"week": [date(2025, 12, 29), date(2026, 1, 5)]})
    period = Filters(date(2026, 1, 1), date(2026, 1, 7))
    marked = mark_provisional(weeks, "week", "week", state, "frt", SETTINGS, period)
    assert marked["provisional_reason"].to_list() == [
        "partial week: starts before the period",
        "partial week: the period ends on 2026-01-07",
    ]


def test_a_period_is_provisional_until_its_last_day_settles(make_wh):
    state = settling(five_days(make_wh), SETTINGS)
    early = Filters(date(2026, 1, 5), date(2026, 1, 6))
    assert period_provisional(early, state, "csat", SETTINGS) is None
    late = Filters(date(2026, 1, 5), date(2026, 1, 9))
    assert period_provisional(late, state, "csat", SETTINGS) == (
        "contacts created after 2026-01-07 11:02 are still moving "
        "(95% of survey responses arrive within 46.8 hours)"
    )
    # a judgement may rest only on the settled days: up to 01-06 (01-07 is not whole)
    assert settled_filters(late, state, "csat", SETTINGS) == Filters(
        date(2026, 1, 5), date(2026, 1, 6)
    )
    assert settled_filters(early, state, "csat", SETTINGS) == early
    assert (
        settled_filters(Filters(date(2026, 1, 8), date(2026, 1, 9)), state, "csat", SETTINGS)
        is None
    )


def test_an_empty_warehouse_has_nothing_provisional(make_wh):
    state = settling(make_wh({}), SETTINGS)
    assert state.as_of is None
    days = pl.DataFrame({"day": [date(2026, 1, 5)]})
    assert mark_provisional(days, "day", "day", state, "csat", SETTINGS)[
        "provisional"
    ].to_list() == [False]


def test_a_day_the_data_covers_to_its_last_minute_is_whole():
    from metrics.core.provisional import Settling, bucket_reason

    # an export cut at 23:59:25 leaves the day whole (within an hour of its end) for counts;
    # one cut at 14:00 leaves it partial
    lags = {"none": timedelta(0)}
    late = Settling(ts("2026-10-31 23:59:25"), ts("2026-10-01 00:00"), lags, {"none": ""})
    early = Settling(ts("2026-10-31 14:00"), ts("2026-10-01 00:00"), lags, {"none": ""})
    day = date(2026, 10, 31)
    assert bucket_reason(day, "day", late, "none", SETTINGS, Filters()) is None
    assert bucket_reason(day, "day", early, "none", SETTINGS, Filters()) == (
        "partial day: the data ends at 2026-10-31 14:00 UTC"
    )
    assert period_provisional(Filters(date_to=day), late, "contacts", SETTINGS) is None


def test_the_newest_instant_is_found_once_per_reader_until_forgotten(make_wh):
    # Filters do not change it: a second call is answered without a scan of the tables.
    from metrics.core.instants import newest_timestamp
    from metrics.core.provisional import newest_instant

    wh = five_days(make_wh)
    queries = []
    query = wh.query
    wh.query = lambda sql, *args, **kwargs: queries.append(sql) or query(sql, *args, **kwargs)
    # newest: T5's reply, Fri 2026-01-09 09:50 (surveys end on 01-08)
    assert newest_instant(wh) == newest_instant(wh) == ts("2026-01-09 09:50")
    assert newest_timestamp(wh) == newest_timestamp(wh) == ts("2026-01-09 09:50")
    assert len(queries) == 2  # one per function
    wh.forget()
    assert newest_instant(wh) == ts("2026-01-09 09:50") and len(queries) == 3
