"""The reference ``language_gaps_by_day`` is checked against: one ``language_gaps`` call per day.

Shared by the hand-made fixture's tests (tests/metrics) and the demo and real-data ones
(tests/facts).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import polars as pl

from metrics.core.filters import Filters
from metrics.core.settings import Settings
from metrics.coverage.gaps import language_gaps


def per_day_calls(wh, settings: Settings, filters: Filters, **options) -> pl.DataFrame:
    """One language_gaps call per day of ``filters``, a day column put in front."""
    frames = []
    for offset in range((filters.date_to - filters.date_from).days + 1):
        day = filters.date_from + timedelta(days=offset)
        one = language_gaps(wh, settings, replace(filters, date_from=day, date_to=day), **options)
        frames.append(one.select(pl.lit(day).alias("day"), pl.all()))
    return pl.concat(frames, how="vertical_relaxed")
