"""Customer voice: CSAT (with the per-agent attribution), sentiment per method and its coverage
per language, whether conversations end better, topics of negative feedback, and whether
negative messages were followed up (with the list of those that were not)."""

from __future__ import annotations

import streamlit as st

from dashboard import availability, data, drilldown, explain, filters, frame, periods, tiles
from dashboard.background import Pending
from dashboard.charts import analytics as charts_analytics
from dashboard.charts import common as charts
from dashboard.settings_state import current_settings
from dashboard.views import samples, scoring
from dashboard.views import voice as view
from metrics.core import dimensions
from metrics.operations import volume
from metrics.voice import csat, followup, sentiment, topics

frame.require_app_frame()
settings = current_settings()
chosen = filters.current()
span = data.cached(dimensions.data_span, settings)
period = explain.period_text(chosen, settings, span)
names = filters.options()["agent"]

st.title("Customer voice")
filters.link_warnings()
drilldown.transcript_from_url()
filters.stop_if_empty(data.cached(volume.contact_count, settings, chosen), chosen)
previous = chosen.previous_period()
compared = previous != chosen
against = (
    f"changes against {explain.period_text(previous, settings, span)}"
    if compared
    else "no previous period to compare with"
)
st.caption(f"{period} · {filters.describe(chosen, names)} · {against}")
bucket = filters.default_bucket(chosen, span)
# The topics are the page's longest call (the period's negative texts, a model per language):
# made on a thread while the figures above and below them are, then shown in their place.
topics_pending = (
    Pending(data.cached, topics.negative_topics, settings, chosen, min_texts=view.MIN_TEXTS)
    if availability.state("negative_topics", settings, chosen).shown
    else None
)

st.header("Customer satisfaction (CSAT)")
if availability.gate("csat", settings, chosen):
    attribution = (
        st.segmented_control(
            "A rating counts for the",
            list(view.ATTRIBUTIONS),
            format_func=view.ATTRIBUTIONS.get,
            default="assignee",
            key="voice_attribution",
            help="Which agent a survey belongs to, in the agent filter and the per-agent table.",
        )
        or "assignee"
    )
    now = data.cached(csat.csat, settings, chosen, attribution=attribution).row(0, named=True)
    before = data.cached(csat.csat, settings, previous, attribution=attribution).row(0, named=True)
    if now["n"] == 0:
        st.info(
            f"No data: none of these contacts has a survey response ({now['solved']:,} solved "
            "tickets). Widen the period or remove a filter."
        )
    else:
        csat_now = tiles.with_provisional(
            view.csat_tiles(now, before), lambda m: periods.period_reason(chosen, m, settings)
        )
        tiles.kpi_row(csat_now, settings, compared, per_row=3)
        # A rating is placed in a week by its contact's creation time: its own rule.
        if availability.gate("csat_trend", settings, chosen, f"CSAT per {bucket}"):
            trend = data.cached(csat.csat, settings, chosen, by=bucket, attribution=attribution)
            trend = periods.marked(trend, bucket, "csat", settings, chosen)
            drilldown.chart(
                charts_analytics.rate_trend(
                    trend, bucket, "CSAT", "responses scored 4-5", "satisfied"
                ),
                "csat_trend",
                drilldown.bucket_drill(chosen, bucket),
                f"the selected {bucket}s",
            )
            periods.caption(trend.filter(trend["n"] > 0))
        explain.chart_caption("csat", now["n"], "survey responses", period, settings)
        per_agent = data.cached(csat.csat, settings, chosen, by="agent", attribution=attribution)
        unknown = samples.no_breakdown(per_agent, "agent")
        if unknown:
            st.caption(f"CSAT per agent: {unknown[0].lower()}{unknown[1:]}")
        else:
            with st.expander(f"CSAT per agent ({view.ATTRIBUTIONS[attribution]})"):
                st.dataframe(
                    view.agent_csat_table(per_agent, names),
                    column_config=view.CSAT_AGENT_CONFIG,
                    hide_index=True,
                    key="csat_agents_table",
                )

st.header("Sentiment of customer messages")
if availability.gate("sentiment", settings, chosen):
    methods = data.cached(sentiment.sentiment, settings, chosen)
    languages = data.cached(sentiment.sentiment, settings, chosen, by="language", per_method=False)
    scored = view.scored_messages(methods)
    if scored == 0:
        st.info(
            "No customer message of these contacts is scored, so no sentiment figure can be shown "
            "(unscored text is never counted as neutral)."
        )
    else:
        st.dataframe(
            view.method_table(methods),
            column_config=view.METHOD_CONFIG,
            hide_index=True,
            key="sentiment_methods_table",
        )
        explain.chart_caption("sentiment", scored, "scored customer messages", period, settings)
        per_language = data.cached(sentiment.sentiment, settings, chosen, by="language")
        st.dataframe(
            scoring.language_method_table(per_language),
            column_config=scoring.LANGUAGE_CONFIG,
            hide_index=True,
            key="sentiment_languages_table",
        )
        st.caption(
            "Each language is scored by its own method; a negative label needs the same "
            "calibrated confidence in every language. Accuracy as measured in the model card "
            "(docs/sentiment.md)."
        )
    notes = view.scorer_notes(languages)
    if notes:
        st.warning("\n".join(f"- {note}" for note in notes), icon=":material/translate:")
    drilldown.chart(
        charts_analytics.sentiment_coverage(languages),
        "coverage",
        drilldown.dimension_drill(chosen, "language"),
        "the selected languages",
    )
    change = data.cached(sentiment.sentiment_change, settings, chosen).row(0, named=True)
    ending = availability.state("sentiment_change", settings, chosen)
    timed = ending.shown
    if change["n"] and timed and change["mean_change"] is not None:
        st.plotly_chart(charts_analytics.sentiment_change(change))
        st.caption(
            f"Mean change from the first to the last scored customer message: "
            f"{change['mean_change']:+.3f} (method {change['method']}); "
            f"{change['too_few_scored']:,} conversations have fewer than two scored messages."
        )
    if timed:
        explain.chart_caption(
            "sentiment_change", change["n"], "conversations with two or more scored messages",
            period, settings,
        )  # fmt: skip
    else:
        st.caption(
            "Whether conversations end better is not available: their messages carry no times."
        )

