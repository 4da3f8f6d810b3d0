"""The backlog: open tickets over time and by age (metrics.operations.backlog)."""

from __future__ import annotations

from datetime import date

from builders import ticket, ts

from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.operations.backlog import backlog_by_age, backlog_over_time
from metrics.registry import REGISTRY

SETTINGS = load_settings()


def event(tid: str, at: str, value: str) -> dict:
    return {
        "source": "t",
        "ticket_id": tid,
        "changed_at": ts(at),
        "field": "status",
        "value": value,
    }


def backlog_tables() -> dict:
    return {
        "tickets": [
            # T1: no history, solved_at: open Mon 01-05 09:00 -> Tue 01-06 12:00
            ticket("T1", "2026-01-05 09:00", status="solved", solved_at=ts("2026-01-06 12:00")),
            # T2: still open
            ticket("T2", "2026-01-05 10:00", status="open"),
            # T3: history new -> pending (still open) -> solved 10:00, reopened 01-07 11:00,
            # solved 01-08 09:00 (the newest instant of the warehouse)
            ticket("T3", "2026-01-06 08:00", status="solved"),
            # T4: closed, but when is unknown; T5: no status, no solve time
            ticket("T4", "2026-01-06 09:00", status="closed"),
            ticket("T5", "2026-01-07 09:00"),
        ],
        "ticket_events": [
            event("T3", "2026-01-06 08:00", "new"),
            event("T3", "2026-01-06 09:00", "pending"),
            event("T3", "2026-01-06 10:00", "solved"),
            event("T3", "2026-01-07 11:00", "open"),
            event("T3", "2026-01-08 09:00", "solved"),
        ],
    }


def test_open_tickets_at_the_end_of_each_day(make_wh):
    wh = make_wh(backlog_tables())
    # days: the tickets' creation days 01-05 .. 01-07
    # 01-05 (to 01-06 00:00): open T1, T2; opened T1, T2; none closed
    # 01-06: T1 closed 12:00, T3's first spell (08:00 -> 10:00; pending is still open) closed;
    #        open at midnight: T2; opened T3, T4
    # 01-07: T3 reopened 11:00: open T2, T3; opened T5; none closed
    # T4 (closed, no time) and T5 (no status) cannot be placed: counted on every row
    frame = backlog_over_time(wh, SETTINGS, Filters())
    assert frame.rows() == [
        (date(2026, 1, 5), 2, 2, 0, 1, 1),
        (date(2026, 1, 6), 1, 2, 2, 1, 1),
        (date(2026, 1, 7), 2, 1, 0, 1, 1),
    ]
    assert frame.columns == ["day", "open", "opened", "closed", "closed_untimed", "status_unknown"]


def test_a_week_ends_at_the_newest_instant_when_the_data_does(make_wh):
    wh = make_wh(backlog_tables())
    # the week of Mon 01-05 would end 01-12; the data ends 01-08 09:00, when T3 is solved:
    # open T2; opened 5; closed T1, T3 at 10:00 and T3 at 09:00 on 01-08
    assert backlog_over_time(wh, SETTINGS, Filters(), bucket="week").rows() == [
        (date(2026, 1, 5), 1, 5, 3, 1, 1),
    ]


def test_open_tickets_by_age_at_the_end_of_the_period(make_wh):
    wh = make_wh(backlog_tables())
    # at the end of 01-05 (01-06 00:00): T1 open 15 h, T2 14 h: both "4-24 hours"
    ages = backlog_by_age(wh, SETTINGS, Filters(date_to=date(2026, 1, 5)))
    assert dict(ages.select("band", "n").rows()) == {
        "under 1 hour": 0, "1-4 hours": 0, "4-24 hours": 2, "1-3 days": 0, "3-7 days": 0,
        "7-30 days": 0, "30 days or more": 0,
    }  # fmt: skip
    assert ages["band_order"].to_list() == list(range(7))
    tickets = backlog_by_age(wh, SETTINGS, Filters(date_to=date(2026, 1, 5)), view="tickets")
    assert tickets.select("contact_id", "age_hours").rows() == [("T1", 15.0), ("T2", 14.0)]
    # without dates: at the newest instant (01-08 09:00) only T2 is open, 71 h old
    now = backlog_by_age(wh, SETTINGS, Filters())
    assert now.filter(now["n"] > 0).select("band", "n").rows() == [("1-3 days", 1)]


def test_a_chat_only_warehouse_has_no_backlog(make_wh):
    from builders import msg

    wh = make_wh({"messages": [msg("C1", "customer", "2026-01-05 09:00")]})
    assert backlog_over_time(wh, SETTINGS, Filters())["open"].sum() == 0
    assert backlog_by_age(wh, SETTINGS, Filters()).is_empty()


def test_the_backlog_metrics_are_registered():
    assert REGISTRY["backlog_over_time"].function is backlog_over_time
    assert REGISTRY["backlog_by_age"].function is backlog_by_age
