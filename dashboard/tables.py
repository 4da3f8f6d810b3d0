"""Table presentation for pages: display columns, their labels and units, status colours."""

from __future__ import annotations

import json
from typing import Any

import polars as pl
import streamlit as st
from pandas.io.formats.style import Styler

from dashboard.access import HIDDEN_NOTE, can_see_text

# Tints of Okabe-Ito bluish green, orange and vermillion behind dark text (readable either way).
STATUS_TINTS: dict[str, str] = {
    "good": "background-color: rgba(0, 158, 115, 0.20)",
    "warn": "background-color: rgba(230, 159, 0, 0.25)",
    "bad": "background-color: rgba(213, 94, 0, 0.25)",
}

ACCOUNTING_HELP = "rows read = inserted + updated + unchanged + quarantined"
DATETIME_FORMAT = "YYYY-MM-DD HH:mm:ss"


def _count(label: str, help: str | None = None) -> Any:
    return st.column_config.NumberColumn(label, format="localized", help=help)


def _when(label: str) -> Any:
    return st.column_config.DatetimeColumn(label, format=DATETIME_FORMAT)


def status_tone(status: str | None) -> str | None:
    """good / warn / bad for a load status, None when unknown."""
    text = (status or "").lower()
    if any(word in text for word in ("reject", "fail", "error")):
        return "bad"
    if any(word in text for word in ("quarantine", "warn", "partial", "empty")):
        return "warn"
    return "good" if text == "ok" else None


def _status_css(status: str | None) -> str:
    tone = status_tone(status)
    return STATUS_TINTS[tone] if tone else ""


LOAD_RUN_DISPLAY: tuple[str, ...] = (
    "run_id", "started_at", "kind", "file_name", "status", "check", "rows_read", "inserted",
    "updated", "unchanged", "quarantined", "duration_s", "source", "mapping", "message",
    "redactions", "file",
)  # fmt: skip

LOAD_RUN_CONFIG: dict[str, Any] = {
    "run_id": st.column_config.NumberColumn("Run", format="%d"),
    "started_at": _when("Started (UTC)"),
    "kind": "Kind",
    "file_name": "File",
    "source": "Source",
    "mapping": "Mapping",
    "status": "Status",
    "rows_read": _count("Rows read"),
    "inserted": _count("Inserted"),
    "updated": _count("Updated"),
    "unchanged": _count("Unchanged"),
    "quarantined": _count("Quarantined"),
    "check": st.column_config.TextColumn("Accounted", help=ACCOUNTING_HELP, width="small"),
    "duration_s": st.column_config.NumberColumn("Duration (s)", format="%.1f"),
    "message": "Message",
    "redactions": "Redactions",
    "file": "Full path",
}


def load_runs_table(runs: pl.DataFrame) -> Styler:
    """The load report for ``st.dataframe``: a ✓/✗ accounting check and tinted status cells."""
    frame = runs.with_columns(
        check=pl.when(pl.col("balanced")).then(pl.lit("✓")).otherwise(pl.lit("✗"))
    ).select(LOAD_RUN_DISPLAY)
    return frame.to_pandas().style.map(_status_css, subset=["status"])


def age_text(hours: pl.Expr) -> pl.Expr:
    """An age in hours as "under 1 min", "45 min", "5.0 h" (under two days) or "12 d".

    Null stays null; a time a little after "now" (now is cut to the minute) counts as 0.
    """
    return (
        pl.when(hours.is_null())
        .then(None)
        .when(hours < 1 / 60)
        .then(pl.lit("under 1 min"))
        .when(hours < 1)
        .then(pl.format("{} min", (hours * 60).round(0).cast(pl.Int64)))
        .when(hours < 48)
        .then(pl.format("{} h", hours.round(1)))
        .otherwise(pl.format("{} d", (hours / 24).round(0).cast(pl.Int64)))
    )


