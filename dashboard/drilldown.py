"""From a figure to its rows: click a bar or point, see the contacts behind it, open one
contact's transcript.

A chart's points carry a key in ``customdata[0]`` (a bucket start such as "2026-10-05",
or a dimension value such as "urgent"); a selection turns those keys into extra filters
on top of the page's, and the rows come from the same contact fact as every metric. The
transcript opens from the URL (``?contact=SOURCE:ID``), so a row's link can be shared.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import access, data
from dashboard.filters import describe, query_string
from dashboard.settings_state import current_settings
from dashboard.tiles import format_value
from metrics.core.filters import DIMENSIONS, Filters
from metrics.operations import volume
from metrics.reports import transcripts

ROW_LIMIT = 200
CONTACT_PARAM = "contact"
ROW_COLUMNS: tuple[str, ...] = (
    "source", "contact_id", "created_at", "channel", "language", "agent_id", "priority",
    "category", "status", "frt_minutes", "first_resolution_minutes", "sla_met", "csat_score",
)  # fmt: skip
ROW_CONFIG: dict[str, Any] = {
    "transcript": st.column_config.LinkColumn("Transcript", display_text="open ↗", width="small"),
    "created_at": st.column_config.DatetimeColumn("Created (UTC)", format="YYYY-MM-DD HH:mm"),
    "frt_minutes": st.column_config.NumberColumn("FRT (min)", format="%.1f"),
    "first_resolution_minutes": st.column_config.NumberColumn("Resolution (min)", format="%.0f"),
}
Drill = Callable[[list[str]], Filters | None]


def bucket_drill(filters: Filters, bucket: str) -> Drill:
    """Keys are bucket starts (ISO days) of ``bucket`` (day, week or month): the selection's
    days from the first bucket's start to the last bucket's end, within the page's period."""

    def drill(keys: list[str]) -> Filters | None:
        starts = sorted(date.fromisoformat(k) for k in keys)
        if not starts:
            return None
        end = _bucket_end(starts[-1], bucket)
        start = max(starts[0], filters.date_from) if filters.date_from else starts[0]
        end = min(end, filters.date_to) if filters.date_to else end
        return replace(filters, date_from=start, date_to=end)

    return drill


def _bucket_end(start: date, bucket: str) -> date:
    if bucket == "week":
        return start + timedelta(days=6)
    if bucket == "month":
        following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
        return following - timedelta(days=1)
    return start


def dimension_drill(filters: Filters, dimension: str) -> Drill:
    """Keys are values of filter dimension ``dimension`` (e.g. priority): those values only."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"cannot drill into {dimension!r}; expected one of {list(DIMENSIONS)}")

    def drill(keys: list[str]) -> Filters | None:
        values = tuple(dict.fromkeys(k for k in keys if k and k != "(none)"))
        return replace(filters, **{dimension: values}) if values else None

    return drill


def selected_keys(event: Any) -> list[str]:
    """The ``customdata[0]`` of every selected point of a ``st.plotly_chart`` event."""
    points: Iterable[dict[str, Any]] = (event or {}).get("selection", {}).get("points", [])
    keys = []
    for point in points:
        custom = point.get("customdata")
        if isinstance(custom, list | tuple) and custom:
            keys.append(str(custom[0]))
        elif custom is not None:
            keys.append(str(custom))
    return keys


def chart(fig: go.Figure, key: str, drill: Drill, what: str) -> None:
    """Show ``fig``; when bars or points are selected, the contacts behind them below it."""
    event = st.plotly_chart(fig, key=key, on_select="rerun", selection_mode=("points", "box"))
    chosen = drill(selected_keys(event))
    if chosen is not None:
        rows_behind(chosen, what, key)


def transcript_links(frame: pl.DataFrame, filters: Filters) -> pl.DataFrame:
    """``frame`` (with source and contact_id) and a first column ``transcript``: a link to
    this page with the same filters that opens the contact's transcript."""
    base = query_string(filters)
    return frame.select(
        pl.format(
            "{}&{}={}:{}",
            pl.lit(base),
            pl.lit(CONTACT_PARAM),
            pl.col("source"),
            pl.col("contact_id"),
        ).alias("transcript"),
        pl.all(),
    )


