"""Presentation of the Response and waits, Channels and backlog, and Bot and security pages:
their tiles, table columns and sentences. Nothing here computes a figure (the metric
functions do) and nothing draws (dashboard.charts.operations does)."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from dashboard.tiles import Tile, format_value
from dashboard.views.pooling import basis_words

# --- Response and waits --------------------------------------------------------------------


def reply_tiles(
    runs: dict[str, Any], conversations: dict[str, Any], waits: dict[str, Any]
) -> list[Tile]:
    """Reply time per run and per conversation, and the requester's total wait per contact."""
    return [
        Tile("Reply time (each wait)", runs["median"], "minutes", "reply_time", runs["n"],
             note=f"median; p90 {format_value(runs['p90'], 'minutes')} · "
             f"{runs['unanswered']:,} waits unanswered"),
        Tile("Reply time (per conversation)", conversations["median"], "minutes", "reply_time",
             conversations["n"], note="median of each conversation's median wait"),
        Tile("Requester wait per contact", waits["median"], "minutes", "requester_wait",
             waits["n"], note=f"median of the summed waits · {waits['still_waiting']:,} "
             "contacts still waiting"),
    ]  # fmt: skip


ESTIMATE_NEEDS = (
    "The back-test scores answered contacts whose channel, language and hour of the week had "
    "answered contacts in the weeks before (wait_estimates.weeks in settings): a longer "
    "period, or the weeks before it loaded, would give it more."
)


def estimate_tiles(accuracy: dict[str, Any], min_n: int) -> list[Tile]:
    """How often the published wait held, and by how much it missed: a back-test, so a
    conclusion; on fewer than ``min_n`` (settings' small_sample) scored contacts it says
    "not enough data" instead of a share of a handful."""
    return [
        Tile("Answered within the published wait", accuracy["value"], "share", "wait_estimates",
             accuracy["n"], better="higher",
             note=f"{accuracy['no_estimate']:,} answered contacts had no estimate yet",
             min_n=min_n, needs=f"{accuracy['no_estimate']:,} answered contacts had no "
             f"estimate yet. {ESTIMATE_NEEDS}"),
        Tile("Typical miss", accuracy["median_abs_error"], "minutes", "wait_estimates",
             accuracy["n"], better="lower", note="median absolute error of the estimate",
             min_n=min_n, needs=ESTIMATE_NEEDS),
    ]  # fmt: skip


ESTIMATE_CONFIG: dict[str, Any] = {
    "channel": "Channel", "language": "Language", "weekday": None, "hour": None,
    "hour_of_week": None, "slot": "Hour of week",
    "estimate_minutes": st.column_config.NumberColumn("Publish this wait (min)", format="%.0f"),
    "basis": "Based on",
    "n": st.column_config.NumberColumn("Answered contacts in the slot", format="localized"),
    "unanswered": st.column_config.NumberColumn("Unanswered", format="localized"),
}  # fmt: skip
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def estimate_basis(row: dict[str, Any], min_n: int) -> str:
    """Which contacts a slot's published wait rests on, or why it has none."""
    return basis_words(row["pooled"], row["hour"], row["basis_n"], min_n, "all hours", _scope(row))


def _scope(row: dict[str, Any]) -> str:
    """ "this channel and language", or the part of it the contacts have ("the week" for
    none: every contact is in one slot group)."""
    known = [part for part in ("channel", "language") if row[part] is not None]
    return f"this {' and '.join(known)}" if known else "the week"


ESTIMATE_NEEDS_TABLE = (
    "A wait is published for a slot from at least {min_n} answered contacts: its own hour of "
    "the week when it has them, else the same hour on every weekday, the same part of the day, "
    'or every hour of its channel and language (the "Based on" column says which). Slots '
    "without an estimate need more answered contacts: a longer history (wait_estimates.weeks "
    "in settings) or more data loaded."
)


def no_estimate_words(estimates: pl.DataFrame, min_n: int) -> str:
    """ "**Waits to publish: not enough data.** ..." when no slot has an estimate (every
    channel and language has fewer than ``min_n`` answered contacts), else ""."""
    if estimates.is_empty() or estimates["estimate_minutes"].is_not_null().any():
        return ""
    most = int(estimates["basis_n"].max() or 0)
    return (
        f"**Waits to publish: not enough data.** No channel and language has {min_n} answered "
        f"contacts in the weeks before the period's end, even over all its hours (the most: "
        f"n = {most:,}), so no wait is recommended. "
        + ESTIMATE_NEEDS_TABLE.format(min_n=min_n).split(". ", 1)[1]
    )


