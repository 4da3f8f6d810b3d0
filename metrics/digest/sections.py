"""The digest's sections beyond the headline: each one the result of a registered metric over
the digest's filters (so ``python -m metrics show NAME`` prints the same figures), or "not
available" with the reason when the warehouse lacks its inputs (never zeros)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import polars as pl

from metrics.core.availability import judge
from metrics.core.contacts import Warehouse
from metrics.core.filters import Filters
from metrics.core.inputs import DataFacts
from metrics.core.links import page_link
from metrics.core.settings import Settings
from metrics.coverage.gaps import after_hours, language_gaps
from metrics.operations.peaks import peak_days
from metrics.operations.security import security_breaches, security_incidents
from metrics.quality.reviews import qa_internal_score
from metrics.quality.scores import qa_auto_score
from metrics.reports.channels import channel_breakdown
from metrics.reports.data_health import table_freshness
from metrics.voice.followup import negative_followup, negative_unfollowed
from metrics.voice.topics import negative_topics

MOVER_DIMENSIONS = ("channel", "language", "team")
TOP = 3


def _rows(frame: pl.DataFrame, limit: int | None = None) -> list[dict[str, Any]]:
    frame = frame.head(limit) if limit else frame
    return [
        {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
        for row in frame.iter_rows(named=True)
    ]


def section(title: str, metric: str, page: str, facts: DataFacts, ctx: dict[str, Any]) -> dict:
    """A section's frame: title, the metric it shows, its link, and whether it is available."""
    state = judge(facts, metric)
    return {
        "title": title, "metric": metric, "link": page_link(ctx["base_url"], page, ctx["filters"]),
        "available": state.shown, "not_available": None if state.shown else state.text(),
    }  # fmt: skip


def movers(wh: Warehouse, settings: Settings, filters: Filters, previous: Filters | None) -> dict:
    """Per dimension the groups whose contacts changed most against the previous period, with
    their channel_breakdown figures (FRT, FCR, CSAT) now and before."""
    result = {}
    for by in MOVER_DIMENSIONS:
        now = channel_breakdown(wh, settings, filters, by=by)
        if previous is not None:
            before = channel_breakdown(wh, settings, previous, by=by).select(
                by, previous_contacts="contacts", previous_frt_median="frt_median"
            )
            now = now.join(before, on=by, how="left", nulls_equal=True)
        else:
            now = now.with_columns(previous_contacts=pl.lit(None), previous_frt_median=pl.lit(None))
        now = now.with_columns(change=pl.col("contacts") - pl.col("previous_contacts").fill_null(0))
        ranked = now.sort(pl.col("change").abs(), descending=True)
        result[by] = _rows(ranked.rename({by: "group"}), TOP)
    return result


def peaks(wh: Warehouse, settings: Settings, filters: Filters) -> list[dict[str, Any]]:
    """Peak days of the period with their baseline and top categories (the likely cause)."""
    return _rows(peak_days(wh, settings, filters))


def staffing(wh: Warehouse, settings: Settings, filters: Filters) -> dict[str, Any]:
    """Languages nobody on shift spoke (per language over the period) and after-hours contacts."""
    gaps = language_gaps(wh, settings, filters, slot="all")
    hours = after_hours(wh, settings, filters)
    return {"language_gaps": _rows(gaps), "after_hours": _rows(hours)[0] if hours.height else {}}


def negatives(wh: Warehouse, settings: Settings, filters: Filters) -> dict[str, Any]:
    """Topics of negative feedback (largest first), the follow-up rate, and the negative
    messages nobody followed up (newest first)."""
    topics = negative_topics(wh, settings, filters)
    topics = topics.filter(pl.col("status") == "ok").sort("size", descending=True)
    keep = ["language", "topic", "top_terms", "size", "share", "examples"]
    followup = negative_followup(wh, settings, filters)
    unfollowed = negative_unfollowed(wh, settings, filters, limit=10)
    return {
        "topics": _rows(topics.select(keep), 6),
        "followup": _rows(followup)[0] if followup.height else {},
        "unfollowed": _rows(unfollowed.select("contact_id", "sent_at", "language", "body")),
    }


def security(wh: Warehouse, settings: Settings, filters: Filters, as_of: datetime | None) -> dict:
    """Security incidents of the period and those still open past their target."""
    incidents = security_incidents(wh, settings, filters, as_of=as_of)
    breaches = security_breaches(wh, settings, filters, as_of=as_of)
    still_open = breaches.filter(~pl.col("answered") | ~pl.col("escalated"))
    keep = ["contact_id", "created_at", "team", "target", "minutes_over", "waiting_minutes"]
    return {
        "incidents": _rows(incidents)[0] if incidents.height else {},
        "open_past_target": _rows(still_open.select(keep)),
        "breaches": breaches.height,
    }


def quality(wh: Warehouse, settings: Settings, filters: Filters, facts: DataFacts) -> dict:
    """The automatic review score and, where people reviewed, their score."""
    result: dict[str, Any] = {"automatic": _rows(qa_auto_score(wh, settings, filters))[0]}
    if judge(facts, "qa_internal_score").shown:
        rows = _rows(qa_internal_score(wh, settings, filters))
        result["people"] = rows[0] if rows else {}
    return result


def freshness(wh: Warehouse) -> list[dict[str, Any]]:
    """Per table: rows, newest data, last load and their age in hours (now: the clock)."""
    frame = table_freshness(wh, datetime.now(UTC))
    return _rows(frame.select("table", "rows", "newest", "last_load", "age_hours"))
