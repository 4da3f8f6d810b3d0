"""Shared shapes of metric results: duration summaries and rates, overall or by group.

Durations are summarised as n, median and p90 in minutes (means hide the long
tail). Rates are ratios of counts over the filtered set, never averages of
per-group ratios, with a Wilson 95% interval because per-agent n is often small.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
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


def count_where(condition: str) -> str:
    """SQL counting the rows where ``condition`` is true, as a BIGINT: the same count as
    ``count(*) FILTER (WHERE condition)``, which DuckDB evaluates far slower when a query
    holds many of them (a headline's 60 aggregates: 2x the time)."""
    return f"CAST(coalesce(count_if({condition}), 0) AS BIGINT)"  # NULL over no rows


def _only(eligible: str, value: str) -> str:
    """``value`` where ``eligible`` holds, else NULL (what FILTER does for count and quantiles,
    which skip NULLs)."""
    return value if eligible == "TRUE" else f"CASE WHEN {eligible} THEN {value} END"


def duration_columns(
    column: str, eligible: str = "TRUE", excluded: dict[str, str] | None = None
) -> dict[str, str]:
    """Name -> SQL aggregate over contact ``c`` of ``duration_summary``: n, the excluded
    counts, median and p90 of ``column`` over the eligible contacts."""
    value = _only(eligible, f"c.{column}")
    return {
        "n": f"count({value})",
        **{name: count_where(cond) for name, cond in (excluded or {}).items()},
        "median": f"quantile_cont({value}, 0.5)",
        "p90": f"quantile_cont({value}, 0.9)",
    }


def rate_columns(hit: str, eligible: str, excluded: dict[str, str] | None = None) -> dict[str, str]:
    """Name -> SQL aggregate over contact ``c`` of ``rate_summary``: n, hits, the excluded
    counts."""
    return {
        "n": count_where(eligible),
        "hits": count_where(f"({eligible}) AND ({hit})"),
        **{name: count_where(cond) for name, cond in (excluded or {}).items()},
    }


def select_list(columns: dict[str, str], prefix: str = "") -> str:
    """``columns`` (name -> SQL) as a select list, each named with ``prefix``."""
    return ", ".join(f"{sql} AS {prefix}{name}" for name, sql in columns.items())


def duration_aggregates(
    column: str, eligible: str = "TRUE", excluded: dict[str, str] | None = None, prefix: str = ""
) -> str:
    """``duration_columns`` as a select list named with ``prefix`` (to put several summaries
    in one query)."""
    return select_list(duration_columns(column, eligible, excluded), prefix)


def rate_aggregates(
    hit: str, eligible: str, excluded: dict[str, str] | None = None, prefix: str = ""
) -> str:
    """``rate_columns`` as a select list named with ``prefix``."""
    return select_list(rate_columns(hit, eligible, excluded), prefix)


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
    return _select(wh, settings, filters, duration_aggregates(column, eligible, excluded), by)


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
    frame = _select(wh, settings, filters, rate_aggregates(hit, eligible, excluded), by)
    frame = frame.with_columns(
        pl.when(pl.col("n") > 0).then(pl.col("hits") / pl.col("n")).otherwise(None).alias("value")
    )
    return with_wilson(frame) if wilson else frame


@dataclass(frozen=True)
class Duration:
    """A duration metric's definition over the contact fact: its column, which contacts are
    eligible, what it counts as excluded. The metric and the headline both read it, so a
    tile and its metric run the same aggregates."""

    column: str
    excluded: dict[str, str] = field(default_factory=dict)
    eligible: str = "TRUE"

    def columns(self) -> dict[str, str]:
        return duration_columns(self.column, self.eligible, self.excluded)

    def summary(
        self, wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
    ) -> pl.DataFrame:
        return duration_summary(
            wh, settings, filters, self.column, by, self.eligible, self.excluded
        )


@dataclass(frozen=True)
class Rate:
    """A rate metric's definition over the contact fact: its hit, its eligible contacts, what
    it counts as excluded (shared by the metric and the headline, as ``Duration``)."""

    hit: str
    eligible: str
    excluded: dict[str, str] = field(default_factory=dict)

    def columns(self) -> dict[str, str]:
        return rate_columns(self.hit, self.eligible, self.excluded)

    def summary(
        self, wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
    ) -> pl.DataFrame:
        return rate_summary(wh, settings, filters, self.hit, self.eligible, by, self.excluded)