def estimate_table(estimates: pl.DataFrame, min_n: int) -> pl.DataFrame:
    """The estimates to publish, with the slot in words ("Mon 09:00") and what each rests on
    (a sparse slot's pooled contacts, or "not enough data" and no wait)."""
    basis = [estimate_basis(row, min_n) for row in estimates.iter_rows(named=True)]
    # a column no slot has (every contact without a channel, say) would print "None" per row
    unknown = [c for c in ("channel", "language") if estimates[c].null_count() == estimates.height]
    return (
        estimates.with_columns(
            slot=pl.format(
                "{} {}:00",
                pl.col("weekday").replace_strict(dict(enumerate(WEEKDAYS)), return_dtype=pl.String),
                pl.col("hour").cast(pl.String).str.zfill(2),
            ),
            basis=pl.Series(basis, dtype=pl.String),
        )
        .select("channel", "language", "slot", "estimate_minutes", "basis", "n", "unanswered")
        .drop(unknown if estimates.height else [])
    )


# --- Channels and backlog ------------------------------------------------------------------

# Columns of ``channel_breakdown`` and the registered metric whose availability they follow.
CHANNEL_PARTS: dict[str, tuple[str, ...]] = {
    "frt": ("frt_n", "frt_median", "frt_p90", "unanswered"),
    "first_resolution_time": ("resolution_n", "resolution_median"),
    "fcr_rate": ("fcr_n", "fcr"),
    "sla_attainment": ("sla_n", "sla"),
    "csat": ("csat_n", "csat"),
    "repeat_contact_rate": ("repeat_n", "repeat_rate"),
}
CHANNEL_CONFIG: dict[str, Any] = {
    "channel": "Channel",
    "contacts": st.column_config.NumberColumn("Contacts", format="localized"),
    "share": st.column_config.NumberColumn("Share", format="percent"),
    "frt_n": None, "resolution_n": None, "fcr_n": None, "sla_n": None, "csat_n": None,
    "repeat_n": None,
    "frt_median": st.column_config.NumberColumn("First response, median (min)", format="%.1f"),
    "frt_p90": st.column_config.NumberColumn("First response, p90 (min)", format="%.0f"),
    "unanswered": st.column_config.NumberColumn("Unanswered", format="localized"),
    "resolution_median": st.column_config.NumberColumn("Resolution, median (h)", format="%.1f"),
    "fcr": st.column_config.NumberColumn("FCR", format="percent"),
    "sla": st.column_config.NumberColumn("SLA met", format="percent"),
    "csat": st.column_config.NumberColumn("CSAT (4-5)", format="percent"),
    "repeat_rate": st.column_config.NumberColumn("Repeat contacts", format="percent"),
}  # fmt: skip


def channel_table(breakdown: pl.DataFrame, missing: dict[str, str]) -> pl.DataFrame:
    """The breakdown without the columns of figures that are not available (``missing``:
    metric -> why), resolution in hours."""
    dropped = [c for metric in missing for c in CHANNEL_PARTS.get(metric, ())]
    frame = breakdown.drop([c for c in dropped if c in breakdown.columns])
    if "resolution_median" in frame.columns:
        frame = frame.with_columns(pl.col("resolution_median") / 60.0)
    return frame


def backlog_words(backlog: pl.DataFrame) -> str:
    """What the backlog leaves out, counted."""
    if backlog.is_empty():
        return ""
    row = backlog.row(0, named=True)
    parts = []
    if row["closed_untimed"]:
        parts.append(f"{row['closed_untimed']:,} tickets marked solved or closed without a time")
    if row["status_unknown"]:
        parts.append(f"{row['status_unknown']:,} tickets with no status and no solve time")
    return ("Left out (they cannot be placed in time): " + "; ".join(parts) + ".") if parts else ""


OPEN_TICKET_CONFIG: dict[str, Any] = {
    "transcript": st.column_config.LinkColumn("Transcript", display_text="open ↗", width="small"),
    "created_at": st.column_config.DatetimeColumn("Created (UTC)", format="YYYY-MM-DD HH:mm"),
    "age_hours": st.column_config.NumberColumn("Age (days)", format="%.1f"),
}


def open_tickets(tickets: pl.DataFrame, band: tuple[float, float] | None) -> pl.DataFrame:
    """The open tickets (``backlog_by_age`` view 'tickets') of one age band, age in days."""
    if band is not None:
        tickets = tickets.filter(pl.col("age_hours").is_between(band[0], band[1], closed="left"))
    return tickets.with_columns(pl.col("age_hours") / 24.0)


