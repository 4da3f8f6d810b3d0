"""Data health: loads, quarantined rows and their reasons, freshness per table, redaction,
sentiment scoring, what the warehouse can answer and the derived facts."""

from __future__ import annotations

import streamlit as st

from dashboard import data, frame, tables
from dashboard.charts import health as charts_health
from dashboard.demo import LOAD_HINT
from dashboard.settings_state import current_settings
from dashboard.views import health as views_health
from dashboard.views import scoring
from metrics.core.availability import FIGURE_LABELS, availability_table
from metrics.core.filters import Filters
from metrics.registry import all_metrics
from metrics.reports import data_health, fact_health, redaction_health

frame.require_app_frame()
location = data.current_location()

st.title("Data health")
st.caption(
    f"Warehouse `{location.path}` · schema version "
    f"{data.cached(data_health.schema_version)} · all times UTC"
)
st.markdown(
    "What has been loaded into this warehouse, which input rows were set aside (quarantined) "
    "and why, how recent the data in each table is, which redaction rules cleaned its texts, "
    "which sentiment models scored its messages, and what it can answer: every figure of the "
    "dashboard, available, partial or not available (at the end of the page)."
)

st.header("Redaction")
level, note = views_health.redaction_note(
    data.cached(redaction_health.redaction_status).row(0, named=True)
)
getattr(st, level)(note)

st.header("Freshness per table")
freshness = data.cached(data_health.table_freshness, now=data.now_minute())
st.dataframe(
    tables.freshness_table(freshness),
    column_config=tables.FRESHNESS_CONFIG,
    hide_index=True,
    placeholder="—",
)
st.plotly_chart(charts_health.rows_per_table(freshness))

st.header("Load runs")
totals = data.cached(data_health.load_totals).row(0, named=True)
if totals["runs"] == 0:
    st.info(f"No loads yet: load an export with `{LOAD_HINT}`")
else:
    tiles = st.columns(6)
    tiles[0].metric("Load runs", f"{totals['runs']:,}")
    tiles[1].metric("Rows read", f"{totals['rows_read']:,}")
    tiles[2].metric("Inserted", f"{totals['inserted']:,}")
    tiles[3].metric("Updated", f"{totals['updated']:,}")
    tiles[4].metric("Unchanged", f"{totals['unchanged']:,}")
    tiles[5].metric("Quarantined", f"{totals['quarantined']:,}")
    if totals["unbalanced_runs"]:
        st.warning(
            f"{totals['unbalanced_runs']} run(s) do not add up: rows read ≠ inserted + updated "
            "+ unchanged + quarantined (marked ✗ below)."
        )
    else:
        st.caption(f"✓ Every run adds up: {tables.ACCOUNTING_HELP}.")
    runs = data.cached(data_health.load_runs, limit=200)
    st.caption(f"The {runs.height} newest runs, newest first.")
    st.dataframe(
        tables.load_runs_table(runs),
        column_config=tables.LOAD_RUN_CONFIG,
        hide_index=True,
        placeholder="—",
    )
    st.plotly_chart(charts_health.load_outcomes(runs))

st.header("Quarantine")
reasons = data.cached(data_health.quarantine_reasons)
if reasons.is_empty() and totals["runs"] == 0:
    st.caption("Nothing loaded yet, so nothing quarantined.")
elif reasons.is_empty():
    st.success(f"No quarantined rows in {totals['runs']:,} loads.")
else:
    st.caption(
        "Rows a load set aside, grouped by problem; quoted values are blanked (…) so the same "
        "problem with different values is one group. A row with several problems counts once "
        "in each."
    )
    st.dataframe(
        tables.reasons_table(reasons),
        column_config=tables.REASON_CONFIG,
        hide_index=True,
        placeholder="—",
    )
    st.plotly_chart(charts_health.quarantine_reasons(reasons))
    picked = st.selectbox(
        "Example rows for",
        options=reasons.select("kind", "reason").rows(),
        format_func=lambda option: f"{option[0]} · {option[1]}",
        key="quarantine_reason",
    )
    examples = data.cached(data_health.quarantine_examples, kind=picked[0], reason=picked[1])
    st.dataframe(
        tables.examples_table(examples),
        column_config=tables.EXAMPLE_CONFIG,
        hide_index=True,
        placeholder="—",
    )

st.header("Sentiment scoring")
methods = data.cached(data_health.scoring_methods)
if methods.is_empty():
    st.info("No message is scored for sentiment yet (no messages, or none in a scored language).")
else:
    old = scoring.outdated(methods)
    if old:
        st.warning(
            f"Part of this warehouse was scored by an older sentiment model or scorer "
            f"({', '.join(old)}): its figures are not comparable with the current models'. "
            f"Re-score it with `{scoring.RESCORE_HINT}`."
        )
    else:
        st.caption("✓ Every scored message was scored by the current sentiment models.")
    st.dataframe(
        scoring.scoring_table(methods),
        column_config=scoring.SCORING_CONFIG,
        hide_index=True,
        key="scoring_methods_table",
    )

st.header("What this warehouse can answer")
answers = data.cached(availability_table, current_settings(), Filters())
counts = tables.availability_counts(answers)
left, middle, right = st.columns(3)
left.metric("Figures available", f"{counts['available']:,}")
middle.metric("Partial", f"{counts['partial']:,}")
right.metric("Not available", f"{counts['not_available']:,}")
st.caption(
    "Every figure of the dashboard and `python -m metrics`, over all data: available, partial "
    "(and why), or not available (why, and the command that would load what is missing). "
    "Pages show a figure that is not available as such, never as 0."
)
labels = {name: info.label for name, info in all_metrics().items()} | FIGURE_LABELS
st.dataframe(
    tables.availability_table(answers, labels),
    column_config=tables.AVAILABILITY_CONFIG,
    hide_index=True,
    key="availability_table",
)

st.header("Derived facts")
facts = data.cached(fact_health.derived_facts, current_settings())
prebuilt = views_health.prebuilt_note(data.cached(fact_health.prebuilt_origin))
if prebuilt:
    st.info(prebuilt)
level, note = views_health.facts_note(facts)
getattr(st, level)(note)
with st.expander("Per fact: how the last write kept it"):
    st.dataframe(facts, hide_index=True, placeholder="—")
