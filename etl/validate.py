"""Typing and validation of canonical columns, one reason per problem per row.

Every check yields a String expression that is null when the row is fine and a
sentence a support lead understands when it is not; a row with any reason is
quarantined with all its reasons joined by "; ".
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from etl import normalize, redact, timestamps
from etl.canonical import Column, TableSpec
from etl.columns import ROW
from etl.mapping import Mapping

REASON = "__reason"


@dataclass(frozen=True)
class Typed:
    """Typed canonical columns plus the reasons rows must be quarantined (null = fine)."""

    frame: pl.DataFrame
    reasons: pl.Series


def type_and_check(raw: pl.DataFrame, spec: TableSpec, mapping: Mapping) -> Typed:
    """Turn raw strings into typed columns and collect every row's problems."""
    raw = _apply_nulls(raw, mapping.null_values)
    typed: dict[str, pl.Series] = {ROW: raw[ROW]}
    problems: list[pl.Series] = []
    for name in raw.columns:
        if name == ROW:
            continue
        column = spec.column(name)
        values, problem = _type_column(raw[name], column, mapping)
        typed[name] = values
        problems.append(problem)
    frame = pl.DataFrame(typed)
    problems += _required(raw, spec)
    problems += _order_rules(frame)
    if problems:
        named = [p.alias(f"p{i}") for i, p in enumerate(problems)]
        reasons = pl.DataFrame(named).select(
            pl.concat_str(pl.all(), separator="; ", ignore_nulls=True).alias(REASON)
        )[REASON]
    else:
        reasons = pl.Series(REASON, [None] * frame.height, dtype=pl.String)
    reasons = reasons.replace("", None)
    return Typed(frame, reasons)


def _apply_nulls(raw: pl.DataFrame, null_values: tuple[str, ...]) -> pl.DataFrame:
    nulls = [v.strip() for v in null_values]
    exprs = []
    for name in raw.columns:
        if name == ROW:
            exprs.append(pl.col(ROW))
            continue
        stripped = pl.col(name).str.strip_chars()
        exprs.append(pl.when(stripped.is_in(nulls)).then(None).otherwise(pl.col(name)).alias(name))
    return raw.select(exprs)


def _type_column(
    values: pl.Series, column: Column, mapping: Mapping
) -> tuple[pl.Series, pl.Series]:
    """Typed values and, per row, the reason the value is unusable (or null)."""
    name = column.name
    overrides = mapping.values.get(name, {})
    if column.type == "timestamp":
        parsed = timestamps.parse_timestamps(
            values,
            timezone=mapping.timezone,
            formats=mapping.timestamp_formats,
            day_first=mapping.day_first,
        )
        return parsed, _timestamp_problems(values, parsed, column, mapping)
    if column.type == "date":
        parsed = timestamps.parse_dates(
            values, formats=mapping.timestamp_formats, day_first=mapping.day_first
        )
        return parsed, _unparsed(values, parsed, f"{name} {{}} is not a date")
    if column.type == "int":
        parsed = normalize.parse_int(_override(values, overrides))
        problem = _unparsed(values, parsed, f"{name} {{}} is not a whole number")
        if column.score_range:
            low, high = column.score_range
            bad = parsed.is_not_null() & ((parsed < low) | (parsed > high))
            range_problem = _when(bad, values, f"{name} {{}} is outside {low}-{high}")
            problem = _first(problem, range_problem)
        elif name in ("reopens", "agent_replies"):
            problem = _first(problem, _when(parsed < 0, values, f"{name} {{}} is negative"))
        return parsed, problem
    if column.type == "float":
        parsed = normalize.parse_float(values)
        return parsed, _unparsed(values, parsed, f"{name} {{}} is not a number")
    if column.type == "bool":
        parsed = normalize.parse_bool(_override(values, overrides))
        return parsed, _unparsed(values, parsed, f"{name} {{}} is not yes/no")
    if column.type == "list":
        parsed = normalize.parse_list(values, mapping.list_separator)
        return parsed, pl.Series([None] * len(values), dtype=pl.String)
    return _type_text(values, column, overrides)


