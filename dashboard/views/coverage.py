"""Presentation of the Coverage and staffing page: tables of peak days, staffing gap periods
and language gaps, with their column labels; where agents on shift come from, in words."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import polars as pl
import streamlit as st

from dashboard.tiles import Tile
from dashboard.views.analytics import language_name
from dashboard.views.pooling import basis_words
from metrics.core.settings import Settings


def peak_table(peaks: pl.DataFrame) -> pl.DataFrame:
    """Peak days with their top categories as one text column."""
    parts = [
        pl.when(pl.col(f"top_category_{i}").is_not_null()).then(
            pl.format("{} {}%", f"top_category_{i}", (pl.col(f"top_share_{i}") * 100).round(0))
        )
        for i in (1, 2, 3)
    ]
    return peaks.select(
        pl.col("day").cast(pl.String).alias("key"),
        "day",
        "n",
        "baseline",
        "times_baseline",
        pl.concat_str(parts, separator=" · ", ignore_nulls=True).alias("top_categories"),
    )


PEAK_CONFIG: dict[str, Any] = {
    "key": None,
    "day": st.column_config.DateColumn("Day"),
    "n": st.column_config.NumberColumn("Contacts", format="localized"),
    "baseline": st.column_config.NumberColumn("Baseline (median)", format="%.0f"),
    "times_baseline": st.column_config.NumberColumn("× baseline", format="%.1f"),
    "top_categories": "Top categories (share of the day)",
}
GAP_PERIOD_CONFIG: dict[str, Any] = {
    "starts": "Starts", "ends": "Ends", "hours": "Hours",
    "n": st.column_config.NumberColumn("Contacts in its hours", format="localized"),
    "start_hour_of_week": None,
    "min_on_shift": st.column_config.NumberColumn("Fewest on shift", format="%.1f"),
    "max_rostered_needed": st.column_config.NumberColumn("Most needed (rostered)"),
    "agent_hours_short": st.column_config.NumberColumn("Agent-hours short a week", format="%.1f"),
    "contacts_per_week": st.column_config.NumberColumn("Contacts a week", format="%.1f"),
    "pooled_hours": st.column_config.NumberColumn("Hours on a pooled rate"),
}  # fmt: skip
LANGUAGE_GAP_CONFIG: dict[str, Any] = {
    "language": "Language",
    "n": st.column_config.NumberColumn("Contacts", format="localized"),
    "gap_contacts": st.column_config.NumberColumn("Nobody on shift spoke it", format="localized"),
    "gap_share": st.column_config.NumberColumn("Share", format="%.1f%%"),
    "unanswered_gap": st.column_config.NumberColumn("Of those unanswered", format="localized"),
    "frt_median_gap": st.column_config.NumberColumn("Median FRT then (min)", format="%.0f"),
    "frt_median_covered": st.column_config.NumberColumn(
        "Median FRT otherwise (min)", format="%.0f"
    ),
}


def on_shift_words(source: str | None) -> str:
    """Where agents on shift come from, in words (None: nowhere, not available)."""
    if source == "shifts":
        return "agents on shift from the shifts table"
    if source is None:
        return "agents on shift: not available (no shifts and no agent messages)"
    return "agents on shift inferred from the hours in which they sent messages (no shifts loaded)"


def language_gap_table(gaps: pl.DataFrame) -> pl.DataFrame:
    """Per language: contacts, gap contacts and share (%), FRT median in a gap vs covered."""
    return gaps.select(
        pl.col("language").map_elements(language_name, return_dtype=pl.String),
        "n",
        "gap_contacts",
        (pl.col("gap_share") * 100).alias("gap_share"),
        "unanswered_gap",
        "frt_median_gap",
        "frt_median_covered",
    )


def on_shift_source(slots: pl.DataFrame) -> str | None:
    """Where ``coverage_by_hour`` took agents on shift from ("shifts" or "messages")."""
    return slots["on_shift_source"][0] if slots.height else None


def slot_contacts(slots: pl.DataFrame) -> int:
    """Contacts needing an agent over every slot."""
    return int(slots["n"].sum()) if slots.height else 0


AHT_SOURCES = {
    "messages": "measured from agent messages",
    "settings": "the default from settings (too few timed agent messages)",
    "option": "entered above",
}


def staffing_words(staffing: pl.DataFrame, periods: pl.DataFrame, settings: Settings) -> str:
    """The Erlang C target, shrinkage and handle time behind the staffing gap, in words."""
    aht = staffing.row(0, named=True) if staffing.height else None
    handle = (
        f"handle time {aht['aht_minutes']:.1f} min ({AHT_SOURCES.get(aht['aht_source'], '')})"
        if aht
        else "no contacts"
    )
    short = float(periods["agent_hours_short"].sum()) if periods.height else 0.0
    return (
        f"Target: {settings.staffing_service_level:.0%} of contacts answered within "
        f"{settings.staffing_target_seconds:.0f} s, one-hour intervals; shrinkage "
        f"{settings.staffing_shrinkage:.0%} (rostered = needed / (1 - shrinkage)); {handle}. "
        f"Hours short by half an agent or more add up to {short:,.1f} agent-hours a week."
    )


STAFFING_NEEDS = (
    "Erlang C needs a slot's arrival rate, and a rate from fewer than {min_n} contacts over the "
    "weeks observed is noise: a slot with fewer borrows the same hour on every weekday, then "
    "its part of the day. A longer period, or more of its contacts loaded, would give the "
    "slots more."
)


def staffing_too_few(staffing: pl.DataFrame, min_n: int) -> str:
    """ "**Staffing gaps: not enough data.** ..." when no slot's arrival rate rests on
    ``min_n`` contacts, even pooled (then no gap is drawn or listed), else ""."""
    if staffing.filter(pl.col("pooled").is_not_null()).height:
        return ""
    most = int(staffing["basis_n"].max() or 0) if staffing.height else 0
    return (
        f"**Staffing gaps: not enough data.** No hour of the week has {min_n} contacts "
        "needing an agent in this period, even over the same hour on every weekday or its part "
        f"of the day (the most: n = {most:,}). " + STAFFING_NEEDS.format(min_n=min_n)
    )


def slots_left_out(staffing: pl.DataFrame, min_n: int) -> str:
    """The slots without an arrival rate (fewer than ``min_n`` contacts even over their part
    of the day), in words; "" when every slot has one."""
    few = staffing.filter(pl.col("pooled").is_null())
    if few.is_empty():
        return ""
    return (
        f"Not enough data: {few.height:,} of {staffing.height:,} hours of the week have fewer "
        f"than {min_n} contacts even over their part of the day on every weekday, and are left "
        "blank, neither short nor covered."
    )


def pooled_words(staffing: pl.DataFrame, min_n: int) -> str:
    """How many slots' arrival rates are borrowed from the same hour on every weekday or from
    their part of the day (fewer than ``min_n`` contacts of their own), in words."""
    pooled = staffing.filter(pl.col("pooled").is_in(["hour of day", "part of day"]))
    if pooled.is_empty():
        return ""
    by_hour = pooled.filter(pl.col("pooled") == "hour of day").height
    return (
        f"{pooled.height:,} of {staffing.height:,} hours of the week have fewer than {min_n} "
        f"contacts of their own: their arrival rate is that of the same hour on every weekday "
        f"({by_hour:,}) or of their part of the day ({pooled.height - by_hour:,}), per "
        "occurrence (hover a slot for its basis and n; the table's last column counts them)."
    )


def slot_basis(staffing: pl.DataFrame, min_n: int) -> list[str]:
    """Per slot (row order), what its arrival rate rests on ("03:00 on every weekday (n =
    34)") or "not enough data (...)"."""
    return [
        basis_words(row["pooled"], row["hour"], row["basis_n"], min_n, "part of day")
        for row in staffing.iter_rows(named=True)
    ]


