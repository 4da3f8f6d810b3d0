"""Bot and security (manager): how often the chatbot resolves alone, hands over or only seems to
resolve, and the security-incident clock with its breach list (never-answered apart)."""

from __future__ import annotations

import streamlit as st

from dashboard import availability, data, drilldown, explain, filters, frame, periods, tiles
from dashboard.charts import common as charts
from dashboard.settings_state import current_settings
from dashboard.views import operations as view
from metrics.core import dimensions
from metrics.operations import bot, security, volume
from metrics.response import first_response

frame.require_app_frame()
settings = current_settings()
chosen = filters.current()
span = data.cached(dimensions.data_span, settings)
period = explain.period_text(chosen, settings, span)
names = filters.options()["agent"]

st.title("Bot and security")
filters.link_warnings()
drilldown.transcript_from_url()
filters.stop_if_empty(data.cached(volume.contact_count, settings, chosen), chosen)
st.caption(f"{period} · {filters.describe(chosen, names)}")

st.header("The chatbot")
if availability.gate("bot_deflection", settings, chosen):
    figures = [
        data.cached(fn, settings, chosen).row(0, named=True)
        for fn in (bot.bot_deflection, bot.bot_handover, bot.bot_false_resolution,
                   first_response.first_response_after_handover)
    ]  # fmt: skip
    found = tiles.with_provisional(
        view.bot_tiles(*figures), lambda m: periods.period_reason(chosen, m, settings)
    )
    tiles.kpi_row(found, settings, False, per_row=4)
    per_channel = data.cached(bot.bot_deflection, settings, chosen, by="channel")
    drilldown.chart(
        charts.rate_by_group(per_channel, "channel", "Resolved by the bot alone", "bot conversations"),
        "bot_channels", drilldown.dimension_drill(chosen, "channel"), "the selected channels",
    )  # fmt: skip
    explain.chart_caption("bot_deflection", figures[0]["n"], "bot conversations", period, settings)
    explain.chart_caption(
        "bot_false_resolution", figures[2]["n"], "bot-resolved conversations", period, settings
    )

st.header("Security incidents on their own clock")
if availability.gate("security_incidents", settings, chosen):
    escalations = not availability.state("security_incidents", settings, chosen).lacks(
        "escalations"
    )
    row = data.cached(security.security_incidents, settings, chosen).row(0, named=True)
    if row["n"] == 0:
        st.info("No data: no contact in these filters is a security incident.")
    else:
        tiles.kpi_row(view.security_tiles(row, escalations), settings, False, per_row=5)
        st.caption(
            f"Targets: first human response within {settings.security_first_response_minutes:g} "
            f"min, escalation within {settings.security_escalation_minutes:g} min (calendar "
            "time). An incident never answered has no wait to rank: it is listed apart."
        )
        listed = data.cached(security.security_breaches, settings, chosen)
        st.subheader("Never answered")
        st.dataframe(
            drilldown.transcript_links(
                view.with_agent_names(view.breaches(listed, True, escalations), names), chosen
            ),
            column_config=view.BREACH_CONFIG, hide_index=True, key="never_answered",
        )  # fmt: skip
        st.subheader("Answered or escalated late, worst first")
        st.dataframe(
            drilldown.transcript_links(
                view.with_agent_names(view.breaches(listed, False, escalations), names), chosen
            ),
            column_config=view.BREACH_CONFIG, hide_index=True, key="breaches",
        )  # fmt: skip
    explain.chart_caption("security_incidents", row["n"], "security incidents", period, settings)
