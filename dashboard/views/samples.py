"""Groups too small to conclude from: a rate or score per agent, channel or week drawn on a
handful of items reads as a verdict ("this agent is worse") that the sample cannot carry.
Such groups are left out of the chart and named in a sentence (settings' small_sample)."""

from __future__ import annotations

import polars as pl


def _counts(ns: list[int]) -> str:
    """ "2, 29" for a few groups, "1 to 4" for many."""
    if len(ns) <= 5:
        return ", ".join(f"{n:,}" for n in ns)
    return f"{min(ns):,} to {max(ns):,}"


def enough_groups(
    rates: pl.DataFrame, min_n: int, what: str = "scored contacts", groups: str = "group"
) -> tuple[pl.DataFrame, str]:
    """The rows of ``rates`` (a column ``n``) with at least ``min_n`` items (and at least one),
    and a sentence naming those left out as too few to conclude from ("" when none)."""
    enough = rates.filter(pl.col("n") >= max(min_n, 1))
    few = rates.filter((pl.col("n") > 0) & (pl.col("n") < min_n))
    if few.is_empty():
        return enough, ""
    left = f"{few.height:,} {groups}{'s' if few.height > 1 else ''}"
    return enough, (
        f"Not enough data: {left} with fewer than {min_n} {what} "
        f"(n = {_counts(few['n'].to_list())}) not drawn."
    )


def no_breakdown(rates: pl.DataFrame, group: str) -> str:
    """ "No contact has a {group}: ..." when every row with items has no ``group`` value (the
    breakdown would be one "(none)" bar, the total again), else ""."""
    judged = rates.filter(pl.col("n") > 0)
    if judged.is_empty() or judged[group].null_count() < judged.height:
        return ""
    return f"No breakdown by {group}: none of these contacts has one (see Data health)."
