"""The weakest-area rule: material AND distinguishable from noise (metrics.core.compare)."""

from __future__ import annotations

import pytest

from metrics.core.compare import (
    CONTEXT,
    HIGHER,
    LOWER,
    is_material,
    judge_against,
    mean_interval,
    median_interval,
)
from metrics.core.settings import load_settings

SETTINGS = load_settings()  # 5 pp for rates, 20% for durations, 0.25 points for scores


def test_the_median_interval_uses_order_statistics():
    # n = 10: P(Bin(10, 1/2) <= 1) = 11/1024 = 0.0107 <= 0.025 < P(<= 2) = 56/1024 -> j = 2:
    # the interval is x(2) .. x(9)
    assert median_interval([float(v) for v in range(1, 11)]) == (2.0, 9.0)
    # n = 6: P(<= 0) = 1/64 = 0.0156 -> j = 1: the extremes; n = 5: 1/32 = 0.031 -> none
    assert median_interval([5, 1, 4, 2, 6, 3]) == (1.0, 6.0)
    assert median_interval([1, 2, 3, 4, 5]) == (None, None)
    assert median_interval([]) == (None, None)


def test_the_mean_interval_is_student_t():
    # 2, 4: mean 3, sd sqrt(2), t(0.975, 1) = 12.7062 -> 3 +- 12.7062 * sqrt(2) / sqrt(2)
    low, high = mean_interval([2, 4])
    assert (low, high) == (
        pytest.approx(3 - 12.7062, abs=1e-3),
        pytest.approx(3 + 12.7062, abs=1e-3),
    )
    assert mean_interval([3]) == (None, None)


def test_materiality_has_one_threshold_per_unit():
    assert is_material(0.70, 0.75, "share", SETTINGS)  # 5 pp
    assert not is_material(0.722, 0.736, "share", SETTINGS)  # 1.4 pp (the example)
    assert is_material(120.0, 100.0, "minutes", SETTINGS)  # 20% of 100
    assert not is_material(1266.0, 1266.5, "minutes", SETTINGS)  # "21.1 h vs 21.1 h"
    assert is_material(3.0, 3.25, "score 1-5", SETTINGS)
    assert not is_material(3.0, 3.2, "score 1-5", SETTINGS)


@pytest.mark.parametrize(
    ("value", "interval", "reference", "direction", "unit", "n", "verdict", "reason"),
    [
        # the noise: CSAT 72.2% vs 73.6%, n = 18 -> not material
        (0.722, (0.49, 0.88), 0.736, HIGHER, "share", 18, "level",
         "difference below 5 percentage points"),
        # material (20 pp) but the interval holds the team value
        (0.60, (0.36, 0.80), 0.80, HIGHER, "share", 10, "level",
         "within noise: the 95% interval includes the team value"),
        (0.60, (0.52, 0.68), 0.80, HIGHER, "share", 150, "worse",
         "worse than the team: material, and the 95% interval excludes it"),
        (30.0, (25.0, 35.0), 60.0, LOWER, "minutes", 80, "better",
         "better than the team: material, and the 95% interval excludes it"),
        (120.0, (None, None), 60.0, LOWER, "minutes", 4, "level",
         "too few items (n = 4) to tell from noise"),
        (40.0, (None, None), 25.0, CONTEXT, "contacts", 40, "not_judged", "context, not a weakness"),
        (None, (None, None), 0.8, HIGHER, "share", 0, "not_judged", "no data"),
        (0.5, (0.1, 0.9), None, HIGHER, "share", 2, "not_judged", "no comparison group"),
    ],
)  # fmt: skip
def test_judge_against(value, interval, reference, direction, unit, n, verdict, reason):
    judged = judge_against(value, interval, reference, direction, unit, n, SETTINGS)
    assert (judged.verdict, judged.reason) == (verdict, reason)
