"""Retention: are customers still active after a support contact, and does a bad experience
(not resolved first time, a low rating, a negative ending) lose more of them?"""

from __future__ import annotations

import streamlit as st

from dashboard import availability, data, explain, filters, frame
from dashboard.charts import analytics as charts_analytics
from dashboard.settings_state import current_settings
from dashboard.views import analytics as view
from metrics.core import dimensions
from metrics.operations import volume
from metrics.retention import experience as retention
from metrics.retention import window

frame.require_app_frame()
settings = current_settings()
chosen = filters.current()
span = data.cached(dimensions.data_span, settings)
period = explain.period_text(chosen, settings, span)
names = filters.options()["agent"]

st.title("Retention")
filters.link_warnings()
filters.stop_if_empty(data.cached(volume.contact_count, settings, chosen), chosen)
st.markdown(
    "For customers with product activity: the share of support contacts after which the "
    "customer was active in days 1-30, 31-60 and 61-90, compared across support experiences."
)
if not availability.gate("retention", settings, chosen):
    st.stop()

split = filters.url_choice(
    "Compare contacts by", list(view.SPLIT_LABELS), "split", view.SPLIT_LABELS.get
)
curves = data.cached(retention.retention, settings, chosen, split=split)
note = view.no_activity_note(curves)
if note:
    st.info(note, icon=":material/info:")
    st.stop()

if view.followed_contacts(curves) == 0:
    # The chosen period cannot be followed yet: open on the latest one that can, and say so.
    moved = data.cached(window.latest_followable, settings, chosen)
    if moved is None:
        st.warning(
            "No contact can be followed: the activity data does not cover 30 days after any "
            "contact. Load more activity with `python -m etl load activity FILE --db PATH`."
        )
        st.stop()
    st.info(
        f"The contacts of {period} cannot be followed yet: the 30 days after them reach past "
        "the newest activity date in the warehouse. Showing instead "
        f"**{explain.period_text(moved, settings, span)}**, the latest period of the same "
        f"length whose 30-day windows have all ended. [Keep this view]"
        f"({filters.query_string(moved)}).",
        icon=":material/history:",
    )
    chosen, period = moved, explain.period_text(moved, settings, span)
    curves = data.cached(retention.retention, settings, chosen, split=split)
followed = view.followed_contacts(curves)
st.caption(f"Contacts of {period} · {filters.describe(chosen, names)}")

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
