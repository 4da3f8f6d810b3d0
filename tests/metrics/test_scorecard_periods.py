"""The scorecard's per-agent frames of several periods at once equal the metric functions'."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from test_scorecard import WEEK, team_warehouse

from metrics.agents.periods import (
    _membership,
    agent_frames,
    agent_quality_samples,
    agent_samples,
)
from metrics.agents.tone import agent_tone, tone_contacts_table
from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.quality.scores import agent_quality_scores, scorecard_quality
from metrics.response import first_response as response
from metrics.response import resolution
from metrics.voice.csat import csat
from metrics.voice.sentiment import sentiment_totals
from warehouse.reader import ReadOnlyWarehouse

SETTINGS = load_settings()
FUNCTIONS = (
    response.first_response_time, response.first_response_time_business,
    resolution.first_resolution_time, resolution.fcr_rate, resolution.reopen_rate,
    resolution.sla_attainment, csat, sentiment_totals, agent_tone, scorecard_quality,
)  # fmt: skip


def assert_frames_equal_the_functions(wh, periods: list[Filters], agents: list[str]) -> None:
    """Each frame holds the rows of ``agents`` (a scorecard's agent and peers) as the
    metric function computes them over the period, and no other row."""
    frames = agent_frames(wh, SETTINGS, periods, "assignee", agents)
    for period in periods:
        for fn in FUNCTIONS:
            options = {"attribution": "assignee"} if fn is csat else {}
            batched = frames[fn.__name__, period].sort("agent", nulls_last=True)
            alone = fn(wh, SETTINGS, period, by="agent", **options)
            alone = alone.filter(pl.col("agent").is_in(agents))
            alone = alone.select(batched.columns).sort("agent", nulls_last=True)
            assert_frame_equal(batched, alone, check_exact=False, rel_tol=1e-9, abs_tol=1e-12)


def test_each_periods_frames_equal_the_metric_calls_on_a_hand_made_team(make_wh):
    wh = team_warehouse(make_wh)
    first_day = replace(WEEK, date_to=WEEK.date_from)
    periods = [WEEK, WEEK.previous_period(), first_day, Filters()]
    assert_frames_equal_the_functions(wh, periods, ["A1", "A2", "A3", "A4", "A5"])
    assert_frames_equal_the_functions(wh, periods, ["A1", "A3"])
    frames = agent_frames(wh, SETTINGS, periods, "assignee", ["A1", "A2", "A3", "A4", "A5"])
    handled = {
        name: dict(frames["contacts_handled", p].select("agent", "n").iter_rows())
        for name, p in zip(("week", "before", "first day", "all"), periods, strict=True)
    }
    # A1: T1, T2 on 2026-01-05 (the week and its first day) and T6 on 2026-01-01 (the week
    # before); every contact counts in each period it falls in, and all of them in Filters()
    assert handled["week"] == {"A1": 2, "A2": 2, "A3": 1, "A4": 1}
    assert handled["first day"] == handled["week"]
    assert handled["before"] == {"A1": 1}
    assert handled["all"] == {"A1": 3, "A2": 2, "A3": 1, "A4": 1, "A5": 1}
    # A1's FRT median: the week 60 and 100 -> 80; the week before 20 alone
    frt = {i: frames["first_response_time", p] for i, p in enumerate(periods)}
    assert frt[0].filter(pl.col("agent") == "A1")["median"].item() == 80.0
    assert frt[1].filter(pl.col("agent") == "A1")["median"].item() == 20.0
    samples = agent_samples(wh, SETTINGS, periods, "A1", "assignee")
    # the week: two contacts (FRT 60, 100; first solves 240, 240) and two ratings (2, 4)
    week = samples[WEEK]
    assert sorted(week["frt"].drop_nulls().to_list()) == [60.0, 100.0]
    assert sorted(week["first_resolution_time"].drop_nulls().to_list()) == [240.0, 240.0]
    assert sorted(week["csat_mean"].drop_nulls().to_list()) == [2.0, 4.0]
    assert samples[WEEK.previous_period()]["frt"].drop_nulls().to_list() == [20.0]


def test_periods_must_differ_only_in_their_dates(make_wh):
    wh = team_warehouse(make_wh)
    with pytest.raises(ValueError, match="dates only"):
        agent_frames(wh, SETTINGS, [WEEK, replace(WEEK, channel=("email",))], "assignee", ["A1"])


def test_each_periods_frames_equal_the_metric_calls_on_the_demo(demo_db):
    wh = ReadOnlyWarehouse(demo_db)
    try:
        last = wh.scalar("SELECT max(created_at)::DATE FROM tickets")
        month = Filters(last - timedelta(days=29), last)
        periods = [month, month.previous_period(), replace(month, date_to=last - timedelta(days=9))]
        agents = wh.query("SELECT DISTINCT agent_id FROM tickets WHERE agent_id IS NOT NULL")
        everyone = sorted(agents["agent_id"].to_list())
        assert_frames_equal_the_functions(wh, periods, everyone)
        chat = [replace(p, channel=("chat",)) for p in periods]
        assert_frames_equal_the_functions(wh, chat, everyone[::3])
        agent = wh.scalar("SELECT min(agent_id) FROM qa_scores JOIN tickets USING (source)"
                          " WHERE tickets.ticket_id = qa_scores.conversation_id")  # fmt: skip
        scores = agent_quality_samples(wh, SETTINGS, periods, agent)
        for period in periods:
            alone = agent_quality_scores(wh, SETTINGS, period, agent)
            assert sorted(scores[period]) == sorted(alone)
        assert scores[month], "the demo's agent has reviewed contacts in the month"
    finally:
        wh.close()


def test_frames_of_an_open_period(make_wh):
    wh = team_warehouse(make_wh)
    since = Filters(date_from=date(2026, 1, 5))
    assert_frames_equal_the_functions(wh, [since, Filters(date_to=date(2026, 1, 4))], ["A1", "A2"])


def test_the_tone_rows_carry_their_contacts_filter_columns_in_creation_order(make_wh):
    wh = team_warehouse(make_wh)
    table = tone_contacts_table(wh, SETTINGS)
    rows = wh.query(
        f"SELECT contact_id, created_day, team, agent_id, is_merged, sender_type, sender_id, n,"  # noqa: S608
        f" negative, messages FROM {table} WHERE agent_id = 'A1'"
    ).rows()
    # A1's three tickets, one agent reply each: T6 (2026-01-01, its reply unscored: n 0),
    # then T1 (tone -0.5 <= the negative threshold: 1 of 1) and T2 (0.3: 0 of 1), the week's
    # two in id order; the roster's team "en" rides along for the filters
    assert rows == [
        ("T6", date(2026, 1, 1), "en", "A1", False, "agent", "A1", 0, 0, 1),
        ("T1", date(2026, 1, 5), "en", "A1", False, "agent", "A1", 1, 1, 1),
        ("T2", date(2026, 1, 5), "en", "A1", False, "agent", "A1", 1, 0, 1),
    ]


def test_the_periods_bounds_cut_time_into_segments_each_period_encloses():
    week = Filters(date(2026, 1, 5), date(2026, 1, 11))
    first_day = replace(week, date_to=date(2026, 1, 5))
    segment, pairs, bounds = _membership([week, first_day, Filters()], "UTC")
    # bounds: 01-05 00:00, 01-06 00:00 (first day's end), 01-12 00:00 (the week's end) ->
    # segments 0 (before 01-05), 1 (01-05), 2 (01-06 .. 01-11), 3 (from 01-12), -1 (no time);
    # the week (0) holds 1 and 2, its first day (1) holds 1, all dates (2) hold every one
    assert list(bounds.values()) == [
        datetime(2026, 1, d, tzinfo=UTC) for d in (5, 6, 12)
    ]  # fmt: skip
    assert pairs == "(-1, 2), (0, 2), (1, 0), (1, 1), (1, 2), (2, 0), (2, 2), (3, 2)"
    assert segment.startswith("CASE WHEN c.created_at IS NULL THEN -1 WHEN c.created_at < $b0")
