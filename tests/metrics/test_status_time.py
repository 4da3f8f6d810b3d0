"""Time in status (requester wait, agent wait, on hold) from hand-written status histories."""

from __future__ import annotations

from typing import Any

import pytest
from builders import msg, ticket, ts

from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.registry import REGISTRY
from metrics.response.status_time import status_time, ticket_status_times

SETTINGS = load_settings()
AS_OF = "2026-01-05 12:00:00+00:00"


def status(ticket_id: str, at: str, value: str, zone: str = "UTC") -> dict[str, Any]:
    return {
        "source": "t",
        "ticket_id": ticket_id,
        "changed_at": ts(at, zone),
        "field": "status",
        "value": value,
    }


def history(ticket_id: str, *changes: tuple[str, str]) -> list[dict[str, Any]]:
    return [status(ticket_id, f"2026-01-05 {at}", value) for at, value in changes]


def three_tickets() -> dict[str, list[dict[str, Any]]]:
    return {
        "tickets": [
            ticket("T1", "2026-01-05 09:00", agent_id="a1"),
            ticket("T2", "2026-01-05 09:00", agent_id="a2"),
            ticket("T3", "2026-01-05 09:00", agent_id="a2"),
            ticket("T4", "2026-01-05 09:00", agent_id="a1", status="solved"),
        ],
        "ticket_events": [
            *history(
                "T1",
                ("09:00", "new"),
                ("09:30", "open"),
                ("10:30", "pending"),
                ("12:30", "open"),
                ("13:00", "hold"),
                ("15:00", "open"),
                ("15:30", "solved"),
                ("16:00", "open"),
                ("16:20", "solved"),
            ),
            status("T1", "2026-01-09 16:20", "closed"),
            *history("T2", ("09:00", "new"), ("09:10", "pending"), ("09:40", "solved")),
            *history("T3", ("09:00", "new"), ("10:00", "open")),
        ],
        "messages": [msg("CHAT", "customer", "2026-01-05 09:00")],
    }


def test_status_time_is_registered_in_the_resolution_family():
    assert REGISTRY["status_time"].function is status_time
    assert REGISTRY["status_time"].family == "resolution"


def test_time_in_each_status_group_per_ticket(make_wh):
    wh = make_wh(three_tickets())
    # T1: new 09:00-09:30 (30) + open 09:30-10:30 (60) + open 12:30-13:00 (30) + hold
    #     13:00-15:00 (120) + open 15:00-15:30 (30) + open again after the reopen 16:00-16:20
    #     (20) = 290 requester wait; pending 10:30-12:30 = 120 agent wait; hold 120.
    #     Time in solved (15:30-16:00) and after the close counts in no group.
    # T2: new 10 requester, pending 09:10-09:40 = 30 agent wait.
    # T3: still open: new 60 + open 10:00 -> as_of 12:00 = 120 -> 180 requester wait.
    assert ticket_status_times(wh, SETTINGS, Filters(), as_of=AS_OF).to_dicts() == [
        {
            "source": "t",
            "ticket_id": "T1",
            "requester_wait_minutes": 290.0,
            "agent_wait_minutes": 120.0,
            "on_hold_minutes": 120.0,
            "open_now": False,
        },
        {
            "source": "t",
            "ticket_id": "T2",
            "requester_wait_minutes": 10.0,
            "agent_wait_minutes": 30.0,
            "on_hold_minutes": 0.0,
            "open_now": False,
        },
        {
            "source": "t",
            "ticket_id": "T3",
            "requester_wait_minutes": 180.0,
            "agent_wait_minutes": 0.0,
            "on_hold_minutes": 0.0,
            "open_now": True,
        },
    ]


def test_summary_gives_median_and_p90_and_counts_tickets_without_events(make_wh):
    wh = make_wh(three_tickets())
    # requester 10, 180, 290: median 180, p90 = 180 + 0.8 * 110 = 268
    # agent 0, 30, 120: median 30, p90 = 30 + 0.8 * 90 = 102
    # on hold 0, 0, 120: median 0, p90 = 0 + 0.8 * 120 = 96
    # T4 has no events; CHAT is a conversation; T3 is still open
    assert status_time(wh, SETTINGS, Filters(), as_of=AS_OF).to_dicts() == [
        pytest.approx(
            {
                "n": 3,
                "no_events": 1,
                "conversations": 1,
                "open_now": 1,
                "requester_wait_median": 180.0,
                "requester_wait_p90": 268.0,
                "agent_wait_median": 30.0,
                "agent_wait_p90": 102.0,
                "on_hold_median": 0.0,
                "on_hold_p90": 96.0,
            }
        )
    ]


def test_status_time_by_agent(make_wh):
    wh = make_wh(three_tickets())
    # a1: T1 (290 requester) and T4 without events; a2: T2 (10) and T3 (180):
    # median (10 + 180) / 2 = 95
    frame = status_time(wh, SETTINGS, Filters(), by="agent", as_of=AS_OF)
    assert frame.select("agent", "n", "no_events", "requester_wait_median").to_dicts() == [
        {"agent": "a1", "n": 1, "no_events": 1, "requester_wait_median": 290.0},
        {"agent": "a2", "n": 2, "no_events": 0, "requester_wait_median": 95.0},
        {"agent": None, "n": 0, "no_events": 0, "requester_wait_median": None},
    ]


def test_status_time_is_exact_across_a_dst_change(make_wh):
    zone = "Europe/Berlin"
    wh = make_wh(
        {
            "tickets": [ticket("T1", "2024-03-30 11:00")],
            "ticket_events": [
                status("T1", "2024-03-30 12:00", "open", zone),
                status("T1", "2024-03-31 12:00", "pending", zone),
                status("T1", "2024-04-01 12:00", "solved", zone),
            ],
        }
    )
    # clocks in Berlin went forward on 2024-03-31: Sat 12:00 CET -> Sun 12:00 CEST = 23 h
    # = 1380 min open; Sun 12:00 -> Mon 12:00 CEST = 24 h = 1440 min pending
    row = ticket_status_times(wh, SETTINGS, Filters(), as_of=AS_OF).row(0, named=True)
    assert (row["requester_wait_minutes"], row["agent_wait_minutes"]) == (1380.0, 1440.0)


def test_merged_tickets_are_left_out_unless_asked_for(make_wh):
    wh = make_wh(
        {
            "tickets": [
                ticket("T1", "2026-01-05 09:00"),
                ticket("T2", "2026-01-05 09:00", merged_into="T1"),
            ],
            "ticket_events": [
                *history("T1", ("09:00", "new"), ("09:20", "solved")),
                *history("T2", ("09:00", "new"), ("10:00", "closed")),
            ],
        }
    )
    # T1: 20 min new; T2 (merged): 60 min new
    row = status_time(wh, SETTINGS, Filters(), as_of=AS_OF).row(0, named=True)
    assert (row["n"], row["requester_wait_median"]) == (1, 20.0)
    row = status_time(wh, SETTINGS, Filters(include_merged=True), as_of=AS_OF).row(0, named=True)
    assert (row["n"], row["requester_wait_median"]) == (2, 40.0)


def test_an_empty_warehouse_gives_n_zero(make_wh):
    wh = make_wh({})
    row = status_time(wh, SETTINGS, Filters()).row(0, named=True)
    assert (row["n"], row["no_events"], row["requester_wait_median"]) == (0, 0, None)
