"""Is a figure worse than its comparison group? Only when the difference is material AND
distinguishable from noise.

The rule behind the scorecard's "weakest areas" (and issue 16's quality categories):

1. nothing to judge: no value (n = 0: "no data"), a figure that is context rather than
   quality (volume), no comparison group (no team, or the agent is its only member), or a
   period whose figures are still moving (see ``metrics.core.provisional``);
2. *material*: the difference reaches the threshold in settings ``[scorecard]`` for the
   figure's unit (5 percentage points for rates, 20% of the team value for durations, 0.25
   points for mean scores);
3. *distinguishable from noise*: the figure's own 95% interval excludes the team value
   (Wilson for rates, the distribution-free order-statistic interval for medians, a
   t interval for means).

Only when 2 and 3 both hold is the figure "worse" (or "better"); otherwise it is "level",
with the reason in words. Public: :func:`judge_against`, :func:`median_interval`,
:func:`mean_interval`, :func:`is_material`.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from metrics.core.settings import Settings

Verdict = Literal["worse", "better", "level", "not_judged"]
LOWER, HIGHER, CONTEXT = "lower-is-better", "higher-is-better", "context"
Interval = tuple[float | None, float | None]


@dataclass(frozen=True)
class Judgement:
    """A verdict on one figure against its comparison group, and why, in words."""

    verdict: Verdict
    reason: str


def median_interval(values: Sequence[float], confidence: float = 0.95) -> Interval:
    """Distribution-free interval for the median: order statistics x(j) and x(n+1-j) with
    the largest j such that P(Binomial(n, 1/2) < j) <= (1 - confidence) / 2. (None, None)
    when n is too small for any such j (n < 6 at 95%)."""
    from scipy import stats  # imported on first use: the first page needs no interval

    ordered = sorted(v for v in values if v is not None)
    n = len(ordered)
    if n == 0:
        return None, None
    j = int(stats.binom.ppf((1 - confidence) / 2, n, 0.5))
    # ppf gives the smallest k with P(X <= k) >= alpha/2; x(k) (1-based) has P(X < k) < alpha/2.
    while j > 0 and stats.binom.cdf(j - 1, n, 0.5) > (1 - confidence) / 2:
        j -= 1
    if j < 1:
        return None, None
    return float(ordered[j - 1]), float(ordered[n - j])


def mean_interval(values: Sequence[float], confidence: float = 0.95) -> Interval:
    """Student t interval for the mean; (None, None) with fewer than 2 values."""
    from scipy import stats  # imported on first use: the first page needs no interval

    data = [float(v) for v in values if v is not None]
    if len(data) < 2:
        return None, None
    mean, sd = statistics.fmean(data), statistics.stdev(data)
    half = float(stats.t.ppf((1 + confidence) / 2, len(data) - 1)) * sd / math.sqrt(len(data))
    return mean - half, mean + half


def _unit_kind(unit: str) -> str:
    if unit == "share":
        return "share"
    if unit == "minutes":
        return "minutes"
    return "score" if unit.startswith("score") else "other"


def is_material(value: float, reference: float, unit: str, settings: Settings) -> bool:
    """Whether |value - reference| reaches the settings' threshold for ``unit``."""
    diff, kind = abs(value - reference), _unit_kind(unit)
    if kind == "share":
        return diff * 100 >= settings.material_share_points - 1e-9
    if kind == "minutes":
        return diff >= settings.material_duration_share * abs(reference) and diff > 0
    if kind == "score":
        return diff >= settings.material_score - 1e-9
    return False


def threshold_words(unit: str, settings: Settings) -> str:
    """The materiality threshold of ``unit`` in words."""
    kind = _unit_kind(unit)
    if kind == "share":
        return f"{settings.material_share_points:g} percentage points"
    if kind == "minutes":
        return f"{settings.material_duration_share:.0%} of the team value"
    return f"{settings.material_score:g} points"


def judge_against(
    value: float | None,
    interval: Interval,
    reference: float | None,
    direction: str,
    unit: str,
    n: int,
    settings: Settings,
) -> Judgement:
    """The verdict on ``value`` (its 95% ``interval``, its ``n``) against ``reference`` (the
    comparison group's value, None when there is no group); ``direction`` is LOWER, HIGHER
    or CONTEXT (volume: never a weakness)."""
    if direction == CONTEXT:
        return Judgement("not_judged", "context, not a weakness")
    if not n or value is None:
        return Judgement("not_judged", "no data")
    if reference is None:
        return Judgement("not_judged", "no comparison group")
    low, high = interval
    if low is None or high is None:
        return Judgement("level", f"too few items (n = {n}) to tell from noise")
    if not is_material(value, reference, unit, settings):
        return Judgement("level", f"difference below {threshold_words(unit, settings)}")
    if low <= reference <= high:
        return Judgement("level", "within noise: the 95% interval includes the team value")
    worse = value > reference if direction == LOWER else value < reference
    side = "worse" if worse else "better"
    return Judgement(side, f"{side} than the team: material, and the 95% interval excludes it")
