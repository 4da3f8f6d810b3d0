"""Match a raw export's columns to canonical ones, as the mapping says or by name."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from etl.canonical import TableSpec
from etl.errors import UnusableInput, safe_name
from etl.mapping import Mapping, normalise_header

ROW = "__row"


@dataclass(frozen=True)
class ColumnPlan:
    """Where each canonical column comes from: an export column or a constant."""

    from_column: dict[str, str]
    from_constant: dict[str, str]

    @property
    def provided(self) -> tuple[str, ...]:
        return tuple(self.from_column) + tuple(self.from_constant)


def plan_columns(
    frame: pl.DataFrame, spec: TableSpec, mapping: Mapping, file_label: str
) -> ColumnPlan:
    """Decide the source of every canonical column; raise UnusableInput when the file cannot fit.

    Explicit mapping entries must name a column that is in the file. Columns the
    mapping does not mention are matched by name (case, spaces, dashes and
    underscores ignored). A required column with no source makes the file unusable.
    """
    present = [c for c in frame.columns if c != ROW]
    by_normalised = {}
    for name in present:
        by_normalised.setdefault(normalise_header(name), name)
    from_column: dict[str, str] = {}
    for canonical in spec.names:
        if canonical in mapping.constants:
            continue
        wanted = mapping.columns.get(canonical)
        if wanted is not None:
            if wanted not in frame.columns:
                raise UnusableInput(
                    f"{file_label}: the mapping {mapping.name} takes {canonical} from column"
                    f" {wanted!r}, which is not in the file; columns found: {_listing(present)}"
                )
            from_column[canonical] = wanted
            continue
        match = by_normalised.get(normalise_header(canonical))
        if match is not None and match not in mapping.columns.values():
            from_column[canonical] = match
    plan = ColumnPlan(from_column, dict(mapping.constants))
    missing = [c for c in spec.required if c not in plan.provided and c not in mapping.absent]
    if missing:
        hint = " (or name it in a mapping with --mapping)"
        raise UnusableInput(
            f"{file_label}: required column {missing[0]!r} for {spec.kind} is missing{hint};"
            f" columns found: {_listing(present)}"
        )
    return plan


def select_canonical(frame: pl.DataFrame, plan: ColumnPlan) -> pl.DataFrame:
    """Frame of raw strings named canonically: ``__row`` plus every provided column.

    Built from the columns as they are: a select would first copy every chunk of a
    freshly read file into one (a fifth of a second per million rows).
    """
    columns = [frame[ROW]]
    columns += [frame[src].cast(pl.String).alias(dst) for dst, src in plan.from_column.items()]
    columns += [
        pl.repeat(value, frame.height, dtype=pl.String, eager=True).alias(dst)
        for dst, value in plan.from_constant.items()
    ]
    return pl.DataFrame(columns)


def _listing(names: list[str], limit: int = 12) -> str:
    """Column names for an error line: redacted (a headerless export's first row may hold a
    secret) and cut to 40 characters each."""
    shown = ", ".join(repr(safe_name(n)) for n in names[:limit])
    more = len(names) - limit
    return shown + (f" and {more} more" if more > 0 else "") if names else "(none)"
