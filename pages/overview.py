"""Overview (manager): headline KPIs with their change, trends, SLA by priority, volume by hour.

Every figure is shown only when the warehouse has its inputs (dashboard.availability), and
the trend buckets still moving are marked provisional (dashboard.periods)."""

from __future__ import annotations

import streamlit as st

from dashboard import availability, data, drilldown, explain, filters, frame, periods, tiles
from dashboard.charts import common as charts
from dashboard.settings_state import current_settings
from dashboard.views import alerts as alerts_view
from dashboard.views import coverage as coverage_view
from dashboard.views import samples
from metrics.core import dimensions
from metrics.coverage import gaps as coverage
from metrics.operations import volume
from metrics.reports import summary
from metrics.response import first_response as response
from metrics.response import resolution

frame.require_app_frame()
settings = current_settings()
chosen = filters.current()
# The alerts are the page's longest call (each rule's daily series): evaluated on a thread
# while the figures above and below them are made, then shown in their place.
fired = alerts_view.start_alerts(settings, chosen)
span = data.cached(dimensions.data_span, settings)
period = explain.period_text(chosen, settings, span)

st.title("Overview")
filters.link_warnings()
drilldown.transcript_from_url()
head = data.cached(summary.headline, settings, chosen)
filters.stop_if_empty(head["contacts"], chosen)

previous = chosen.previous_period()
compared = previous != chosen
before = data.cached(summary.headline, settings, previous) if compared else None
against = (
    f"changes against {explain.period_text(previous, settings, span)}"
    if compared
    else "no previous period to compare with (all data)"
)
st.caption(f"{period} · {filters.describe(chosen, filters.options()['agent'])} · {against}")
kpis = tiles.headline_tiles(head, before)
reason = lambda metric: periods.period_reason(chosen, metric, settings)  # noqa: E731
tiles.kpi_row(tiles.with_provisional(kpis, reason), settings, compared)

st.header("Alerts")
alerts_slot = st.container()

st.header("Trends")
bucket = (
    st.segmented_control(
        "Trend by", ["day", "week"], default=filters.default_bucket(chosen, span), key="trend_by"
    )
    or "week"
)
by_bucket = drilldown.bucket_drill(chosen, bucket)
# Contacts per day or week need creation times, as the peak-day metric does.
if availability.gate("peak_days", settings, chosen, "Contacts over time"):
    contacts = data.cached(volume.contact_volume, settings, chosen, by=bucket)
    contacts = periods.marked(contacts, bucket, "contacts", settings, chosen)
    drilldown.chart(
        charts.volume_trend(contacts, bucket), "volume", by_bucket, f"the selected {bucket}s"
    )
    periods.caption(contacts)
    explain.chart_caption(volume.CONTACTS_INFO, head["contacts"], "contacts", period, settings)

if availability.gate("frt", settings, chosen):
    frt = data.cached(response.first_response_time, settings, chosen, by=bucket)
    frt = periods.marked(frt.filter(frt["n"] > 0), bucket, "frt", settings, chosen)
    drilldown.chart(
        charts.duration_trend(frt, bucket, "First response time"),
        "frt",
        by_bucket,
        f"the selected {bucket}s",
    )
    periods.caption(frt)
    explain.chart_caption("frt", head["frt_minutes"]["n"], "answered contacts", period, settings)

st.header("SLA attainment by priority")
if availability.gate("sla_attainment", settings, chosen):
    sla = data.cached(resolution.sla_attainment, settings, chosen, by="priority")
    # Without priorities every contact is one "(none)" bar: the SLA tile again, not a breakdown.
    unknown = samples.no_breakdown(sla, "priority")
    if unknown:
        st.info(unknown)
    else:
        drilldown.chart(
            charts.rate_by_group(
                sla, "priority", "SLA attainment", "contacts", settings.priority_order
            ),
            "sla",
            drilldown.dimension_drill(chosen, "priority"),
            "the selected priorities",
        )
    explain.chart_caption(
        "sla_attainment", head["sla_attainment"]["n"], "contacts with a target", period, settings
    )

st.header("Contacts and agents on shift")
if availability.gate("coverage_by_hour", settings, chosen):
    slots = data.cached(coverage.coverage_by_hour, settings, chosen)
    on_shift = not availability.state("coverage_by_hour", settings, chosen).lacks("presence")
    st.plotly_chart(charts.volume_vs_staffing(slots, on_shift))
    explain.chart_caption(
        "coverage_by_hour", coverage_view.slot_contacts(slots), "contacts needing an agent",
        period, settings,
    )  # fmt: skip

with alerts_slot:
    alerts_view.alerts_and_digest(settings, chosen, fired)
