"""Presentation helpers: readable ages and load-status tones."""

from __future__ import annotations

import polars as pl
import pytest

from dashboard.tables import age_text, status_tone


def test_ages_read_as_minutes_hours_or_days():
    hours = pl.Series("h", [None, -0.01, 0.004, 0.75, 5.04, 47.9, 49.0, 7765.1])
    assert pl.select(age_text(pl.lit(hours))).to_series().to_list() == [
        None, "under 1 min", "under 1 min", "45 min", "5.0 h", "47.9 h", "2 d", "324 d",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("status", "tone"),
    [
        ("ok", "good"),
        ("ok with quarantine", "warn"),
        ("empty", "warn"),
        ("rejected", "bad"),
        ("odd", None),
    ],  # fmt: skip
)
def test_load_statuses_get_a_tone(status, tone):
    assert status_tone(status) == tone
