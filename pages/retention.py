"""Retention: are customers still active after a support contact, and does a bad experience
(not resolved first time, a low rating, a negative ending) lose more of them?"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard import data, explain, filters, frame
from dashboard.charts import analytics as charts_analytics
from dashboard.settings_state import current_settings
from dashboard.views import analytics as view
from metrics.core import dimensions
from metrics.operations import volume
from metrics.retention import experience as retention

frame.require_app_frame()
settings = current_settings()
chosen = filters.current()
span = data.cached(dimensions.data_span, settings)
period = explain.period_text(chosen, settings, span)
names = filters.options()["agent"]

st.title("Retention")
filters.stop_if_empty(data.cached(volume.contact_count, settings, chosen), chosen)
st.markdown(
    "For customers with product activity: the share of support contacts after which the "
    "customer was active in days 1-30, 31-60 and 61-90, compared across support experiences."
)
st.caption(f"Contacts of {period} · {filters.describe(chosen, names)}")

split = filters.url_choice(
    "Compare contacts by", list(view.SPLIT_LABELS), "split", view.SPLIT_LABELS.get
)
curves = data.cached(retention.retention, settings, chosen, split=split)
note = view.no_activity_note(curves)
if note:
    st.info(note, icon=":material/info:")
    st.stop()

followed = view.followed_contacts(curves)
if followed == 0:
    everything = filters.query_string(replace(chosen, date_from=None, date_to=None))
    st.warning(
        "No contact of this period can be followed yet: the 30 days after each of them reach "
        "past the newest activity date in the warehouse (or before the oldest). Choose an "
        f"earlier period in the sidebar, or [open this page over all dates]({everything})."
    )
    st.caption(view.retention_exclusions(curves))
    st.stop()

st.header("Retention curves by experience")
st.plotly_chart(charts_analytics.retention_curves(curves))
explain.chart_caption("retention", followed, "contacts followed for days 1-30", period, settings)
st.caption(view.retention_exclusions(curves))

st.header("The gap after a bad experience")
window = (
    st.segmented_control("Days after the contact", ["1-30", "31-60", "61-90"], default="1-30",
                         key="retention_gap_window")
    or "1-30"
)  # fmt: skip
gap = data.cached(retention.retention_gap, settings, chosen, split=split, days_after=window)
row = gap.row(0, named=True)
with st.container(border=True, key="retention_gap"):
    st.metric(
        "Retention gap (good minus bad experience)",
        "not enough data" if row["gap"] is None else f"{row['gap'] * 100:+.1f} pp",
    )
    st.markdown(view.gap_sentence(row))
explain.chart_caption(
    "retention_gap",
    view.gap_contacts(row),
    "contacts with an observable window",
    period,
    settings,
)

st.header("Cohorts by contact month")
cohorts = data.cached(retention.retention_cohorts, settings, chosen)
st.plotly_chart(charts_analytics.retention_cohorts(cohorts))
explain.chart_caption(
    "retention_cohorts", followed, "contacts followed for days 1-30", period, settings
)
st.caption("A blank cell: that window has not ended yet for any contact of the month.")
