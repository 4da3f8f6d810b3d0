"""What pages show in place of a figure whose inputs the warehouse lacks.

Every section of a page asks :func:`gate` before drawing a figure: when the metric is *not
available* (``metrics.core.availability``) the section shows why and the command that would
load what is missing, and draws nothing (never a 0, a small sample or a conclusion); when it
is *partial* it shows the figure with a caption saying what is missing.
"""

from __future__ import annotations

import streamlit as st

from dashboard import data
from metrics.core.availability import Availability, judge
from metrics.core.filters import Filters
from metrics.core.inputs import DataFacts, data_facts, table_counts
from metrics.core.settings import Settings
from metrics.registry import get_metric

NOT_AVAILABLE = "not available"
NO_DATA = "no data"
NOT_ENOUGH = "not enough data"


def facts(settings: Settings, filters: Filters) -> DataFacts:
    """The warehouse's counts for these filters (cached per warehouse version; the
    whole-warehouse counts once, whatever the filters)."""
    return data.cached(data_facts, settings, filters, tables=data.cached(table_counts))


def state(metric: str, settings: Settings, filters: Filters) -> Availability:
    """Whether ``metric`` can be shown for these filters."""
    return judge(facts(settings, filters), metric)


def _label(metric: str) -> str:
    try:
        return get_metric(metric).label
    except KeyError:
        return metric.replace("_", " ").capitalize()


def explain_missing(item: Availability, label: str | None = None) -> str:
    """Markdown: "**CSAT: not available.** No survey responses are loaded. Load them with
    `python -m etl load surveys FILE --db PATH`."""
    reasons = "; ".join(item.reasons) or "its inputs are not in this warehouse"
    text = (
        f"**{label or _label(item.metric)}: {NOT_AVAILABLE}.** {reasons[0].upper()}{reasons[1:]}."
    )
    if item.commands:
        text += " To make it available: " + "; or ".join(f"`{c}`" for c in item.commands) + "."
    return text


def show_missing(item: Availability, label: str | None = None) -> None:
    """The "not available" box of a figure, with its reason and commands."""
    st.info(explain_missing(item, label), icon=":material/block:")


def missing_value(label: str) -> None:
    """In place of a tile's value: the label and "not available" (not st.metric, whose large
    value font cuts the words to "not availa…" in a narrow tile)."""
    st.markdown(f"{label}\n\n**:gray-background[:material/block: {NOT_AVAILABLE}]**")


def not_enough_value(label: str) -> None:
    """In place of a tile's value when its conclusion would rest on too few items."""
    st.markdown(f"{label}\n\n**:gray-background[:material/block: {NOT_ENOUGH}]**")


def partial_note(item: Availability) -> str:
    """ "Partial: agents on shift are inferred ..." (empty when the figure is whole)."""
    if item.status != "partial" or not item.reasons:
        return ""
    return "Partial: " + "; ".join(item.reasons) + "."


def gate(metric: str, settings: Settings, filters: Filters, label: str | None = None) -> bool:
    """True when the section may draw ``metric``; else it has shown why not. A partial
    figure gets its caption here (draw it below)."""
    item = state(metric, settings, filters)
    if not item.shown:
        show_missing(item, label)
        return False
    note = partial_note(item)
    if note:
        st.caption(f":material/warning: {note}")
    return True