def covered_words(short: pl.DataFrame, blank: str) -> str:
    """With no short period listed: a success only when every hour was judged, else what the
    judged hours show (a verdict on the hours with enough contacts, not on the week); ""
    when short periods are listed."""
    if not short.is_empty():
        return ""
    if not blank:
        return "Every hour of the week has at least the rostered agents Erlang C asks for."
    return (
        "No hour with enough contacts is short of agents; the others are not judged (below), "
        "so this says nothing about them."
    )


def after_hours_words(after: dict[str, Any]) -> str:
    """How after hours were judged, and the FRT ratio."""
    ratio = after["frt_ratio"]
    rule = (
        "no agent of the contact's team on shift (24x7 support hours)"
        if after["judged_by_shifts"]
        else "outside the team's support hours in settings"
    )
    slower = f"; first response after hours takes {ratio:.1f}x as long" if ratio else ""
    return f"After hours means {rule}{slower}."


def day_count(days: pl.DataFrame) -> int:
    """Days in the peak table."""
    return days.height


def recent(days: pl.DataFrame, weeks: int = 8) -> date | None:
    """The first day of the last ``weeks`` weeks of ``days`` (for the forecast's history)."""
    return days["day"].max() - timedelta(weeks=weeks) if days.height else None


def has_model(ahead: pl.DataFrame) -> bool:
    """Whether the forecast has a model (not only seasonal naive)."""
    return bool(ahead.height) and ahead["status"][0] == "ok"


