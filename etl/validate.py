"""Typing and validation of canonical columns, one reason per problem per row.

Every check yields a mask that holds where a row's value is unusable, and a
sentence a support lead understands; a row with any reason is quarantined with
all its reasons joined by "; ".

Speed (a million rows is the benchmark): columns are typed two at a time in
threads (polars releases the GIL); a column with few distinct values is typed
once per distinct value and spread back with a join; timestamps in a common exact
shape are read in one vectorised pass, only the rest by the full cascade; reason
sentences are written only for the rows a mask flags.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import NamedTuple

import polars as pl

from etl import normalize, redact, timestamps
from etl.canonical import Column, TableSpec
from etl.columns import ROW
from etl.mapping import Mapping

REASON = "__reason"
_ORDERED = (
    ("created_at", "first_response_at"),
    ("created_at", "solved_at"),
    ("starts_at", "ends_at"),
)
_SAMPLE = 20_000  # rows looked at to tell whether a column has few distinct values
_FEW = 0.05  # at most this share of distinct values in the sample: type per distinct value


@dataclass(frozen=True)
class Typed:
    """Typed canonical columns plus the reasons rows must be quarantined (null = fine), and
    each reason's pattern: the same sentences with every quoted value as "…" (how the load
    report and Data health group them, see warehouse.reasons)."""

    frame: pl.DataFrame
    reasons: pl.Series
    patterns: pl.Series


class Check(NamedTuple):
    """Where a problem holds, its sentence (``{}`` for each quoted raw value, in the order of
    the problem's columns) and whether those values were read as their type (a date-time
    out of range, a negative number): such a value cannot hold a pasted secret and is
    quoted as it is; any other value is redacted before it is quoted."""

    mask: pl.Series
    template: str
    typed: bool = False


@dataclass(frozen=True)
class _Column:
    """One column typed: values, its checks in order (the first that holds is its reason)
    and where its value is missing."""

    typed: pl.Series
    checks: list[Check]
    empty: pl.Series


# A problem: its checks (the first that holds on a row is the row's sentence) and the
# columns whose raw values the sentences quote.
Problem = tuple[list[Check], tuple[str, ...]]


def type_and_check(raw: pl.DataFrame, spec: TableSpec, mapping: Mapping) -> Typed:
    """Turn raw strings into typed columns and collect every row's problems."""
    nulls = [v.strip() for v in mapping.null_values]
    names = [n for n in raw.columns if n != ROW]
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(lambda n: _column(raw[n], spec.column(n), mapping, nulls), names))
    columns = dict(zip(names, done, strict=True))
    frame = pl.DataFrame([raw[ROW], *(columns[n].typed.alias(n) for n in names)])
    problems: list[Problem] = [(columns[n].checks, (n,)) for n in names if columns[n].checks]
    for name in spec.required:
        if name in columns:
            problems.append(([Check(columns[name].empty, f"{name} is empty")], ()))
    for early, late in _ORDERED:
        if early in columns and late in columns:
            before = (frame[late] < frame[early]).fill_null(False)
            sentence = f"{late} {{}} is before {early} {{}}"
            problems.append(([Check(before, sentence, typed=True)], (late, early)))
    return Typed(frame, *_reasons(problems, raw, nulls))


def _column(values: pl.Series, column: Column, mapping: Mapping, nulls: list[str]) -> _Column:
    """Type one column, once per distinct value when it has few and typing is not trivial."""
    plain_text = (
        column.type == "text" and not column.allowed and not mapping.values.get(column.name)
    )
    if column.type == "timestamp" or plain_text:
        return _type_column(values, column, mapping, nulls)
    sample = values.head(_SAMPLE)
    if sample.n_unique() > _FEW * max(sample.len(), 1):
        return _type_column(values, column, mapping, nulls)
    codes, distinct = _codes(values, sample)
    # The distinct values, then null (code len(distinct)): typed once each, gathered per row.
    result = _type_column(distinct.extend_constant(None, 1), column, mapping, nulls)
    codes = codes.fill_null(distinct.len())
    checks = [check._replace(mask=check.mask.gather(codes)) for check in result.checks]
    return _Column(
        result.typed.gather(codes).alias(values.name), checks, result.empty.gather(codes)
    )


