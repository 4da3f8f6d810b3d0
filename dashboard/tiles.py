"""KPI tiles: a value, its change against the previous period of equal length, the n it
was computed over (flagged when small), and an ⓘ with the registry's definition.

Formatting lives here too (``format_value``), so tiles, tables and the printable
scorecard spell a figure the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import streamlit as st

from dashboard import explain
from dashboard.availability import missing_value, not_enough_value
from metrics.core.settings import Settings
from metrics.operations.volume import CONTACTS_INFO

Better = Literal["higher", "lower", "neutral"]


def format_minutes(minutes: float) -> str:
    """Minutes as "42.5 min", "13.1 h" (from 2 hours) or "5.2 d" (from 2 days)."""
    if abs(minutes) >= 2 * 24 * 60:
        return f"{minutes / (24 * 60):,.1f} d"
    if abs(minutes) >= 120:
        return f"{minutes / 60:,.1f} h"
    return f"{minutes:,.1f} min"


def format_value(value: float | None, unit: str) -> str:
    """A figure in its unit: share "85.5%", minutes "42.5 min", counts "1,234", scores "3.90"."""
    if value is None:
        return "—"
    if unit == "share":
        return f"{value:.1%}"
    if unit == "minutes":
        return format_minutes(value)
    if unit in ("contacts", "count"):
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def format_change(value: float | None, previous: float | None, unit: str) -> str | None:
    """The signed change from ``previous`` ("+2.1 pp", "-12.0 min", "+310 (+8%)"), None when
    either is missing."""
    if value is None or previous is None:
        return None
    diff = value - previous
    if unit == "share":
        return f"{diff * 100:+.1f} pp"
    if unit == "minutes":
        return ("+" if diff >= 0 else "-") + format_minutes(abs(diff))
    if unit in ("contacts", "count"):
        relative = f" ({diff / previous:+.0%})" if previous else ""
        return f"{diff:+,.0f}{relative}"
    return f"{diff:+.2f}"


@dataclass(frozen=True)
class Tile:
    """One KPI: its value and previous value in ``unit``, the n behind it, and its metric.

    ``availability`` is the metric's status for these filters as ``{"status", "reasons",
    "commands"}`` (``metrics.core.availability.Availability.as_dict``); a tile whose status is
    ``not_available`` shows "not available" and why, never a value; ``provisional`` says why
    the period's figure is still moving (shown beside it). ``min_n`` is for a figure that is a
    conclusion (a back-tested accuracy, a verdict): computed on fewer items it shows "not
    enough data", the n and ``needs`` (what would make it available), never the value."""

    label: str
    value: float | None
    unit: str
    metric: explain.Metric
    n: int | None = None
    previous: float | None = None
    better: Better = "neutral"
    note: str = ""
    availability: dict[str, Any] | None = None
    provisional: str = ""
    min_n: int = 0
    needs: str = ""

    @property
    def missing(self) -> bool:
        """True when the figure's inputs are not in the warehouse (or these filters)."""
        return bool(self.availability) and self.availability["status"] == "not_available"

    @property
    def too_few(self) -> bool:
        """True when the figure is a conclusion and rests on fewer than ``min_n`` items
        (n = 0 is "no data", not a small sample)."""
        return bool(self.n) and self.n < self.min_n


def headline_tiles(head: dict[str, Any], prev: dict[str, Any] | None) -> list[Tile]:
    """The Overview's tiles from ``metrics.reports.summary.headline`` (and its previous period)."""

    def before(*path: str) -> Any:
        item: Any = prev
        for key in path:
            item = item.get(key) if isinstance(item, dict) else None
        return item

    frt, res, csat, sent = (
        head[k] for k in ("frt_minutes", "resolution_minutes", "csat", "sentiment")
    )
    states = head.get("availability", {})
    tiles = [
        Tile("Contacts", head["contacts"], "contacts", CONTACTS_INFO, None,
             before("contacts"), "neutral",
             f"{head['tickets']:,} tickets · {head['conversations']:,} chats without a ticket"),
        Tile("First response", frt["median"], "minutes", "frt", frt["n"],
             before("frt_minutes", "median"), "lower",
             f"median; p90 {format_value(frt['p90'], 'minutes')} · {head['unanswered']:,} unanswered"),
        Tile("First resolution", res["median"], "minutes", "first_resolution_time",
             res["n"], before("resolution_minutes", "median"), "lower",
             f"median; p90 {format_value(res['p90'], 'minutes')}"),
        Tile("SLA attainment", head["sla_attainment"]["value"], "share", "sla_attainment",
             head["sla_attainment"]["n"], before("sla_attainment", "value"), "higher"),
        Tile("FCR", head["fcr_rate"]["value"], "share", "fcr_rate",
             head["fcr_rate"]["n"], before("fcr_rate", "value"), "higher",
             f"first-contact resolution; one-touch {format_value(head['one_touch_rate']['value'], 'share')}"),
        Tile("Reopen rate", head["reopen_rate"]["value"], "share", "reopen_rate",
             head["reopen_rate"]["n"], before("reopen_rate", "value"), "lower"),
        Tile("CSAT", csat["value"], "share", "csat", csat["responses"],
             before("csat", "value"), "higher",
             f"share of 4-5 · mean {format_value(csat['mean'], 'score')} · "
             f"{format_value(csat['response_rate'], 'share')} of solved answered"),
        Tile("Negative messages", sent["negative_share"], "share", "sentiment",
             sent["n"], before("sentiment", "negative_share"), "lower",
             f"scored: {format_value(sent['coverage'], 'share')} of customer messages"),
    ]  # fmt: skip
    keys = ("contacts", "frt_minutes", "resolution_minutes", "sla_attainment", "fcr_rate",
            "reopen_rate", "csat", "sentiment")  # fmt: skip
    return [replace(t, availability=states.get(key)) for t, key in zip(tiles, keys, strict=True)]


