"""Presentation of the analytics pages' figures (Training impact, Customer voice, Retention,
Coverage and staffing): units, labels and the sentences that say a figure in plain words.

Everything here turns a metric's frame into text or display rows; nothing computes a
figure (the metric functions do) and nothing draws (dashboard.charts.analytics does).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import polars as pl
import streamlit as st

from dashboard.tiles import format_value

Better = Literal["higher", "lower"]
NOT_ENOUGH = "not enough data"
MIN_TICKETS = 30  # DESIGN: fewer than 30 contacts on a side is "not enough data"


@dataclass(frozen=True)
class Kpi:
    """A training KPI: its label, display unit (a tiles.format_value unit) and direction."""

    label: str
    unit: str
    better: Better


TRAINING_KPIS: dict[str, Kpi] = {
    "frt": Kpi("First response time", "minutes", "lower"),
    "fcr": Kpi("First-contact resolution", "share", "higher"),
    "csat": Kpi("CSAT (mean score)", "score", "higher"),
    "sentiment": Kpi("Sentiment (mean)", "score", "higher"),
}

LANGUAGE_NAMES: dict[str, str] = {
    "ar": "Arabic", "de": "German", "en": "English", "es": "Spanish", "fr": "French",
    "hi": "Hindi", "id": "Indonesian", "it": "Italian", "ja": "Japanese", "ko": "Korean",
    "nl": "Dutch", "pl": "Polish", "pt": "Portuguese", "ru": "Russian", "th": "Thai",
    "tr": "Turkish", "uk": "Ukrainian", "vi": "Vietnamese", "zh": "Chinese",
}  # fmt: skip


def language_name(code: str | None) -> str:
    """ "Spanish (es)" for a known code, the code itself otherwise, "no language" for None."""
    if not code:
        return "no language"
    name = LANGUAGE_NAMES.get(code.split("-")[0].lower())
    return f"{name} ({code})" if name else code


def signed(value: float | None, unit: str) -> str:
    """A change with its sign in its unit: "+4.2 pp", "-21.4 min", "+0.55"."""
    if value is None:
        return "—"
    if unit == "share":
        return f"{value * 100:+.1f} pp"
    if unit == "minutes":
        return f"{value:+,.1f} min"
    return f"{value:+.2f}" if abs(value) >= 0.1 else f"{value:+.3f}"


def level(value: float | None, unit: str) -> str:
    """A level in its unit; sentiment-sized scores keep three decimals."""
    if unit == "score" and value is not None and abs(value) < 1:
        return f"{value:+.3f}"
    return format_value(value, unit)


# --- Training impact -----------------------------------------------------------------------


@dataclass(frozen=True)
class EffectText:
    """One KPI's difference-in-differences in words, for a card."""

    kpi: str
    label: str
    headline: str
    interval: str
    counts: str
    levels: str
    measured: str
    pretrend: str
    tone: Literal["better", "worse", "unclear", "none"]


def _tone(row: dict[str, Any], better: Better) -> Literal["better", "worse", "unclear"]:
    low, high = row["absolute_ci_low"], row["absolute_ci_high"]
    if low is None or high is None or low <= 0 <= high:
        return "unclear"
    improved = (low > 0) == (better == "higher")
    return "better" if improved else "worse"


def _pretrend(row: dict[str, Any], unit: str, min_tickets: int) -> str:
    if row["pretrend_flag"] is None:
        return (
            f"Pre-trend not checked: fewer than {min_tickets} contacts on a side in the "
            "windows before the course."
        )
    interval = f"{signed(row['pretrend_ci_low'], unit)} to {signed(row['pretrend_ci_high'], unit)}"
    if row["pretrend_flag"]:
        return (
            f"⚠ Pre-trend: trained and untrained agents already drifted apart before the course "
            f"({signed(row['pretrend_absolute'], unit)}, 95% interval {interval}); read the "
            "effect with care."
        )
    return f"No pre-trend: before the course both groups moved alike (95% interval {interval})."


def effect_text(row: dict[str, Any], min_tickets: int) -> EffectText:
    """The card text of one ``training_impact`` row; "not enough data" in words, never a
    number, when a side has fewer than ``min_tickets`` contacts."""
    kpi = TRAINING_KPIS[row["kpi"]]
    counts = (
        f"Contacts: trained {row['n_trained_before']:,} before → {row['n_trained_after']:,} "
        f"after; untrained {row['n_control_before']:,} → {row['n_control_after']:,}"
    )
    measured = f"Measured as the {row['estimator']}."
    if row["status"] != "ok":
        return EffectText(
            row["kpi"], kpi.label, NOT_ENOUGH,
            f"Fewer than {min_tickets} contacts on a side: no estimate is shown.", counts, "",
            measured, _pretrend(row, kpi.unit, min_tickets), "none",
        )  # fmt: skip
    relative = (
        f"{row['relative_pct']:+.1f}% against the level expected without the course · "
        if row["relative_pct"] is not None
        else ""
    )
    interval = (
        f"{relative}95% interval {signed(row['absolute_ci_low'], kpi.unit)} to "
        f"{signed(row['absolute_ci_high'], kpi.unit)}"
    )
    levels = (
        f"Trained {level(row['trained_before'], kpi.unit)} → "
        f"{level(row['trained_after'], kpi.unit)}; untrained "
        f"{level(row['control_before'], kpi.unit)} → {level(row['control_after'], kpi.unit)}"
    )
    return EffectText(
        row["kpi"], kpi.label, signed(row["absolute"], kpi.unit), interval, counts,
        levels, measured, _pretrend(row, kpi.unit, min_tickets), _tone(row, kpi.better),
    )  # fmt: skip