def _type_text(
    values: pl.Series, column: Column, overrides: dict[str, str]
) -> tuple[pl.Series, pl.Series]:
    if column.allowed:
        parsed = normalize.normalize_enum(values, column.name, overrides)
        allowed = ", ".join(column.allowed)
        bad = parsed.is_not_null() & ~parsed.is_in(list(column.allowed))
        return parsed, _when(bad, values, f"{column.name} {{}} is not one of: {allowed}")
    parsed = normalize.normalize_text(_override(values, overrides))
    return parsed, pl.Series([None] * len(values), dtype=pl.String)


def _override(values: pl.Series, overrides: dict[str, str]) -> pl.Series:
    if not overrides:
        return values
    return values.str.strip_chars().replace(overrides)


def _timestamp_problems(
    values: pl.Series, parsed: pl.Series, column: Column, mapping: Mapping
) -> pl.Series:
    expected = (
        "format " + " or ".join(mapping.timestamp_formats)
        if mapping.timestamp_formats
        else "ISO 8601 or epoch seconds"
    )
    unparsed = _unparsed(
        values, parsed, f"{column.name} {{}} is not a date-time (expected {expected})"
    )
    implausible = parsed.is_not_null() & ~timestamps.plausible(parsed).fill_null(True)
    out_of_range = _when(
        implausible, values, f"{column.name} {{}} is outside the plausible range 2000 to now"
    )
    return _first(unparsed, out_of_range)


def _unparsed(values: pl.Series, parsed: pl.Series, template: str) -> pl.Series:
    failed = values.is_not_null() & (values.str.strip_chars() != "") & parsed.is_null()
    return _when(failed, values, template)


def _when(mask: pl.Series, values: pl.Series, template: str) -> pl.Series:
    """Reason text where ``mask`` holds: ``template`` with the quoted raw value in place of {}."""
    before, _, after = template.partition("{}")
    flagged = mask.fill_null(False)
    # Redact before cutting: a key or seed phrase pasted into the wrong column must not
    # survive, even in part, in the quarantine reason.
    shown = pl.DataFrame({"m": flagged, "v": values.cast(pl.String)}).select(
        pl.when(pl.col("m")).then(pl.col("v")).alias("v")
    )["v"]
    shown, _ = redact.redact_series(shown)
    frame = pl.DataFrame({"m": flagged, "v": shown.str.slice(0, 60)})
    text = pl.concat_str([pl.lit(before + '"'), pl.col("v").fill_null(""), pl.lit('"' + after)])
    return frame.select(pl.when(pl.col("m")).then(text).otherwise(None).alias("r"))["r"]


def _first(a: pl.Series, b: pl.Series) -> pl.Series:
    return pl.DataFrame({"a": a, "b": b}).select(pl.coalesce("a", "b"))["a"]


def _required(raw: pl.DataFrame, spec: TableSpec) -> list[pl.Series]:
    """A required value that is missing (an unparseable one already has its own reason)."""
    problems = []
    for name in spec.required:
        if name in raw.columns:
            empty = raw[name].is_null() | (raw[name].str.strip_chars() == "")
            problems.append(
                pl.DataFrame({"e": empty}).select(
                    pl.when(pl.col("e")).then(pl.lit(f"{name} is empty")).alias("r")
                )["r"]
            )
    return problems


def _order_rules(frame: pl.DataFrame) -> list[pl.Series]:
    """Times that must come in order: a reply or solve never precedes creation."""
    problems = []
    ordered = (
        ("created_at", "first_response_at"),
        ("created_at", "solved_at"),
        ("starts_at", "ends_at"),
    )
    for early, late in ordered:
        if early in frame.columns and late in frame.columns:
            problems.append(
                frame.select(
                    pl.when(pl.col(late) < pl.col(early))
                    .then(pl.lit(f"{late} is before {early}"))
                    .alias("r")
                )["r"]
            )
    return problems
