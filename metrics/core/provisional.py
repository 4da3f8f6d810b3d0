"""Provisional periods: the days and weeks whose figures are still moving.

A contact's figures keep changing after it is created: its first reply comes later, it is
solved (and maybe reopened) later, its survey arrives days after the solve, its customer may
come back within the FCR window. So the last days of the data always look better or worse
than they will end up (the demo's last-day CSAT "collapses" because only a few surveys are
in). This module measures, on the warehouse's own history, how long each kind of figure
keeps moving (the *lag*: the time by which ``settings.provisional_share``, default 95%, of
first replies, solves, survey responses ... have arrived), and marks as provisional:

- a bucket (day, week, month) containing contacts created less than the lag before the
  warehouse's newest recorded instant (``as_of``): *still moving*;
- a bucket that the data or the period covers only partly (the first week starting before
  the data or the period does, the last one ending after them): *partial*.

Public functions (pages, the scorecard and issue 17's alerts use them):

- :func:`settling` -> :class:`Settling` (lags per kind, ``as_of``; one query per warehouse);
- :func:`mark_provisional` adds ``provisional`` / ``provisional_reason`` to a per-bucket frame;
- :func:`period_provisional` says whether (and why) a whole period is provisional;
- :func:`settled_filters` narrows filters to the part of their period that has settled, the
  only part a judgement (an alert, a "weakest area") may rest on.

The kinds are ``metrics.core.availability.SETTLE_KINDS``; each metric names its kind in
``metrics.core.availability.NEEDS``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import polars as pl

from metrics.core.availability import NEEDS
from metrics.core.contacts import Warehouse, contacts_table
from metrics.core.facts import fact_table
from metrics.core.filters import Filters
from metrics.core.inputs import INPUT_COUNTS
from metrics.core.settings import Settings

NEWEST_SQL = """
    SELECT max(t) FROM (
        SELECT max(greatest(created_at, updated_at, first_response_at, solved_at, closed_at,
            escalated_at)) AS t FROM tickets
        UNION ALL SELECT max(sent_at) FROM messages
        UNION ALL SELECT max(changed_at) FROM ticket_events
        UNION ALL SELECT max(responded_at) FROM surveys
    ) AS newest
"""
LAGS_SQL = """
    SELECT quantile_cont(c.frt_minutes, $q) AS first_reply,
        quantile_cont(c.first_resolution_minutes, $q) AS resolution,
        quantile_cont(c.full_resolution_minutes, $q) AS full_resolution,
        quantile_cont((epoch(c.csat_responded_at) - epoch(c.created_at)) / 60.0, $q)
            FILTER (WHERE c.csat_responded_at >= c.created_at) AS csat,
        min(c.created_at) AS first_at
    FROM {table} AS c WHERE NOT c.is_merged
"""
# Over the input counts' conversations (their first and last timed message), not the messages.
CONVERSATION_SQL = """
    SELECT quantile_cont(minutes, $q) FROM (
        SELECT (epoch(n.last_message_at) - epoch(n.first_message_at)) / 60.0 AS minutes
        FROM {counts} AS n WHERE n.first_message_at IS NOT NULL
    ) AS conversations
