"""Training impact recovers the demo's planted course effect (a) and finds none for the placebo.

Planted (sample_data/effects.py): "De-escalation & security", 5 of 10 en and 3 of 6 es agents,
2026-07-06: FRT x0.75 (-25%) and mean CSAT +0.4 on their tickets after completion. Placebo
"Wallet 6.0 product update", 6 of 10 zh agents, 2026-08-10: no effect.

Window: the shared demo is scale 0.5, so the default 28-day windows hold ~450 FRT contacts a
side; the FRT DiD then has a bootstrap standard error of ~7 points (it reads -34%, interval
-44% .. -14%), too wide to pin a 5-point recovery on. 56-day windows hold as many contacts as
28 days at scale 1 (where the default window reads -22%), so the recovery tests use them;
the default window is checked for what it can show: an FRT interval excluding zero.
"""

from __future__ import annotations

import statistics
from typing import Any

import polars as pl
import pytest

from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.training.impact import training_agent_before_after, training_impact
from sample_data import effects as fx
from warehouse.reader import ReadOnlyWarehouse

SETTINGS = load_settings()
RECOVERY_WINDOW = 56


@pytest.fixture(scope="module")
def wh(demo_db) -> ReadOnlyWarehouse:
    return ReadOnlyWarehouse(demo_db)


@pytest.fixture(scope="module")
def impact(wh) -> dict[int, dict[tuple[str, str], dict[str, Any]]]:
    """Results per window: (course, kpi) -> row."""
    out = {}
    for window in (28, RECOVERY_WINDOW):
        frame = training_impact(wh, SETTINGS, Filters(), window_days=window)
        out[window] = {(r["course"], r["kpi"]): r for r in frame.iter_rows(named=True)}
    return out


def test_frt_effect_recovered_within_5_points_with_an_interval_excluding_zero(impact):
    frt = impact[RECOVERY_WINDOW][(fx.TRAINING_COURSE, "frt")]
    planted = (fx.TRAINED_FRT_MULTIPLIER - 1) * 100  # -25%
    assert frt["status"] == "ok"
    assert abs(frt["relative_pct"] - planted) <= 5, frt  # reads -28.5%
    assert frt["relative_ci_high"] < 0 and frt["absolute_ci_high"] < 0
    assert frt["pretrend_flag"] is False
    default = impact[28][(fx.TRAINING_COURSE, "frt")]
    assert default["relative_ci_high"] < 0 and default["pretrend_flag"] is False


def test_csat_effect_recovered(impact):
    # The bootstrap interval is ~0.8 points wide here (SE ~0.2): a tolerance tighter than one
    # standard error cannot be justified, so +0.4 +- 0.2, with the interval above zero and
    # containing the planted size.
    csat = impact[RECOVERY_WINDOW][(fx.TRAINING_COURSE, "csat")]
    assert abs(csat["absolute"] - fx.TRAINED_CSAT_POINTS) <= 0.2, csat  # reads +0.46
    assert 0 < csat["absolute_ci_low"] <= fx.TRAINED_CSAT_POINTS <= csat["absolute_ci_high"]


@pytest.mark.parametrize("window", [28, RECOVERY_WINDOW])
def test_placebo_course_interval_includes_zero_for_every_kpi(impact, window):
    rows = {
        kpi: row for (course, kpi), row in impact[window].items() if course == fx.PLACEBO_COURSE
    }
    assert set(rows) == {"frt", "fcr", "csat", "sentiment"}
    for kpi, row in rows.items():
        assert row["status"] == "ok"
        assert row["absolute_ci_low"] <= 0 <= row["absolute_ci_high"], (kpi, row)
        assert row["relative_ci_low"] <= 0 <= row["relative_ci_high"], (kpi, row)


def test_counts_and_sides_match_the_planted_cohorts(impact):
    frt = impact[28][(fx.TRAINING_COURSE, "frt")]
    # 8 trained (5 en + 3 es); the controls that share their strata are the other 5 + 3
    assert (frt["cohorts"], frt["trained_agents"], frt["control_agents"]) == (1, 8, 8)
    assert min(frt[f"n_{side}"] for side in ("trained_before", "trained_after")) > 400


def test_each_trained_agent_before_and_after(wh):
    frame = training_agent_before_after(wh, SETTINGS, Filters(), course=fx.TRAINING_COURSE)
    frt = frame.filter(pl.col("kpi") == "frt")
    assert frt.height == 8 and frame.height == 8 * 4
    assert set(frt["completed_on"].to_list()) == {fx.TRAINING_DATE}
    assert frt["n_before"].min() > 30 and frt["n_after"].min() > 30
    # not mix-adjusted, so single agents vary, but the typical trained agent is faster after
    assert statistics.median(frt["change_pct"].to_list()) < 0
