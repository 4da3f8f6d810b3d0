"""The headline KPIs: what the Overview page shows and ``python -m metrics summary`` prints.

One function, :func:`headline`, serves both, and it only assembles the results
of the registered metric functions (FRT, resolution, FCR, CSAT, sentiment ...)
over the same filters, so a tile can never disagree with its metric's own page.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from metrics.core.contacts import Warehouse, contacts_table
from metrics.core.filters import Filters
from metrics.core.settings import Settings
from metrics.response.first_response import first_response_time, first_response_time_business
from metrics.response.resolution import (
    fcr_rate,
    first_resolution_time,
    one_touch_rate,
    reopen_rate,
    repeat_contact_rate,
    sla_attainment,
)
from metrics.voice.csat import csat
from metrics.voice.sentiment import sentiment_totals

DURATIONS = {
    "frt_minutes": first_response_time,
    "frt_business_minutes": first_response_time_business,
    "resolution_minutes": first_resolution_time,
}
RATES = {
    "fcr_rate": fcr_rate,
    "one_touch_rate": one_touch_rate,
    "reopen_rate": reopen_rate,
    "repeat_contact_rate": repeat_contact_rate,
    "sla_attainment": sla_attainment,
}
_VOLUME = (
    "count(*) AS contacts,"
    " count(*) FILTER (WHERE c.contact_type = 'ticket') AS tickets,"
    " count(*) FILTER (WHERE c.contact_type = 'conversation') AS conversations,"
    " min(c.created_day) AS first_day, max(c.created_day) AS last_day"
)


def _first_row(frame: pl.DataFrame) -> dict[str, Any]:
    return frame.row(0, named=True) if frame.height else {}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def volume(wh: Warehouse, settings: Settings, filters: Filters) -> dict[str, Any]:
    """Contacts, tickets and chat conversations without a ticket over the filters, and the
    first and last creation day among them (reporting time zone; None when there are none)."""
    table = contacts_table(wh, settings)
    where, params = filters.where(settings.reporting_timezone)
    # The table name and condition come from code (contacts_table, Filters.where), never input.
    sql = f"SELECT {_VOLUME} FROM {table} AS c WHERE {where}"  # noqa: S608
    frame = wh.query(sql, params)
    return _first_row(frame)


def _period(settings: Settings, filters: Filters, counts: dict[str, Any]) -> dict[str, Any]:
    return {
        "from": _iso(filters.date_from or counts.get("first_day")),
        "to": _iso(filters.date_to or counts.get("last_day")),
        "timezone": settings.reporting_timezone,
    }


def _duration(row: dict[str, Any]) -> dict[str, Any]:
    return {"n": row.get("n", 0), "median": row.get("median"), "p90": row.get("p90")}


def _rate(row: dict[str, Any]) -> dict[str, Any]:
    n = row.get("n", 0)
    return {"n": n, "value": row.get("value") if n else None}


def _csat(wh: Warehouse, settings: Settings, filters: Filters) -> dict[str, Any]:
    row = _first_row(csat(wh, settings, filters))
    return {
        "responses": row.get("n", 0),
        "value": row.get("value"),
        "mean": row.get("mean"),
        "response_rate": row.get("response_rate"),
    }


def _sentiment(wh: Warehouse, settings: Settings, filters: Filters) -> dict[str, Any]:
    row = _first_row(sentiment_totals(wh, settings, filters))
    return {
        "n": row.get("n", 0),
        "mean": row.get("mean"),
        "negative_share": row.get("negative_share"),
        "coverage": row.get("coverage"),
    }


def headline(wh: Warehouse, settings: Settings, filters: Filters) -> dict[str, Any]:
    """The headline KPIs over ``filters`` as a JSON-ready dict (DESIGN section 5).

    Durations are minutes (n, median, p90); a rate's ``value`` is a fraction in [0, 1],
    None when its n is 0; ``period`` is the filter's dates, or the first and last creation
    day in the data when the range is open. Exclusions are those of each metric.
    """
    counts = volume(wh, settings, filters)
    frt = _first_row(first_response_time(wh, settings, filters))
    result: dict[str, Any] = {
        "period": _period(settings, filters, counts),
        "contacts": counts.get("contacts", 0),
        "tickets": counts.get("tickets", 0),
        "conversations": counts.get("conversations", 0),
        "unanswered": frt.get("unanswered", 0),
        "frt_minutes": _duration(frt),
    }
    for key, fn in DURATIONS.items():
        if key not in result:
            result[key] = _duration(_first_row(fn(wh, settings, filters)))
    for key, fn in RATES.items():
        result[key] = _rate(_first_row(fn(wh, settings, filters)))
    result["csat"] = _csat(wh, settings, filters)
    result["sentiment"] = _sentiment(wh, settings, filters)
    return result
