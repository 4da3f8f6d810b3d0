"""Peak days: days whose contact volume is far above a robust baseline of the days before.

For each day (``created_day`` in the reporting time zone) the baseline is the
median of the previous ``window`` days' contact counts (default 28; days with no
contact count as 0) and the spread is the MAD (median absolute deviation from
that median) scaled by 1.4826, so that ``k`` reads as "standard deviations" for
normal noise. A day is a peak when its count is strictly above
``median + k x max(1.4826 x MAD, 1)``: the floor of one contact keeps a flat
history (MAD 0) from flagging any day one contact above it. The default k = 5
flags the demo's three crash days (about 4x the baseline, 20-40 spreads above
it) and no other day of the period; ordinary days reach at most about 4.6
spreads at scale 0.5 (weekday/weekend rhythm, growth, Poisson noise).

A day with fewer than ``min_history`` previous days in its series (default 14)
has "not enough history" and is never flagged. Each day is annotated with its
three largest categories (share of all that day's contacts; contacts without a
category, such as bot-only chats, count in the share's denominator but are not
ranked; ties go by name).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import polars as pl

from metrics.core.contacts import Warehouse, contacts_table
from metrics.core.filters import Filters
from metrics.core.grouping import GROUPS
from metrics.core.metric import metric
from metrics.core.settings import Settings

MAD_SCALE = 1.4826  # MAD x 1.4826 estimates the standard deviation of normal noise
MIN_SPREAD = 1.0  # contacts: the spread never falls below one contact
TOP_CATEGORIES = 3
# Breakdowns that split contacts into separate daily series (time groups do not).
SERIES_GROUPS = ("agent", "team", "channel", "language", "category", "priority", "source")

DAILY_SQL = """
    SELECT CAST({group} AS VARCHAR) AS grp, c.created_day AS day, count(*) AS n
    FROM {table} AS c WHERE {where}
    GROUP BY ALL ORDER BY grp NULLS LAST, day
"""

TOP_SQL = """
    WITH counted AS (
        SELECT CAST({group} AS VARCHAR) AS grp, c.created_day AS day, c.category, count(*) AS n
        FROM {table} AS c WHERE {where} AND c.category IS NOT NULL
        GROUP BY ALL
    ),
    ranked AS (
        SELECT *, row_number() OVER (PARTITION BY grp, day ORDER BY n DESC, category) AS rank
        FROM counted
    )
    SELECT grp, day, rank, category, n FROM ranked WHERE rank <= $top
"""


@dataclass(frozen=True)
class PeakRule:
    """The baseline of each day of one series: inputs to and result of the peak rule."""

    history_days: np.ndarray  # previous days in the window (int)
    baseline: np.ndarray  # median of the window (NaN without enough history)
    mad: np.ndarray  # unscaled median absolute deviation (NaN without enough history)
    threshold: np.ndarray  # baseline + k x max(1.4826 x MAD, 1) (NaN without enough history)
    is_peak: np.ndarray  # bool


def peak_rule(
    counts: np.ndarray, window: int = 28, k: float = 5.0, min_history: int = 14
) -> PeakRule:
    """Apply the peak rule to one dense daily series (oldest first, one value per day)."""
    values = np.asarray(counts, dtype=float)
    padded = np.concatenate([np.full(window, np.nan), values])
    # Row i holds the ``window`` days before day i (NaN before the series starts).
    windows = np.lib.stride_tricks.sliding_window_view(padded[:-1], window)
    history = np.minimum(np.arange(len(values)), window)
    enough = history >= max(min_history, 1)
    baseline = np.full(len(values), np.nan)
    mad = np.full(len(values), np.nan)
    if enough.any():
        rows = windows[enough]
        baseline[enough] = np.nanmedian(rows, axis=1)
        mad[enough] = np.nanmedian(np.abs(rows - baseline[enough, None]), axis=1)
    threshold = baseline + k * np.maximum(MAD_SCALE * mad, MIN_SPREAD)
    is_peak = enough & (values > np.where(enough, threshold, np.inf))
    return PeakRule(history, baseline, mad, threshold, is_peak)


def series_expr(by: str | None) -> str:
    """SQL for the series key of breakdown ``by`` (NULL for one overall series)."""
    if by is None:
        return "NULL"
    if by not in SERIES_GROUPS:
        raise ValueError(
            f"daily series break down by one of: {', '.join(SERIES_GROUPS)}; got {by!r}"
        )
    return GROUPS[by]


def daily_counts(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """Contacts per series and day up to ``filters.date_to`` (``date_from`` ignored: history).

    Dense: each series runs from its first contact's day to the last day with any contact,
    and days without contacts are 0. Columns: grp, day, n.
    """
    where, params = replace(filters, date_from=None).where(settings.reporting_timezone)
    sql = DAILY_SQL.format(group=series_expr(by), table=contacts_table(wh, settings), where=where)
    sparse = wh.query(sql, params)
    if sparse.is_empty():
        return pl.DataFrame(schema={"grp": pl.String, "day": pl.Date, "n": pl.Int64})
    last = sparse["day"].max()
    firsts = sparse.group_by("grp").agg(pl.col("day").min().alias("first"))
    calendar = firsts.select(
        "grp", pl.date_ranges("first", pl.lit(last), interval="1d").alias("day")
    ).explode("day")
    return (
        calendar.join(sparse, on=["grp", "day"], how="left", nulls_equal=True)
        .with_columns(pl.col("n").fill_null(0))
        .sort("grp", "day", nulls_last=True)
    )


def _top_categories(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None
) -> pl.DataFrame:
    """Per series and day: top_category_1..3 and their counts (wide, one row per day)."""
    where, params = filters.where(settings.reporting_timezone)
    sql = TOP_SQL.format(group=series_expr(by), table=contacts_table(wh, settings), where=where)
    long = wh.query(sql, {**params, "top": TOP_CATEGORIES})
    columns: list[pl.Expr] = []
    for rank in range(1, TOP_CATEGORIES + 1):
        hit = pl.col("rank") == rank
        columns += [
            pl.col("category").filter(hit).first().alias(f"top_category_{rank}"),
            pl.col("n").filter(hit).first().alias(f"_top_n_{rank}"),
        ]
    return long.group_by("grp", "day").agg(columns)


def _apply_rule(series: pl.DataFrame, window: int, k: float, min_history: int) -> pl.DataFrame:
    """The peak rule's columns for every day of every series in ``series`` (grp, day, n)."""
    rules = [
        peak_rule(part["n"].to_numpy(), window, k, min_history)
        for _, part in series.group_by("grp", maintain_order=True)
    ]

    def stacked(name: str, dtype: pl.DataType) -> pl.Series:
        values = [getattr(rule, name) for rule in rules]
        return pl.Series(name, np.concatenate(values) if values else [], dtype=dtype)

    return series.with_columns(
        stacked("history_days", pl.Int64()),
        *(stacked(name, pl.Float64()).fill_nan(None) for name in ("baseline", "mad", "threshold")),
        stacked("is_peak", pl.Boolean()),
    )


