"""What a figure is computed over and what it means: the caption under every chart and tile
(n, period, time zone) and the definition, variant and exclusions from the metric registry."""

from __future__ import annotations

from datetime import date

import streamlit as st

from metrics.core.filters import Filters
from metrics.core.settings import Settings
from metrics.registry import MetricInfo, get_metric

Metric = str | MetricInfo


def info_of(metric: Metric) -> MetricInfo:
    """The registry entry for ``metric`` (a name), or ``metric`` itself when already one."""
    return metric if isinstance(metric, MetricInfo) else get_metric(metric)


def definition_markdown(metric: Metric) -> str:
    """The definition in plain words: what, unit, which variant, what is left out."""
    info = info_of(metric)
    lines = [f"**{info.label}** ({info.unit}): {info.definition}"]
    if info.variant:
        lines.append(f"**Variant:** {info.variant}.")
    if info.exclusions:
        lines.append(f"**Excluded:** {info.exclusions}.")
    lines.append(f"Reproduce it: `python -m metrics show {info.name}` with the same filters.")
    return "\n\n".join(lines)


def period_text(filters: Filters, settings: Settings, span: tuple[date | None, date | None]) -> str:
    """ "2026-10-02 to 2026-10-31 (30 days, UTC)", or all data with its first and last day."""
    zone = settings.reporting_timezone
    if filters.date_from is None and filters.date_to is None:
        if span[0] is None:
            return f"all data ({zone})"
        return f"all data: {span[0]} to {span[1]} ({zone})"
    start, end = filters.date_from or span[0], filters.date_to or span[1]
    days = (end - start).days + 1 if start and end else None
    length = f"{days} days, " if days else ""
    return f"{start or 'start'} to {end or 'end'} ({length}{zone})"


def small_sample_note(n: int | None, settings: Settings) -> str:
    """ "small sample" text when ``n`` is below settings.small_sample, else ""."""
    if n is None or n >= settings.small_sample:
        return ""
    return f"⚠ small sample (n = {n:,} < {settings.small_sample})"


def over_text(n: int | None, what: str, period: str, settings: Settings) -> str:
    """ "n = 1,234 contacts · 2026-10-02 to 2026-10-31 (30 days, UTC)" plus the small-sample flag."""
    parts = [f"n = {n:,} {what}" if n is not None else what, period]
    flag = small_sample_note(n, settings)
    return " · ".join(parts + ([flag] if flag else []))


def chart_caption(
    metric: Metric, n: int | None, what: str, period: str, settings: Settings
) -> None:
    """Under a chart: what it is computed over, and its definition in an expander."""
    st.caption(f"Computed over {over_text(n, what, period, settings)}.")
    with st.expander(f"Definition: {info_of(metric).label}", expanded=False):
        st.markdown(definition_markdown(metric))
