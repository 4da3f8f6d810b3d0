"""Quality (trainer): every conversation reviewed on the rubric - scores by agent, team, week
and category, the conversations that failed a category with their evidence (critical first),
and how the automatic review compares with people's reviews."""

from __future__ import annotations

import streamlit as st

from dashboard import availability, data, drilldown, explain, filters, frame, tiles
from dashboard.charts import quality as charts
from dashboard.settings_state import current_settings
from dashboard.views import quality as view
from dashboard.views import samples
from metrics.core import dimensions
from metrics.operations import volume
from metrics.quality import failures, reviews, scores
from metrics.quality.scope import MISSING, stored_scorer_versions
from metrics.quality.scoring import SCORER_VERSION

frame.require_app_frame()
settings = current_settings()
chosen = filters.current()
span = data.cached(dimensions.data_span, settings)
period = explain.period_text(chosen, settings, span)
names = filters.options()["agent"]

st.title("Quality review")
drilldown.transcript_from_url()
opened = st.query_params.get(drilldown.CONTACT_PARAM)
if opened and ":" in opened:
    source, _, conversation = opened.partition(":")
    verdicts = data.cached(failures.conversation_verdicts, settings, source, conversation)
    if verdicts.height:
        st.dataframe(view.verdict_rows(verdicts), hide_index=True, key="opened_verdicts")
filters.stop_if_empty(data.cached(volume.contact_count, settings, chosen), chosen)
if not availability.gate("qa_auto_score", settings, chosen, "The quality review"):
    st.stop()
overall = data.cached(scores.qa_auto_score, settings, chosen)
if overall.is_empty():
    st.info(f"Not available: {MISSING}.")
    st.stop()
head = overall.row(0, named=True)
st.caption(
    f"{period} · {filters.describe(chosen, names)} · rubric {settings.quality.label} "
    "(docs/qa.md explains every category and how far to trust it)"
)
if head["other_rubric"]:
    st.warning(
        f"{head['other_rubric']:,} conversations were scored with another rubric "
        f"({head['rubric_versions']}) than the settings' ({settings.quality.label}): run "
        "`python -m etl rescore --what qa --db PATH` so scores are comparable."
    )
older = {v: n for v, n in data.cached(stored_scorer_versions).items() if v != SCORER_VERSION}
if older:
    st.warning(
        f"{sum(older.values()):,} conversations were scored by an older scorer "
        f"({', '.join(sorted(older))}) than this version's ({SCORER_VERSION}), whose judges or "
        "coverage (docs/qa.md) have changed since: run "
        "`python -m etl rescore --what qa --db PATH`."
    )
internal = data.cached(reviews.qa_internal_score, settings, chosen)
human = internal.row(0, named=True) if internal.height else None
tiles.kpi_row(
    [
        tiles.Tile("Quality score (automatic)", head["score"], "share", "qa_auto_score",
                   head["n"], better="higher"),
        tiles.Tile("Conversations reviewed", head["reviewed"], "count", "qa_auto_score",
                   head["contacts"], note=f"of {head['contacts']:,} contacts"),
        tiles.Tile("Critical failures", head["critical_failures"], "count", "qa_failures",
                   head["reviewed"], better="lower"),
        tiles.Tile("Internal quality score (people)", human["score"] if human else None, "share",
                   "qa_internal_score", human["reviews"] if human else 0, better="higher",
                   note="" if human else "no reviews loaded",
                   availability=availability.state("qa_internal_score", settings, chosen).as_dict()),
    ],
    settings,
    compared=False,
)  # fmt: skip

st.header("Scores by category")
categories = data.cached(scores.qa_category_scores, settings, chosen)
st.plotly_chart(charts.category_pass_rates(categories), key="category_rates")
explain.chart_caption(
    "qa_category_scores", head["reviewed"], "conversations reviewed", period, settings
)

st.header("Scores by agent, team or week")
group = (
    st.segmented_control("Break down by", list(view.GROUPS), default="agent", key="quality_group")
    or "agent"
)
all_groups = data.cached(scores.qa_auto_score, settings, chosen, by=group)
by_group, left_out = samples.enough_groups(
    all_groups, settings.small_sample, "conversations reviewed", group
)
unknown = samples.no_breakdown(all_groups, group)
if unknown:
    st.info(unknown)
elif not by_group.is_empty():
    st.plotly_chart(charts.score_by(by_group, group, group), key="score_by")
by_category = data.cached(scores.qa_category_scores, settings, chosen, by=group)
grid = view.category_grid(by_category, group, settings.small_sample)
if left_out and not unknown:
    st.caption(left_out)
if grid.height and not unknown:
    st.dataframe(grid, hide_index=True, key="category_grid", placeholder="—")
    st.caption(view.grid_note(settings.small_sample))
explain.chart_caption("qa_auto_score", head["reviewed"], "conversations reviewed", period, settings)

st.header("Conversations that failed a category")
chosen_category = st.selectbox(
    "Category",
    ["", *settings.quality.names],
    format_func=lambda c: "every category" if not c else settings.quality.category(c).label,
    key="quality_category",
)
failed = data.cached(failures.qa_failures, settings, chosen, category=chosen_category)
if failed.is_empty():
    st.success("No conversation failed under these filters.")
else:
    st.caption("Critical failures first, then the newest. Click a row's link for the transcript.")
    table = view.failure_table(failed, chosen)
    for row, link in zip(failed.head(10).iter_rows(named=True), table["transcript"], strict=False):
        with st.expander(view.failure_title(row), expanded=bool(row["critical"])):
            view.show_failure(row, link)
    st.dataframe(table, column_config=view.FAILURE_CONFIG, hide_index=True, key="failures")
# A list is every failure, not a sample of them: its count carries no small-sample flag.
listed = f"{failed.height:,} failed verdicts listed" if failed.height else "failed verdicts"
explain.chart_caption("qa_failures", None if failed.height else 0, listed, period, settings)

st.header("Automatic review against people's reviews")
if not human:
    st.info(
        "No people's reviews for these contacts: load a QA tool's export with "
        "`python -m etl load qa_reviews FILE --db PATH --mapping zendesk_qa` to see the "
        "internal quality score, its agreement with the automatic review and the calibration "
        "of your reviewers."
    )
else:
    agreement = data.cached(reviews.qa_disagreements, settings, chosen)
    st.dataframe(view.agreement_table(agreement), hide_index=True, key="agreement", placeholder="—")
    explain.chart_caption(
        "qa_agreement", int(agreement["n"].sum()), "rating pairs", period, settings
    )
    calibration = data.cached(reviews.qa_calibration, settings, chosen)
    st.subheader("Reviewer calibration")
    st.dataframe(calibration, hide_index=True, key="calibration", placeholder="—")
    explain.chart_caption(
        "qa_calibration", int(calibration["n"][-1]), "pairs of reviewers' ratings", period, settings
    )
