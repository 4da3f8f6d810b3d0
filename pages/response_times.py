"""Response and waits (manager): how long customers wait for each reply, who is waiting on whom
(requester vs agent wait), the chat queue by hour, and how right the published waits are."""

from __future__ import annotations

import streamlit as st

from dashboard import availability, data, drilldown, explain, filters, frame, periods, tiles
from dashboard.background import Pending
from dashboard.charts import common as charts
from dashboard.charts import operations as charts_ops
from dashboard.settings_state import current_settings
from dashboard.views import operations as view
from dashboard.views import samples
from metrics.core import dimensions
from metrics.operations import chat_queue, volume, wait_estimates
from metrics.response import conversation, status_time

frame.require_app_frame()
settings = current_settings()
chosen = filters.current()
span = data.cached(dimensions.data_span, settings)
period = explain.period_text(chosen, settings, span)
names = filters.options()["agent"]

st.title("Response and waits")
filters.link_warnings()
drilldown.transcript_from_url()
filters.stop_if_empty(data.cached(volume.contact_count, settings, chosen), chosen)
st.caption(f"{period} · {filters.describe(chosen, names)}")
bucket = filters.default_bucket(chosen, span)
# The back-test of the published waits is the page's longest call (the pooled estimate of every
# week's slots): made on a thread while the figures above it are, then shown in its place.
accuracy_pending = (
    Pending(data.cached, wait_estimates.wait_estimates, settings, chosen, view="accuracy")
    if availability.state("wait_estimates", settings, chosen).shown
    else None
)

st.header("Reply time: every wait for an agent")
if availability.gate("reply_time", settings, chosen):
    runs = data.cached(conversation.reply_time, settings, chosen).row(0, named=True)
    per_chat = data.cached(conversation.reply_time, settings, chosen, per="conversation")
    waits = data.cached(conversation.requester_wait, settings, chosen).row(0, named=True)
    tiles.kpi_row(view.reply_tiles(runs, per_chat.row(0, named=True), waits), settings, False, 3)
    trend = data.cached(conversation.reply_time, settings, chosen, by=bucket)
    trend = periods.marked(trend.filter(trend["n"] > 0), bucket, "reply_time", settings, chosen)
    drilldown.chart(
        charts.duration_trend(trend, bucket, "Reply time"), "reply_trend",
        drilldown.bucket_drill(chosen, bucket), f"the selected {bucket}s",
    )  # fmt: skip
    periods.caption(trend)
    explain.chart_caption("reply_time", runs["n"], "answered customer waits", period, settings)
    explain.chart_caption("requester_wait", waits["n"], "contacts", period, settings)

st.header("Who is waiting: requester vs agent wait")
if availability.gate("status_time", settings, chosen):
    as_of = periods.state(settings).as_of
    split = data.cached(status_time.status_time, settings, chosen, as_of=as_of).row(0, named=True)
    if split["n"]:
        st.plotly_chart(charts_ops.wait_split(split))
    explain.chart_caption(
        "status_time", split["n"], "tickets with a status history", period, settings
    )
    st.caption(
        f"{split['open_now']:,} of them are still open: their current status counts up to the "
        f"newest recorded instant ({as_of:%Y-%m-%d %H:%M} UTC)."
        if as_of and split["n"]
        else ""
    )

st.header("Chat queue by hour of day")
if availability.gate("chat_queue_by_hour", settings, chosen):
    queue = data.cached(chat_queue.chat_queue_by_hour, settings, chosen)
    if queue.is_empty():
        st.info("No data: no chat conversation of these contacts waited for an agent.")
    else:
        st.plotly_chart(charts_ops.queue_by_hour(queue))
    explain.chart_caption(
        "chat_queue_by_hour", int(queue["n"].sum()) if queue.height else 0,
        "waits in chat conversations", period, settings,
    )  # fmt: skip

st.header("Published wait estimates: how right are they?")
if availability.gate("wait_estimates", settings, chosen) and accuracy_pending is not None:
    accuracy = accuracy_pending.result()
    tiles.kpi_row(
        view.estimate_tiles(accuracy.row(0, named=True), settings.small_sample), settings, False, 2
    )
    per_channel, left_out = samples.enough_groups(
        data.cached(wait_estimates.wait_estimates, settings, chosen, view="accuracy", by="channel"),
        settings.small_sample,
        groups="channel",
    )
    # Without channels every contact falls in one "(none)" bar: the total again, not a breakdown.
    by_channel = not availability.state("wait_estimates", settings, chosen).lacks("channels")
    if by_channel and not per_channel.is_empty():
        drilldown.chart(
            charts.rate_by_group(per_channel, "channel", "Answered within the estimate", "contacts"),
            "estimate_accuracy", drilldown.dimension_drill(chosen, "channel"), "the selected channels",
        )  # fmt: skip
    if left_out:
        st.caption(left_out)
    explain.chart_caption(
        "wait_estimates", accuracy["n"][0], "answered contacts with an estimate", period, settings
    )
    with st.expander("The waits to publish now, per channel, language and hour of week"):
        estimates = data.cached(wait_estimates.wait_estimates, settings, chosen)
        none = view.no_estimate_words(estimates, settings.small_sample)
        if none:
            st.info(none, icon=":material/block:")
        else:
            st.caption(view.ESTIMATE_NEEDS_TABLE.format(min_n=settings.small_sample))
            st.dataframe(
                view.estimate_table(estimates, settings.small_sample),
                column_config=view.ESTIMATE_CONFIG, hide_index=True, key="wait_estimate_table",
            )  # fmt: skip