def _shape(days: pl.DataFrame, by: str | None) -> pl.DataFrame:
    """Named output columns: status, times_baseline and shares of the top categories."""
    status = (
        pl.when(pl.col("baseline").is_null())
        .then(pl.lit("not enough history"))
        .when(pl.col("is_peak"))
        .then(pl.lit("peak"))
        .otherwise(pl.lit("normal"))
    )
    ratio = pl.when(pl.col("baseline") > 0).then(pl.col("n") / pl.col("baseline"))
    tops: list[str | pl.Expr] = []
    for rank in range(1, TOP_CATEGORIES + 1):
        share = pl.col(f"_top_n_{rank}") / pl.col("n")
        tops += [f"top_category_{rank}", share.alias(f"top_share_{rank}")]
    key = [pl.col("grp").alias(by)] if by else []
    return days.select(
        *key,
        "day",
        "n",
        "history_days",
        "baseline",
        "mad",
        "threshold",
        ratio.alias("times_baseline"),
        "is_peak",
        status.alias("status"),
        *tops,
    )


def _in_period(days: pl.DataFrame, filters: Filters) -> pl.DataFrame:
    start: date = filters.date_from or date.min
    end: date = filters.date_to or date.max
    return days.filter(pl.col("day").is_between(start, end))


def peak_table(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    by: str | None = None,
    window: int = 28,
    k: float = 5.0,
    min_history: int = 14,
) -> pl.DataFrame:
    """Every day of the filtered period with its baseline, threshold, status and top categories."""
    if window < 1 or min_history > window:
        raise ValueError(f"need 1 <= min_history <= window, got {min_history} and {window}")
    series = daily_counts(wh, settings, filters, by)
    ruled = _in_period(_apply_rule(series, window, k, min_history), filters)
    tops = _top_categories(wh, settings, filters, by)
    joined = ruled.join(tops, on=["grp", "day"], how="left", nulls_equal=True)
    return _shape(joined.sort("grp", "day", nulls_last=True), by)


@metric(
    "peak_days",
    label="Peak days",
    unit="contacts per day",
    family="peaks",
    definition=(
        "Days whose contact count (creation day in the reporting time zone) is strictly above "
        "the median of the previous `window` days (default 28) plus k (default 5) x the MAD "
        "scaled by 1.4826 (at least one contact). Each day carries its baseline, how many "
        "times the baseline it was, and its top 3 categories with their share of the day."
    ),
    variant=(
        "view='peaks' (default): the flagged days; view='days': every day of the period with "
        "its baseline and status. Options window, k, min_history."
    ),
    exclusions=(
        "days with fewer than min_history (default 14) previous days in their series: status "
        "'not enough history', never flagged; merged duplicates. The baseline reads days "
        "before the period's start; contacts without a category are not ranked."
    ),
    options={"view": ("peaks", "days")},
)
def peak_days(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    by: str | None = None,
    view: str = "peaks",
    window: int = 28,
    k: float = 5.0,
    min_history: int = 14,
) -> pl.DataFrame:
    """Peak days (or every day): n contacts, baseline, mad, threshold, times_baseline, status.

    Unit: contacts per day. ``by`` splits contacts into one series per agent, team,
    channel, language, category, priority or source, each with its own baseline.
    """
    if view not in ("peaks", "days"):
        raise ValueError(f"view must be 'peaks' or 'days', got {view!r}")
    days = peak_table(wh, settings, filters, by, window, k, min_history)
    return days.filter(pl.col("is_peak")) if view == "peaks" else days
