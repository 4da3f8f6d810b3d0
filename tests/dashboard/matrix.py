"""The warehouse x page matrix: warehouses built from ../shared/real_data with the shipped
mappings (plus an empty one and a tickets-only one), the pages, and the checks every page
must pass on each of them, in AppTest and in Chromium.

The checks are general (driven by which metrics the warehouse can answer, from
``metrics.core.availability``), not written for these exports, so they hold for any export:

- no exception;
- no "n = 0" shown anywhere (no data is "no data", not a sample of zero);
- no chart drawn for a figure whose inputs are missing (chart titles name their figure);
- no success message resting on a figure that is not available.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from metrics.core.availability import availability_table
from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from warehouse.reader import ReadOnlyWarehouse
from warehouse.writer import open_for_write

# name -> the loads that build it: (kind, shipped mapping, file under real_data)
SETS: dict[str, list[tuple[str, str, str]]] = {
    "zendesk": [
        ("tickets", "zendesk_tickets", "zendesk-fivetran-seeds/ticket_data.csv"),
        ("messages", "zendesk_comments", "zendesk-fivetran-seeds/ticket_comment_data.csv"),
        ("ticket_events", "zendesk_field_history",
         "zendesk-fivetran-seeds/ticket_field_history_data.csv"),
        ("agents", "zendesk_users", "zendesk-fivetran-seeds/user_data.csv"),
    ],
    "kaggle": [
        ("tickets", "kaggle_tickets", "kaggle-support-tickets/customer_support_tickets_iso.csv"),
        ("surveys", "kaggle_surveys", "kaggle-support-tickets/customer_support_tickets_iso.csv"),
    ],
    "kaggle_dayfirst": [
        ("tickets", "kaggle_tickets_dayfirst",
         "kaggle-support-tickets/customer_support_tickets_excel_roundtrip.csv"),
    ],
    "helpdesk": [
        ("ticket_events", "helpdesk_eventlog_events", "helpdesk-eventlog/helpdesk.csv"),
        ("tickets", "helpdesk_eventlog_tickets", "helpdesk-eventlog/helpdesk.csv"),
    ],
    "ubuntu": [("messages", "ubuntu_dialogue", "ubuntu-dialogue/dialogueText_head9999.csv")],
    "abcd": [("messages", "abcd", "abcd/abcd_sample.json")],
    "multilingual": [
        ("tickets", "multilingual_tickets",
         "multilingual-tickets/dataset-tickets-multi-lang3-4k_truncated.csv"),
        ("messages", "multilingual_messages",
         "multilingual-tickets/dataset-tickets-multi-lang3-4k_truncated.csv"),
    ],
    # only the ticket table of the event log: no status history, no messages, no surveys
    "tickets_only": [
        ("tickets", "helpdesk_eventlog_tickets", "helpdesk-eventlog/helpdesk.csv"),
    ],
}  # fmt: skip
WAREHOUSES = (*SETS, "empty")

PAGES: dict[str, str] = {
    "overview": "Overview",
    "agent_scorecards": "Agent scorecards",
    "training_impact": "Training impact",
    "quality": "Quality review",
    "customer_voice": "Customer voice",
    "retention": "Retention",
    "coverage": "Coverage and staffing",
    "response_times": "Response and waits",
    "channels_backlog": "Channels and backlog",
    "bot_security": "Bot and security",
    "explore": "Explore and export",
    "data_health": "Data health",
}

# Chart titles (a distinctive start) -> the metric whose availability the chart needs.
CHART_METRICS: dict[str, str] = {
    "First response time: median and p90": "frt",
    "First response time (median) per week": "frt",
    "Contacts needing an agent": "coverage_by_hour",
    "Sentiment coverage": "sentiment",
    "Did conversations end better": "sentiment_change",
    "Topics of negative feedback": "negative_topics",
    "Topic trend": "negative_topics",
    "Followed up by": "negative_followup",
    "Retention cohorts": "retention_cohorts",
    "SLA attainment by priority": "sla_attainment",
    "Contacts against agents on shift": "staffing_by_hour",
    "Agents on shift": "staffing_by_hour",
    "Staffing gap per hour": "staffing_by_hour",
    "Language gaps": "language_gaps",
    "Contacts per day and peak days": "peak_days",
    "Contacts per day: the next 14 days": "volume_forecast",
    "CSAT per": "csat_trend",
    "Where this agent differs": "agent_scorecard",
    "Difference-in-differences": "training_impact",
    "Retention after": "retention",
    "Reply time: median and p90": "reply_time",
    "Who is waiting": "status_time",
    "Chat queue by hour": "chat_queue_by_hour",
    "Answered within the estimate": "wait_estimates",
    "Contacts per channel": "channel_breakdown",
    "Repeat contacts by": "repeat_contact_rate",
    "Open tickets per": "backlog_over_time",
    "Open tickets by age": "backlog_by_age",
    "Resolved by the bot alone": "bot_deflection",
}
# Success messages -> the metric they rest on.
SUCCESS_METRICS: dict[str, str] = {
    "Every contact arrived while an agent on shift spoke its language": "language_gaps",
    "Every hour of the week has at least the rostered agents": "staffing_by_hour",
    "No figure is materially worse than the team": "agent_scorecard",
    "No quarantined rows in": "contacts",
    "Every stored text was redacted under the current rules": "contacts",
    "The pages read ": "contacts",  # derived facts built at load (Data health)
    "No conversation failed under these filters": "qa_failures",
}
N_ZERO = re.compile(r"\bn = 0\b")


def build(name: str, folder: Path, shared) -> Path:
    """The warehouse ``name`` (a SETS key or "empty"): the empty one in ``folder``, the
    others from ``shared`` (tests/conftest.py's RealWarehouses: read-only, each sequence of
    loads run once a session)."""
    if name == "empty":
        db = folder / f"{name}.duckdb"
        with open_for_write(db):
            pass
        return db
    db, _ = shared.load(SETS[name])
    return db


def statuses(db: Path) -> dict[str, str]:
    """Every metric's availability over all data: name -> status."""
    wh = ReadOnlyWarehouse(db)
    try:
        table = availability_table(wh, load_settings(), Filters())
    finally:
        wh.close()
    return dict(table.select("metric", "status").rows())


def missing_charts(titles: list[str], status: dict[str, str]) -> list[str]:
    """Chart titles drawn although their figure is not available."""
    return [
        title
        for title in titles
        for start, metric in CHART_METRICS.items()
        if title.startswith(start) and status.get(metric) == "not_available"
    ]


def unfounded_successes(texts: list[str], status: dict[str, str]) -> list[str]:
    """Success messages whose figure is not available (or that no rule explains)."""
    bad = []
    for text in texts:
        metric = next((m for start, m in SUCCESS_METRICS.items() if text.startswith(start)), None)
        if metric is None or status.get(metric) == "not_available":
            bad.append(text)
    return bad


def n_zero(texts: list[str]) -> list[str]:
    """Texts that show a count of zero as a sample size."""
    return [text for text in texts if N_ZERO.search(text)]


def frame_texts(frame: pl.DataFrame) -> list[str]:
    """The text cells of a table (for the n = 0 check)."""
    return [str(v) for col in frame.columns for v in frame[col].to_list() if isinstance(v, str)]
