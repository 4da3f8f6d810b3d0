"""The headline KPIs: what the Overview page shows and ``python -m metrics summary`` prints.

One function, :func:`headline`, serves both. Its figures are the aggregates the registered
metric functions (FRT, resolution, FCR, CSAT, sentiment ...) run, read from the same
definitions (``Duration``, ``Rate``, ``CSAT_COUNTS``, the sentiment totals), so a tile can
never disagree with its metric's own page; they are computed in one query over the contact
fact, together with the previous period the Overview compares with.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import polars as pl

from metrics.core.aggregate import count_where, select_list
from metrics.core.availability import judge
from metrics.core.contacts import Warehouse, contacts_table
from metrics.core.filters import Filters
from metrics.core.inputs import data_facts
from metrics.core.settings import Settings
from metrics.response.first_response import FRT, FRT_BUSINESS
from metrics.response.resolution import (
    FCR,
    FIRST_RESOLUTION,
    ONE_TOUCH,
    REOPEN,
    REPEAT_CONTACT,
    SLA,
)
from metrics.voice.csat import CSAT_COUNTS, csat
from metrics.voice.sentiment import totals_aggregates, totals_shares

# Each headline block and the definition its registered metric runs (metrics.response):
# frt, frt_business, first_resolution_time; fcr_rate, one_touch_rate, reopen_rate,
# repeat_contact_rate, sla_attainment.
DURATIONS = {
    "frt_minutes": FRT,
    "frt_business_minutes": FRT_BUSINESS,
    "resolution_minutes": FIRST_RESOLUTION,
}
RATES = {
    "fcr_rate": FCR,
    "one_touch_rate": ONE_TOUCH,
    "reopen_rate": REOPEN,
    "repeat_contact_rate": REPEAT_CONTACT,
    "sla_attainment": SLA,
}
# Each headline block and the registered metric whose availability it follows.
KPI_METRICS = {
    "contacts": "contacts",
    "frt_minutes": "frt",
    "frt_business_minutes": "frt_business",
    "resolution_minutes": "first_resolution_time",
    "fcr_rate": "fcr_rate",
    "one_touch_rate": "one_touch_rate",
    "reopen_rate": "reopen_rate",
    "repeat_contact_rate": "repeat_contact_rate",
    "sla_attainment": "sla_attainment",
    "csat": "csat",
    "sentiment": "sentiment",
}
VOLUME: dict[str, str] = {
    "contacts": "count(*)",
    "tickets": count_where("c.contact_type = 'ticket'"),
    "conversations": count_where("c.contact_type = 'conversation'"),
    "first_day": "min(c.created_day)",
    "last_day": "max(c.created_day)",
}


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
    sql = f"SELECT {select_list(VOLUME)} FROM {table} AS c WHERE {where}"  # noqa: S608
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


def _csat(row: dict[str, Any]) -> dict[str, Any]:
    """The CSAT block from CSAT_COUNTS (share and response rate as ``csat`` works them out)."""
    n, solved, unrated = row.get("n", 0), row.get("solved", 0), row.get("unrated", 0)
    return {
        "responses": n,
        "value": row["satisfied"] / n if n else None,
        "mean": row.get("mean"),
        "response_rate": (solved - unrated) / solved if solved else None,
    }


def _sentiment(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "n": row.get("n", 0),
        "mean": row.get("mean"),
        "negative_share": row.get("negative_share"),
        "coverage": row.get("coverage"),
    }


def _with_availability(
    wh: Warehouse, settings: Settings, filters: Filters, result: dict[str, Any]
) -> dict[str, Any]:
    """Add ``availability`` (per block: status, reasons, commands) and blank every figure of a
    block whose inputs are missing (None, never 0: e.g. a response rate without surveys)."""
    facts = data_facts(wh, settings, filters)
    availability: dict[str, Any] = {}
    for key, name in KPI_METRICS.items():
        state = judge(facts, name)
        availability[key] = state.as_dict()
        if not state.shown and isinstance(result.get(key), dict):
            result[key] = {k: (v if k in ("n", "responses") else None)
                           for k, v in result[key].items()}  # fmt: skip
    result["availability"] = availability
    return result


def _aggregates(with_csat: bool) -> tuple[str, dict[str, str]]:
    """Every block's aggregates over contact ``c`` as a select list, named
    ``<block>__<figure>`` (the volume without a block), each distinct aggregate once; and the
    names left out -> the name of the same aggregate in the list (e.g. the unanswered count
    FRT and business-hours FRT both report)."""
    blocks: dict[str, dict[str, str]] = {"": VOLUME}
    blocks |= {key: spec.columns() for key, spec in DURATIONS.items()}
    blocks |= {key: spec.columns() for key, spec in RATES.items()}
    if with_csat:
        blocks["csat"] = CSAT_COUNTS
    selected: dict[str, str] = {}  # SQL -> name
    copies: dict[str, str] = {}
    for block, columns in blocks.items():
        for figure, sql in columns.items():
            name = f"{block}__{figure}" if block else figure
            if sql in selected:
                copies[name] = selected[sql]
            else:
                selected[sql] = name
    aggregates = select_list({name: sql for sql, name in selected.items()})
    return f"{aggregates}, {totals_aggregates('sentiment__')}", copies


def _blocks(row: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``<block>__<figure>`` columns of one row as {block: {figure: value}} (volume: "")."""
    blocks: dict[str, dict[str, Any]] = {}
    for name, value in row.items():
        block, _, figure = name.rpartition("__")
        blocks.setdefault(block, {})[figure] = value
    return blocks


