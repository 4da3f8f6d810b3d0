"""The calls of the Quality review page and of the three operations pages, as the page
benchmark (``bench.page_metrics``) times them: each page's metric calls on first opening."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from metrics.core.filters import Filters
from metrics.core.settings import Settings
from metrics.operations import backlog, bot, chat_queue, security, volume
from metrics.operations import wait_estimates as estimates
from metrics.quality import failures as qa_failures
from metrics.quality import reviews as qa_reviews
from metrics.quality import scope as qa_scope
from metrics.quality import scores as qa_scores
from metrics.reports import channels
from metrics.response import conversation, resolution, status_time
from metrics.response import first_response as response
from warehouse.reader import ReadOnlyWarehouse

Call = tuple[str, Callable[[ReadOnlyWarehouse], Any]]
# A call's label ends so when its page starts it on a thread and shows it later
# (``dashboard.background.Pending``): the page's time waits for it, alongside the others.
BESIDE = " (on a thread)"


def quality_calls(s: Settings, f: Filters) -> list[Call]:
    """The Quality review page's calls (pages/quality.py), on first opening. On a warehouse
    built before issue 16 (no qa tables) they return at once: measure them on a scored one
    (bench.quality_scoring does)."""
    return [
        ("contact_count", lambda wh: volume.contact_count(wh, s, f)),
        ("qa_auto_score", lambda wh: qa_scores.qa_auto_score(wh, s, f)),
        ("stored_scorer_versions", lambda wh: qa_scope.stored_scorer_versions(wh)),
        ("qa_internal_score", lambda wh: qa_reviews.qa_internal_score(wh, s, f)),
        ("qa_category_scores", lambda wh: qa_scores.qa_category_scores(wh, s, f)),
        ("qa_auto_score by agent", lambda wh: qa_scores.qa_auto_score(wh, s, f, by="agent")),
        ("qa_category_scores by agent", lambda wh: qa_scores.qa_category_scores(wh, s, f, by="agent")),
        ("qa_failures", lambda wh: qa_failures.qa_failures(wh, s, f, category="")),
        ("qa_disagreements", lambda wh: qa_reviews.qa_disagreements(wh, s, f)),
        ("qa_calibration", lambda wh: qa_reviews.qa_calibration(wh, s, f)),
    ]  # fmt: skip


def operations_calls(
    s: Settings, f: Filters, as_of: datetime | None, gate: Call
) -> dict[str, list[Call]]:
    """The pages of operations figures (pages/response_times.py, channels_backlog.py,
    bot_security.py), on first opening with the default filters (a "day" bucket for 30 days)."""
    count: Call = ("contact_count", lambda wh: volume.contact_count(wh, s, f))
    return {
        "Response and waits": [
            count, gate,
            (f"wait_estimates accuracy{BESIDE}", lambda wh: estimates.wait_estimates(wh, s, f, view="accuracy")),
            ("reply_time", lambda wh: conversation.reply_time(wh, s, f)),
            ("reply_time per conversation", lambda wh: conversation.reply_time(wh, s, f, per="conversation")),
            ("requester_wait", lambda wh: conversation.requester_wait(wh, s, f)),
            ("reply_time by day", lambda wh: conversation.reply_time(wh, s, f, by="day")),
            ("status_time", lambda wh: status_time.status_time(wh, s, f, as_of=as_of)),
            ("chat_queue_by_hour", lambda wh: chat_queue.chat_queue_by_hour(wh, s, f)),
            ("wait_estimates accuracy by channel", lambda wh: estimates.wait_estimates(wh, s, f, view="accuracy", by="channel")),
            ("wait_estimates (expander)", lambda wh: estimates.wait_estimates(wh, s, f)),
        ],
        "Channels and backlog": [
            count, gate,
            ("channel_breakdown", lambda wh: channels.channel_breakdown(wh, s, f)),
            ("repeat_contact_rate by channel", lambda wh: resolution.repeat_contact_rate(wh, s, f, by="channel")),
            ("repeat_contact_rate", lambda wh: resolution.repeat_contact_rate(wh, s, f)),
            ("backlog_over_time by day", lambda wh: backlog.backlog_over_time(wh, s, f, bucket="day")),
            ("backlog_moment", lambda wh: backlog.backlog_moment(wh, s, f)),
            ("backlog_by_age", lambda wh: backlog.backlog_by_age(wh, s, f)),
            ("backlog_by_age tickets", lambda wh: backlog.backlog_by_age(wh, s, f, view="tickets")),
        ],
        "Bot and security": [
            count, gate,
            ("bot_deflection", lambda wh: bot.bot_deflection(wh, s, f)),
            ("bot_handover", lambda wh: bot.bot_handover(wh, s, f)),
            ("bot_false_resolution", lambda wh: bot.bot_false_resolution(wh, s, f)),
            ("first_response_after_handover", lambda wh: response.first_response_after_handover(wh, s, f)),
            ("bot_deflection by channel", lambda wh: bot.bot_deflection(wh, s, f, by="channel")),
            ("security_incidents", lambda wh: security.security_incidents(wh, s, f)),
            ("security_breaches", lambda wh: security.security_breaches(wh, s, f)),
        ],
    }  # fmt: skip
