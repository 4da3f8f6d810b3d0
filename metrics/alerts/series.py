"""Per-day figures an alert rule watches: one row per day (and group) with value and n.

Every figure comes from the registered metric function that defines it (contacts from
``contact_volume``, FRT from ``first_response_time``, negative share from
``sentiment_totals``, gaps from ``language_gaps`` (each day's, all days in one query:
``language_gaps_by_day``), security from ``security_breaches``), so
an alert says what ``python -m metrics show`` says for that day.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import polars as pl

from metrics.alerts.rules import Rule
from metrics.core.contacts import Warehouse
from metrics.core.filters import DIMENSIONS, Filters
from metrics.core.settings import Settings
from metrics.coverage.gaps import language_gaps_by_day
from metrics.operations.security import security_breaches
from metrics.operations.volume import contact_volume
from metrics.response.first_response import first_response_time
from metrics.voice.sentiment import sentiment_totals

SCHEMA = {"day": pl.Date, "group": pl.String, "value": pl.Float64, "n": pl.Int64}


def combine(first: Filters, second: Filters) -> Filters:
    """Contacts matching both: dates from ``second``; per dimension the values both allow."""
    choices = {}
    for name in DIMENSIONS:
        a, b = getattr(first, name), getattr(second, name)
        choices[name] = tuple(v for v in a if v in b) if a and b else (a or b)
        if a and b and not choices[name]:
            choices[name] = ("\x00none",)  # no value satisfies both: match nothing
    return replace(second, **choices)


def groups(wh: Warehouse, settings: Settings, rule: Rule, filters: Filters) -> list[str | None]:
    """The values of the rule's breakdown among the filtered contacts ([None]: no breakdown)."""
    if rule.by is None:
        return [None]
    frame = contact_volume(wh, settings, filters, by=rule.by)
    return [v for v in frame[rule.by].to_list() if v is not None]


def _daily(rule: Rule, wh: Warehouse, settings: Settings, filters: Filters) -> pl.DataFrame:
    if rule.metric == "contacts":
        frame = contact_volume(wh, settings, filters, by="day")
        return frame.select("day", value=pl.col("contacts").cast(pl.Float64), n="contacts")
    if rule.metric == "frt_median":
        frame = first_response_time(wh, settings, filters, by="day")
        return frame.filter(pl.col("n") > 0).select("day", value="median", n="n")
    frame = sentiment_totals(wh, settings, filters, by="day")
    return frame.filter(pl.col("n") > 0).select("day", value="negative_share", n="n")


def _uncovered(wh: Warehouse, settings: Settings, filters: Filters, rule: Rule) -> list[dict]:
    # Each day's language_gaps, all days in one query (the same rows as one call per day).
    gaps = language_gaps_by_day(wh, settings, filters, slot="all")
    if rule.by is None:
        totals = gaps.group_by("day", maintain_order=True).agg(pl.col("gap_contacts").sum())
        return [
            {"day": day, "group": None, "value": float(total), "n": int(total)}
            for day, total in totals.iter_rows()
        ]
    return [
        {"day": row["day"], "group": row["language"], "value": float(row["gap_contacts"]),
         "n": int(row["n"])}
        for row in gaps.iter_rows(named=True)
    ]  # fmt: skip


def _security(
    wh: Warehouse, settings: Settings, filters: Filters, as_of: datetime | None
) -> list[dict]:
    breaches = security_breaches(wh, settings, filters, as_of=as_of)
    still_open = breaches.filter(~pl.col("answered") | ~pl.col("escalated"))
    if not still_open.height:
        return []
    zone = settings.reporting_timezone
    days = still_open.select(day=pl.col("created_at").dt.convert_time_zone(zone).dt.date())
    counts = days.group_by("day").len()
    return [
        {"day": r["day"], "group": None, "value": float(r["len"]), "n": int(r["len"])}
        for r in counts.iter_rows(named=True)
    ]


def rule_series(
    wh: Warehouse, settings: Settings, rule: Rule, filters: Filters, as_of: datetime | None = None
) -> pl.DataFrame:
    """Columns day, group, value, n over ``filters`` (its dates must be set) for ``rule``."""
    scoped = combine(rule.filters, filters)
    if rule.metric == "uncovered_contacts":
        rows = _uncovered(wh, settings, scoped, rule)
    elif rule.metric == "security_overdue":
        rows = _security(wh, settings, scoped, as_of)
    else:
        frames = []
        for group in groups(wh, settings, rule, scoped):
            narrowed = replace(scoped, **{rule.by: (group,)}) if rule.by else scoped
            frames.append(_daily(rule, wh, settings, narrowed).with_columns(group=pl.lit(group)))
        rows = [row for frame in frames for row in frame.iter_rows(named=True)]
    return pl.DataFrame(rows, schema=SCHEMA).sort("group", "day", nulls_last=True)
