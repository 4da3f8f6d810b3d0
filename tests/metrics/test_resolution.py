"""Resolution, one-touch, reopen, FCR, repeat-contact and SLA rates on hand-written contacts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from builders import msg, ticket, ts

from metrics.core.filters import Filters
from metrics.core.grouping import GROUPS
from metrics.core.settings import load_settings, settings_from_dict
from metrics.registry import REGISTRY
from metrics.response import resolution
from metrics.response.resolution import (
    fcr_rate,
    first_resolution_time,
    full_resolution_time,
    one_touch_rate,
    reopen_rate,
    repeat_contact_rate,
    sla_attainment,
)

SETTINGS = load_settings()
NAMES = (
    "first_resolution_time",
    "full_resolution_time",
    "one_touch_rate",
    "reopen_rate",
    "fcr_rate",
    "repeat_contact_rate",
    "sla_attainment",
)


def status(ticket_id: str, at: str, value: str, zone: str = "UTC") -> dict[str, Any]:
    return {
        "source": "t",
        "ticket_id": ticket_id,
        "changed_at": ts(at, zone),
        "field": "status",
        "value": value,
    }


def approx_rows(rows: list[dict[str, Any]]) -> list[Any]:
    return [pytest.approx(row, abs=1e-4) for row in rows]


def test_every_resolution_metric_is_registered_in_its_family():
    assert {name: REGISTRY[name].family for name in NAMES} == dict.fromkeys(NAMES, "resolution")
    assert all(REGISTRY[name].function is getattr(resolution, name) for name in NAMES)


def test_first_and_full_resolution_with_a_reopen_in_the_events(make_wh):
    wh = make_wh(
        {
            "tickets": [
                ticket("T1", "2026-01-05 09:00"),
                ticket("T2", "2026-01-05 09:00", solved_at=ts("2026-01-05 09:30"), reopens=0),
                ticket("T3", "2026-01-05 09:00", status="open"),
                ticket("T4", "2026-01-05 09:00", status="solved"),
            ],
            "ticket_events": [
                status("T1", "2026-01-05 09:00", "new"),
                status("T1", "2026-01-05 10:00", "solved"),
                status("T1", "2026-01-05 11:00", "open"),
                status("T1", "2026-01-05 13:00", "solved"),
            ],
            "messages": [msg("C1", "customer", "2026-01-05 09:00")],
        }
    )
    # T1 (events solved -> open -> solved): first 09:00 -> 10:00 = 60, full -> 13:00 = 240.
    # T2 (no events, solved_at): 30 and 30. T3 unsolved; T4 solved without a time; C1 a chat.
    # first: 30, 60 -> median 45, p90 = 30 + 0.9 * 30 = 57
    # full: 30, 240 -> median 135, p90 = 30 + 0.9 * 210 = 219
    excluded = {"unsolved": 1, "solved_without_time": 1, "conversations": 1}
    assert first_resolution_time(wh, SETTINGS, Filters()).to_dicts() == approx_rows(
        [{"n": 2, **excluded, "median": 45.0, "p90": 57.0}]
    )
    assert full_resolution_time(wh, SETTINGS, Filters()).to_dicts() == approx_rows(
        [{"n": 2, **excluded, "median": 135.0, "p90": 219.0}]
    )
    # reopens = solves - 1 = 1 for T1, so it is a reopened solved ticket; T2 is not
    row = reopen_rate(wh, SETTINGS, Filters()).row(0, named=True)
    assert (row["n"], row["hits"], row["unsolved"], row["reopens_unknown"]) == (2, 1, 1, 1)


def test_a_ticket_reopened_and_open_again_is_unsolved(make_wh):
    wh = make_wh(
        {
            "tickets": [ticket("T1", "2026-01-05 09:00", status="solved")],
            "ticket_events": [
                status("T1", "2026-01-05 09:00", "new"),
                status("T1", "2026-01-05 10:00", "solved"),
                status("T1", "2026-01-05 11:00", "open"),
            ],
        }
    )
    # the last status event (open) wins over the ticket's stale status field
    row = first_resolution_time(wh, SETTINGS, Filters()).row(0, named=True)
    assert (row["n"], row["unsolved"], row["median"]) == (0, 1, None)
    assert reopen_rate(wh, SETTINGS, Filters()).row(0, named=True)["unsolved"] == 1


def test_resolution_minutes_are_exact_across_dst_changes(make_wh):
    zone = "America/New_York"
    wh = make_wh(
        {
            "tickets": [
                ticket(
                    "SPRING",
                    "2024-03-09 17:00",
                    solved_at=ts("2024-03-10 12:00", zone),
                ),
                ticket("FALL", "2024-11-02 16:00", solved_at=ts("2024-11-03 12:00", zone)),
            ]
        }
    )
    # SPRING: Sat 12:00 EST (17:00 UTC) -> Sun 12:00 EDT (16:00 UTC) = 23 h = 1380 min
    # FALL: Sat 12:00 EDT (16:00 UTC) -> Sun 12:00 EST (17:00 UTC) = 25 h = 1500 min
    # median (1380 + 1500) / 2 = 1440; p90 = 1380 + 0.9 * 120 = 1488
    row = first_resolution_time(wh, SETTINGS, Filters()).row(0, named=True)
    assert (row["n"], row["median"], row["p90"]) == (2, 1440.0, pytest.approx(1488.0))


def test_an_empty_warehouse_gives_n_zero_and_no_values(make_wh):
    wh = make_wh({})
    for fn in (first_resolution_time, full_resolution_time):
        row = fn(wh, SETTINGS, Filters()).row(0, named=True)
        assert (row["n"], row["median"], row["p90"]) == (0, None, None)
    for fn in (one_touch_rate, reopen_rate, fcr_rate, repeat_contact_rate, sla_attainment):
        row = fn(wh, SETTINGS, Filters()).row(0, named=True)
        assert (row["n"], row["hits"], row["value"], row["ci_low"], row["ci_high"]) == (
            0,
            0,
            None,
            None,
            None,
        )


def test_unknown_values_are_excluded_and_counted_never_zero(make_wh):
    no_time = {"source": "t", "ticket_id": "T4", "created_at": None, "customer_id": "A"}
    wh = make_wh(
        {
            "tickets": [
                ticket("T1", "2026-01-05 09:00", status="closed", customer_id="A"),
                ticket("T2", "2026-01-05 09:00", solved_at=ts("2026-01-05 10:00"), reopens=0),
                ticket("T3", "2026-01-05 09:00", solved_at=ts("2026-01-05 10:00"), customer_id="B"),
                {**no_time, "status": "solved", "reopens": 0, "agent_replies": 1},
            ]
        }
    )
    # T1 closed without a time, reply count or reopen count; T2 no customer; T3 no reopens;
    # T4 no creation time. Nothing is measurable except T2's and T3's resolution time.
    assert first_resolution_time(wh, SETTINGS, Filters()).row(0, named=True)["n"] == 2
    touch = one_touch_rate(wh, SETTINGS, Filters()).row(0, named=True)
    assert (touch["n"], touch["replies_unknown"]) == (1, 3)  # only T4 says 1 reply
    reopen = reopen_rate(wh, SETTINGS, Filters()).row(0, named=True)
    assert (reopen["n"], reopen["reopens_unknown"]) == (2, 2)  # T2 and T4 say 0
    fcr = fcr_rate(wh, SETTINGS, Filters()).to_dicts()[0]
    # T1, T3 reopens unknown; T2 customer unknown; T4 creation unknown
    assert (fcr["n"], fcr["customer_unknown"], fcr["reopens_unknown"], fcr["created_unknown"]) == (
        0,
        1,
        2,
        1,
    )
    repeat = repeat_contact_rate(wh, SETTINGS, Filters()).row(0, named=True)
    assert (repeat["n"], repeat["customer_unknown"], repeat["created_unknown"]) == (2, 1, 1)


def test_merged_duplicates_are_excluded_unless_asked_for(make_wh):
    solved = {"solved_at": ts("2026-01-05 10:00"), "reopens": 0, "agent_replies": 1}
    wh = make_wh(
        {
            "tickets": [
                ticket("T1", "2026-01-05 09:00", **solved),
                ticket("T2", "2026-01-05 09:30", merged_into="T1", **solved),
            ]
        }
    )
    # T1: 60 min; T2 (merged into T1): 30 min
    assert first_resolution_time(wh, SETTINGS, Filters()).row(0, named=True)["n"] == 1
    row = first_resolution_time(wh, SETTINGS, Filters(include_merged=True)).row(0, named=True)
    assert (row["n"], row["median"]) == (2, 45.0)
    assert one_touch_rate(wh, SETTINGS, Filters(include_merged=True))["n"].to_list() == [2]


def test_one_touch_counts_agent_replies_from_messages_or_the_ticket(make_wh):
    solved = {"solved_at": ts("2026-01-05 12:00")}
    wh = make_wh(
        {
            "tickets": [
                ticket("T1", "2026-01-05 09:00", agent_id="a1", **solved),
                ticket("T2", "2026-01-05 09:00", agent_id="a2", **solved),
                ticket("T3", "2026-01-05 09:00", agent_id="a2", agent_replies=1, **solved),
                ticket("T4", "2026-01-05 09:00", agent_id="a2", agent_replies=0, **solved),
                ticket("T5", "2026-01-05 09:00", agent_id="a1", agent_replies=1),
            ],
            "messages": [
                msg("T1", "customer", "2026-01-05 09:00"),
                msg("T1", "bot", "2026-01-05 09:01"),
                msg("T1", "agent", "2026-01-05 09:10"),
                msg("T2", "customer", "2026-01-05 09:00"),
                msg("T2", "agent", "2026-01-05 09:10"),
                msg("T2", "customer", "2026-01-05 09:20"),
                msg("T2", "agent", "2026-01-05 09:30"),
            ],
        }
    )
    # T1: one agent reply (the bot does not count) -> hit; T2: two replies; T3: field says 1
    # -> hit; T4: solved without a reply; T5 unsolved. n = 4, hits = 2.
    # Wilson 95% for 2/4 (z = 1.96): centre 0.5, half = 1.96 * sqrt(1/16 + 3.8415/64) / 1.9604
    # = 0.34995 -> (0.15004, 0.84996)
    assert one_touch_rate(wh, SETTINGS, Filters()).to_dicts() == approx_rows(
        [
            {
                "n": 4,
                "hits": 2,
                "unsolved": 1,
                "replies_unknown": 0,
                "value": 0.5,
                "ci_low": 0.15004,
                "ci_high": 0.84996,
            }
        ]
    )
    # per agent: a1 1/1 -> Wilson (0.20655, 1.0); a2 1/3 -> (0.06149, 0.79234)
    by_agent = one_touch_rate(wh, SETTINGS, Filters(), by="agent")
    assert by_agent.select("agent", "n", "hits", "unsolved", "ci_low", "ci_high").to_dicts() == (
        approx_rows(
            [
                {
                    "agent": "a1",
                    "n": 1,
                    "hits": 1,
                    "unsolved": 1,
                    "ci_low": 0.20655,
                    "ci_high": 1.0,
                },
                {
                    "agent": "a2",
                    "n": 3,
                    "hits": 1,
                    "unsolved": 0,
                    "ci_low": 0.06149,
                    "ci_high": 0.79234,
                },
            ]
        )
    )


def test_reopen_rate_counts_solves_after_the_first(make_wh):
    solved = {"solved_at": ts("2026-01-05 12:00")}
    wh = make_wh(
        {
            "tickets": [
                ticket("T1", "2026-01-05 09:00"),
                ticket("T2", "2026-01-05 09:00", reopens=2, **solved),
                ticket("T3", "2026-01-05 09:00", reopens=0, **solved),
                ticket("T4", "2026-01-05 09:00"),
                ticket("T5", "2026-01-05 09:00"),
                ticket("T6", "2026-01-05 09:00", **solved),
                ticket("T7", "2026-01-05 09:00", status="open"),
            ],
            "ticket_events": [
                status("T1", "2026-01-05 10:00", "solved"),
                status("T1", "2026-01-05 11:00", "open"),
                status("T1", "2026-01-05 12:00", "solved"),
                status("T4", "2026-01-05 10:00", "solved"),
                status("T5", "2026-01-05 10:00", "solved"),
                status("T5", "2026-01-09 10:00", "closed"),
            ],
        }
    )
    # T1 solves twice (reopens 1) and T2's field says 2: reopened. T3 (field 0), T4 (one
    # solve) and T5 (solved -> closed: closing is not a reopen) were not. T6: reopens unknown.
    # T7 unsolved. n = 5, hits = 2 -> 0.4
    row = reopen_rate(wh, SETTINGS, Filters()).row(0, named=True)
    assert (row["n"], row["hits"], row["unsolved"], row["reopens_unknown"], row["value"]) == (
        5,
        2,
        1,
        1,
        0.4,
    )


def fcr_tickets() -> list[dict[str, Any]]:
    def solved(tid: str, day: int, customer: str | None, category: str, **extra: Any):
        at = f"2026-01-{day:02d} 09:00"
        done = ts(f"2026-01-{day:02d} 10:00")
        return ticket(tid, at, customer_id=customer, category=category, solved_at=done, **extra)

    return [
        solved("T1", 1, "A", "billing", reopens=0, agent_replies=1),
        solved("T2", 5, "A", "billing", reopens=0, agent_replies=1),
        solved("T3", 1, "B", "billing", reopens=0, agent_replies=2),
        solved("T4", 3, "B", "login", reopens=0, agent_replies=1),
        solved("T5", 1, "C", "billing", reopens=0, agent_replies=3),
        ticket("T6", "2026-01-09 11:00", customer_id="C", category="billing", agent_replies=1),
        solved("T7", 1, "D", "billing", reopens=1, agent_replies=1),
        solved("T8", 1, None, "billing", reopens=0, agent_replies=1),
    ]


def test_fcr_needs_no_reopen_and_no_same_category_follow_up_in_the_window(make_wh):
    wh = make_wh({"tickets": fcr_tickets()})
    # T1: A writes again about billing 4 days after the solve (T2) -> not FCR; T2 -> FCR.
    # T3: B's next ticket (T4) is another category -> FCR; T4 -> FCR.
    # T5: solved Jan 1 10:00, C's next billing ticket Jan 9 11:00 is 8 days later, after
    # the 7-day window -> FCR; T6 unsolved. T7 reopened -> not FCR. T8: customer unknown.
    # n = 6 (T1-T5, T7), hits = 4 (T2, T3, T4, T5) -> 2/3
    # Wilson 95% for 4/6: denom 1 + 3.8415/6 = 1.64025, centre (0.66667 + 0.32012) / 1.64025
    # = 0.60161, half = 1.96 * sqrt(0.037037 + 0.026677) / 1.64025 = 0.30162
    # One-touch beside it: solved tickets with a known reply count = 7 (T1-T5, T7, T8);
    # exactly one reply: T1, T2, T4, T7, T8 = 5
    assert fcr_rate(wh, SETTINGS, Filters()).to_dicts() == approx_rows(
        [
            {
                "n": 6,
                "hits": 4,
                "unsolved": 1,
                "customer_unknown": 1,
                "reopens_unknown": 0,
                "created_unknown": 0,
                "value": 4 / 6,
                "ci_low": 0.29999,
                "ci_high": 0.90323,
                "one_touch_n": 7,
                "one_touch_hits": 5,
                "one_touch_value": 5 / 7,
            }
        ]
    )


def test_fcr_by_category_puts_the_one_touch_variant_on_the_same_row(make_wh):
    wh = make_wh({"tickets": fcr_tickets()})
    # billing: FCR n = 5 (T1, T2, T3, T5, T7), hits 3 (T2, T3, T5); one-touch 4 of 6
    # (T1, T2, T7, T8 of T1, T2, T3, T5, T7, T8). login: T4 both.
    frame = fcr_rate(wh, SETTINGS, Filters(), by="category")
    assert frame.select("category", "n", "hits", "one_touch_n", "one_touch_hits").to_dicts() == [
        {"category": "billing", "n": 5, "hits": 3, "one_touch_n": 6, "one_touch_hits": 4},
        {"category": "login", "n": 1, "hits": 1, "one_touch_n": 1, "one_touch_hits": 1},
    ]


def test_repeat_contact_within_the_window_from_the_same_customer(make_wh):
    wh = make_wh(
        {
            "tickets": [
                ticket("T1", "2026-01-01 09:00", customer_id="A", channel="email"),
                ticket("T2", "2026-01-03 09:00", customer_id="A", channel="email"),
                ticket("T3", "2026-01-01 09:00", customer_id="B", channel="email"),
                ticket("T4", "2026-01-09 09:01", customer_id="B", channel="email"),
                ticket("T5", "2026-01-02 09:00", customer_id="C", channel="email"),
                ticket("T6", "2026-01-01 09:00", channel="email"),
            ],
            "messages": [msg("CHAT", "customer", "2026-01-01 12:00", sender_id="C")],
        }
    )
    # T1 -> T2 two days later: repeat. T3 -> T4 8 days and 1 minute later: after the 7-day
    # window, not a repeat. CHAT (customer C) -> T5 the next day: repeat. T2, T4, T5 have no
    # later contact. T6: customer unknown. n = 6, hits = 2 (T1, CHAT)
    assert repeat_contact_rate(wh, SETTINGS, Filters(), by="channel").select(
        "channel", "n", "hits", "customer_unknown"
    ).to_dicts() == [
        {"channel": "chat", "n": 1, "hits": 1, "customer_unknown": 0},
        {"channel": "email", "n": 5, "hits": 1, "customer_unknown": 1},
    ]
    row = repeat_contact_rate(wh, SETTINGS, Filters()).row(0, named=True)
    assert (row["n"], row["hits"], row["value"]) == (6, 2, pytest.approx(1 / 3))


def test_a_follow_up_outside_the_date_filter_still_makes_a_repeat(make_wh):
    wh = make_wh(
        {
            "tickets": [
                ticket("T1", "2026-01-31 09:00", customer_id="A"),
                ticket("T2", "2026-02-02 09:00", customer_id="A"),
            ]
        }
    )
    january = Filters(date_from=datetime(2026, 1, 1).date(), date_to=datetime(2026, 1, 31).date())
    # only T1 is in January; its follow-up T2 (Feb 2) is two days later
    row = repeat_contact_rate(wh, SETTINGS, january).row(0, named=True)
    assert (row["n"], row["hits"]) == (1, 1)


def test_sla_attainment_by_priority_counts_old_unanswered_tickets_as_breached(make_wh):
    recent = datetime.now(UTC) - timedelta(minutes=10)

    def answered(tid: str, priority: str | None, minutes: int) -> dict[str, Any]:
        created = ts("2026-01-05 09:00")
        reply = created + timedelta(minutes=minutes)
        return ticket(tid, "2026-01-05 09:00", priority=priority, first_response_at=reply)

    wh = make_wh(
        {
            "tickets": [
                answered("T1", "urgent", 30),
                answered("T2", "urgent", 90),
                answered("T3", "high", 200),
                ticket("T4", "2026-01-05 09:00", priority="low"),
                {"source": "t", "ticket_id": "T5", "created_at": recent, "priority": "normal"},
                answered("T6", None, 500),
            ]
        }
    )
    # targets (24x7 calendar): urgent 60, high 240, normal 480, low 1440, none 480.
    # T1 30 <= 60 met; T2 90 > 60 breached; T3 200 <= 240 met; T4 unanswered since January,
    # far beyond 1440 -> breached; T5 unanswered for 10 min, within 480 -> not counted;
    # T6 500 > 480 (default target) breached. n = 5, hits = 2
    frame = sla_attainment(wh, SETTINGS, Filters(), by="priority")
    assert frame.select("priority", "n", "hits", "unanswered_not_breached").to_dicts() == [
        {"priority": "high", "n": 1, "hits": 1, "unanswered_not_breached": 0},
        {"priority": "low", "n": 1, "hits": 0, "unanswered_not_breached": 0},
        {"priority": "normal", "n": 0, "hits": 0, "unanswered_not_breached": 1},
        {"priority": "urgent", "n": 2, "hits": 1, "unanswered_not_breached": 0},
        {"priority": None, "n": 1, "hits": 0, "unanswered_not_breached": 0},
    ]
    row = sla_attainment(wh, SETTINGS, Filters()).row(0, named=True)
    assert (row["n"], row["hits"], row["value"]) == (5, 2, 0.4)


def test_sla_uses_business_time_and_never_counts_an_unanswered_ticket_as_met(make_wh):
    weekdays = ("mon", "tue", "wed", "thu", "fri")
    settings = settings_from_dict(
        {
            "support_hours": {
                "default": {"timezone": "UTC", "weekly": {d: ["09:00-17:00"] for d in weekdays}}
            }
        }
    )
    wh = make_wh(
        {
            "tickets": [
                ticket(
                    "T1",
                    "2026-01-09 16:30",
                    priority="urgent",
                    first_response_at=ts("2026-01-12 09:30"),
                ),
                ticket("T2", "2026-01-09 16:30", priority="urgent"),
            ]
        }
    )
    # T1: Fri 16:30 -> Mon 09:30 = 30 + 30 = 60 business minutes <= 60 (urgent): met, though
    # 3900 calendar minutes passed. T2: never answered, far more than 60 business minutes
    # old -> breached (before the fix it had 0 business minutes and counted as met).
    row = sla_attainment(wh, settings, Filters()).row(0, named=True)
    assert (row["n"], row["hits"]) == (2, 1)


@pytest.mark.parametrize("by", sorted(GROUPS))
def test_every_metric_accepts_every_breakdown(make_wh, by):
    wh = make_wh({"tickets": fcr_tickets()})
    for name in NAMES:
        frame = REGISTRY[name].function(wh, SETTINGS, Filters(), by=by)
        assert frame.columns[0] == by and frame["n"].sum() >= 0