def _missing_tile(tile: Tile) -> None:
    """A tile whose inputs are missing: "not available", why, and how to load them."""
    state = tile.availability or {}
    missing_value(tile.label)
    reasons = state.get("reasons", []) or ["its inputs are not in this warehouse"]
    more = f" (+{len(reasons) - 1} more: see Definition)" if len(reasons) > 1 else ""
    st.caption(reasons[0] + more)
    with st.popover("Definition", icon=":material/info:", width="stretch"):
        st.markdown(explain.definition_markdown(tile.metric))
        st.markdown("**Not available:** " + "; ".join(reasons) + ".")
        for command in state.get("commands", []):
            st.markdown(f"To make it available: `{command}`")


def too_few_text(n: int, min_n: int, needs: str) -> str:
    """ "n = 2 < 30: too few to conclude from. Available with ..." for a conclusion on a small
    sample."""
    return f"n = {n:,} < {min_n}: too few to conclude from." + (f" {needs}" if needs else "")


def _too_few_tile(tile: Tile) -> None:
    """A conclusion on fewer than ``min_n`` items: "not enough data", its n and what would
    make it available; never the value."""
    not_enough_value(tile.label)
    st.caption(too_few_text(tile.n or 0, tile.min_n, tile.needs))
    with st.popover("Definition", icon=":material/info:", width="stretch"):
        st.markdown(explain.definition_markdown(tile.metric))


def tile(tile: Tile, settings: Settings, compared: bool) -> None:
    """One bordered tile: st.metric with its delta, the n (flagged when small), the ⓘ;
    "not available" (with why) when its inputs are missing, "no data" when n is 0, "not
    enough data" when a conclusion rests on fewer than its ``min_n`` items."""
    with st.container(border=True):
        if tile.missing:
            _missing_tile(tile)
            return
        if tile.too_few:
            _too_few_tile(tile)
            return
        empty = tile.n == 0 or (tile.n is None and tile.value is None)
        delta = format_change(tile.value, tile.previous, tile.unit) if compared else None
        # A provisional figure is never the basis of a conclusion: its change is shown grey,
        # not as better (green) or worse (red).
        moving = bool(tile.provisional) and not empty
        better = "neutral" if moving else tile.better
        colour = {"higher": "normal", "lower": "inverse", "neutral": "off"}[better]
        shown = "no data" if empty and tile.value is None else format_value(tile.value, tile.unit)
        st.metric(tile.label, shown, delta, delta_color=colour)
        lines = [f"n = {tile.n:,}" if tile.n else ""]
        if compared and tile.previous is None and not empty:
            lines.append("no previous value")
        flag = explain.small_sample_note(tile.n, settings)
        caption = " · ".join(part for part in (*lines, "" if empty else tile.note) if part)
        st.caption(caption or " ")
        if flag:
            st.markdown(f":orange[{flag}]")
        if moving:
            judged = " (its change is not judged)" if delta else ""
            st.markdown(f":violet[◌ provisional: still moving{judged}]", help=tile.provisional)
        partial = (tile.availability or {}).get("status") == "partial"
        with st.popover("Definition", icon=":material/info:", width="stretch"):
            st.markdown(explain.definition_markdown(tile.metric))
            if partial:
                st.markdown("**Partial:** " + "; ".join(tile.availability["reasons"]) + ".")


def kpi_row(tiles: Sequence[Tile], settings: Settings, compared: bool, per_row: int = 4) -> None:
    """Tiles in rows of ``per_row``; ``compared`` when a previous period exists."""
    for start in range(0, len(tiles), per_row):
        for column, item in zip(st.columns(per_row), tiles[start : start + per_row], strict=False):
            with column:
                tile(item, settings, compared)


def with_provisional(tiles: Sequence[Tile], reason: Callable[[str], str]) -> list[Tile]:
    """``tiles`` with ``provisional`` set from ``reason(metric name)`` (e.g.
    ``dashboard.periods.period_reason`` for the page's filters)."""
    return [replace(t, provisional=reason(explain.info_of(t.metric).name)) for t in tiles]
