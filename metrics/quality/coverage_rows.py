"""Which rubric categories the automatic scorer judges in at least one language."""

from __future__ import annotations

from metrics.quality.scoring.coverage import FAILURES_KEPT, SCORED


def scored_categories() -> frozenset[str]:
    """Categories with trusted verdicts somewhere (SCORED), plus those whose failures are
    shown where not scored (FAILURES_KEPT): a pass rate of these would only count failures,
    so they are left out."""
    return frozenset(name for name, languages in SCORED.items() if languages) - FAILURES_KEPT
