"""Chart marks: provisional buckets, 1-2-5 log ticks with a unit, natural category orders."""

from __future__ import annotations

from datetime import date

import polars as pl

from dashboard.charts.common import duration_trend, rate_by_group, volume_trend
from dashboard.charts.marks import duration_unit, ordered, ticks_125


def test_log_ticks_are_1_2_5_covering_the_values():
    # a little beyond the values on both sides (the axis pads its range)
    assert ticks_125(3.0, 40.0) == [2.0, 5.0, 10.0, 20.0, 50.0, 100.0]
    assert ticks_125(0.3, 1.5) == [0.2, 0.5, 1.0, 2.0]


def test_durations_get_one_readable_unit():
    assert duration_unit([5, 30, 90]) == ("minutes", 1.0)
    assert duration_unit([100, 600, 3000]) == ("hours", 60.0)  # typical 600 min
    assert duration_unit([4000, 9000, 20000]) == ("days", 1440.0)


def test_priorities_follow_the_settings_order_not_the_alphabet():
    order = ("urgent", "high", "normal", "low")
    assert ordered(["high", None, "low", "urgent", "vip", "normal"], order) == [
        "urgent", "high", "normal", "low", "vip", None,
    ]  # fmt: skip
    rates = pl.DataFrame({
        "priority": ["high", "low", "normal", "urgent"], "n": [10] * 4, "hits": [5] * 4,
        "value": [0.5] * 4, "ci_low": [0.2] * 4, "ci_high": [0.8] * 4,
    })  # fmt: skip
    fig = rate_by_group(rates, "priority", "SLA attainment", "contacts", order)
    assert list(fig.data[0].x) == ["urgent", "high", "normal", "low"]


def test_a_duration_trend_is_on_a_log_axis_with_its_unit_and_marks_provisional_points():
    frame = pl.DataFrame({
        "day": [date(2026, 1, d) for d in (5, 6, 7)], "n": [10, 10, 3],
        "median": [30.0, 60.0, 0.0], "p90": [120.0, 300.0, 20.0],
        "provisional": [False, False, True],
        "provisional_reason": [None, None, "still moving: 95% of first replies come within 1 h"],
    })  # fmt: skip
    fig = duration_trend(frame, "day", "First response time")
    axis = fig.layout.yaxis
    assert axis.type == "log" and axis.title.text == "minutes (log scale)"
    assert list(axis.tickvals) == [
        0.1,
        0.2,
        0.5,
        1.0,
        2.0,
        5.0,
        10.0,
        20.0,
        50.0,
        100.0,
        200.0,
        500.0,
    ]
    assert list(axis.ticktext)[:4] == ["0.1", "0.2", "0.5", "1"]
    solid = [t for t in fig.data if t.name == "median"][0]
    dotted = [t for t in fig.data if t.name == "median (provisional)"][0]
    assert list(solid.y) == [30.0, 60.0, None]  # the settled line stops before the last day
    assert dotted.line.dash == "dot" and list(dotted.marker.symbol) == [
        "circle",
        "circle",
        "circle-open",
    ]
    assert dotted.y[2] == 0.1  # a zero wait sits on the 6-second floor of the log axis
    assert "still moving" in dotted.customdata[2][2]


def test_a_provisional_bar_is_pale_and_hatched():
    frame = pl.DataFrame({
        "day": [date(2026, 1, 5), date(2026, 1, 6)], "contacts": [10, 4], "tickets": [10, 4],
        "conversations": [0, 0], "provisional": [False, True],
        "provisional_reason": [None, "partial day: the data ends at 2026-01-06 12:00 UTC"],
    })  # fmt: skip
    bar = volume_trend(frame, "day").data[0]
    assert list(bar.marker.opacity) == [1.0, 0.45]
    assert list(bar.marker.pattern.shape) == ["", "/"]
