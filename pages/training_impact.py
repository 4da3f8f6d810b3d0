"""Training impact: per course, did the trained agents' KPIs move more than the untrained
agents' over the same weeks (difference-in-differences), and each trained agent before/after."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard import data, explain, filters, frame
from dashboard.charts import analytics as charts_analytics
from dashboard.settings_state import current_settings
from dashboard.views import analytics as view
from metrics.core import dimensions
from metrics.training import impact as training

frame.require_app_frame()
settings = current_settings()
chosen = filters.current()
span = data.cached(dimensions.data_span, settings)
names = filters.options()["agent"]

st.title("Training impact")
st.markdown(
    "For each course: the change in a KPI of the agents who took it, from the weeks before "
    "their completion day to the weeks after, minus the change of agents who had not taken "
    "it over the same calendar weeks (difference-in-differences). The untrained agents' "
    "change stands for what would have happened anyway (season, product, load)."
)
left, right = st.columns(2)
window = left.select_slider(
    "Days before and after the completion day",
    [14, 21, 28, 42, 56],
    value=28,
    key="training_window",
)
inside = right.toggle(
    "Only contacts inside the selected period",
    value=False,
    key="training_inside_period",
    help="Off: the windows around each course use every date in the warehouse (the period "
    "filter is not applied; the other filters are).",
)
scope = chosen if inside else replace(chosen, date_from=None, date_to=None)
period = explain.period_text(scope, settings, span)

completions = data.cached(training.training_agent_before_after, settings, scope, window_days=window)
courses = view.courses(completions)
if not courses:
    st.info(
        "No completed courses match these filters: load the training records with "
        "`python -m etl load trainings FILE --db PATH`, or remove the agent or team filter."
    )
    st.stop()
course = filters.url_choice("Course", courses, "course")
impact = data.cached(
    training.training_impact,
    settings,
    scope,
    course=course,
    window_days=window,
    min_tickets=view.MIN_TICKETS,
)

st.header(f"Effect of “{course}”")
if impact.is_empty():
    st.info(
        f"No contacts fall in the {window}-day windows around this course with these filters "
        f"({period}; {filters.describe(scope, names)}). Widen the period or remove a filter."
    )
    st.stop()
first = impact.row(0, named=True)
st.caption(
    f"{first['cohorts']} completion day(s) · {first['trained_agents']} trained agents against "
    f"{first['control_agents']} untrained agents · {window} days before and after each "
    f"completion day (the day itself left out) · {period} · {filters.describe(scope, names)}"
)
for column, row in zip(
    st.columns(len(view.TRAINING_KPIS)), impact.iter_rows(named=True), strict=False
):
    text = view.effect_text(row, view.MIN_TICKETS)
    with column, st.container(border=True, key=f"effect_{text.kpi}"):
        st.metric(text.label, text.headline)
        st.caption(text.interval)
        if text.tone != "none":
            st.markdown(view.TONE_WORDS[text.tone])
        for line in (text.levels, text.counts, text.measured, text.pretrend):
            if line:
                st.caption(line)
st.plotly_chart(charts_analytics.training_effects(impact))
explain.chart_caption(
    "training_impact", view.window_contacts(impact), "contacts in the windows", period, settings
)

st.header("Each trained agent before and after")
kpi = (
    st.segmented_control(
        "Figure",
        list(view.TRAINING_KPIS),
        format_func=lambda name: view.TRAINING_KPIS[name].label,
        default="frt",
        key="training_kpi",
    )
    or "frt"
)
table = view.agent_table(view.of_course(completions, course), kpi)
st.dataframe(
    table, column_config=view.agent_config(kpi), hide_index=True, key="training_agent_table"
)
st.plotly_chart(charts_analytics.agent_before_after(table, kpi))
st.caption(
    "Not adjusted for the team's own trend or the ticket mix: a start for a conversation with "
    "the agent, not an effect estimate (the difference-in-differences above is)."
)
explain.chart_caption(
    "training_agent_before_after",
    None,
    f"{table.height} trained agents, each over their own contacts (counts in the table)",
    period,
    settings,
)
