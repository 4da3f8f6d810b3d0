"""First response time on hand-written contacts."""

from __future__ import annotations

from builders import msg, ticket, ts

from metrics.core.filters import Filters
from metrics.core.settings import load_settings, settings_from_dict
from metrics.response.first_response import (
    first_response_after_handover,
    first_response_time,
    first_response_time_business,
)

SETTINGS = load_settings()


def test_frt_ignores_bot_replies_and_counts_unanswered(make_wh):
    wh = make_wh(
        {
            "tickets": [ticket("T1", "2026-01-05 09:00"), ticket("T2", "2026-01-05 10:00")],
            "messages": [
                msg("T1", "customer", "2026-01-05 09:00"),
                msg("T1", "bot", "2026-01-05 09:01"),
                msg("T1", "agent", "2026-01-05 09:30"),
            ],
        }
    )
    # T1: 09:00 -> 09:30 = 30 min (the bot at 09:01 does not count); T2 has no reply
    assert first_response_time(wh, SETTINGS, Filters()).to_dicts() == [
        {"n": 1, "unanswered": 1, "bot_only": 0, "outbound": 0, "median": 30.0, "p90": 30.0}
    ]


def test_frt_median_and_p90_interpolate(make_wh):
    # replies after 10, 20, 30, 40 and 100 minutes
    tickets = [ticket(f"T{i}", "2026-01-05 09:00") for i in range(5)]
    replies = ["09:10", "09:20", "09:30", "09:40", "10:40"]
    messages = []
    for i, at in enumerate(replies):
        messages += [
            msg(f"T{i}", "customer", "2026-01-05 09:00"),
            msg(f"T{i}", "agent", f"2026-01-05 {at}"),
        ]
    wh = make_wh({"tickets": tickets, "messages": messages})
    row = first_response_time(wh, SETTINGS, Filters()).row(0, named=True)
    # median of 10,20,30,40,100 = 30; p90 = 40 + 0.6 * (100 - 40) = 76 (linear interpolation)
    assert (row["n"], row["median"], row["p90"]) == (5, 30.0, 76.0)


def test_ticket_field_is_used_only_when_the_ticket_has_no_messages(make_wh):
    wh = make_wh(
        {
            "tickets": [
                ticket("T1", "2026-01-05 09:00", first_response_at=ts("2026-01-05 09:45")),
                ticket("T2", "2026-01-05 09:00", first_response_at=ts("2026-01-05 09:05")),
            ],
            "messages": [
                msg("T2", "customer", "2026-01-05 09:00"),
                msg("T2", "agent", "2026-01-05 09:20"),
            ],
        }
    )
    # T1: field 45 min; T2: messages win, 20 min (not the field's 5)
    frame = first_response_time(wh, SETTINGS, Filters(), by="day")
    assert frame.select("n", "median").to_dicts() == [{"n": 2, "median": 32.5}]


def test_an_agent_opener_is_not_a_reply_and_outbound_is_excluded(make_wh):
    wh = make_wh(
        {
            "tickets": [ticket("T1", "2026-01-05 09:00"), ticket("T2", "2026-01-05 09:00")],
            "messages": [
                msg("T1", "agent", "2026-01-05 09:00"),
                msg("T1", "customer", "2026-01-05 09:10"),
                msg("T1", "agent", "2026-01-05 09:50"),
                msg("T2", "agent", "2026-01-05 09:00"),
            ],
        }
    )
    # T1: the 09:00 opener is not a reply; the 09:50 reply counts: 50 min. T2: outbound only
    row = first_response_time(wh, SETTINGS, Filters()).row(0, named=True)
    assert (row["n"], row["median"], row["outbound"], row["unanswered"]) == (1, 50.0, 1, 0)


def test_business_frt_skips_the_weekend_and_a_dst_change(make_wh):
    settings = settings_from_dict(
        {
            "support_hours": {
                "default": {
                    "timezone": "America/New_York",
                    "weekly": {d: ["09:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
                }
            }
        }
    )
    wh = make_wh(
        {
            "tickets": [ticket("T1", "2024-03-08 21:00", first_response_at=ts("2024-03-11 14:00"))],
        }
    )
    # Fri 2024-03-08 16:00 EST (21:00 UTC) -> Mon 2024-03-11 10:00 EDT (14:00 UTC; clocks
    # went forward on Sunday): business = Fri 16-17 (60) + Mon 09-10 (60) = 120 min;
    # calendar = 2 days 17 hours = 3900 min
    business = first_response_time_business(wh, settings, Filters()).row(0, named=True)
    calendar = first_response_time(wh, settings, Filters()).row(0, named=True)
    assert (business["median"], calendar["median"]) == (120.0, 3900.0)


def test_frt_after_handover_runs_from_the_last_bot_message(make_wh):
    wh = make_wh(
        {
            "tickets": [ticket("T1", "2026-01-05 09:00"), ticket("T2", "2026-01-05 09:00")],
            "messages": [
                msg("T1", "customer", "2026-01-05 09:00"),
                msg("T1", "bot", "2026-01-05 09:01"),
                msg("T1", "bot", "2026-01-05 09:04"),
                msg("T1", "agent", "2026-01-05 09:16"),
                msg("T2", "customer", "2026-01-05 09:00"),
                msg("T2", "agent", "2026-01-05 09:10"),
            ],
        }
    )
    # T1: hand-over 09:04 -> reply 09:16 = 12 min; T2 had no bot
    row = first_response_after_handover(wh, SETTINGS, Filters()).row(0, named=True)
    assert (row["n"], row["median"], row["without_bot"]) == (1, 12.0, 1)


def test_an_empty_warehouse_gives_n_zero_and_no_median(make_wh):
    wh = make_wh({})
    row = first_response_time(wh, SETTINGS, Filters()).row(0, named=True)
    assert (row["n"], row["median"], row["p90"]) == (0, None, None)
