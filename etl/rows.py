"""What every reader returns per record: cells as text, a record number, rejects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

ROW = "__row"
EXPECTED = "expected a CSV, TSV, JSON, NDJSON, Parquet or XLSX export"  # ends "unusable" lines


@dataclass(frozen=True)
class Reject:
    """A record that could not be split into fields, kept for the quarantine table."""

    row_number: int
    raw: str
    reason: str


def header_names(raw: Sequence[str | None]) -> list[str]:
    """Header names stripped; blanks become "column N", repeats "name (2)", "name (3)"."""
    seen, names = {ROW}, []
    for position, name in enumerate(raw, start=1):
        base = (name or "").strip() or f"column {position}"
        unique, copy = base, 1
        while unique in seen:
            copy += 1
            unique = f"{base} ({copy})"
        seen.add(unique)
        names.append(unique)
    return names


def finish(
    frame: pl.DataFrame,
    header: Sequence[str | None],
    rows: Sequence[int],
    *,
    empties_are_null: bool = False,
) -> pl.DataFrame:
    """Name the columns (by position), turn empty cells into nulls and add the record numbers.

    ``empties_are_null`` says the reader already made every empty cell null (and every
    column text), so only the names and record numbers are left to do.
    """
    names = header_names(header)
    if empties_are_null:
        frame = frame.select(pl.col(c).alias(n) for c, n in zip(frame.columns, names, strict=True))
    else:
        cells = (pl.col(c).cast(pl.String) for c in frame.columns)
        frame = frame.select(
            pl.when(c != "").then(c).alias(n) for c, n in zip(cells, names, strict=True)
        )
    if isinstance(rows, range):  # built in Rust, not from a million Python ints
        numbers = pl.int_range(rows.start, rows.stop, rows.step, dtype=pl.Int64, eager=True)
    else:
        numbers = pl.Series(rows, dtype=pl.Int64)
    return frame.with_columns(numbers.alias(ROW))