# --- Bot and security ----------------------------------------------------------------------


def bot_tiles(
    deflection: dict[str, Any], handover: dict[str, Any], false: dict[str, Any],
    after: dict[str, Any],
) -> list[Tile]:  # fmt: skip
    """Deflection, hand-over, false resolution and the first human reply after a hand-over."""
    return [
        Tile("Resolved by the bot alone", deflection["value"], "share", "bot_deflection",
             deflection["n"], better="higher", note="of bot conversations"),
        Tile("Handed over to a human", handover["value"], "share", "bot_handover", handover["n"]),
        Tile("False resolution", false["value"], "share", "bot_false_resolution", false["n"],
             better="lower", note="bot-resolved, customer back within the FCR window"),
        Tile("First reply after hand-over", after["median"], "minutes", "frt_after_handover",
             after["n"], better="lower", note=f"median; p90 {format_value(after['p90'], 'minutes')}"),
    ]  # fmt: skip


def security_tiles(row: dict[str, Any], escalations: bool) -> list[Tile]:
    """The incident clock: first response and escalation against their targets, and the
    incidents never answered, counted apart."""
    tiles = [
        Tile("Security incidents", row["n"], "count", "security_incidents", None,
             note=f"{row['answered']:,} answered"),
        Tile("First response (median)", row["frt_median"], "minutes", "security_incidents",
             row["answered"], better="lower",
             note=f"p90 {format_value(row['frt_p90'], 'minutes')} · answered incidents only"),
        Tile("First-response target missed", row["frt_breach_rate"], "share",
             "security_incidents", row["n"] - row["frt_pending"], better="lower",
             note=f"{row['frt_breaches']:,} answered late + {row['never_answered']:,} never "
             f"answered · {row['frt_pending']:,} still within target"),
        Tile("Never answered", row["never_answered"], "count", "security_incidents", None,
             better="lower", note="past the target with no reply: counted apart, not as waits"),
    ]  # fmt: skip
    if escalations:
        tiles.append(
            Tile("Escalation target missed", row["escalation_breach_rate"], "share",
                 "security_incidents", row["n"] - row["escalation_pending"], better="lower",
                 note=f"median {format_value(row['escalation_median'], 'minutes')} to escalate")
        )  # fmt: skip
    return tiles


BREACH_CONFIG: dict[str, Any] = {
    "transcript": st.column_config.LinkColumn("Transcript", display_text="open ↗", width="small"),
    "created_at": st.column_config.DatetimeColumn("Created (UTC)", format="YYYY-MM-DD HH:mm"),
    "target": "Target missed",
    "minutes_over": st.column_config.NumberColumn("Minutes over", format="%.0f"),
    "first_response_minutes_over": st.column_config.NumberColumn(
        "First response: minutes over", format="%.0f"
    ),
    "escalation_minutes_over": st.column_config.NumberColumn(
        "Escalation: minutes over", format="%.0f"
    ),
    "waiting_minutes": st.column_config.NumberColumn("Waiting for (min)", format="%.0f"),
    "never_answered": None,
}


def breaches(frame: pl.DataFrame, never_answered: bool, escalations: bool) -> pl.DataFrame:
    """The breach list's answered-late rows, or its never-answered ones, for display."""
    part = frame.filter(pl.col("never_answered") == never_answered)
    drop = ["never_answered"] + (["minutes_over", "first_response_minutes_over"]
                                 if never_answered else ["waiting_minutes"])  # fmt: skip
    if not escalations:
        drop += ["escalation_minutes_over", "escalated"]
    return part.drop([c for c in drop if c in part.columns])


def band_edges(ages: pl.DataFrame, picked: dict[str, Any] | None) -> tuple[float, float] | None:
    """The [from, to) hours of the picked age band (None: every band)."""
    if picked is None:
        return None
    later = ages.filter(pl.col("band_order") == picked["band_order"] + 1)
    return picked["from_hours"], later["from_hours"][0] if later.height else float("inf")


def with_agent_names(frame: pl.DataFrame, names: dict[str, str]) -> pl.DataFrame:
    """``agent_id`` shown as the agent's name from the agents table ("name (id)"), else the id."""
    if "agent_id" not in frame.columns:
        return frame
    return frame.with_columns(
        pl.col("agent_id").replace_strict(names, default=pl.col("agent_id")).alias("agent_id")
    ).rename({"agent_id": "agent"})
