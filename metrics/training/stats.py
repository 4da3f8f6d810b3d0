"""Arithmetic of the training difference-in-differences: stratified DiD and the agent bootstrap.

Input is the cell table of ``metrics.training.impact``: per course, cohort x stratum (a *unit*),
agent, side (trained or control) and period (0 = pre, 1 = before, 2 = after), the number of
contacts with each KPI (``n_<kpi>``) and the sum of its values (``s_<kpi>``). Everything
below works on those sums stacked once per bootstrap draw, so a draw costs a matrix product.

Within a unit the DiD is (trained after - trained before) - (control after - control before)
of cell means. Units are weighted by the trained side's contacts in the later window, so the
estimate is the effect on the trained agents' own ticket mix; a unit lacking any of the four
cells is left out (its contacts are reported as ``unmatched``). The same weights give the
four reported levels, so DiD = (TA - TB) - (CA - CB) holds exactly on the printed figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

CONTROL, TRAINED = 0, 1
PRE, BEFORE, AFTER = 0, 1, 2
NOT_ENOUGH = "not enough data"
COUNT_FIELDS = ("n_trained_before", "n_trained_after", "n_control_before", "n_control_after")
LEVEL_FIELDS = ("trained_before", "trained_after", "control_before", "control_after")
EFFECT_FIELDS = ("absolute", "absolute_ci_low", "absolute_ci_high")
RELATIVE_FIELDS = ("relative_pct", "relative_ci_low", "relative_ci_high")
PRETREND_FIELDS = ("pretrend_absolute", "pretrend_ci_low", "pretrend_ci_high", "pretrend_flag")
IMPACT_COLUMNS = (
    "course", "kpi", "unit", "estimator", "status", "cohorts", "trained_agents",
    "control_agents", "n_trained_before", "n_trained_after", "n_control_before",
    "n_control_after", "unmatched", "trained_before", "trained_after", "control_before",
    "control_after", "absolute", "absolute_ci_low", "absolute_ci_high", "relative_pct",
    "relative_ci_low", "relative_ci_high", "pretrend_absolute", "pretrend_ci_low",
    "pretrend_ci_high", "pretrend_flag",
)  # fmt: skip
_TEXT, _FLAG = {"course", "kpi", "unit", "estimator", "status"}, {"pretrend_flag"}
IMPACT_SCHEMA = {
    c: pl.String if c in _TEXT else pl.Boolean if c in _FLAG
    else pl.Int64 if c.startswith(("n_", "cohorts")) or c.endswith(("agents", "unmatched"))
    else pl.Float64
    for c in IMPACT_COLUMNS
}  # fmt: skip


AGENT_SCHEMA: dict[str, Any] = {
    "course": pl.String, "agent_id": pl.String, "name": pl.String, "completed_on": pl.Date,
    "kpi": pl.String, "unit": pl.String, "n_before": pl.Int64, "before": pl.Float64,
    "n_after": pl.Int64, "after": pl.Float64, "change": pl.Float64, "change_pct": pl.Float64,
    "small_sample": pl.Boolean,
}  # fmt: skip


@dataclass(frozen=True)
class Cells:
    """Per agent x unit x side (2) x period (3) x KPI: ``n`` contacts and ``s`` value sums.

    Only units where the trained side has contacts are kept: the others (e.g. languages no
    trained agent serves) can never be compared. ``in_windows`` counts, per KPI, the kept
    units' contacts in the before and after windows; ``present`` (agents x side) whether
    an agent has contacts with a KPI in kept units on that side, ``side_agents`` how many
    agents do (control, trained).
    """

    agents: tuple[str, ...]
    groups: np.ndarray  # per agent: resampling group (side x team)
    n: np.ndarray
    s: np.ndarray
    in_windows: np.ndarray
    present: np.ndarray

    @property
    def side_agents(self) -> tuple[int, int]:
        return int(self.present[:, CONTROL].sum()), int(self.present[:, TRAINED].sum())


def course_cells(frame: pl.DataFrame, kpis: Sequence[str]) -> Cells:
    """The cells of one course (``frame``: its rows of the cell query) for ``kpis``."""
    agents = frame["agent_id"].unique().sort()
    trained_n = pl.sum_horizontal(pl.col(f"n_{kpi}").fill_null(0) for kpi in kpis)
    units = (
        frame.group_by("cohort", "stratum")
        .agg(keep=(trained_n * pl.col("trained")).sum() > 0)
        .filter("keep")
        .sort("cohort", "stratum")
        .select("cohort", "stratum")
    )
    kept = frame.join(
        units.with_row_index("unit"), on=["cohort", "stratum"], how="inner", maintain_order="left"
    )
    shape = (agents.len(), units.height, 2, 3)
    agent = agents.search_sorted(kept["agent_id"]).to_numpy()
    side = kept["trained"].cast(pl.Int64).to_numpy()
    period = kept["period"].cast(pl.Int64).to_numpy()
    # One flat number per row and KPI (cell x KPI, the arrays' layout); bincount adds rows
    # in their order, as np.add.at did, all KPIs in one pass.
    flat = np.ravel_multi_index((agent, kept["unit"].to_numpy(), side, period), shape)
    slots = (flat[:, None] * len(kpis) + np.arange(len(kpis))).ravel()
    size = int(np.prod(shape)) * len(kpis)
    n = _cell_sums(slots, kept, [f"n_{kpi}" for kpi in kpis], size)
    s = _cell_sums(slots, kept, [f"s_{kpi}" for kpi in kpis], size)
    n, s = n.reshape(*shape, len(kpis)), s.reshape(*shape, len(kpis))
    # Both from the rows (a few per cent of the cells): no pass over the whole cell arrays.
    counted = kept.select(pl.col(f"n_{kpi}").fill_null(0) for kpi in kpis).to_numpy()
    in_windows = counted[period >= BEFORE].sum(axis=0).astype(float)
    present = np.zeros((agents.len(), 2), dtype=bool)
    with_kpi = counted.sum(axis=1) > 0
    present[agent[with_kpi], side[with_kpi]] = True
    names = agents.to_list()
    return Cells(tuple(names), resampling_groups(frame, names), n, s, in_windows, present)


def _cell_sums(slots: np.ndarray, rows: pl.DataFrame, columns: list[str], size: int) -> np.ndarray:
    """Per slot (cell x KPI): the sum of ``columns`` (one per KPI, nulls as 0) over ``rows``."""
    values = rows.select(pl.col(c).fill_null(0).cast(pl.Float64) for c in columns).to_numpy()
    return np.bincount(slots, weights=values.ravel(), minlength=size)


def resampling_groups(frame: pl.DataFrame, agents: list[str]) -> np.ndarray:
    """Per agent: a group number for (trained in the course, team of most of its contacts).

    Resampling within side and team keeps each draw's team mix that of the data, so a draw
    never loses a whole language stratum because no agent of that team was drawn.
    """
    per_agent = (
        frame.group_by("agent_id", "team")
        .agg(pl.col("contacts").sum(), pl.col("trained").any())
        .sort("agent_id", "contacts", "team", descending=[False, True, False], nulls_last=True)
        .group_by("agent_id", maintain_order=True)
        .agg(pl.col("team").first(), pl.col("trained").any())
    )
    keys = {a: (bool(t), team or "") for a, team, t in per_agent.iter_rows()}
    codes = {key: i for i, key in enumerate(sorted(set(keys.values())))}
    return np.array([codes[keys[agent]] for agent in agents], dtype=np.intp)


def bootstrap_weights(groups: np.ndarray, draws: int, seed: int) -> np.ndarray:
    """(draws + 1, agents) multiplicities: row 0 all ones (the data), then agents (the unit
    of treatment) resampled with replacement within each group, from a fixed seed.

    A draw picks as many members as the group has, uniformly with replacement (all draws of
    a group at once), and counts how often each was picked.
    """
    rng = np.random.default_rng(seed)
    weights = np.ones((draws + 1, groups.size))
    for group in np.unique(groups):
        members = np.flatnonzero(groups == group)
        if draws:
            size = members.size
            picks = rng.integers(0, size, (draws, size)) + size * np.arange(draws)[:, None]
            counts = np.bincount(picks.ravel(), minlength=draws * size)
            weights[1:, members] = counts.reshape(draws, size)
    return weights


def draw_sums(cells: Cells, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(KPIs, draws + 1, units, 2, 3) contact counts and value sums, one matrix product per
    side over the agents with contacts on that side (the others add only zeros). KPI first:
    each KPI's (draws, units, side, period) block is contiguous, as ``comparison`` reads it
    (written there from the products, no second copy)."""
    kpis = cells.n.shape[-1]
    shape = (kpis, weights.shape[0], *cells.n.shape[1:-1])
    n, s = np.zeros(shape), np.zeros(shape)
    for side in (CONTROL, TRAINED):
        on_side = cells.present[:, side]
        if not on_side.any():
            continue
        both = np.concatenate([cells.n[on_side, :, side], cells.s[on_side, :, side]], axis=-1)
        product = weights[:, on_side] @ both.reshape(both.shape[0], -1)
        product = np.moveaxis(product.reshape(weights.shape[0], *both.shape[1:]), -1, 0)
        n[:, :, :, side], s[:, :, :, side] = product[:kpis], product[kpis:]
    return n, s


