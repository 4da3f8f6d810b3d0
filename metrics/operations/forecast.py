"""Volume forecast: contacts per day for the next 14 days, per channel or language, back-tested.

Model: one scikit-learn ``Ridge`` (alpha 1, standardised features) per series, fitted
directly for every horizon: a training row is a forecast origin (the first day to
forecast) and a day 1..horizon after it, with features known at the origin: the
target's weekday (one-hot), the trend (days since the series began), the horizon,
the same weekday in the last week before the origin, and the means of the last 7
and 28 days before it. Peaks must not poison it: the model learns from and is fed a
cleaned series in which every day the peak rule flags (``metrics.operations.peaks``, default
k and window) is replaced by its baseline, the median of the 28 days before it;
errors are always scored against the raw counts.

Baseline: seasonal naive, each day = the same weekday of the last observed week.
Back-test: rolling origin, ``folds`` (default 4) consecutive windows of ``horizon``
days ending at the last day of data (4 x 14 days = the last 8 weeks), each fitted on
the days before it only. Errors per series and overall (pooled over series-days):
MAE (contacts per day) and sMAPE (mean of 200 |a - f| / (|a| + |f|), 0 when both are
0, in percent). The 80% prediction interval adds the 10th and 90th percentiles of
the series' back-test errors to the forecast (never below 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import polars as pl

from metrics.core.contacts import Warehouse
from metrics.core.filters import Filters
from metrics.core.metric import metric
from metrics.core.settings import Settings
from metrics.operations.peaks import daily_counts, peak_rule

FORECAST_BY = ("channel", "language")
LEVEL_DAYS = 28  # the longest look-back of a feature
MIN_ORIGINS = 28  # training origins a fit needs (four weeks of forecast starts)
RIDGE_ALPHA = 1.0
INTERVAL = (0.1, 0.9)  # quantiles of the back-test errors: an 80% interval


def seasonal_naive(history: np.ndarray, horizon: int) -> np.ndarray:
    """Forecast of the ``horizon`` days after ``history``: each = same weekday, last week."""
    last_week = np.asarray(history, dtype=float)[-7:]
    if len(last_week) < 7:
        raise ValueError("seasonal naive needs at least 7 days of history")
    return last_week[np.arange(horizon) % 7]


def min_history_days(horizon: int) -> int:
    """Days of history a model fit needs: the feature look-back, a horizon, enough origins."""
    return LEVEL_DAYS + horizon + MIN_ORIGINS - 1


def clean_series(counts: np.ndarray) -> np.ndarray:
    """``counts`` with every peak day (default peak rule) replaced by its baseline median."""
    values = np.asarray(counts, dtype=float)
    rule = peak_rule(values)
    return np.where(rule.is_peak, rule.baseline, values)


def design(clean: np.ndarray, first_weekday: int, origins: np.ndarray, horizon: int) -> np.ndarray:
    """Feature rows for each origin x day 1..horizon (origin-major), from ``clean`` before it."""
    start, step = origins[:, None], np.arange(horizon)[None, :]
    target = start + step
    sums = np.concatenate([[0.0], np.cumsum(clean)])
    last7 = (sums[start] - sums[start - 7]) / 7
    last28 = (sums[start] - sums[start - LEVEL_DAYS]) / LEVEL_DAYS
    same_weekday = clean[target - 7 * (step // 7 + 1)]
    weekday = np.eye(7)[(first_weekday + target) % 7]
    numeric = [target, np.broadcast_to(step, target.shape), same_weekday]
    numeric += [np.broadcast_to(last7, target.shape), np.broadcast_to(last28, target.shape)]
    flat = np.stack([np.asarray(col, dtype=float).ravel() for col in numeric], axis=1)
    return np.hstack([weekday.reshape(-1, 7), flat])


def model_forecast(clean: np.ndarray, first_weekday: int, origin: int, horizon: int) -> np.ndarray:
    """Ridge forecast of days ``origin .. origin + horizon - 1`` fitted on ``clean[:origin]``."""
    # scikit-learn loads on first use (with scipy): the dashboard's first page needs neither.
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    origins = np.arange(LEVEL_DAYS, origin - horizon + 1)
    features = design(clean, first_weekday, origins, horizon)
    targets = clean[origins[:, None] + np.arange(horizon)[None, :]].ravel()
    model = make_pipeline(StandardScaler(), Ridge(alpha=RIDGE_ALPHA))
    model.fit(features, targets)
    ahead = design(clean[:origin], first_weekday, np.array([origin]), horizon)
    return np.maximum(model.predict(ahead), 0.0)


@dataclass(frozen=True)
class Backtest:
    """Errors of one series over its back-test folds (actual - forecast, pooled)."""

    folds: int
    actual: np.ndarray
    model: np.ndarray
    naive: np.ndarray


def backtest(counts: np.ndarray, first_weekday: int, horizon: int = 14, folds: int = 4) -> Backtest:
    """Rolling-origin back-test: the last ``folds`` windows of ``horizon`` days, each fitted before it."""
    raw = np.asarray(counts, dtype=float)
    clean = clean_series(raw)
    origins = [len(raw) - horizon * f for f in range(folds, 0, -1)]
    origins = [o for o in origins if o >= min_history_days(horizon)]
    parts = [
        (
            raw[o : o + horizon],
            model_forecast(clean, first_weekday, o, horizon),
            seasonal_naive(raw[:o], horizon),
        )
        for o in origins
    ]
    if not parts:
        return Backtest(0, np.array([]), np.array([]), np.array([]))
    actual, model, naive = (np.concatenate(col) for col in zip(*parts, strict=True))
    return Backtest(len(origins), actual, model, naive)


def smape(actual: np.ndarray, forecast: np.ndarray) -> float | None:
    """Mean symmetric absolute percentage error in percent (0 for days where both are 0)."""
    if len(actual) == 0:
        return None
    denominator = np.abs(actual) + np.abs(forecast)
    ratio = np.divide(
        2 * np.abs(actual - forecast), denominator, out=np.zeros_like(denominator),
        where=denominator > 0,
    )  # fmt: skip
    return float(100 * ratio.mean())


def errors(actual: np.ndarray, model: np.ndarray, naive: np.ndarray) -> dict[str, object]:
    """n (days), the contacts on them, MAE and sMAPE of the model and of seasonal naive, and
    whether the model wins on MAE."""
    if len(actual) == 0:
        empty = dict.fromkeys(("mae", "mae_naive", "smape", "smape_naive", "beats_naive"))
        return {"n": 0, "contacts": 0, **empty}
    mae, mae_naive = float(np.abs(actual - model).mean()), float(np.abs(actual - naive).mean())
    return {
        "n": len(actual),
        "contacts": int(actual.sum()),
        "mae": mae,
        "mae_naive": mae_naive,
        "smape": smape(actual, model),
        "smape_naive": smape(actual, naive),
        "beats_naive": mae < mae_naive,
    }


@dataclass(frozen=True)
class SeriesResult:
    """One series: its history, forecast (None when too short), interval and back-test."""

    key: str | None
    first_day: date
    counts: np.ndarray
    forecast: np.ndarray | None
    naive: np.ndarray | None
    low: np.ndarray | None
    high: np.ndarray | None
    test: Backtest


def forecast_series(
    key: str | None, first_day: date, counts: np.ndarray, horizon: int, folds: int
) -> SeriesResult:
    """Forecast, seasonal naive, 80% interval and back-test of one dense daily series."""
    weekday = first_day.weekday()
    test = backtest(counts, weekday, horizon, folds)
    naive = seasonal_naive(counts, horizon) if len(counts) >= 7 else None
    if len(counts) < min_history_days(horizon):
        return SeriesResult(key, first_day, counts, None, naive, None, None, test)
    forecast = model_forecast(clean_series(counts), weekday, len(counts), horizon)
    low = high = None
    if test.folds:
        q_low, q_high = np.quantile(test.actual - test.model, INTERVAL)
        low, high = np.maximum(forecast + q_low, 0.0), np.maximum(forecast + q_high, 0.0)
    return SeriesResult(key, first_day, counts, forecast, naive, low, high, test)


def all_series(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None, horizon: int, folds: int
) -> list[SeriesResult]:
    """Every series of the filtered contacts, forecast and back-tested."""
    if by is not None and by not in FORECAST_BY:
        raise ValueError(f"the forecast breaks down by channel or language, got {by!r}")
    if horizon < 1 or folds < 1:
        raise ValueError(f"horizon and folds must be at least 1, got {horizon} and {folds}")
    series = daily_counts(wh, settings, filters, by)
    return [
        forecast_series(key, part["day"][0], part["n"].to_numpy(), horizon, folds)
        for (key,), part in series.group_by("grp", maintain_order=True)
    ]


FORECAST_SCHEMA = {
    "day": pl.Date, "horizon": pl.Int64, "forecast": pl.Float64, "low": pl.Float64,
    "high": pl.Float64, "seasonal_naive": pl.Float64, "status": pl.String, "n": pl.Int64,
    "history_days": pl.Int64,
}  # fmt: skip
BACKTEST_SCHEMA = {
    "scope": pl.String, "folds": pl.Int64, "n": pl.Int64, "contacts": pl.Int64, "mae": pl.Float64,
    "mae_naive": pl.Float64, "smape": pl.Float64, "smape_naive": pl.Float64,
    "beats_naive": pl.Boolean,
}  # fmt: skip


def _rounded(values: np.ndarray | None, horizon: int) -> list[float | None]:
    return [None] * horizon if values is None else [round(float(v), 1) for v in values]


def _key(by: str | None, key: str | None) -> dict[str, str | None]:
    return {by: key} if by else {}


def forecast_frame(results: list[SeriesResult], by: str | None, horizon: int) -> pl.DataFrame:
    """One row per series and forecast day."""
    rows = []
    for res in results:
        start = res.first_day + timedelta(days=len(res.counts))
        fixed = {
            "status": "ok" if res.forecast is not None else "not enough history",
            "n": int(res.counts.sum()),
            "history_days": len(res.counts),
        }
        values = (res.forecast, res.low, res.high, res.naive)
        columns = zip(*(_rounded(v, horizon) for v in values), strict=True)
        for step, (forecast, low, high, naive) in enumerate(columns):
            rows.append(
                _key(by, res.key)
                | {"day": start + timedelta(days=step), "horizon": step + 1}
                | {"forecast": forecast, "low": low, "high": high, "seasonal_naive": naive}
                | fixed
            )
    return pl.DataFrame(rows, schema=_key_schema(by) | FORECAST_SCHEMA)


def _key_schema(by: str | None) -> dict[str, type[pl.DataType]]:
    return {by: pl.String} if by else {}


def backtest_frame(results: list[SeriesResult], by: str | None) -> pl.DataFrame:
    """Back-test errors per series (with by=) and, pooled over every scored series-day, overall."""
    tests = [res.test for res in results]
    rows = [
        _key(by, res.key)
        | {"scope": "series", "folds": res.test.folds}
        | errors(res.test.actual, res.test.model, res.test.naive)
        for res in (results if by else [])
    ]
    pooled = [
        np.concatenate([[], *(getattr(t, a) for t in tests)]) for a in ("actual", "model", "naive")
    ]
    overall = {"scope": "overall", "folds": max((t.folds for t in tests), default=0)}
    rows.append(_key(by, None) | overall | errors(*pooled))
    return pl.DataFrame(rows, schema=_key_schema(by) | BACKTEST_SCHEMA)


@metric(
    "volume_forecast",
    label="Volume forecast",
    unit="contacts per day",
    family="forecast",
    definition=(
        "Contacts per day for the `horizon` days (default 14) after the last day of data, "
        "per channel or language (by=) or in total: a Ridge regression per series on weekday, "
        "trend, horizon, the same weekday last week and the 7- and 28-day means, fitted on "
        "the series with its peak days replaced by their baseline; an 80% interval from the "
        "back-test errors; beside it seasonal naive (each day = same weekday last week)."
    ),
    variant=(
        "view='forecast' (default): one row per series and day; view='backtest': rolling-origin "
        "back-test over the last `folds` x `horizon` days (default 4 x 14), MAE and sMAPE of "
        "the model and of seasonal naive per series and overall, and whether the model wins; "
        "n = back-tested days, contacts = the contacts on them"
    ),
    exclusions=(
        "series with fewer than 69 days of history (horizon 14) get no model forecast ('not "
        "enough history'); merged duplicates. date_to ends the history; date_from is ignored."
    ),
    options={"view": ("forecast", "backtest")},
)
def volume_forecast(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    by: str | None = None,
    view: str = "forecast",
    horizon: int = 14,
    folds: int = 4,
) -> pl.DataFrame:
    """Forecast contacts per day (unit: contacts), or its back-test beside seasonal naive."""
    if view not in ("forecast", "backtest"):
        raise ValueError(f"view must be 'forecast' or 'backtest', got {view!r}")
    results = all_series(wh, settings, filters, by, horizon, folds)
    if view == "backtest":
        return backtest_frame(results, by)
    return forecast_frame(results, by, horizon)