def period_figures(
    wh: Warehouse, settings: Settings, periods: list[Filters]
) -> list[dict[str, dict[str, Any]]]:
    """Every headline block's figures for each of ``periods`` (filters that differ only in
    their dates, each range adjoining the next: a period and the one before it), in one query
    over the contact fact: per period {block: {figure: value}}, the volume under "".

    CSAT is left out when the filters choose agents (``csat`` applies that choice to the
    agent a rating counts for, not the contact's agent: ``headline`` asks ``csat``)."""
    table = contacts_table(wh, settings)
    first, last = periods[-1], periods[0]
    where, params = replace(last, date_from=first.date_from).where(settings.reporting_timezone)
    aggregates, copies = _aggregates(with_csat=not last.agent)
    selects = []
    for i, period in enumerate(periods):
        start, end = period.bounds(settings.reporting_timezone)
        bounds = []
        if i < len(periods) - 1:  # the range of every period but the earliest starts it
            bounds.append(f"c.created_at >= $h_from_{i}")
            params[f"h_from_{i}"] = start
        if i > 0:
            bounds.append(f"c.created_at < $h_to_{i}")
            params[f"h_to_{i}"] = end
        cut = "".join(f" AND {b}" for b in bounds)
        # Table and aggregates come from code (contacts_table, the metric definitions).
        selects.append(f"SELECT {i} AS h_period, {aggregates} FROM {table} AS c WHERE {where}{cut}")  # noqa: S608
    shares = totals_shares("sentiment__")
    sums = "sentiment__n, sentiment__negative, sentiment__customer_messages, sentiment__total"
    unioned = " UNION ALL ".join(selects)
    # Every fragment comes from code (the selects above, the sentiment shares).
    sql = f"WITH periods AS ({unioned}) SELECT * EXCLUDE (h_period, {sums}), {shares} FROM periods ORDER BY h_period"  # noqa: S608, E501
    rows = wh.query(sql, params).iter_rows(named=True)
    return [_blocks(row | {name: row[same] for name, same in copies.items()}) for row in rows]


def _figures(wh: Warehouse, settings: Settings, filters: Filters) -> dict[str, dict[str, Any]]:
    """``period_figures`` of ``filters``, computed with its previous period (which the Overview
    shows next) and both remembered for this file version."""

    def both() -> dict[str, dict[str, Any]]:
        previous = filters.previous_period()
        periods = [filters] if previous == filters else [filters, previous]
        found = period_figures(wh, settings, periods)
        if len(found) > 1:
            wh.remember(("headline", repr(settings), previous), lambda: found[1])
        return found[0]

    return wh.remember(("headline", repr(settings), filters), both)


def _csat_block(
    wh: Warehouse, settings: Settings, filters: Filters, blocks: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    if "csat" in blocks:
        return _csat(blocks["csat"])
    row = _first_row(csat(wh, settings, filters))  # an agent choice: see period_figures
    return {
        "responses": row.get("n", 0),
        "value": row.get("value"),
        "mean": row.get("mean"),
        "response_rate": row.get("response_rate"),
    }


def headline(wh: Warehouse, settings: Settings, filters: Filters) -> dict[str, Any]:
    """The headline KPIs over ``filters`` as a JSON-ready dict (DESIGN section 5).

    Durations are minutes (n, median, p90); a rate's ``value`` is a fraction in [0, 1],
    None when its n is 0; ``period`` is the filter's dates, or the first and last creation
    day in the data when the range is open. Exclusions are those of each metric.
    ``availability`` says per block whether its inputs are in the warehouse
    (``metrics.core.availability``): a block that is ``not_available`` has no values.
    """
    blocks = _figures(wh, settings, filters)
    counts, frt = blocks[""], blocks["frt_minutes"]
    result: dict[str, Any] = {
        "period": _period(settings, filters, counts),
        "contacts": counts.get("contacts", 0),
        "tickets": counts.get("tickets", 0),
        "conversations": counts.get("conversations", 0),
        "unanswered": frt.get("unanswered", 0),
    }
    for key in DURATIONS:
        result[key] = _duration(blocks[key])
    for key in RATES:
        n, hits = blocks[key]["n"], blocks[key]["hits"]
        result[key] = _rate({"n": n, "value": hits / n if n else None})
    result["csat"] = _csat_block(wh, settings, filters, blocks)
    result["sentiment"] = _sentiment(blocks["sentiment"])
    return _with_availability(wh, settings, filters, result)
