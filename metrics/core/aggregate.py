"""Shared shapes of metric results: duration summaries and rates, overall or by group.

Durations are summarised as n, median and p90 in minutes (means hide the long
tail). Rates are ratios of counts over the filtered set, never averages of
per-group ratios, with a Wilson 95% interval because per-agent n is often small.
"""

from __future__ import annotations

import math
from typing import Any

import polars as pl

from metrics.core.contacts import Warehouse, contacts_table
from metrics.core.filters import Filters
from metrics.core.grouping import group_expr
from metrics.core.settings import Settings

Z95 = 1.959963984540054


def wilson_interval(hits: int, n: int, z: float = Z95) -> tuple[float | None, float | None]:
    """Wilson score interval for a proportion ``hits / n`` (None, None when n is 0)."""
    if n <= 0:
        return None, None
    p = hits / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def with_wilson(frame: pl.DataFrame, hits: str = "hits", n: str = "n") -> pl.DataFrame:
    """Add ``ci_low``/``ci_high`` (Wilson 95%) to a frame of counts."""
    bounds = [
        wilson_interval(int(h or 0), int(k or 0))
        for h, k in zip(frame[hits], frame[n], strict=True)
    ]
    return frame.with_columns(
        pl.Series("ci_low", [b[0] for b in bounds], dtype=pl.Float64),
        pl.Series("ci_high", [b[1] for b in bounds], dtype=pl.Float64),
    )


def _select(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    aggregates: str,
    by: str | None,
    extra_params: dict[str, Any] | None = None,
) -> pl.DataFrame:
    table = contacts_table(wh, settings)
    where, params = filters.where(settings.reporting_timezone)
    params = {**params, **(extra_params or {})}
    group = group_expr(by)
    if group is None:
        sql = f"SELECT {aggregates} FROM {table} AS c WHERE {where}"  # noqa: S608
    else:
        if "$timezone" in group:
            params["timezone"] = settings.reporting_timezone
        sql = (
            f"SELECT {group} AS {by}, {aggregates} FROM {table} AS c WHERE {where}"  # noqa: S608
            f" GROUP BY ALL ORDER BY {by} NULLS LAST"
        )
    return wh.query(sql, params)


def duration_summary(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    column: str,
    by: str | None = None,
    eligible: str = "TRUE",
    excluded: dict[str, str] | None = None,
) -> pl.DataFrame:
    """n, median and p90 (minutes) of ``column`` over eligible contacts, plus excluded counts.

    ``eligible`` is a SQL condition on contact ``c`` (from a fixed list in the calling
    metric); ``excluded`` maps a count's name to the condition it counts.
    """
    counts = "".join(
        f", count(*) FILTER (WHERE {cond}) AS {name}" for name, cond in (excluded or {}).items()
    )
    aggregates = (
        f"count(c.{column}) FILTER (WHERE {eligible}) AS n{counts},"
        f" quantile_cont(c.{column}, 0.5) FILTER (WHERE {eligible}) AS median,"
        f" quantile_cont(c.{column}, 0.9) FILTER (WHERE {eligible}) AS p90"
    )
    return _select(wh, settings, filters, aggregates, by)


def rate_summary(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    hit: str,
    eligible: str,
    by: str | None = None,
    excluded: dict[str, str] | None = None,
    wilson: bool = True,
) -> pl.DataFrame:
    """n (eligible contacts), hits, value = hits / n (null when n is 0), excluded counts, Wilson CI."""
    counts = "".join(
        f", count(*) FILTER (WHERE {cond}) AS {name}" for name, cond in (excluded or {}).items()
    )
    aggregates = (
        f"count(*) FILTER (WHERE {eligible}) AS n,"
        f" count(*) FILTER (WHERE ({eligible}) AND ({hit})) AS hits{counts}"
    )
    frame = _select(wh, settings, filters, aggregates, by)
    frame = frame.with_columns(
        pl.when(pl.col("n") > 0).then(pl.col("hits") / pl.col("n")).otherwise(None).alias("value")
    )
    return with_wilson(frame) if wilson else frame
