"""Channels and backlog (manager): the headline figures per channel, repeat contacts, and the
open tickets over time and by age, with the tickets behind each bar."""

from __future__ import annotations

import streamlit as st

from dashboard import availability, data, drilldown, explain, filters, frame, periods
from dashboard.charts import common as charts
from dashboard.charts import operations as charts_ops
from dashboard.settings_state import current_settings
from dashboard.views import operations as view
from dashboard.views import samples
from metrics.core import dimensions
from metrics.operations import backlog, volume
from metrics.reports import channels
from metrics.response import resolution

frame.require_app_frame()
settings = current_settings()
chosen = filters.current()
span = data.cached(dimensions.data_span, settings)
period = explain.period_text(chosen, settings, span)
names = filters.options()["agent"]

st.title("Channels and backlog")
filters.link_warnings()
drilldown.transcript_from_url()
filters.stop_if_empty(data.cached(volume.contact_count, settings, chosen), chosen)
st.caption(f"{period} · {filters.describe(chosen, names)}")

st.header("Figures by channel")
if availability.gate("channel_breakdown", settings, chosen):
    breakdown = data.cached(channels.channel_breakdown, settings, chosen)
    # Without channels the bar and the table's one "None" row are the totals again.
    unknown = samples.no_breakdown(breakdown.rename({"contacts": "n"}), "channel")
    if unknown:
        st.info(unknown)
    else:
        drilldown.chart(
            charts_ops.channel_volume(breakdown), "channels",
            drilldown.dimension_drill(chosen, "channel"), "the selected channels",
        )  # fmt: skip
        missing = {
            metric: "; ".join(item.reasons)
            for metric in view.CHANNEL_PARTS
            if not (item := availability.state(metric, settings, chosen)).shown
        }
        st.dataframe(
            view.channel_table(breakdown, missing), column_config=view.CHANNEL_CONFIG,
            hide_index=True, key="channel_table",
        )  # fmt: skip
        for metric, why in missing.items():
            st.caption(f"Not available, so not shown: {explain.info_of(metric).label} ({why}).")
    explain.chart_caption(
        "channel_breakdown", int(breakdown["contacts"].sum()), "contacts", period, settings
    )

st.header("Repeat contacts")
if availability.gate("repeat_contact_rate", settings, chosen):
    repeat = data.cached(resolution.repeat_contact_rate, settings, chosen, by="channel")
    unknown = samples.no_breakdown(repeat, "channel")
    if unknown:
        st.info(unknown)
    else:
        drilldown.chart(
            charts.rate_by_group(repeat, "channel", "Repeat contacts", "contacts"), "repeat",
            drilldown.dimension_drill(chosen, "channel"), "the selected channels",
        )  # fmt: skip
    overall = data.cached(resolution.repeat_contact_rate, settings, chosen).row(0, named=True)
    reason = periods.period_reason(chosen, "repeat_contact_rate", settings)
    if reason:
        st.caption(f"◌ Provisional: {reason}.")
    explain.chart_caption(
        "repeat_contact_rate", overall["n"], "contacts with a known customer", period, settings
    )

st.header("Backlog: open tickets over time")
if availability.gate("backlog_over_time", settings, chosen):
    bucket = filters.default_bucket(chosen, span)
    curve = data.cached(backlog.backlog_over_time, settings, chosen, bucket=bucket)
    curve = periods.marked(curve, bucket, "backlog_over_time", settings, chosen)
    drilldown.chart(
        charts_ops.backlog_trend(curve, bucket), "backlog",
        drilldown.bucket_drill(chosen, bucket), f"the tickets opened in the selected {bucket}s",
    )  # fmt: skip
    periods.caption(curve)
    if view.backlog_words(curve):
        st.caption(view.backlog_words(curve))
    explain.chart_caption("backlog_over_time", None, f"{curve.height} {bucket}s", period, settings)

st.header("Backlog by age")
if availability.gate("backlog_by_age", settings, chosen):
    moment = data.cached(backlog.backlog_moment, settings, chosen)
    ages = data.cached(backlog.backlog_by_age, settings, chosen)
    total = int(ages["n"].sum()) if ages.height else 0
    st.caption(f"Tickets open at {moment:%Y-%m-%d %H:%M} UTC: {total:,}." if moment else "")
    if total:
        st.plotly_chart(charts_ops.backlog_ages(ages))
        bands = {row["band"]: row for row in ages.iter_rows(named=True) if row["n"]}
        band = st.selectbox("Open tickets aged", ["all ages", *bands], key="backlog_band")
        picked = bands.get(band)
        tickets = data.cached(backlog.backlog_by_age, settings, chosen, view="tickets")
        edges = view.band_edges(ages, picked)
        st.dataframe(
            drilldown.transcript_links(
                view.with_agent_names(view.open_tickets(tickets, edges), names), chosen
            ),
            column_config=view.OPEN_TICKET_CONFIG, hide_index=True, key="open_tickets",
        )  # fmt: skip
    explain.chart_caption("backlog_by_age", total, "open tickets", period, settings)
