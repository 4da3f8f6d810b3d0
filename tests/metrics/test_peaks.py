"""Peak days on hand-written daily series: the rule's median, MAD, threshold and ties."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from builders import ticket

from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.operations.peaks import MAD_SCALE, peak_days, peak_rule
from metrics.registry import REGISTRY

SETTINGS = load_settings()
DAY1 = date(2026, 3, 1)

# Contacts on days 1..20: a 10, 9, 11 cycle (day d has 10, 9 or 11 as d % 3 is 1, 2 or 0),
# except day 18 (an 11 in the cycle), which has a spike of 40.
COUNTS = [10, 9, 11, 10, 9, 11, 10, 9, 11, 10, 9, 11, 10, 9, 11, 10, 9, 40, 10, 9]
SPIKE_CATEGORIES = {"security": 20, "transfer_stuck": 12, "gas_fees": 4, "swap_failed": 4}
# The threshold of every day with enough history (see the test below): 10 + 5 x 1.4826 x 1.
THRESHOLD = 10.0 + 5.0 * (MAD_SCALE * 1.0)


def day(n: int) -> date:
    return DAY1 + timedelta(days=n - 1)


def tickets_per_day(
    counts: list[int], channel: str = "email", first: int = 1, prefix: str = "T"
) -> list[dict]:
    """``counts[i]`` tickets on day ``first + i`` at 10:00 UTC, category account."""
    rows = []
    for offset, count in enumerate(counts):
        when = f"{day(first + offset).isoformat()} 10:00"
        rows += [
            ticket(f"{prefix}{first + offset}-{i}", when, channel=channel, category="account")
            for i in range(count)
        ]
    return rows


def twenty_days() -> list[dict]:
    rows = [row for row in tickets_per_day(COUNTS) if not row["ticket_id"].startswith("T18-")]
    spike = [name for name, n in SPIKE_CATEGORIES.items() for _ in range(n)]
    rows += [
        ticket(f"T18-{i}", f"{day(18).isoformat()} 10:00", channel="email", category=name)
        for i, name in enumerate(spike)
    ]
    for row in rows:
        # Day 19: two of its ten contacts have no category (e.g. bot-only chats).
        if row["ticket_id"] in ("T19-0", "T19-1"):
            row["category"] = None
    return rows


def evaluated(frame, columns=("day", "n", "history_days", "baseline", "mad", "threshold")):
    return [tuple(row[c] for c in columns) for row in frame.iter_rows(named=True)]


def test_the_spike_is_the_one_day_above_median_plus_five_scaled_mads(make_wh):
    wh = make_wh({"tickets": twenty_days()})
    days = peak_days(wh, SETTINGS, Filters(), view="days")
    # Days 1-14 have 0..13 previous days (< 14): not enough history, never flagged.
    assert evaluated(days[:14]) == [
        (day(d), COUNTS[d - 1], d - 1, None, None, None) for d in range(1, 15)
    ]
    assert set(days[:14]["status"]) == {"not enough history"}
    # Day 15: previous 14 days = five 9s, five 10s, four 11s -> sorted 7th and 8th are 10 and
    #   10: median 10; |x - 10| = five 0s and nine 1s -> 7th and 8th are 1: MAD 1.
    # Day 16: + day 15 (11) -> 9 x5, 10 x5, 11 x5: median (8th) 10; deviations 0 x5, 1 x10: MAD 1.
    # Day 17: + day 16 (10) -> 16 values, 8th/9th both 10: median 10; deviations 0 x6, 1 x10: MAD 1.
    # Day 18: + day 17 (9) -> 9 x6, 10 x6, 11 x5: median (9th) 10; deviations 0 x6, 1 x11: MAD 1.
    # Day 19: + day 18 (40) -> 18 values, 9th/10th are 10: median 10; deviations 0 x6, 1 x11,
    #   30 x1 -> 9th/10th are 1: MAD 1 (the spike moves neither).
    # Day 20: + day 19 (10) -> 19 values, 10th is 10: median 10; deviations 0 x7, 1 x11, 30: MAD 1.
    # So every threshold is 10 + 5 x (1.4826 x 1) = 17.413; only day 18 (40 > 17.413) is a peak.
    assert evaluated(days[14:]) == [
        (day(d), COUNTS[d - 1], d - 1, 10.0, 1.0, THRESHOLD) for d in range(15, 21)
    ]
    assert days[14:].select("times_baseline", "is_peak", "status").rows() == [
        (1.1, False, "normal"),  # 11 / 10
        (1.0, False, "normal"),
        (0.9, False, "normal"),
        (4.0, True, "peak"),  # 40 / 10: four times the baseline
        (1.0, False, "normal"),
        (0.9, False, "normal"),
    ]


def test_a_peak_day_names_its_top_three_categories_with_their_share_of_the_day(make_wh):
    wh = make_wh({"tickets": twenty_days()})
    # Day 18: 40 contacts: security 20, transfer_stuck 12, gas_fees 4, swap_failed 4. The tie
    # for third place goes by name: gas_fees before swap_failed.
    assert peak_days(wh, SETTINGS, Filters()).to_dicts() == [
        {
            "day": day(18),
            "n": 40,
            "history_days": 17,
            "baseline": 10.0,
            "mad": 1.0,
            "threshold": THRESHOLD,
            "times_baseline": 4.0,
            "is_peak": True,
            "status": "peak",
            "top_category_1": "security",
            "top_share_1": 0.5,  # 20 / 40
            "top_category_2": "transfer_stuck",
            "top_share_2": 0.3,  # 12 / 40
            "top_category_3": "gas_fees",
            "top_share_3": 0.1,  # 4 / 40
        }
    ]


def test_contacts_without_a_category_count_in_the_share_but_are_not_ranked(make_wh):
    wh = make_wh({"tickets": twenty_days()})
    row = peak_days(wh, SETTINGS, Filters(), view="days").row(18, named=True)
    # Day 19: 10 contacts, 8 in account and 2 without a category -> account 8 / 10.
    assert (row["day"], row["top_category_1"], row["top_share_1"]) == (day(19), "account", 0.8)
    assert (row["top_category_2"], row["top_share_2"]) == (None, None)


def test_the_baseline_reads_the_days_before_the_period(make_wh):
    wh = make_wh({"tickets": twenty_days()})
    period = Filters(date_from=day(18), date_to=day(19))
    days = peak_days(wh, SETTINGS, period, view="days")
    # Days 18 and 19 keep their 17 and 18 previous days although the period starts on day 18.
    assert days.select("day", "history_days", "status").rows() == [
        (day(18), 17, "peak"),
        (day(19), 18, "normal"),
    ]


def test_a_series_shorter_than_the_history_needed_flags_nothing(make_wh):
    # Ten days, the last one at 50: at most 9 previous days, fewer than 14.
    wh = make_wh({"tickets": tickets_per_day([5, 5, 5, 5, 5, 5, 5, 5, 5, 50])})
    days = peak_days(wh, SETTINGS, Filters(), view="days")
    assert days["history_days"].to_list() == list(range(10))
    assert set(days["status"]) == {"not enough history"}
    assert days["threshold"].null_count() == 10
    assert peak_days(wh, SETTINGS, Filters()).height == 0


def test_a_day_exactly_at_the_threshold_is_not_a_peak_and_a_flat_history_has_a_floor():
    # 14 days of 10: median 10, MAD 0 -> the spread is floored at one contact, so the
    # threshold is 10 + 5 x 1 = 15. A day of 15 is not above it; a day of 16 is.
    at = peak_rule(np.array([10] * 14 + [15]))
    above = peak_rule(np.array([10] * 14 + [16]))
    assert (at.threshold[14], at.is_peak[14]) == (15.0, False)
    assert (above.threshold[14], above.is_peak[14]) == (15.0, True)


def test_an_even_history_takes_the_mean_of_the_two_middle_values():
    # History 1..14: median (7 + 8) / 2 = 7.5; |x - 7.5| = 0.5, 0.5, 1.5, 1.5, ..., 6.5, 6.5
    # -> the 7th and 8th are 3.5 and 3.5: MAD 3.5; threshold 7.5 + 5 x 1.4826 x 3.5 = 33.4455.
    history = list(range(1, 15))
    rule = peak_rule(np.array([*history, 34]))
    assert (rule.baseline[14], rule.mad[14]) == (7.5, 3.5)
    assert rule.threshold[14] == pytest.approx(33.4455)
    assert rule.is_peak.tolist() == [False] * 14 + [True]
    assert not peak_rule(np.array([*history, 33])).is_peak[14]


def test_the_window_k_and_min_history_are_options():
    counts = np.array([10, 12] * 10 + [30])
    # window 4, min_history 4: day 21 sees 10, 12, 10, 12 -> median 11, MAD 1,
    # threshold 11 + k x 1.4826: k = 5 -> 18.413 (30 is a peak); k = 15 -> 33.239 (it is not).
    assert peak_rule(counts, window=4, k=5, min_history=4).is_peak[20]
    assert not peak_rule(counts, window=4, k=15, min_history=4).is_peak[20]
    assert peak_rule(counts, window=4, min_history=4).history_days[:6].tolist() == [
        0,
        1,
        2,
        3,
        4,
        4,
    ]


def test_each_breakdown_series_has_its_own_baseline(make_wh):
    # chat: 3 contacts a day on days 6..20 (15 days): only day 20 has 14 previous days;
    # median 3, MAD 0 -> threshold 3 + 5 x 1 = 8; 3 is normal.
    chat = tickets_per_day([3] * 15, channel="chat", first=6, prefix="C")
    wh = make_wh({"tickets": twenty_days() + chat})
    peaks = peak_days(wh, SETTINGS, Filters(), by="channel")
    assert peaks.select("channel", "day", "n").rows() == [("email", day(18), 40)]
    chat_days = peak_days(wh, SETTINGS, Filters(channel=("chat",)), by="channel", view="days")
    assert chat_days.select("day", "history_days", "threshold", "status").rows()[-2:] == [
        (day(19), 13, None, "not enough history"),
        (day(20), 14, 8.0, "normal"),
    ]


def test_an_empty_warehouse_has_no_days(make_wh):
    wh = make_wh({"tickets": []})
    days = peak_days(wh, SETTINGS, Filters(), view="days")
    assert days.height == 0
    assert days.columns[:3] == ["day", "n", "history_days"]


def test_options_are_checked_and_the_metric_is_registered(make_wh):
    wh = make_wh({"tickets": tickets_per_day([1, 2])})
    with pytest.raises(ValueError, match="view"):
        peak_days(wh, SETTINGS, Filters(), view="weeks")
    with pytest.raises(ValueError, match="daily series"):
        peak_days(wh, SETTINGS, Filters(), by="day")
    with pytest.raises(ValueError, match="min_history"):
        peak_days(wh, SETTINGS, Filters(), window=7, min_history=14)
    info = REGISTRY["peak_days"]
    assert (info.unit, info.options) == ("contacts per day", {"view": ("peaks", "days")})
