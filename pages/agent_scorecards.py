"""Agent scorecards (trainer): one agent against the team median and their previous period,
weakest areas first, weekly trends with training dates, and conversations to coach from."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard import availability, data, drilldown, explain, filters, frame, periods, report_html
from dashboard.access import can_see_text
from dashboard.charts import scorecard as charts_scorecard
from dashboard.settings_state import current_settings
from dashboard.views import scorecard as scorecard_view
from metrics.agents import coaching, scorecard
from metrics.core import dimensions

frame.require_app_frame()
settings = current_settings()
chosen = filters.current()
span = data.cached(dimensions.data_span, settings)
period = explain.period_text(chosen, settings, span)
names = filters.options()["agent"]

st.title("Agent scorecards")
filters.link_warnings()
drilldown.transcript_from_url()
everyone = replace(chosen, agent=())
if not availability.gate("agent_scorecard", settings, everyone):
    st.stop()
agent = filters.url_choice(
    "Agent", list(chosen.agent or names), "scorecard_agent", lambda a: names.get(a, a)
)
if agent is None:
    st.info("No contacts in this warehouse name an agent, so there is no scorecard to show.")
    st.stop()

card = data.cached(scorecard.agent_scorecard, settings, chosen, agent=agent)
missing = scorecard_view.missing_figures(settings, everyone)
table = scorecard_view.scorecard_table(card, settings.small_sample, missing)
team = card["team"][0]
previous = chosen.previous_period()
compared = previous != chosen
against = explain.period_text(previous, settings, span) if compared else "no previous period"
st.caption(
    f"{names.get(agent, agent)} · team {team or 'unknown'} · {period} · previous period: "
    f"{against} · {filters.describe(chosen, names)} (the agent filter is not applied here)"
)

st.header("Figures, weakest areas first")
tone, words = scorecard_view.comparison_words(
    table.join(card.select("figure", "team_median"), on="figure")
)
if tone == "worse":
    st.markdown(words)
elif tone == "level":
    st.success(words)
else:
    st.info(words, icon=":material/group_off:")
st.dataframe(
    table.drop("figure", "gap"),
    column_config=scorecard_view.TABLE_CONFIG,
    hide_index=True,
    height=scorecard_view.table_height(table),
    key="scorecard_table",
)
if tone != "none":
    st.plotly_chart(charts_scorecard.scorecard_gaps(table))
explain.chart_caption("agent_scorecard", None, "each figure's own n (table)", period, settings)

st.header("Trends and training")
trainings = data.cached(dimensions.agent_trainings, settings, agent)
trendable = scorecard_view.trend_figures(settings, everyone)
figure = st.selectbox(
    "Figure",
    trendable,
    format_func=lambda name: scorecard_view.TREND_FIGURES[name].label,
    key="trend_figure",
)
if figure is None:
    st.info("No figure with a trend is available in this warehouse (see Data health).")
else:
    trend_filters = filters.widen(chosen, scorecard_view.TREND_DAYS, span)
    picked = scorecard_view.TREND_FIGURES[figure]
    series = scorecard_view.trend_series(
        settings, trend_filters, agent, names.get(agent, agent), team, figure
    )
    gap = scorecard_view.trend_gap(series, names.get(agent, agent), picked.label)
    if gap:
        st.info(gap)
    else:
        st.plotly_chart(charts_scorecard.agent_trend(series, picked.label, picked.unit, trainings))
        periods.caption(series)
    explain.chart_caption(
        picked.metric,
        None,
        "the agent's and the team's contacts per week",
        explain.period_text(trend_filters, settings, span),
        settings,
    )
if trainings.is_empty():
    st.caption("No completed courses are recorded for this agent.")

st.header("Conversations to talk through")
examples = data.cached(coaching.coaching_examples, settings, chosen, agent, 5)
if examples.is_empty():
    st.info("No low-rated (1-3) or negative-ending conversations for this agent in the period.")
for index, row in enumerate(examples.iter_rows(named=True)):
    with st.expander(scorecard_view.example_title(row), expanded=index == 0):
        scorecard_view.show_example(row)
st.caption("Message bodies are shown as stored: secrets and personal data were redacted at load.")

report = report_html.ScorecardReport(
    names.get(agent, agent), team, period, against, table, trainings, examples,
    show_text=can_see_text(),
)  # fmt: skip
st.download_button(
    "Download printable scorecard (HTML)",
    data=report_html.scorecard_report(report),
    file_name=f"scorecard-{agent}-{chosen.date_from or 'all'}-{chosen.date_to or 'all'}.html",
    mime="text/html",
    icon=":material/print:",
    on_click="ignore",
)
st.caption("Open the file in a browser and print it, or save it as PDF from the print dialog.")
