"""Overview (manager): headline KPIs with their change, trends, SLA by priority, volume by hour."""

from __future__ import annotations

import streamlit as st

from dashboard import data, drilldown, explain, filters, frame, tiles
from dashboard.charts import common as charts
from dashboard.settings_state import current_settings
from dashboard.views import coverage as coverage_view
from metrics.core import dimensions
from metrics.coverage import gaps as coverage
from metrics.operations import volume
from metrics.reports import summary
from metrics.response import first_response as response
from metrics.response import resolution

frame.require_app_frame()
settings = current_settings()
chosen = filters.current()
span = data.cached(dimensions.data_span, settings)
period = explain.period_text(chosen, settings, span)

st.title("Overview")
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
tiles.kpi_row(tiles.headline_tiles(head, before), settings, compared)

st.header("Trends")
bucket = (
    st.segmented_control(
        "Trend by", ["day", "week"], default=filters.default_bucket(chosen, span), key="trend_by"
    )
    or "week"
)
by_bucket = drilldown.bucket_drill(chosen, bucket)
contacts = data.cached(volume.contact_volume, settings, chosen, by=bucket)
drilldown.chart(
    charts.volume_trend(contacts, bucket), "volume", by_bucket, f"the selected {bucket}s"
)
explain.chart_caption(volume.CONTACTS_INFO, head["contacts"], "contacts", period, settings)

frt = data.cached(response.first_response_time, settings, chosen, by=bucket)
drilldown.chart(
    charts.duration_trend(frt, bucket, "First response time"),
    "frt",
    by_bucket,
    f"the selected {bucket}s",
)
explain.chart_caption("frt", head["frt_minutes"]["n"], "answered contacts", period, settings)

st.header("SLA attainment by priority")
sla = data.cached(resolution.sla_attainment, settings, chosen, by="priority")
drilldown.chart(
    charts.rate_by_group(sla, "priority", "SLA attainment", "contacts"),
    "sla",
    drilldown.dimension_drill(chosen, "priority"),
    "the selected priorities",
)
explain.chart_caption(
    "sla_attainment", head["sla_attainment"]["n"], "contacts with a target", period, settings
)

st.header("Contacts and agents on shift")
slots = data.cached(coverage.coverage_by_hour, settings, chosen)
st.plotly_chart(charts.volume_vs_staffing(slots))
explain.chart_caption(
    "coverage_by_hour", coverage_view.slot_contacts(slots), "contacts needing an agent", period,
    settings,
)  # fmt: skip