def _codes(values: pl.Series, sample: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Each value's position among the distinct non-null values (null for null), and those.

    The sample's values are usually nearly all there are; the rest are added and cast again.
    """
    distinct = sample.drop_nulls().unique(maintain_order=True)
    codes = values.cast(pl.Enum(distinct), strict=False).to_physical()
    missing = codes.is_null() & values.is_not_null()
    if missing.any():
        more = values.filter(missing).unique(maintain_order=True)
        distinct = distinct.extend(more)
        codes = values.cast(pl.Enum(distinct)).to_physical()
    return codes, distinct


def _cleaned(values: pl.Series, nulls: list[str]) -> pl.Series:
    """The raw cells, null where one is among the mapping's null values."""
    if not nulls:
        return values
    return values.set(values.str.strip_chars().is_in(nulls), None)


def _blank(values: pl.Series) -> pl.Series:
    return values.is_null() | (values.str.strip_chars() == "")


def _type_column(raw: pl.Series, column: Column, mapping: Mapping, nulls: list[str]) -> _Column:
    """Typed values, checks and emptiness of one column (or of its distinct values)."""
    name = column.name
    if column.type == "timestamp":
        return _type_timestamps(raw, column, mapping, nulls)
    overrides = mapping.values.get(name, {})
    if column.type == "text" and not column.allowed and not overrides:
        text = raw.str.strip_chars()  # what nulls, the override and normalize_text come to
        typed = text.set(text.is_in([*nulls, ""]), None)
        return _Column(typed, [], typed.is_null())
    values = _cleaned(raw, nulls)
    empty = _blank(values)
    if column.type == "date":
        parsed = timestamps.parse_dates(
            values, formats=mapping.timestamp_formats, day_first=mapping.day_first
        )
        return _Column(
            parsed, [Check(~empty & parsed.is_null(), f"{name} {{}} is not a date")], empty
        )
    if column.type == "int":
        return _type_int(values, empty, column, overrides)
    if column.type in ("float", "bool"):
        parsed = (
            normalize.parse_float(_override(values, overrides))
            if column.type == "float"
            else normalize.parse_bool(_override(values, overrides))
        )
        what = "a number" if column.type == "float" else "yes/no"
        checks = [Check(~empty & parsed.is_null(), f"{name} {{}} is not {what}")]
        if column.value_range:
            low, high = column.value_range
            bad = parsed.is_not_null() & ((parsed < low) | (parsed > high))
            checks.append(Check(bad, f"{name} {{}} is outside {low:g}-{high:g}"))
        return _Column(parsed, checks, empty)
    if column.type == "list":
        return _Column(normalize.parse_list(values, mapping.list_separator), [], empty)
    if column.allowed:
        parsed = normalize.normalize_enum(values, name, overrides)
        bad = parsed.is_not_null() & ~parsed.is_in(list(column.allowed))
        allowed = ", ".join(column.allowed)
        return _Column(parsed, [Check(bad, f"{name} {{}} is not one of: {allowed}")], empty)
    return _Column(normalize.normalize_text(_override(values, overrides)), [], empty)


def _type_int(
    values: pl.Series, empty: pl.Series, column: Column, overrides: dict[str, str]
) -> _Column:
    name = column.name
    parsed = normalize.parse_int(_override(values, overrides))
    checks = [Check(~empty & parsed.is_null(), f"{name} {{}} is not a whole number")]
    if column.score_range:
        low, high = column.score_range
        bad = parsed.is_not_null() & ((parsed < low) | (parsed > high))
        checks.append(Check(bad, f"{name} {{}} is outside {low}-{high}", typed=True))
    elif name in ("reopens", "agent_replies"):
        checks.append(Check(parsed < 0, f"{name} {{}} is negative", typed=True))
    return _Column(parsed, checks, empty)


def _type_timestamps(raw: pl.Series, column: Column, mapping: Mapping, nulls: list[str]) -> _Column:
    """Values of the column's common exact shape read at once, the rest by the cascade."""
    name = column.name
    shape = None if mapping.timestamp_formats else timestamps.common_shape(raw)
    if shape is None:
        parsed = pl.repeat(None, raw.len(), dtype=timestamps.UTC_DATETIME, eager=True)
    else:
        parsed = timestamps.read_shape(raw, shape, mapping.timezone)
        shaped = [n for n in nulls if re.fullmatch(timestamps.shape_pattern(shape), n)]
        if shaped:  # a null value of the common shape
            parsed = parsed.set(raw.is_in(shaped), None)
    # Only the values not read yet can be blank or null values; the cascade reads the rest.
    todo = (parsed.is_null() & raw.is_not_null()).arg_true()
    stripped = raw.gather(todo).str.strip_chars()
    blank = stripped.is_in([*nulls, ""])
    empty = raw.is_null().scatter(todo, blank)
    left = todo.filter(~blank)
    if not left.is_empty():
        parsed = parsed.scatter(left, _cascade(raw.gather(left), mapping))
    expected = (
        "format " + " or ".join(mapping.timestamp_formats)
        if mapping.timestamp_formats
        else "ISO 8601 or epoch seconds"
    )
    implausible = parsed.is_not_null() & ~timestamps.plausible(parsed).fill_null(True)
    checks = [
        Check(~empty & parsed.is_null(), f"{name} {{}} is not a date-time (expected {expected})"),
        Check(implausible, f"{name} {{}} is outside the plausible range 2000 to now", typed=True),
    ]
    return _Column(parsed.alias(raw.name), checks, empty)


def _cascade(values: pl.Series, mapping: Mapping) -> pl.Series:
    return timestamps.parse_timestamps(
        values,
        timezone=mapping.timezone,
        formats=mapping.timestamp_formats,
        day_first=mapping.day_first,
    )


def _override(values: pl.Series, overrides: dict[str, str]) -> pl.Series:
    if not overrides:
        return values
    return values.str.strip_chars().replace(overrides)


def _reasons(
    problems: list[Problem], raw: pl.DataFrame, nulls: list[str]
) -> tuple[pl.Series, pl.Series]:
    """Each row's reasons joined by "; " (null when none), written only for flagged rows,
    and their patterns (written from the templates: no pass over the texts)."""
    reasons = pl.repeat(None, raw.height, dtype=pl.String, eager=True).alias(REASON)
    masks = [
        check.mask.fill_null(False).alias(str(i))
        for i, check in enumerate(c for checks, _ in problems for c in checks)
    ]
    if not masks:
        return reasons, reasons.clone()
    flagged = pl.DataFrame(masks).select(pl.any_horizontal(pl.all())).to_series().arg_true()
    if flagged.is_empty():
        return reasons, reasons.clone()
    texts, patterns = [], []
    for checks, quoted in problems:
        hits = [c.mask.fill_null(False).gather(flagged) for c in checks]
        # Only the flagged rows this problem holds on are written (usually few of them).
        at = pl.select(pl.any_horizontal(pl.lit(h) for h in hits)).to_series().arg_true()
        if at.is_empty():
            continue
        values = [_cleaned(raw[name].gather(flagged.gather(at)), nulls) for name in quoted]
        here = [h.gather(at) for h in hits]
        sentences = [_when(h, values, c) for h, c in zip(here, checks, strict=True)]
        blanks = [_pattern_where(h, c.template) for h, c in zip(here, checks, strict=True)]
        if at.len() == flagged.len():  # every flagged row has this problem: no scatter
            texts.append(_first(sentences))
            patterns.append(_first(blanks))
            continue
        empty = pl.repeat(None, flagged.len(), dtype=pl.String, eager=True)
        texts.append(empty.scatter(at, _first(sentences)))
        patterns.append(empty.clone().scatter(at, _first(blanks)))
    return (
        reasons.scatter(flagged, _joined(texts)),
        reasons.clone().alias("__pattern").scatter(flagged, _joined(patterns)),
    )


def _first(columns: list[pl.Series]) -> pl.Series:
    if len(columns) == 1:
        return columns[0]
    return pl.select(pl.coalesce(pl.lit(c) for c in columns)).to_series()


def _joined(columns: list[pl.Series]) -> pl.Series:
    """The problems of each flagged row joined by "; " (only problems that hold somewhere)."""
    if len(columns) == 1:
        return columns[0]
    joined = pl.DataFrame({f"p{i}": c for i, c in enumerate(columns)}).select(
        pl.concat_str(pl.all(), separator="; ", ignore_nulls=True)
    )
    return joined.to_series().replace("", None)


def _pattern_where(mask: pl.Series, template: str) -> pl.Series:
    """The template with each ``{}`` as ``"…"`` where ``mask`` holds (null elsewhere)."""
    pattern = template.replace("{}", '"…"')
    return pl.select(pl.when(pl.lit(mask)).then(pl.lit(pattern))).to_series()


def _when(mask: pl.Series, values: list[pl.Series], check: Check) -> pl.Series:
    """The check's sentence where ``mask`` holds, each ``{}`` replaced by its quoted raw value.

    A value not read as its type is redacted before it is cut to 60 characters: a key or
    seed phrase pasted into the wrong column must not survive, even in part, in the
    quarantine reason.
    """
    parts = check.template.split("{}")
    pieces: list[pl.Expr] = [pl.lit(parts[0])]
    frame = pl.DataFrame({"m": mask})
    for number, (value, after) in enumerate(zip(values, parts[1:], strict=True)):
        shown = pl.select(pl.when(pl.lit(mask)).then(pl.lit(value.cast(pl.String)))).to_series()
        if not check.typed:
            shown, _ = redact.redact_series(shown)
        frame = frame.with_columns(shown.str.slice(0, 60).alias(f"v{number}"))
        pieces += [pl.lit('"'), pl.col(f"v{number}").fill_null(""), pl.lit('"' + after)]
    return frame.select(pl.when(pl.col("m")).then(pl.concat_str(pieces)).alias("r"))["r"]