def cell_means(n: np.ndarray, s: np.ndarray) -> np.ndarray:
    """``s / n`` per cell, 0 where ``n`` is 0 (computed once for both of a KPI's DiDs)."""
    return np.divide(s, n, out=np.zeros_like(s), where=n > 0)


def did_levels(
    n: np.ndarray, s: np.ndarray, periods: tuple[int, int], means: np.ndarray | None = None
) -> np.ndarray:
    """(draws, 2 sides, 2 periods) mix-adjusted levels of one KPI (``n``, ``s``: draws x
    units x side x period; ``means``: their ``cell_means`` when known); NaN when no unit has
    all four cells."""
    means = (cell_means(n, s) if means is None else means)[..., list(periods)]
    n = n[..., list(periods)]
    positive = n > 0
    complete = positive[:, :, 0, 0] & positive[:, :, 0, 1] & positive[:, :, 1, 0]
    unit_weight = np.where(complete & positive[:, :, 1, 1], n[:, :, TRAINED, 1], 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (
            np.einsum("du,dusp->dsp", unit_weight, means) / unit_weight.sum(axis=1)[:, None, None]
        )


def used_counts(n: np.ndarray, periods: tuple[int, int]) -> tuple[int, ...]:
    """Observed contacts in units with all four cells: TB, TA, CB, CA (``n`` of draw 0)."""
    n = n[:, :, list(periods)]
    used = np.where((n > 0).all(axis=(1, 2))[:, None, None], n, 0).sum(axis=0)
    return tuple(int(used[side, p]) for side in (TRAINED, CONTROL) for p in (0, 1))


def effect_scales(levels: np.ndarray, log_scale: bool) -> tuple[np.ndarray, np.ndarray]:
    """Per draw: the DiD as an absolute change in the KPI's unit and as a relative one (%).

    On a log scale (FRT) the levels are mean logs: absolute = trained after - counterfactual
    in geometric-mean minutes, relative = exp(DiD) - 1. Otherwise absolute = DiD and relative =
    DiD / counterfactual, the counterfactual being trained after - DiD.
    """
    after = levels[:, TRAINED, 1]
    did = after - levels[:, TRAINED, 0] - (levels[:, CONTROL, 1] - levels[:, CONTROL, 0])
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if log_scale:
            return np.exp(after) - np.exp(after - did), np.expm1(did) * 100
        counterfactual = after - did
        return did, np.where(counterfactual != 0, did / counterfactual, np.nan) * 100


def interval(values: np.ndarray) -> tuple[float | None, float | None]:
    """Observed value (row 0) and the 2.5% / 97.5% percentiles of the finite draws."""
    finite = values[1:][np.isfinite(values[1:])]
    if finite.size == 0:
        return None, None
    low, high = np.percentile(finite, [2.5, 97.5])
    return float(low), float(high)


def _value(x: float, log_scale: bool = False) -> float | None:
    if not np.isfinite(x):
        return None
    return float(np.exp(x)) if log_scale else float(x)


def comparison(
    n: np.ndarray, s: np.ndarray, log_scale: bool, min_tickets: int, in_windows: float
) -> dict[str, Any]:
    """One KPI's DiD, interval, counts and pre-trend check, as fields of a result row.

    ``n``, ``s``: draws x units x side x period for the KPI. ``status`` is "not enough data"
    (every figure null) when a side has fewer than ``min_tickets`` contacts, else "ok".
    """
    counts = used_counts(n[0], (BEFORE, AFTER))
    row: dict[str, Any] = dict(zip(COUNT_FIELDS, counts, strict=True))
    row["unmatched"] = int(in_windows) - sum(counts)
    means = cell_means(n, s)
    levels = did_levels(n, s, (BEFORE, AFTER), means)
    absolute, relative = effect_scales(levels, log_scale)
    enough = min(counts) >= min_tickets and np.isfinite(absolute[0])
    row["status"] = "ok" if enough else NOT_ENOUGH
    observed = [levels[0, TRAINED, 0], levels[0, TRAINED, 1], levels[0, CONTROL, 0]]
    observed.append(levels[0, CONTROL, 1])
    for fields, values in (
        (LEVEL_FIELDS, [_value(x, log_scale) for x in observed]),
        (EFFECT_FIELDS, [_value(absolute[0]), *interval(absolute)]),
        (RELATIVE_FIELDS, [_value(relative[0]), *interval(relative)]),
    ):
        row.update(zip(fields, values if enough else [None] * len(fields), strict=True))
    return row | pretrend(n, s, log_scale, min_tickets, means)


def pretrend(
    n: np.ndarray, s: np.ndarray, log_scale: bool, min_tickets: int,
    means: np.ndarray | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The same DiD with pre as "before" and before as "after": flagged when its interval
    excludes zero (null with fewer than ``min_tickets`` contacts on a side, or no draws)."""
    if min(used_counts(n[0], (PRE, BEFORE))) < min_tickets:
        return dict.fromkeys(PRETREND_FIELDS)
    absolute, _ = effect_scales(did_levels(n, s, (PRE, BEFORE), means), log_scale)
    low, high = interval(absolute)
    flag = None if low is None or high is None else bool(low > 0 or high < 0)
    return dict(zip(PRETREND_FIELDS, (_value(absolute[0]), low, high, flag), strict=True))


def before_after(
    before: tuple[float, float], after: tuple[float, float], log_scale: bool, small_sample: int
) -> dict[str, Any]:
    """One agent's KPI from (contacts, value sum) in the windows before and after its own
    completion: levels (geometric mean on a log scale), change, change in %, small_sample."""
    levels = [None if not n else _value(total / n, log_scale) for n, total in (before, after)]
    change = None if None in levels else levels[1] - levels[0]
    return {
        "n_before": int(before[0]),
        "before": levels[0],
        "n_after": int(after[0]),
        "after": levels[1],
        "change": change,
        "change_pct": None if change is None or not levels[0] else change / levels[0] * 100,
        "small_sample": min(before[0], after[0]) < small_sample,
    }
