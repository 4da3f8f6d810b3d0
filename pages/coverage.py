"""Coverage and staffing: when contacts arrive against who is on shift, Erlang C staffing gaps,
after-hours contacts, languages nobody on shift speaks, peak days and the 14-day forecast."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard import availability, data, drilldown, explain, filters, frame, tiles
from dashboard.charts import coverage as charts_coverage
from dashboard.settings_state import current_settings
from dashboard.views import coverage as view
from metrics.core import dimensions
from metrics.coverage import gaps as coverage
from metrics.coverage import staffing as coverage_staffing
from metrics.operations import forecast, peaks, volume

frame.require_app_frame()
settings = current_settings()
chosen = filters.current()
span = data.cached(dimensions.data_span, settings)
period = explain.period_text(chosen, settings, span)
names = filters.options()["agent"]

st.title("Coverage and staffing")
filters.link_warnings()
drilldown.transcript_from_url()
filters.stop_if_empty(data.cached(volume.contact_count, settings, chosen), chosen)
if not availability.gate("coverage_by_hour", settings, chosen, "Contacts by hour of week"):
    st.stop()
slots = data.cached(coverage.coverage_by_hour, settings, chosen)
presence = availability.state("staffing_by_hour", settings, chosen)
st.caption(
    f"{period} · {filters.describe(chosen, names)} · hours in each team's own time zone · "
    f"{view.on_shift_words(view.on_shift_source(slots) if presence.shown else None)}"
)

st.header("Contacts and agents on shift by hour of week")
left, right = st.columns(2)
with left:
    st.plotly_chart(
        charts_coverage.slot_heatmap(
            slots, "contacts_per_week", "Contacts needing an agent", "contacts a week"
        )
    )
with right:
    if presence.shown:
        st.plotly_chart(
            charts_coverage.slot_heatmap(slots, "on_shift", "Agents on shift", "agents", "Blues")
        )
    else:
        availability.show_missing(presence, "Agents on shift")
explain.chart_caption(
    "coverage_by_hour", view.slot_contacts(slots), "contacts needing an agent", period, settings
)

st.header("Staffing gaps (Erlang C)")
if availability.gate("staffing_by_hour", settings, chosen):
    left, right = st.columns(2)
    shrinkage = left.slider(
        "Shrinkage (time on shift not taking contacts)",
        0.0,
        0.6,
        float(settings.staffing_shrinkage),
        0.05,
        key="coverage_shrinkage",
    )
    aht = right.number_input(
        "Handle time (minutes; 0 = measured from agent messages)",
        0.0,
        240.0,
        0.0,
        1.0,
        key="coverage_aht",
    )
    scenario = replace(settings, staffing_shrinkage=shrinkage)
    staffing = data.cached(coverage_staffing.staffing_by_hour, scenario, chosen, aht_minutes=aht)
    too_few = view.staffing_too_few(staffing, settings.small_sample)
    if too_few:
        st.info(too_few, icon=":material/block:")
    else:
        basis = view.slot_basis(staffing, settings.small_sample)
        st.plotly_chart(charts_coverage.staffing_gap(staffing, basis))
        short = data.cached(
            coverage_staffing.staffing_by_hour, scenario, chosen, view="gaps", aht_minutes=aht
        )
        st.caption(view.staffing_words(staffing, short, scenario))
        blank = view.slots_left_out(staffing, settings.small_sample)
        covered = view.covered_words(short, blank)
        if covered.startswith("Every hour"):
            st.success(covered)
        elif covered:
            st.caption(covered)
        else:
            st.markdown("**Hours short of agents**, largest shortfall first")
            st.dataframe(
                short, column_config=view.GAP_PERIOD_CONFIG, hide_index=True,
                key="staffing_gaps_table",
            )  # fmt: skip
        for note in (view.pooled_words(staffing, settings.small_sample), blank):
            if note:
                st.caption(note)
    explain.chart_caption(
        "staffing_by_hour", view.slot_contacts(slots), "contacts needing an agent", period, settings
    )

st.header("After hours")
if availability.gate("after_hours", settings, chosen):
    after = data.cached(coverage.after_hours, settings, chosen).row(0, named=True)
    tiles.kpi_row(view.after_hours_tiles(after), settings, False, per_row=3)
    st.caption(view.after_hours_words(after))

st.header("Languages nobody on shift speaks")
if availability.gate("language_gaps", settings, chosen):
    gaps = data.cached(coverage.language_gaps, settings, chosen, slot="all")
    if gaps.is_empty():
        st.success("Every contact arrived while an agent on shift spoke its language.")
    else:
        drilldown.chart(
            charts_coverage.language_gaps(gaps),
            "language_gaps",
            drilldown.dimension_drill(chosen, "language"),
            "the selected languages",
        )
        st.dataframe(
            view.language_gap_table(gaps),
            column_config=view.LANGUAGE_GAP_CONFIG,
            hide_index=True,
            key="language_gaps_table",
        )
    explain.chart_caption(
        "language_gaps", view.slot_contacts(slots), "contacts needing an agent", period, settings
    )

st.header("Peak days")
if not availability.gate("peak_days", settings, chosen):
    st.stop()
days = data.cached(peaks.peak_days, settings, chosen, view="days")
drilldown.chart(
    charts_coverage.peak_days(days), "peaks", drilldown.bucket_drill(chosen, "day"),
    "the selected days",
)  # fmt: skip
found = data.cached(peaks.peak_days, settings, chosen)
if found.is_empty():
    st.caption("No day of the period is above its peak threshold.")
else:
    st.dataframe(
        view.peak_table(found),
        column_config=view.PEAK_CONFIG,
        hide_index=True,
        key="peak_days_table",
    )
explain.chart_caption(
    "peak_days", None, f"{view.day_count(days):,} days of contacts", period, settings
)

st.header("Forecast: the next 14 days")
ahead = data.cached(forecast.volume_forecast, settings, chosen)
test = data.cached(forecast.volume_forecast, settings, chosen, view="backtest")
st.plotly_chart(charts_coverage.forecast(days, ahead, view.recent(days)))
if not view.has_model(ahead):
    st.info(view.no_model_words(ahead))
score = view.backtest_overall(test)
tiles.kpi_row(view.backtest_tiles(score, settings.small_sample), settings, False, per_row=2)
st.caption(view.backtest_words(score, settings.small_sample))
explain.chart_caption(
    "volume_forecast", score["n"], "back-tested days", view.history_text(ahead), settings
)
