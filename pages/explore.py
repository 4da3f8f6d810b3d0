"""Explore and export (analyst): the filtered contact rows, searchable, with a column choice,
and the full export as CSV or Parquet (the same rows as `python -m metrics export contacts`)."""

from __future__ import annotations

import streamlit as st

from dashboard import data, downloads, drilldown, explain, filters, frame
from dashboard.settings_state import current_settings
from metrics.core import dimensions
from metrics.core.contacts import EXPORT_COLUMNS
from metrics.operations import volume

PAGE_ROWS = 500
SHOWN = (
    "created_at", "contact_type", "channel", "language", "team", "agent_id", "priority",
    "category", "status", "frt_minutes", "first_resolution_minutes", "fcr", "sla_met",
    "csat_score", "sentiment_last",
)  # fmt: skip

frame.require_app_frame()
settings = current_settings()
chosen = filters.current()
span = data.cached(dimensions.data_span, settings)
period = explain.period_text(chosen, settings, span)

st.title("Explore and export")
drilldown.transcript_from_url()
total = data.cached(volume.contact_count, settings, chosen)
filters.stop_if_empty(total, chosen)
st.caption(
    f"One row per contact with every computed figure · {total:,} contacts · {period} · "
    f"{filters.describe(chosen, filters.options()['agent'])}"
)

st.subheader("Download")
left, right = st.columns(2)
left.download_button(
    f"Download CSV ({total:,} rows)",
    data=downloads.deferred(settings, chosen, ".csv"),
    file_name=downloads.file_name(chosen, ".csv"),
    mime="text/csv",
    icon=":material/download:",
    on_click="ignore",
    width="stretch",
)
right.download_button(
    f"Download Parquet ({total:,} rows)",
    data=downloads.deferred(settings, chosen, ".parquet"),
    file_name=downloads.file_name(chosen, ".parquet"),
    mime="application/vnd.apache.parquet",
    icon=":material/download:",
    on_click="ignore",
    width="stretch",
)
st.caption(
    "Downloads hold every filtered contact and every column, exactly as "
    "`python -m metrics export contacts` with the same filters writes them; CSV cells that a "
    "spreadsheet would run as a formula start with a quote. Search and the column choice "
    "below only change the table on screen."
)

st.subheader("Rows")
search = st.text_input(
    "Search",
    key="explore_search",
    placeholder="a contact, customer or agent id, a category, status, channel …",
)
columns = st.multiselect("Columns", EXPORT_COLUMNS, default=SHOWN, key="explore_columns")
matches = data.cached(volume.contact_count, settings, chosen, search)
pages = max(1, -(-matches // PAGE_ROWS))
if st.session_state.get("explore_page", 1) > pages:  # a narrower search has fewer pages
    st.session_state["explore_page"] = 1
page = st.number_input(f"Page (of {pages:,})", 1, pages, 1, key="explore_page")
rows = data.cached(
    volume.contact_page,
    settings,
    chosen,
    search,
    ("source", "contact_id", *[c for c in columns if c not in ("source", "contact_id")]),
    PAGE_ROWS,
    (page - 1) * PAGE_ROWS,
)
first = (page - 1) * PAGE_ROWS + 1 if matches else 0
st.caption(
    f"Rows {first:,} to {first + rows.height - 1 if rows.height else 0:,} of {matches:,} "
    f"{'matching ' + repr(search) if search.strip() else 'filtered contacts'}, oldest first; "
    f"at most {PAGE_ROWS} rows per page are fetched."
)
st.dataframe(
    drilldown.transcript_links(rows, chosen),
    column_config=drilldown.ROW_CONFIG,
    hide_index=True,
    height=600,
    key="explore_rows",
)
