"""The reference ``daily_figures`` (the alerts' per-day series in one query) is checked
against: the breakdown's values among the filtered contacts (``contact_volume`` by it), then
the metric function by day once per value, the days with n > 0.

Shared by the hand-made fixture's tests (tests/metrics) and the demo and real-data ones
(tests/facts).
"""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from metrics.alerts.series import SCHEMA
from metrics.core.filters import Filters
from metrics.core.settings import Settings
from metrics.operations.volume import contact_volume
from metrics.response.first_response import first_response_time
from metrics.voice.sentiment import sentiment_totals


def _by_day(metric: str, wh, settings: Settings, filters: Filters) -> pl.DataFrame:
    if metric == "contacts":
        frame = contact_volume(wh, settings, filters, by="day")
        return frame.select("day", value=pl.col("contacts").cast(pl.Float64), n="contacts")
    if metric == "frt_median":
        frame = first_response_time(wh, settings, filters, by="day")
        return frame.filter(pl.col("n") > 0).select("day", value="median", n="n")
    frame = sentiment_totals(wh, settings, filters, by="day")
    return frame.filter(pl.col("n") > 0).select("day", value="negative_share", n="n")


def per_group_calls(
    wh, settings: Settings, metric: str, filters: Filters, by: str | None
) -> pl.DataFrame:
    """Columns day, group, value, n sorted by group then day, one metric call per group."""
    if by is None:
        values: list[str | None] = [None]
    else:
        groups = contact_volume(wh, settings, filters, by=by)[by].to_list()
        values = [v for v in groups if v is not None]
    frames = []
    for value in values:
        narrowed = replace(filters, **{by: (value,)}) if by else filters
        frame = _by_day(metric, wh, settings, narrowed)
        frames.append(frame.with_columns(group=pl.lit(value, dtype=pl.String)))
    rows = [row for frame in frames for row in frame.iter_rows(named=True)]
    return pl.DataFrame(rows, schema=SCHEMA).sort("group", "day", nulls_last=True)