def no_model_words(ahead: pl.DataFrame) -> str:
    """Why the forecast shows seasonal naive only."""
    days = ahead["history_days"][0] if ahead.height else 0
    return (
        f"Not enough history for a model forecast ({days} days; it needs 69): only the "
        "seasonal naive line (each day = the same weekday last week) is drawn."
    )


def backtest_overall(test: pl.DataFrame) -> dict[str, Any]:
    """The back-test's overall row."""
    return test.filter(pl.col("scope") == "overall").row(0, named=True)


def percent(value: float | None) -> str:
    """A percent figure with one decimal, "—" for none."""
    return "—" if value is None else f"{value:.1f}%"


def backtest_too_few(score: dict[str, Any], min_n: int) -> str:
    """Why the back-test cannot tell the forecasts apart when its days hold fewer than
    ``min_n`` contacts (a verdict on a handful of contacts), else ""."""
    if score["mae"] is None or score["contacts"] >= min_n:
        return ""
    return (
        f"Not enough data to compare the forecasts: the {score['n']:,} back-tested days (the "
        f"last {score['folds']} x 14) hold {score['contacts']:,} contacts (< {min_n}); more days "
        "of contacts would give the back-test more."
    )


def backtest_words(score: dict[str, Any], min_n: int) -> str:
    """Which forecast did better in the back-test, in words (not enough data on fewer than
    ``min_n`` contacts)."""
    if score["mae"] is None:
        return "No back-test: not enough history."
    too_few = backtest_too_few(score, min_n)
    if too_few:
        return too_few
    verdict = "beats" if score["beats_naive"] else "does not beat"
    return (
        f"Rolling-origin back-test over the last {score['folds']} x 14 days: the model "
        f"{verdict} seasonal naive (mean absolute error {score['mae']:.1f} vs "
        f"{score['mae_naive']:.1f} contacts a day)."
    )


def history_text(ahead: pl.DataFrame) -> str:
    """What the forecast learned from."""
    if not ahead.height:
        return "no history"
    return f"{ahead['history_days'][0]} days of history up to {ahead['day'][0] - timedelta(days=1)}"


def after_hours_tiles(after: dict[str, Any]) -> list[Tile]:
    """After-hours share and the median first response after and in hours."""
    return [
        Tile("After-hours contacts", after["value"], "share", "after_hours", after["n"], None,
             "lower", f"{after['hits']:,} of {after['n']:,} contacts"),
        Tile("First response after hours", after["frt_median_after"], "minutes", "after_hours",
             after["frt_n_after"], None, "lower", "median"),
        Tile("First response in hours", after["frt_median_in"], "minutes", "after_hours",
             after["frt_n_in"], None, "lower", "median"),
    ]  # fmt: skip


def backtest_tiles(score: dict[str, Any], min_n: int) -> list[Tile]:
    """The back-test's mean absolute error of the model and of seasonal naive: a back-tested
    accuracy, so on fewer than ``min_n`` contacts in its days it says "not enough data" (n =
    those contacts) instead of errors of a handful."""
    few = backtest_too_few(score, min_n)
    n, floor = (score["contacts"], min_n) if few else (score["n"], 0)
    needs = few.split(": ", 1)[1].capitalize() if few else ""
    return [
        Tile("Forecast error (MAE)", score["mae"], "per day", "volume_forecast", n, None,
             "lower", f"contacts a day · sMAPE {percent(score['smape'])}", min_n=floor,
             needs=needs),
        Tile("Seasonal naive error (MAE)", score["mae_naive"], "per day", "volume_forecast",
             n, None, "lower", f"contacts a day · sMAPE {percent(score['smape_naive'])}",
             min_n=floor, needs=needs),
    ]  # fmt: skip
