"""Provisional periods on pages: mark the buckets of a trend that are still moving, and say so.

The rule is ``metrics.core.provisional``; this module only caches the warehouse's lags and
writes the caption under a chart that has provisional buckets.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import data
from metrics.core.filters import Filters
from metrics.core.provisional import Settling, mark_provisional, period_provisional, settling
from metrics.core.settings import Settings

LEGEND = "pale hatched bars and dotted hollow points"


def state(settings: Settings) -> Settling:
    """How long figures keep moving in this warehouse (cached per warehouse version)."""
    return data.cached(settling, settings)


def marked(
    frame: pl.DataFrame, bucket: str, metric: str, settings: Settings, filters: Filters
) -> pl.DataFrame:
    """``frame`` (one row per ``bucket`` start in column ``bucket``) with ``provisional``
    and ``provisional_reason`` for ``metric``."""
    return mark_provisional(frame, bucket, bucket, state(settings), metric, settings, filters)


def caption(frame: pl.DataFrame) -> None:
    """Under a chart with provisional buckets: which ones and why (nothing otherwise)."""
    if "provisional" not in frame.columns or not frame["provisional"].any():
        return
    reasons = frame.filter(pl.col("provisional"))["provisional_reason"].unique(maintain_order=True)
    st.caption(
        f"◌ Provisional ({LEGEND}), never a basis for a conclusion: "
        + "; ".join(reasons.to_list())
        + "."
    )


def period_reason(filters: Filters, metric: str, settings: Settings) -> str:
    """Why the period's ``metric`` figure is still moving ("" when it has settled)."""
    return period_provisional(filters, state(settings), metric, settings) or ""
