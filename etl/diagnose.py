"""What a load report says about quarantined rows: the problems with example rows, and a
warning with the likely cause when a file loaded nothing or mostly nothing.

A *problem* is one part of a row's reason; problems are grouped by their pattern (the
quoted values blanked, warehouse.reasons), as the Data health page groups them, and each
group keeps the row numbers and exact texts of its first rows so a user can find them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from etl import timestamps
from etl.mapping import Mapping
from warehouse.reasons import SEPARATOR, reason_pattern_expr

MOSTLY = 0.5  # above this share of the rows read quarantined, the report warns
SAMPLE = 50  # problem texts read to guess a cause
READS = 0.8  # share of the sample another reading must parse to be suggested


@dataclass(frozen=True)
class ReasonGroup:
    """One problem pattern: how many rows have it and the first of them (row, exact text)."""

    problem: str
    count: int
    examples: tuple[tuple[int, str], ...]


def group_reasons(quarantine: pl.DataFrame, limit: int = 5, keep: int = 3) -> list[ReasonGroup]:
    """The ``limit`` most common problem patterns, largest first, with ``keep`` example rows
    (the row number and the row's whole reason).

    ``quarantine`` has row_number, reason and pattern (the reason's problems with their
    values blanked, joined like the reason; computed here when absent).
    """
    if quarantine.height == 0:
        return []
    frame = quarantine.lazy()
    if "pattern" not in quarantine.columns:
        frame = frame.with_columns(reason_pattern_expr(pl.col("reason")).alias("pattern"))
    problems = frame.select("row_number", "reason", pl.col("pattern").alias("problem"))
    if quarantine.select(pl.col("reason").str.contains(SEPARATOR, literal=True).any()).item():
        problems = problems.with_columns(pl.col("problem").str.split(SEPARATOR)).explode("problem")
    grouped = (
        problems.group_by("problem")
        .agg(
            pl.len().alias("count"),
            pl.col("row_number").head(keep).alias("rows"),
            pl.col("reason").head(keep).alias("texts"),
        )
        .sort(["count", "problem"], descending=[True, False])
        .head(limit)
        .collect()
    )
    return [
        ReasonGroup(
            row["problem"], int(row["count"]), tuple(zip(row["rows"], row["texts"], strict=True))
        )
        for row in grouped.iter_rows(named=True)
    ]


def load_warnings(
    path: Path,
    rows_read: int,
    quarantine: pl.DataFrame,
    groups: list[ReasonGroup],
    mapping: Mapping,
) -> list[str]:
    """Warnings for the report and load_runs: an empty file, or a file mostly quarantined."""
    name = path.name
    if rows_read == 0:
        return [
            f"{name} has a header and no rows: nothing was loaded. Is it the right export"
            " (or one filtered down to nothing)?"
        ]
    quarantined = quarantine.height
    if quarantined <= MOSTLY * rows_read or not groups:
        return []
    top = groups[0]
    if top.count < MOSTLY * quarantined:
        cause = "the rows have several different problems; the most common are listed above"
    else:
        texts = _sample(quarantine, top.problem)
        cause = _likely_cause(top, texts, mapping, everything=top.count >= rows_read)
    return [
        f"{name}: {quarantined:,} of {rows_read:,} rows ({quarantined / rows_read:.0%}) were"
        f" quarantined and only {rows_read - quarantined:,} loaded. Likely cause: {cause}"
    ]


def _sample(quarantine: pl.DataFrame, problem: str) -> list[str]:
    """Up to SAMPLE whole reasons of rows that have ``problem`` (a pattern)."""
    head = quarantine.head(SAMPLE * 20)
    if "pattern" in head.columns:
        has = pl.col("pattern").str.split(SEPARATOR).list.contains(problem)
    else:
        parts = pl.col("reason").str.split(SEPARATOR)
        has = parts.list.eval(reason_pattern_expr(pl.element())).list.contains(problem)
    return head.filter(has).head(SAMPLE)["reason"].to_list()


def _quoted(texts: list[str], column: str) -> list[str]:
    """The values a problem quotes right after ``column`` (``created_at "…"``)."""
    found = (re.search(rf'(?:^|; ){re.escape(column)} "(.*?)"', text) for text in texts)
    return [m.group(1) for m in found if m]


def _likely_cause(top: ReasonGroup, texts: list[str], mapping: Mapping, everything: bool) -> str:
    problem = top.problem
    column = problem.split(" ", 1)[0]
    values = _quoted(texts, column)
    example = f' (e.g. row {top.examples[0][0]}: "{values[0]}")' if values else ""
    if " is not a date-time" in problem:
        return _date_cause(column, values, mapping, everything, example)
    if "is outside the plausible range" in problem:
        return (
            f"the date-times in {column} fall before 2000 or after today{example}: is {column}"
            " the right column, or does the export write missing dates as 0 or 1970?"
        )
    if " is not one of: " in problem:
        allowed = problem.split(" is not one of: ", 1)[1]
        return (
            f"{column} holds values the dashboard does not know{example}: map them to one of"
            f" {allowed} in the mapping's [values.{column}] table"
        )
    if problem.endswith(" is empty"):
        return (
            f"{column} is empty in most rows: does the mapping's [columns] {column} name the"
            " column that holds it?"
        )
    if "repeat" in problem and "which was kept" in problem:
        return (
            f"{column} repeats within the file: is it a unique id (one row per record)? An"
            " export with a row per comment or per change is another kind"
            " (messages, ticket_events)"
        )
    if problem.startswith("row has"):
        return (
            "the rows do not split into the header's columns: another delimiter, or broken quoting?"
        )
    return f"most rows have the same problem: {problem}"


def _reads(values: list[str], formats: tuple[str, ...], day_first: bool, zone: str) -> float:
    if not values:
        return 0.0
    parsed = timestamps.parse_timestamps(
        pl.Series(values, dtype=pl.String), timezone=zone, formats=formats, day_first=day_first
    )
    return parsed.is_not_null().sum() / len(values)


def _date_cause(
    column: str, values: list[str], mapping: Mapping, everything: bool, example: str
) -> str:
    lead = (
        f"no date-time in {column} parsed"
        if everything
        else f"most date-times in {column} did not parse"
    )
    formats, zone = mapping.timestamp_formats, mapping.timezone
    if formats:
        swapped = tuple(_swap_day_month(f) for f in formats)
        if swapped != formats and _reads(values, swapped, mapping.day_first, zone) >= READS:
            shown = " or ".join(f'"{f}"' for f in swapped)
            return (
                f"{lead}{example}; is the format day-first? timestamp_format = {shown} reads them"
            )
        if _reads(values, (), mapping.day_first, zone) >= READS:
            return (
                f"{lead} with the mapping's timestamp_format{example}, but they read without it:"
                " remove timestamp_format from the mapping, or correct it"
            )
    elif not mapping.day_first and _reads(values, (), True, zone) >= READS:
        return f"{lead}{example}; is the format day-first? set day_first = true in the mapping"
    return (
        f"{lead}{example}; name the export's format in the mapping, e.g."
        ' timestamp_format = "%d.%m.%Y %H:%M" (strptime codes)'
    )


def _swap_day_month(fmt: str) -> str:
    return fmt.replace("%d", "\0").replace("%m", "%d").replace("\0", "%m")
