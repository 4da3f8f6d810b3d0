"""The presence fact behind after_hours and language_gaps, on hand-written shifts (UTC).

A1 team t, speaks en, zh-CN   09:00-12:00 and 11:00-13:00 (overlap), 13:00-14:00 (touches)
A2 team u, speaks de          10:00-11:00, 15:00-16:00; an empty shift 17:00-17:00
A3 not in the roster          18:00-19:00
"""

from __future__ import annotations

from datetime import date

import pytest
from builders import msg, ticket, ts

from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.coverage.gaps import after_hours, language_gaps
from metrics.coverage.presence import presence_fact
from metrics.coverage.shifts import prepare

SETTINGS = load_settings()
DAY = Filters(date_from=date(2026, 1, 5), date_to=date(2026, 1, 5))


def shift(agent: str, start: str, end: str) -> dict:
    return {"agent_id": agent, "starts_at": ts(f"2026-01-05 {start}"), "ends_at": ts(f"2026-01-05 {end}")}  # fmt: skip


@pytest.fixture
def wh(make_wh):
    agents = [
        {"agent_id": "A1", "team": "t", "languages": ["en", "zh-CN"], "timezone": "UTC"},
        {"agent_id": "A2", "team": "u", "languages": ["de"], "timezone": "UTC"},
        {"agent_id": "A4", "team": "u", "languages": ["de"], "timezone": "UTC"},
    ]
    shifts = [
        shift("A1", "09:00", "12:00"), shift("A1", "11:00", "13:00"), shift("A1", "13:00", "14:00"),
        shift("A2", "10:00", "11:00"), shift("A2", "15:00", "16:00"), shift("A2", "17:00", "17:00"),
        shift("A3", "18:00", "19:00"), shift("A4", "15:00", "16:00"),
    ]  # fmt: skip
    # Contacts: team t at 13:59:59 (A1's touching shift) and 14:00 (just after);
    # no team at 18:30 (only the unrostered A3 is on); team u in zh at 10:30 (A1 speaks zh);
    # team u at 12:00, between u's 10-11 and 15-16.
    tickets = [
        ticket("T1", "2026-01-05 13:59:59", team="t", language="en"),
        ticket("T2", "2026-01-05 14:00:00", team="t", language="en"),
        ticket("T3", "2026-01-05 18:30:00", language="de"),
        ticket("T4", "2026-01-05 10:30:00", team="u", language="zh-TW"),
        ticket("T5", "2026-01-05 12:00:00", team="u", language="de"),
    ]
    messages = [msg(t["ticket_id"], "customer", str(t["created_at"])[:19]) for t in tickets]
    return make_wh({"tickets": tickets, "messages": messages, "agents": agents, "shifts": shifts})


def test_shifts_are_merged_into_islands_per_team_language_and_overall(wh):
    fact = presence_fact(wh, SETTINGS, prepare(wh, SETTINGS, DAY, None))
    rows = wh.query(
        f"SELECT kind, key, strftime(starts_at, '%H:%M') AS s, strftime(ends_at, '%H:%M') AS e"  # noqa: S608
        f" FROM {fact} ORDER BY kind, key, starts_at"
    ).rows()
    # A1's three shifts overlap or touch: one island 09-14. The empty shift is dropped; A3
    # (no team, no languages) only counts for "any". Overall: 09-14 (A2's 10-11 inside it),
    # 15-16, 18-19.
    assert rows == [
        ("any", "", "09:00", "14:00"), ("any", "", "15:00", "16:00"),
        ("any", "", "18:00", "19:00"),
        ("language", "de", "10:00", "11:00"), ("language", "de", "15:00", "16:00"),
        ("language", "en", "09:00", "14:00"), ("language", "zh", "09:00", "14:00"),
        ("team", "t", "09:00", "14:00"),
        ("team", "u", "10:00", "11:00"), ("team", "u", "15:00", "16:00"),
    ]  # fmt: skip


def test_an_instant_is_staffed_inside_an_island_and_not_at_its_end(wh):
    row = after_hours(wh, SETTINGS, DAY).row(0, named=True)
    # T1 13:59:59 inside t's 09-14 island; T2 at 14:00 is its (open) end: after hours.
    # T3 (no team) at 18:30: A3 is on, any agent counts. T4 (team u) at 10:30: A2 on.
    # T5 (team u) at 12:00: nobody of u on. Hits T2, T5: 2 of 5.
    assert (row["n"], row["hits"], row["judged_by_shifts"]) == (5, 2, 5)


def test_languages_match_by_primary_subtag_at_the_instant(wh):
    gaps = language_gaps(wh, SETTINGS, DAY, slot="all")
    # en: T1 covered, T2 at 14:00 not; de: T3 at 18:30 (A2, A4 off since 16:00) and T5 at
    # 12:00 (A1 is on but speaks en and zh) not; zh-TW at 10:30: A1 speaks zh-CN, covered.
    assert gaps.select("language", "n", "gap_contacts").rows() == [("de", 2, 2), ("en", 2, 1)]


@pytest.mark.parametrize(("reply", "hits"), [("2026-01-04 23:40", 1), ("2026-01-05 00:20", 0)])
def test_message_hours_count_only_with_a_message_inside_the_period(make_wh, reply, hits):
    # No shifts: presence is A's clock hours with a message, in A's zone Asia/Kolkata (UTC+5:30),
    # so the hour 05:00-06:00 local is 23:30-00:30 UTC and straddles the day's start. A reply
    # at 23:40 on the 4th lies outside the period: the 00:10 contact finds nobody on; one
    # at 00:20 on the 5th puts A on for the whole hour, 00:10 included.
    agents = [{"agent_id": "A", "team": "k", "languages": ["en"], "timezone": "Asia/Kolkata"}]
    tickets = [ticket("T1", "2026-01-05 00:10", team="k", language="en")]
    messages = [msg("T1", "customer", "2026-01-05 00:10"), msg("X", "agent", reply, sender_id="A")]
    wh = make_wh({"tickets": tickets, "messages": messages, "agents": agents})
    row = after_hours(wh, SETTINGS, DAY).row(0, named=True)
    assert (row["n"], row["hits"], row["on_shift_source"]) == (1, hits, "messages")