def rows_behind(filters: Filters, what: str, key: str) -> None:
    """The contacts matching ``filters`` (at most ROW_LIMIT on screen), with transcript links;
    ``key`` names the container (``st-key-drill_KEY`` in the page)."""
    settings = current_settings()
    count = data.cached(volume.contact_count, settings, filters)
    rows = data.cached(volume.contact_page, settings, filters, "", ROW_COLUMNS, ROW_LIMIT, 0)
    days = f"{filters.date_from} to {filters.date_to}" if filters.date_from else "all dates"
    with st.container(border=True, key=f"drill_{key}"):
        st.markdown(f"**{count:,} contacts behind {what}** ({days}; {describe(filters)})")
        if count > ROW_LIMIT:
            st.caption(
                f"The first {ROW_LIMIT} by creation time are shown; Explore and export lists "
                "and downloads all of them."
            )
        st.dataframe(transcript_links(rows, filters), column_config=ROW_CONFIG, hide_index=True)


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")
_SPEAKERS = {
    "customer": ("user", ":material/person:"),
    "agent": ("assistant", ":material/support_agent:"),
    "bot": ("assistant", ":material/smart_toy:"),
    "system": ("assistant", ":material/info:"),
}


def messages(rows: Iterable[dict[str, Any]]) -> None:
    """A conversation as chat bubbles: who, when (UTC) and the body as stored (redacted);
    a note instead for a role without access to conversation text."""
    if not access.can_see_text():
        st.info(access.HIDDEN_NOTE, icon=":material/lock:")
        return
    for row in rows:
        name, avatar = _SPEAKERS.get(row.get("sender_type") or "", ("assistant", None))
        with st.chat_message(name, avatar=avatar):
            when = row["sent_at"].strftime("%Y-%m-%d %H:%M UTC") if row.get("sent_at") else ""
            st.caption(f"{row.get('sender_type') or 'unknown'} · {when}")
            st.markdown(_MARKDOWN.sub(r"\\\1", row.get("body") or "(empty message)"))


def _close_transcript() -> None:
    if CONTACT_PARAM in st.query_params:
        del st.query_params[CONTACT_PARAM]


def transcript_from_url() -> None:
    """When the URL names a contact (``?contact=SOURCE:ID``), show its transcript at the top."""
    reference = st.query_params.get(CONTACT_PARAM)
    if not reference:
        return
    try:
        key = transcripts.ContactKey.parse(reference)
    except ValueError as err:
        st.warning(str(err))
        return
    settings = current_settings()
    record = data.cached(transcripts.contact_record, settings, key)
    with st.container(border=True, key="transcript"):
        st.subheader(f"Conversation {key}")
        if record is None:
            st.warning(f"There is no contact {key} in this warehouse.")
        else:
            st.caption(_record_line(record))
            rows = data.cached(transcripts.transcript, key)
            if rows.is_empty():
                st.info("No messages were loaded for this contact (its export had none).")
            messages(rows.iter_rows(named=True))
        st.button("Close conversation", on_click=_close_transcript, key="close_transcript")


def _record_line(record: dict[str, Any]) -> str:
    text = access.can_see_text()
    parts = [
        (record.get("subject") or "") if text else "",
        f"created {record['created_at']:%Y-%m-%d %H:%M} UTC",
        " / ".join(
            str(record[k]) for k in ("channel", "language", "priority", "category") if record.get(k)
        ),
        f"agent {record['agent_id']}" if record.get("agent_id") else "no agent",
        f"status {record.get('status') or 'unknown'}",
        f"first response {format_value(record.get('frt_minutes'), 'minutes')}",
        f"CSAT {record['csat_score']}" if record.get("csat_score") is not None else "no survey",
        "message bodies are shown as stored: redacted at load" if text else "",
    ]
    return " · ".join(part for part in parts if part)