"""
# A bucket counts as covered by the data when the data ends less than this before its end (an
# export cut at 23:59:25 leaves the day whole, one cut at 14:00 does not).
COVERED = timedelta(hours=1)
MEASURED = {
    "first_reply": "first replies come",
    "resolution": "tickets are first solved",
    "full_resolution": "tickets are solved for the last time",
    "csat": "survey responses arrive",
    "conversation": "conversations end",
}


def duration_words(lag: timedelta) -> str:
    """ "3.2 days", "5.0 hours", "12 minutes"."""
    minutes = lag.total_seconds() / 60.0
    if minutes >= 2 * 24 * 60:
        return f"{minutes / (24 * 60):.1f} days"
    if minutes >= 120:
        return f"{minutes / 60:.1f} hours"
    return f"{minutes:.0f} minutes"


@dataclass(frozen=True)
class Settling:
    """How long figures keep moving, measured on one warehouse.

    ``as_of``: the newest instant recorded (None for an empty warehouse); ``first_at``: the
    first contact's creation; ``lags``: per settle kind, the time after a contact's creation
    by which its figure has (almost always) stopped moving; ``bases``: that in words.
    """

    as_of: datetime | None
    first_at: datetime | None
    lags: dict[str, timedelta]
    bases: dict[str, str]

    def settled_before(self, kind: str) -> datetime | None:
        """Contacts created before this instant have final ``kind`` figures."""
        return self.as_of - self.lags.get(kind, timedelta(0)) if self.as_of else None


def _minutes(value: float | None) -> timedelta:
    return timedelta(minutes=float(value)) if value is not None and value > 0 else timedelta(0)


def newest_instant(wh: Warehouse) -> datetime | None:
    """The warehouse's newest recorded instant (tickets, messages, status changes, survey
    responses): "now" for data that ends in the past. None for an empty warehouse.
    Remembered per reader and file version, as ``instants.newest_timestamp``."""
    return wh.remember(("newest_instant",), lambda: wh.query(NEWEST_SQL).item())


def settling(wh: Warehouse, settings: Settings) -> Settling:
    """The lags of every settle kind, from the whole warehouse (filters do not change them):
    computed once per file version, settings and reader (the sidebar and every scorecard
    ask for them)."""
    return wh.remember(("settling", repr(settings)), lambda: _settling(wh, settings))


def _settling(wh: Warehouse, settings: Settings) -> Settling:
    q = settings.provisional_share
    row = wh.query(LAGS_SQL.format(table=contacts_table(wh, settings)), {"q": q}).row(0, named=True)
    lags = {kind: _minutes(row[kind]) for kind in ("first_reply", "resolution", "full_resolution")}
    conversations = CONVERSATION_SQL.format(counts=fact_table(wh, INPUT_COUNTS))
    lags["conversation"] = _minutes(wh.query(conversations, {"q": q}).item())
    share = f"{q:.0%}"
    bases = {
        kind: f"{share} of {MEASURED[kind]} within {duration_words(lag)} of the contact"
        for kind, lag in lags.items()
    }
    if row["csat"] is not None:
        lags["csat"] = _minutes(row["csat"])
        bases["csat"] = f"{share} of {MEASURED['csat']} within {duration_words(lags['csat'])}"
    else:  # no response times: a survey can come until the ticket is solved
        lags["csat"] = lags["full_resolution"]
        bases["csat"] = "surveys carry no response time; assumed in once tickets are solved"
    fcr, repeat = timedelta(days=settings.fcr_days), timedelta(days=settings.repeat_days)
    lags |= {"fcr": lags["full_resolution"] + fcr, "repeat": repeat, "bot_return": fcr}
    bases |= {
        "fcr": f"{bases['full_resolution']}, plus the {settings.fcr_days}-day FCR window",
        "repeat": f"a customer may come back within the {settings.repeat_days}-day window",
        "bot_return": f"a customer may come back within the {settings.fcr_days}-day window",
    }
    lags["none"], bases["none"] = timedelta(0), "figures are final once a contact is created"
    return Settling(newest_instant(wh), row["first_at"], lags, bases)


def kind_of(metric: str) -> str:
    """The settle kind a metric declares in NEEDS ("none" for an undeclared name)."""
    needs = NEEDS.get(metric)
    return needs.settles if needs else "none"


def bucket_end(start: date, bucket: str) -> date:
    """The first day after the bucket starting on ``start`` (day, week or month)."""
    if bucket == "week":
        return start + timedelta(days=7)
    if bucket == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=1)


def _midnight(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(0), ZoneInfo(zone)).astimezone(UTC)


def bucket_reason(
    start: date, bucket: str, state: Settling, kind: str, settings: Settings, period: Filters
) -> str | None:
    """Why the bucket starting on ``start`` is provisional, or None when it is final."""
    if state.as_of is None:
        return None
    zone = settings.reporting_timezone
    end = bucket_end(start, bucket)
    first_day = period.date_from or (
        state.first_at.astimezone(ZoneInfo(zone)).date() if state.first_at else None
    )
    if first_day is not None and start < first_day:
        return f"partial {bucket}: starts before the {'period' if period.date_from else 'data'}"
    if period.date_to is not None and end - timedelta(days=1) > period.date_to:
        return f"partial {bucket}: the period ends on {period.date_to}"
    if _midnight(end, zone) - COVERED > state.as_of:
        return f"partial {bucket}: the data ends at {state.as_of:%Y-%m-%d %H:%M} UTC"
    settled = state.settled_before(kind)
    if settled is not None and kind != "none" and _midnight(end, zone) > settled:
        return f"still moving: {state.bases[kind]}"
    return None


def mark_provisional(
    frame: pl.DataFrame,
    column: str,
    bucket: str,
    state: Settling,
    metric: str,
    settings: Settings,
    period: Filters | None = None,
) -> pl.DataFrame:
    """``frame`` (one row per bucket start in ``column``) with ``provisional`` (bool) and
    ``provisional_reason`` (text, null when final) for ``metric``'s settle kind."""
    kind, period = kind_of(metric), period or Filters()
    reasons = [
        bucket_reason(_as_date(start), bucket, state, kind, settings, period) if start else None
        for start in frame[column].to_list()
    ]
    return frame.with_columns(
        pl.Series("provisional_reason", reasons, dtype=pl.String),
        pl.Series("provisional", [r is not None for r in reasons], dtype=pl.Boolean),
    )


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def period_provisional(
    filters: Filters, state: Settling, metric: str, settings: Settings
) -> str | None:
    """Why the period of ``filters`` holds figures of ``metric`` still moving, or None."""
    settled, kind = state.settled_before(kind_of(metric)), kind_of(metric)
    if settled is None:
        return None
    if kind == "none":
        settled += COVERED
    end = (
        _midnight(filters.date_to + timedelta(days=1), settings.reporting_timezone)
        if (filters.date_to)
        else state.as_of
    )
    if end is not None and end > settled:
        since = settled.astimezone(ZoneInfo(settings.reporting_timezone))
        return (
            f"contacts created after {since:%Y-%m-%d %H:%M} are still moving ({state.bases[kind]})"
        )
    return None


def settled_filters(
    filters: Filters, state: Settling, metric: str, settings: Settings
) -> Filters | None:
    """``filters`` cut to the days of their period whose ``metric`` figures have settled
    (the period's end moved back to the last whole settled day); None when no day has."""
    settled = state.settled_before(kind_of(metric))
    if settled is None:
        return None
    zone = settings.reporting_timezone
    last = settled.astimezone(ZoneInfo(zone)).date() - timedelta(days=1)
    if filters.date_to is not None and filters.date_to <= last:
        return filters
    if filters.date_from is not None and filters.date_from > last:
        return None
    return replace(filters, date_to=last)
