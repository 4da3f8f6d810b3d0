"""The digest's content as one JSON-ready dict: the headline KPIs with their change and its
significance, movers, peaks, staffing gaps, negative feedback, security, quality, alerts
that fired in the period, and the data's freshness. Every figure comes from the function
that ``python -m metrics summary`` / ``show`` runs, over the same filters."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from metrics.alerts.evaluate import evaluate
from metrics.alerts.rules import parse_rules
from metrics.alerts.state import NotifyState
from metrics.core.contacts import Warehouse
from metrics.core.filters import DIMENSIONS, Filters
from metrics.core.inputs import data_facts
from metrics.core.links import page_link
from metrics.core.provisional import period_provisional, settling
from metrics.core.settings import Settings
from metrics.digest import sections
from metrics.digest.changes import kpi_changes
from metrics.reports.summary import headline

KPI_METRICS = {"contacts": "contacts", "frt_minutes": "frt",
               "resolution_minutes": "first_resolution_time", "sla_attainment": "sla_attainment",
               "fcr_rate": "fcr_rate", "reopen_rate": "reopen_rate", "csat": "csat",
               "sentiment": "sentiment"}  # fmt: skip


def data_today(wh: Warehouse, settings: Settings) -> date | None:
    """The day (reporting time zone) of the warehouse's newest recorded instant."""
    as_of = settling(wh, settings).as_of
    return as_of.astimezone(ZoneInfo(settings.reporting_timezone)).date() if as_of else None


def _kpis(wh: Warehouse, settings: Settings, filters: Filters, ctx: dict) -> list[dict]:
    head = headline(wh, settings, filters)
    previous = filters.previous_period()
    before = headline(wh, settings, previous) if previous != filters else None
    rows = kpi_changes(wh, settings, filters, head, before)
    state = ctx["settling"]
    for row in rows:
        row["provisional"] = period_provisional(filters, state, KPI_METRICS[row["key"]], settings)
        row["link"] = page_link(settings.digest_base_url, "overview", filters)
    ctx["headline"] = head
    return rows


def _guarded(title: str, metric: str, page: str, facts, ctx: dict, compute) -> dict:  # noqa: ANN001
    block = sections.section(title, metric, page, facts, ctx)
    if block["available"]:
        block["content"] = compute()
    return block


def build_digest(wh: Warehouse, settings: Settings, filters: Filters) -> dict[str, Any]:
    """The digest of ``filters`` (its dates set) as a dict; see the module docstring."""
    state = settling(wh, settings)
    previous = filters.previous_period()
    ctx: dict[str, Any] = {"base_url": settings.digest_base_url, "filters": filters,
                           "settling": state}  # fmt: skip
    facts = data_facts(wh, settings, filters)
    kpis = _kpis(wh, settings, filters, ctx)
    blocks = [
        _guarded("Biggest movers", "channel_breakdown", "channels_backlog", facts, ctx,
                 lambda: sections.movers(wh, settings, filters, previous)),
        _guarded("Peaks and their causes", "peak_days", "coverage", facts, ctx,
                 lambda: sections.peaks(wh, settings, filters)),
        _guarded("Staffing gaps", "language_gaps", "coverage", facts, ctx,
                 lambda: sections.staffing(wh, settings, filters)),
        _guarded("Negative feedback", "negative_topics", "customer_voice", facts, ctx,
                 lambda: sections.negatives(wh, settings, filters)),
        _guarded("Security incidents", "security_incidents", "bot_security", facts, ctx,
                 lambda: sections.security(wh, settings, filters, state.as_of)),
        _guarded("Quality review", "qa_auto_score", "quality", facts, ctx,
                 lambda: sections.quality(wh, settings, filters, facts)),
    ]  # fmt: skip
    fired = evaluate(wh, settings, parse_rules(settings), filters, NotifyState())
    return {
        "period": ctx["headline"]["period"],
        "previous_period": {"from": _iso(previous.date_from), "to": _iso(previous.date_to)},
        "filters": {name: list(getattr(filters, name)) for name in DIMENSIONS},
        "link": page_link(settings.digest_base_url, "overview", filters),
        "as_of": _iso(state.as_of),
        "headline": ctx["headline"],
        "kpis": kpis,
        "sections": blocks,
        "alerts": [a.as_dict() for a in fired.fired],
        "alert_notes": fired.notes,
        "freshness": sections.freshness(wh),
    }


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def period_filters(filters: Filters, first: date, last: date) -> Filters:
    """``filters`` over the days ``first`` .. ``last``."""
    return replace(filters, date_from=first, date_to=last)