for info in view.optional_metrics("metrics.voice.sentiment_model"):
    st.subheader(info.label)
    if availability.gate(info.name, settings, chosen) and st.toggle(
        "Score these contacts with the model trained on our surveys (takes a while)",
        key=f"run_{info.name}",
    ):
        model = data.cached(info.function, settings, chosen)
        st.dataframe(
            model.select(view.present(model, view.MODEL_CONFIG)),
            column_config=view.MODEL_CONFIG,
            hide_index=True,
            key=info.name,
        )
        st.caption(view.model_words(model))
        explain.chart_caption(
            info, view.model_messages(model), "customer messages scored", period, settings
        )

st.header("Topics of negative feedback")
topics_slot = st.container()

st.header("Was negative feedback followed up?")
if availability.gate("negative_followup", settings, chosen):
    follow = data.cached(followup.negative_followup, settings, chosen).row(0, named=True)
    if follow["n"] == 0:
        st.info(
            "No scored customer message of these contacts is negative, so there is nothing to "
            f"follow up ({follow['scored_messages']:,} of {follow['customer_messages']:,} customer "
            "messages are scored)."
        )
    else:
        tiles.kpi_row(view.followup_tiles(follow), settings, False, per_row=3)
        by_language = data.cached(followup.negative_followup, settings, chosen, by="language")
        drilldown.chart(
            charts.rate_by_group(
                view.as_rate(by_language, "followed"),
                "language",
                "Followed up",
                "negative messages",
            ),
            "followup",
            drilldown.dimension_drill(chosen, "language"),
            "the selected languages",
        )
        explain.chart_caption(
            "negative_followup", follow["n"], "negative customer messages", period, settings
        )
        st.caption(
            f"Only scored messages can be negative: {follow['coverage']:.1%} of customer messages "
            f"are scored (method {follow['method']})."
        )
        st.subheader("Negative messages without follow-up")
        unfollowed = data.cached(followup.negative_unfollowed, settings, chosen, limit=100)
        st.dataframe(
            view.unfollowed_table(drilldown.transcript_links(unfollowed, chosen)),
            column_config=view.UNFOLLOWED_CONFIG,
            hide_index=True,
            placeholder="—",
            key="unfollowed_table",
        )
        explain.chart_caption(
            "negative_unfollowed",
            None,
            f"{follow['unfollowed']:,} negative messages without follow-up (the newest 100 listed)",
            period,
            settings,
        )

with topics_slot:
    if availability.gate("negative_topics", settings, chosen):
        found = (
            topics_pending.result()
            if topics_pending
            else data.cached(topics.negative_topics, settings, chosen, min_texts=view.MIN_TEXTS)
        )
        topic_languages = view.topic_languages(found)
        if not topic_languages:
            st.info("No language has enough negative feedback for topics in these contacts.")
        else:
            language = st.selectbox(
                "Language", topic_languages, format_func=view.language_name, key="topic_language"
            )
            table = view.topic_table(found, language)
            st.plotly_chart(charts_analytics.topic_sizes(table))
            st.dataframe(
                table, column_config=view.TOPIC_CONFIG, hide_index=True, key="topics_table"
            )
            fit_note = view.topic_fit_note(found, language)
            if fit_note:
                st.caption(fit_note)
            weekly = data.cached(
                topics.negative_topics, settings, chosen, min_texts=view.MIN_TEXTS, per="week"
            )
            st.plotly_chart(charts_analytics.topic_trend(view.of_language(weekly, language)))
            for title, examples in view.topic_examples(found, language):
                with st.expander(title):
                    view.show_examples(examples)
            explain.chart_caption(
                "negative_topics",
                view.language_texts(found, language),
                f"negative texts in {view.language_name(language)}",
                period,
                settings,
            )
        by_language = data.cached(
            sentiment.sentiment, settings, chosen, by="language", per_method=False
        )
        skipped = view.topic_notes(found, view.MIN_TEXTS, view.negatives_by_language(by_language))
        if skipped:
            st.caption("No topics for:\n" + "\n".join(f"- {note}" for note in skipped))
