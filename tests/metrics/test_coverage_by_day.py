"""language_gaps_by_day: every day's language_gaps in one query, on hand-written data.

Reporting zone UTC; three days, 2026-01-05 to 07.
A  team k, speaks en, zone Asia/Kolkata (UTC+5:30): no shifts, so present (from its
   messages) for its local clock hours with a message; those hours run hh:30-hh:30 UTC.
B  team t, speaks de, zone UTC: one shift, 5th 09:00-12:00.

The 5th has a shift, so it is judged by shifts (A's messages do not count that day); the 6th
and 7th have none, so they are judged by message hours, each day counting only the hours with
a message inside it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from builders import msg, ticket, ts
from gaps_reference import per_day_calls
from polars.testing import assert_frame_equal

from metrics.core.filters import Filters
from metrics.core.settings import load_settings, settings_from_dict
from metrics.coverage.gaps import LANGUAGE_SLOTS, language_gaps_by_day

SETTINGS = load_settings()
DAYS = Filters(date_from=date(2026, 1, 5), date_to=date(2026, 1, 7))


@pytest.fixture
def wh(make_wh):
    agents = [
        {"agent_id": "A", "team": "k", "languages": ["en"], "timezone": "Asia/Kolkata"},
        {"agent_id": "B", "team": "t", "languages": ["de"], "timezone": "UTC"},
    ]
    shifts = [{"agent_id": "B", "starts_at": ts("2026-01-05 09:00"), "ends_at": ts("2026-01-05 12:00")}]  # fmt: skip
    tickets = [
        ticket("T1", "2026-01-05 10:00", team="t", language="de"),  # in B's shift
        ticket("T2", "2026-01-05 13:00", team="t", language="de"),  # after it
        ticket("T3", "2026-01-05 10:25", team="k", language="en"),  # A messaged at 10:20
        ticket("T4", "2026-01-06 00:10", team="k", language="en"),
        ticket("T6", "2026-01-06 23:50", team="k", language="en"),
        ticket("T7", "2026-01-06 12:00", team="t", language="de"),
        ticket("T5", "2026-01-07 00:10", team="k", language="en"),
    ]
    messages = [msg(t["ticket_id"], "customer", str(t["created_at"])[:19]) for t in tickets]
    messages += [
        msg("T3", "agent", "2026-01-05 10:20", sender_id="A"),
        msg("T4", "agent", "2026-01-06 00:20", sender_id="A"),
        msg("T6", "agent", "2026-01-06 23:40", sender_id="A"),
    ]
    return make_wh({"tickets": tickets, "messages": messages, "agents": agents, "shifts": shifts})


def test_each_day_has_its_own_presence_source_and_its_own_message_hours(wh):
    gaps = language_gaps_by_day(wh, SETTINGS, DAYS, slot="all")
    # 5th, by shifts: de T1 10:00 in B's 09-12 shift, T2 13:00 after it: n 2, gap 1. en T3
    # 10:25 lies in A's message hour 09:30-10:30 UTC (15:00-16:00 IST, message at 10:20),
    # but the 5th is judged by shifts and A has none: n 1, gap 1. Ties by language: de, en.
    # 6th, by messages: en T4 00:10 in A's hour 23:30 (5th)-00:30 whose message (00:20) is
    # on the 6th: covered; en T6 23:50 in A's hour 23:30-00:30 (7th) whose message (23:40)
    # is on the 6th: covered; en has no gap, no row. de T7 12:00: nobody present speaks de
    # (B's shifts do not count on a messages day): n 1, gap 1.
    # 7th, by messages: en T5 00:10 in that same hour 23:30 (6th)-00:30, but its only
    # message (23:40) is on the 6th, so on the 7th A is not present: n 1, gap 1.
    rows = gaps.select("day", "language", "n", "gap_contacts", "on_shift_source").rows()
    assert rows == [
        (date(2026, 1, 5), "de", 2, 1, "shifts"),
        (date(2026, 1, 5), "en", 1, 1, "shifts"),
        (date(2026, 1, 6), "de", 1, 1, "messages"),
        (date(2026, 1, 7), "en", 1, 1, "messages"),
    ]


@pytest.mark.parametrize("slot", list(LANGUAGE_SLOTS))
@pytest.mark.parametrize("by", [None, "team"])
def test_the_days_are_the_per_day_calls(wh, slot, by):
    for filters in (DAYS, replace(DAYS, date_to=date(2026, 1, 9)), replace(DAYS, team=("k",))):
        expected = per_day_calls(wh, SETTINGS, filters, slot=slot, by=by)
        assert_frame_equal(language_gaps_by_day(wh, SETTINGS, filters, slot=slot, by=by), expected)


def test_a_period_without_days_or_dates(wh):
    backwards = replace(DAYS, date_from=date(2026, 1, 8))
    assert language_gaps_by_day(wh, SETTINGS, backwards, slot="all").height == 0
    with pytest.raises(ValueError, match="both dates"):
        language_gaps_by_day(wh, SETTINGS, Filters(), slot="all")


@pytest.fixture
def long_shift(make_wh):
    # C (team s, speaks fr, zone UTC) on one shift across four days: 5th 20:00 - 8th 02:30.
    agents = [{"agent_id": "C", "team": "s", "languages": ["fr"], "timezone": "UTC"}]
    shifts = [{"agent_id": "C", "starts_at": ts("2026-01-05 20:00"), "ends_at": ts("2026-01-08 02:30")}]  # fmt: skip
    created = ["05 21:15", "06 00:05", "06 12:00", "07 23:59", "08 02:10", "08 02:40"]
    tickets = [
        ticket(f"F{i}", f"2026-01-{at}", team="s", language="fr") for i, at in enumerate(created)
    ]
    messages = [msg(t["ticket_id"], "customer", str(t["created_at"])[:19]) for t in tickets]
    return make_wh({"tickets": tickets, "messages": messages, "agents": agents, "shifts": shifts})


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        # UTC: the 5th-7th's contacts all fall in the shift (no gap, no row); the 8th: 02:10
        # in it, 02:40 after it: n 2, gap 1.
        ("UTC", [(date(2026, 1, 8), "fr", 2, 1, "shifts")]),
        # Asia/Kolkata (UTC+5:30), the 8th is 7th 18:30 - 8th 18:30 UTC: 7th 23:59, 8th 02:10
        # in the shift, 02:40 after it: n 3, gap 1; the 6th (21:15, 00:05, 12:00 UTC) no gap.
        ("Asia/Kolkata", [(date(2026, 1, 8), "fr", 3, 1, "shifts")]),
    ],
)
def test_an_island_over_several_days_covers_each_of_its_days(long_shift, zone, expected):
    settings = settings_from_dict({"reporting": {"timezone": zone}})
    days = Filters(date_from=date(2026, 1, 5), date_to=date(2026, 1, 8))
    gaps = language_gaps_by_day(long_shift, settings, days, slot="all")
    assert gaps.select("day", "language", "n", "gap_contacts", "on_shift_source").rows() == expected
    for slot in LANGUAGE_SLOTS:
        expected_rows = per_day_calls(long_shift, settings, days, slot=slot)
        assert_frame_equal(
            language_gaps_by_day(long_shift, settings, days, slot=slot), expected_rows
        )
