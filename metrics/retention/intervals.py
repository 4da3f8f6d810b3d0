"""95% intervals of the retention gap: Newcombe's hybrid score and a customer-cluster bootstrap."""

from __future__ import annotations

import numpy as np

from metrics.core.aggregate import wilson_interval


def newcombe_interval(good: tuple[int, int], bad: tuple[int, int]) -> tuple[float, float] | None:
    """Newcombe's hybrid score 95% interval of p_good - p_bad from (hits, n) pairs."""
    if not good[1] or not bad[1]:
        return None
    (p1, (l1, u1)), (p2, (l2, u2)) = ((h / n, wilson_interval(h, n)) for h, n in (good, bad))
    return p1 - p2 - float(np.hypot(p1 - l1, u2 - p2)), p1 - p2 + float(np.hypot(u1 - p1, p2 - l2))


def cluster_bootstrap(
    patterns: np.ndarray, customers: np.ndarray, draws: int, seed: int
) -> tuple[float, float] | None:
    """Percentile 95% interval of the gap, resampling customers with all their contacts.

    ``patterns`` rows: n_good, active_good, n_bad, active_bad of a customer; ``customers``: how
    many customers have that row. Customers with equal rows are exchangeable, so resampling
    customers with replacement is a multinomial draw over the patterns.
    """
    total = int(customers.sum())
    if not total:
        return None
    picks = np.random.default_rng(seed).multinomial(total, customers / total, draws)
    sums = picks @ patterns
    with np.errstate(invalid="ignore", divide="ignore"):
        gaps = sums[:, 1] / sums[:, 0] - sums[:, 3] / sums[:, 2]
    gaps = gaps[np.isfinite(gaps)]
    if len(gaps) < 0.9 * draws:
        return None
    low, high = np.quantile(gaps, [0.025, 0.975])
    return float(low), float(high)