TONE_WORDS = {
    "better": ":green[Improved beyond the untrained agents' change (interval excludes zero).]",
    "worse": ":red[Worsened beyond the untrained agents' change (interval excludes zero).]",
    "unclear": "No clear effect: the interval includes zero.",
    "none": "",
}


def agent_table(rows: pl.DataFrame, kpi: str) -> pl.DataFrame:
    """Per trained agent, one KPI before and after (shares as %, ready for display)."""
    scale = 100.0 if TRAINING_KPIS[kpi].unit == "share" else 1.0
    part = rows.filter(pl.col("kpi") == kpi)
    return part.select(
        pl.coalesce("name", "agent_id").alias("agent"),
        "completed_on",
        "n_before",
        (pl.col("before") * scale).alias("before"),
        "n_after",
        (pl.col("after") * scale).alias("after"),
        (pl.col("change") * scale).alias("change"),
        "change_pct",
        pl.when(pl.col("small_sample"))
        .then(pl.lit("small sample"))
        .otherwise(pl.lit(""))
        .alias("note"),
    ).sort("completed_on", "agent")


def agent_config(kpi: str) -> dict[str, Any]:
    """Column labels and formats of ``agent_table`` for ``kpi``."""
    unit = TRAINING_KPIS[kpi].unit
    fmt = {"share": "%.1f%%", "minutes": "%.1f min"}.get(unit, "%.3f")
    change = {"share": "%+.1f pp", "minutes": "%+.1f min"}.get(unit, "%+.3f")
    return {
        "agent": "Agent",
        "completed_on": st.column_config.DateColumn("Completed on"),
        "n_before": st.column_config.NumberColumn("Contacts before", format="localized"),
        "before": st.column_config.NumberColumn("Before", format=fmt),
        "n_after": st.column_config.NumberColumn("Contacts after", format="localized"),
        "after": st.column_config.NumberColumn("After", format=fmt),
        "change": st.column_config.NumberColumn("Change", format=change),
        "change_pct": st.column_config.NumberColumn("Change (%)", format="%+.1f%%"),
        "note": "Note",
    }


def courses(completions: pl.DataFrame) -> list[str]:
    """The courses with a completion, in name order."""
    return sorted(completions["course"].unique().to_list())


def of_course(frame: pl.DataFrame, course: str) -> pl.DataFrame:
    """The rows of one course."""
    return frame.filter(pl.col("course") == course)


def window_contacts(impact: pl.DataFrame) -> int:
    """Contacts in a course's before and after windows (the KPI with the most)."""
    counts = impact.select(
        pl.sum_horizontal("n_trained_before", "n_trained_after", "n_control_before",
                          "n_control_after", "unmatched")
    )  # fmt: skip
    return int(counts.to_series().max() or 0)


# --- Retention -----------------------------------------------------------------------------

SPLIT_LABELS: dict[str, str] = {
    "fcr": "First-contact resolution",
    "csat": "CSAT (4-5 vs 1-2)",
    "sentiment": "Ending sentiment",
}


def no_activity_note(frame: pl.DataFrame) -> str | None:
    """The metric's plain note when there is no activity data to follow contacts with."""
    return frame["note"][0] if "note" in frame.columns else None


def followed_contacts(frame: pl.DataFrame) -> int:
    """Contacts with an observable first window (1-30 days), over every experience."""
    return int(frame.filter(pl.col("days_after") == "1-30")["n"].sum())


def gap_sentence(row: dict[str, Any]) -> str:
    """The retention gap in words."""
    if row["gap"] is None:
        return f"No gap can be computed: one side has no observable contacts ({row['days_after']})."
    interval = ""
    if row["ci_low"] is not None:
        interval = f" (95% interval {row['ci_low'] * 100:+.1f} to {row['ci_high'] * 100:+.1f} pp)"
    return (
        f"In days {row['days_after']} after the contact, {row['value_good']:.1%} of contacts "
        f"that were *{row['good']}* ({row['n_good']:,}) were followed by activity, against "
        f"{row['value_bad']:.1%} of those *{row['bad']}* ({row['n_bad']:,}): a gap of "
        f"{row['gap'] * 100:+.1f} percentage points{interval}."
    )


def gap_contacts(row: dict[str, Any]) -> int:
    """Contacts on both sides of the gap."""
    return (row["n_good"] or 0) + (row["n_bad"] or 0)


def retention_exclusions(frame: pl.DataFrame) -> str:
    """What the curves leave out, counted."""
    first = frame.row(0, named=True)
    waiting = frame.group_by("days_after").agg(pl.col("not_observable").sum()).sort("days_after")
    pending = ", ".join(f"{n:,} in days {d}" for d, n in waiting.rows() if n)
    return (
        f"Left out: {first['unclassified']:,} contacts the split cannot place, "
        f"{first['no_activity_rows']:,} contacts of customers without any activity row, "
        f"{first['no_customer']:,} without a customer; windows not yet observable (after the "
        f"newest activity date): {pending or 'none'}."
    )
