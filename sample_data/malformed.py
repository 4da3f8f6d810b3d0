"""Planted malformed rows: the ~0.2% of every export a loader must quarantine, counted exactly.

Each bad row is a copy of a real row with one defect (missing id, unreadable
date, reply before creation, score 9, unknown channel, conflicting duplicate
...), inserted just before the row it copies. The real rows stay intact, so
the loaded data is exactly the clean data, and a duplicate always comes first
and is older, which is the copy the loader quarantines.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import polars as pl

from sample_data import effects as fx

Mutation = Callable[[pl.DataFrame], pl.DataFrame]
BROKEN = "__broken"  # rows an NDJSON writer cuts in half (not JSON at all)
_FRESH_ID_BASE = 990_000_000


def set_value(column: str, value: str | int | None) -> Mutation:
    """The column holds ``value`` (None = empty) instead of its real content."""
    return lambda rows: rows.with_columns(pl.lit(value).cast(rows.schema[column]).alias(column))


def fresh_ids(column: str) -> Mutation:
    """New ids no real row has, so the copy is not a duplicate of its source."""

    def mutate(rows: pl.DataFrame) -> pl.DataFrame:
        fresh = pl.Series(np.arange(rows.height) + _FRESH_ID_BASE).cast(pl.String)
        return rows.with_columns(fresh.cast(rows.schema[column]).alias(column))

    return mutate


def earlier(column: str) -> Mutation:
    """A year earlier (text timestamp starting with the year), so a duplicate is the older copy."""
    return lambda rows: rows.with_columns(pl.col(column).str.replace("^2026", "2025").alias(column))


def broken_json(rows: pl.DataFrame) -> pl.DataFrame:
    """Marks the row to be written as a cut-off, unparseable line."""
    return rows.with_columns(pl.lit(True).alias(BROKEN))


def chain(*steps: Mutation) -> Mutation:
    """Several changes to the same copied rows."""

    def mutate(rows: pl.DataFrame) -> pl.DataFrame:
        for step in steps:
            rows = step(rows)
        return rows

    return mutate


def plant(
    rng: np.random.Generator,
    frame: pl.DataFrame,
    mutations: Sequence[Mutation],
    eligible: pl.Series | None = None,
) -> tuple[pl.DataFrame, int]:
    """``frame`` with max(1, round(0.2%)) bad copies inserted; returns it and the count.

    Mutations are used in turn, so every kind of defect appears. ``eligible``
    limits which real rows may be copied (e.g. rows that have the column a defect needs).
    """
    pool = np.flatnonzero(eligible.to_numpy()) if eligible is not None else np.arange(frame.height)
    count = min(len(pool), max(1, round(fx.MALFORMED_SHARE * frame.height)))
    sources = np.sort(rng.choice(pool, size=count, replace=False))
    kind = np.arange(count) % len(mutations)
    rng.shuffle(kind)
    base = frame.with_columns(
        pl.lit(False).alias(BROKEN), pl.Series("__pos", np.arange(frame.height) * 2 + 1)
    )
    parts = [base]
    for k, mutate in enumerate(mutations):
        src = sources[kind == k]
        if len(src):
            rows = mutate(base[src]).with_columns(pl.Series("__pos", src * 2))
            parts.append(rows)
    out = pl.concat(parts, how="vertical").sort("__pos").drop("__pos")
    return out, count


def without_marks(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame without the planting's helper column."""
    return frame.drop(BROKEN, strict=False)