def freshness_table(freshness: pl.DataFrame) -> pl.DataFrame:
    """Freshness per table with its ages as readable text, columns in display order."""
    return freshness.with_columns(
        data_age=age_text(pl.col("age_hours")),
        load_age=age_text(pl.col("last_load_age_hours")),
    ).select(FRESHNESS_DISPLAY)


FRESHNESS_DISPLAY: tuple[str, ...] = (
    "table", "rows", "time_column", "newest", "data_age", "last_load", "load_age",
)  # fmt: skip

FRESHNESS_CONFIG: dict[str, Any] = {
    "table": "Table",
    "rows": _count("Rows"),
    "time_column": "Time column",
    "newest": _when("Newest data (UTC)"),
    "data_age": st.column_config.TextColumn("Data age", help="time since the newest data"),
    "last_load": _when("Last load (UTC)"),
    "load_age": st.column_config.TextColumn("Since last load", help="time since the last load"),
}


def file_name(column: str) -> pl.Expr:
    """The last part of a stored file path (the full path is in the load-runs table)."""
    return pl.col(column).str.replace(r"^.*[/\\]", "")


def reasons_table(reasons: pl.DataFrame) -> pl.DataFrame:
    """Quarantine reasons with the example's file name, columns in display order."""
    return reasons.with_columns(example_file=file_name("example_file")).select(REASON_DISPLAY)


def examples_table(examples: pl.DataFrame) -> pl.DataFrame:
    """Quarantined example rows with file names, columns in display order; the raw row (which
    may hold customer text) replaced by the note for a role without access to it."""
    rows = examples.with_columns(file=file_name("file")).select(EXAMPLE_DISPLAY)
    return rows if can_see_text() else rows.with_columns(raw=pl.lit(json.dumps(HIDDEN_NOTE)))


REASON_DISPLAY: tuple[str, ...] = (
    "kind", "reason", "count", "runs", "example_file", "example_row_number",
)  # fmt: skip

REASON_CONFIG: dict[str, Any] = {
    "kind": "Kind",
    "reason": st.column_config.TextColumn("Reason (values blanked as …)", width="large"),
    "count": _count("Rows", help="quarantined rows with this problem"),
    "runs": _count("Runs"),
    "example_file": "Example file",
    "example_row_number": st.column_config.NumberColumn("Example row", format="%d"),
}

EXAMPLE_DISPLAY: tuple[str, ...] = ("file", "row_number", "run_id", "reason", "raw")

EXAMPLE_CONFIG: dict[str, Any] = {
    "file": "File",
    "row_number": st.column_config.NumberColumn("Row in file", format="%d"),
    "run_id": st.column_config.NumberColumn("Run", format="%d"),
    "reason": st.column_config.TextColumn("Reason", width="medium"),
    "raw": st.column_config.JsonColumn("Raw row (JSON)", width="large"),
}


AVAILABILITY_ICONS = {"available": "✅ available", "partial": "◐ partial",
                      "not_available": "⛔ not available"}  # fmt: skip
AVAILABILITY_CONFIG: dict[str, Any] = {
    "label": "Figure",
    "metric": st.column_config.TextColumn("Name (CLI)", help="python -m metrics show NAME"),
    "status": "Status",
    "reasons": st.column_config.TextColumn("Why", width="large"),
    "commands": st.column_config.TextColumn("To make it available", width="large"),
}


def availability_table(frame: pl.DataFrame, labels: dict[str, str]) -> pl.DataFrame:
    """``metrics.core.availability.availability_table`` rows for display: the figure's label,
    its name, its status in words, why and what would load its missing inputs."""
    return frame.select(
        pl.col("metric").replace_strict(labels, default=pl.col("metric")).alias("label"),
        "metric",
        pl.col("status").replace_strict(AVAILABILITY_ICONS, default=pl.col("status")),
        "reasons",
        "commands",
    )


def availability_counts(frame: pl.DataFrame) -> dict[str, int]:
    """How many figures are available, partial and not available."""
    counts = dict(frame.group_by("status").len().rows())
    return {status: int(counts.get(status, 0)) for status in AVAILABILITY_ICONS}
