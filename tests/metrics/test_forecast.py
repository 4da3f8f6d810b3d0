"""Volume forecast: seasonal naive, the errors, the back-test and the metric's shape."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from builders import ticket

from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.operations.forecast import (
    backtest,
    clean_series,
    errors,
    min_history_days,
    seasonal_naive,
    smape,
    volume_forecast,
)
from metrics.registry import REGISTRY

SETTINGS = load_settings()
DAY1 = date(2026, 3, 2)  # a Monday


def test_seasonal_naive_repeats_the_last_observed_week():
    history = np.array([5, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    # The last week is 3, 4, 5, 6, 7, 8, 9; nine days ahead repeat it from its start.
    assert seasonal_naive(history, 9).tolist() == [3, 4, 5, 6, 7, 8, 9, 3, 4]
    with pytest.raises(ValueError, match="7 days"):
        seasonal_naive(np.array([1, 2, 3]), 2)


def test_smape_and_mae_by_hand():
    actual, model, naive = np.array([10.0, 0.0, 5.0]), np.array([8.0, 0.0, 10.0]), np.ones(3)
    # sMAPE: 200 x 2 / 18 = 22.22, 0 (both 0), 200 x 5 / 15 = 66.67 -> mean 29.63 %
    assert smape(actual, model) == pytest.approx((400 / 18 + 1000 / 15) / 3)
    # MAE: (2 + 0 + 5) / 3 = 2.33; naive (9 + 1 + 4) / 3 = 4.67; naive sMAPE:
    # 200 x 9 / 11, 200 x 1 / 1, 200 x 4 / 6 -> mean 149.49 %
    # contacts on the scored days: 10 + 0 + 5 = 15
    assert errors(actual, model, naive) == {
        "n": 3,
        "contacts": 15,
        "mae": pytest.approx(7 / 3),
        "mae_naive": pytest.approx(14 / 3),
        "smape": pytest.approx((400 / 18 + 1000 / 15) / 3),
        "smape_naive": pytest.approx((1800 / 11 + 200 + 800 / 6) / 3),
        "beats_naive": True,
    }
    assert smape(np.array([]), np.array([])) is None


def test_peak_days_are_replaced_by_their_baseline_before_fitting():
    counts = np.array([10.0] * 20 + [100.0] + [10.0] * 5)
    # Day 21: median of the 20 days before = 10, MAD 0 -> threshold 15; 100 is a peak -> 10.
    assert clean_series(counts).tolist() == [10.0] * 26


def synthetic(days: int, seed: int = 0) -> np.ndarray:
    """Weekly seasonality (weekends 30% lower) and a 0.2 contact/day trend, Poisson noise."""
    rng = np.random.default_rng(seed)
    weekday = np.array([1.1, 1.15, 1.1, 1.05, 1.0, 0.75, 0.7])
    mean = (40 + 0.2 * np.arange(days)) * weekday[np.arange(days) % 7]
    return rng.poisson(mean).astype(float)


def test_on_weekly_seasonality_with_a_trend_the_model_beats_seasonal_naive():
    result = backtest(synthetic(168), first_weekday=0, horizon=14, folds=4)
    assert (result.folds, len(result.actual)) == (4, 56)
    mae = np.abs(result.actual - result.model).mean()
    mae_naive = np.abs(result.actual - result.naive).mean()
    # Seasonal naive copies one noisy week; the model averages many, so it errs less.
    assert mae < 0.8 * mae_naive


def test_a_fold_needs_the_history_of_a_fit():
    # horizon 14 needs 28 (look-back) + 14 + 28 - 1 = 69 days before a fold's origin;
    # 84 days: the last fold starts at day 70 (ok), the one before at day 56 (too early).
    assert min_history_days(14) == 69
    assert backtest(synthetic(84), first_weekday=0).folds == 1
    assert backtest(synthetic(60), first_weekday=0).folds == 0


def tickets(counts: list[int], channel: str) -> list[dict]:
    rows = []
    for offset, count in enumerate(counts):
        when = f"{(DAY1 + timedelta(days=offset)).isoformat()} 12:00"
        rows += [ticket(f"{channel}{offset}-{i}", when, channel=channel) for i in range(count)]
    return rows


@pytest.fixture
def wh(make_wh):
    """84 days: chat a noisy weekly pattern with a trend, e-mail 3 a day, social the last 20 days."""
    chat = [int(v) for v in synthetic(84, seed=1) / 4]
    return make_wh(
        {
            "tickets": tickets(chat, "chat")
            + tickets([3] * 84, "email")
            + tickets([0] * 64 + [2] * 20, "social")
        }
    )


def test_the_forecast_has_one_row_per_series_and_day_after_the_data(wh):
    frame = volume_forecast(wh, SETTINGS, Filters(), by="channel")
    assert frame.columns == [
        "channel", "day", "horizon", "forecast", "low", "high", "seasonal_naive", "status", "n",
        "history_days",
    ]  # fmt: skip
    first = DAY1 + timedelta(days=84)  # the day after the last day of data
    assert frame["channel"].to_list() == ["chat"] * 14 + ["email"] * 14 + ["social"] * 14
    assert frame["day"].to_list()[:14] == [first + timedelta(days=d) for d in range(14)]
    assert frame["horizon"].to_list() == list(range(1, 15)) * 3
    assert frame["status"].to_list() == ["ok"] * 28 + ["not enough history"] * 14
    assert frame.select("n", "history_days").unique(maintain_order=True).rows() == [
        (sum(int(v) for v in synthetic(84, seed=1) / 4), 84),
        (252, 84),  # 3 x 84
        (40, 20),  # social starts on its first contact: 20 days of 2
    ]
    chat, email = frame.filter(channel="chat"), frame.filter(channel="email")
    assert (chat["low"] <= chat["high"]).all() and (chat["forecast"] >= 0).all()
    # A constant series is forecast as itself, and seasonal naive repeats its last week.
    assert email["forecast"].to_list() == [3.0] * 14
    assert email["seasonal_naive"].to_list() == [3.0] * 14
    # Too short for a model (20 < 69 days): no forecast, but seasonal naive.
    social = frame.filter(channel="social")
    assert (
        social["forecast"].null_count() == 14 and social["seasonal_naive"].to_list() == [2.0] * 14
    )


def test_the_forecast_is_deterministic(wh):
    once = volume_forecast(wh, SETTINGS, Filters(), by="channel")
    assert once.equals(volume_forecast(wh, SETTINGS, Filters(), by="channel"))
    back = volume_forecast(wh, SETTINGS, Filters(), view="backtest")
    assert back.equals(volume_forecast(wh, SETTINGS, Filters(), view="backtest"))


def test_the_backtest_lists_each_series_and_the_pooled_errors(wh):
    frame = volume_forecast(wh, SETTINGS, Filters(), by="channel", view="backtest")
    # 84 days: one 14-day fold per long series; social has none.
    # e-mail's last 14 days hold 3 x 14 = 42 contacts; chat's are its own last 14 counts
    chat_last = sum(int(v) for v in (synthetic(84, seed=1) / 4)[-14:])
    assert frame.select("channel", "scope", "folds", "n", "contacts").rows() == [
        ("chat", "series", 1, 14, chat_last),
        ("email", "series", 1, 14, 42),
        ("social", "series", 0, 0, 0),
        (None, "overall", 1, 28, chat_last + 42),
    ]
    email = frame.row(1, named=True)
    assert (email["mae"], email["mae_naive"], email["beats_naive"]) == (0.0, 0.0, False)
    social = frame.row(2, named=True)
    assert (social["mae"], social["smape"], social["beats_naive"]) == (None, None, None)
    chat = frame.row(0, named=True)
    overall = frame.row(3, named=True)
    assert overall["mae"] == pytest.approx((chat["mae"] * 14 + 0.0 * 14) / 28)


def test_without_a_breakdown_there_is_one_series_and_one_overall_row(wh):
    assert volume_forecast(wh, SETTINGS, Filters()).height == 14
    assert volume_forecast(wh, SETTINGS, Filters(), horizon=7).height == 7
    back = volume_forecast(wh, SETTINGS, Filters(), view="backtest")
    assert back.select("scope", "folds", "n").rows() == [("overall", 1, 14)]


def test_date_to_ends_the_history(wh):
    frame = volume_forecast(wh, SETTINGS, Filters(date_to=DAY1 + timedelta(days=79)))
    assert (frame["day"][0], frame["history_days"][0]) == (DAY1 + timedelta(days=80), 80)


def test_options_are_checked_and_the_metric_is_registered(wh):
    with pytest.raises(ValueError, match="channel or language"):
        volume_forecast(wh, SETTINGS, Filters(), by="team")
    with pytest.raises(ValueError, match="view"):
        volume_forecast(wh, SETTINGS, Filters(), view="table")
    with pytest.raises(ValueError, match="at least 1"):
        volume_forecast(wh, SETTINGS, Filters(), horizon=0)
    info = REGISTRY["volume_forecast"]
    assert (info.unit, info.options) == ("contacts per day", {"view": ("forecast", "backtest")})
