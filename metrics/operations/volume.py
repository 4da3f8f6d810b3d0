"""Contact volume (how many contacts, by any breakdown or hour of week) and pages of the
contact rows with a text search, for tables that must never pull a whole table.

A *contact* is a ticket, or a chat conversation that belongs to no ticket (DESIGN section 5).
"""

from __future__ import annotations

from typing import Any

import polars as pl

from metrics.core.contacts import EXPORT_COLUMNS, Warehouse, contacts_table
from metrics.core.filters import Filters
from metrics.core.grouping import group_expr
from metrics.core.metric import MetricInfo
from metrics.core.settings import Settings

# Described like a registered metric so pages explain it the same way; the counts are the
# headline's `contacts`, `tickets` and `conversations` (metrics.reports.summary.volume), by group.
CONTACTS_INFO = MetricInfo(
    name="contacts",
    label="Contacts",
    unit="contacts",
    family="volume",
    definition=(
        "Tickets, plus chat conversations that belong to no ticket, created in the period "
        "(creation day in the reporting time zone)."
    ),
    variant="counted on the creation day; a reopened ticket is still one contact",
    exclusions="merged duplicates (a ticket merged into another)",
)

_COUNTS = (
    "count(*) AS contacts,"
    " count(*) FILTER (WHERE c.contact_type = 'ticket') AS tickets,"
    " count(*) FILTER (WHERE c.contact_type = 'conversation') AS conversations"
)

# Export columns that hold text: the ones a search looks in.
SEARCH_COLUMNS: tuple[str, ...] = (
    "contact_type", "source", "contact_id", "channel", "language", "team", "agent_id",
    "priority", "category", "customer_id", "status", "csat_assignee_id", "last_agent_id",
)  # fmt: skip


def contact_volume(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """Contacts, tickets and conversations over ``filters``, overall or per group ``by``
    (any breakdown of ``metrics.core.grouping``). A group without contacts has no row."""
    table = contacts_table(wh, settings)
    where, params = filters.where(settings.reporting_timezone)
    group = group_expr(by)
    if group is None:
        return wh.query(f"SELECT {_COUNTS} FROM {table} AS c WHERE {where}", params)  # noqa: S608
    params["timezone"] = settings.reporting_timezone
    sql = (
        f"SELECT {group} AS {by}, {_COUNTS} FROM {table} AS c WHERE {where}"  # noqa: S608
        f" GROUP BY ALL ORDER BY {by} NULLS LAST"
    )
    return wh.query(sql, params if "$timezone" in sql else _without_zone(params))


def volume_by_hour_of_week(wh: Warehouse, settings: Settings, filters: Filters) -> pl.DataFrame:
    """Contacts per weekday (1 = Monday ... 7 = Sunday) and hour of day (0-23) of creation in
    the reporting time zone, every one of the 168 slots listed (0 where none). Columns:
    weekday, hour, contacts, per_week (contacts / weeks in the period, the days spanned by
    the filters or, when open, by the matching contacts, divided by 7)."""
    table = contacts_table(wh, settings)
    where, params = filters.where(settings.reporting_timezone)
    params |= {"timezone": settings.reporting_timezone}
    span = "(CAST($f_last AS DATE) - CAST($f_first AS DATE) + 1)"
    params |= {"f_first": filters.date_from, "f_last": filters.date_to}
    sql = f"""
        WITH scoped AS (SELECT c.created_at, c.created_day FROM {table} AS c WHERE {where}),
        days AS (
            SELECT greatest(coalesce({span}, max(created_day) - min(created_day) + 1, 1), 1)
                AS n FROM scoped
        ),
        counts AS (
            SELECT isodow(created_at AT TIME ZONE $timezone) AS weekday,
                hour(created_at AT TIME ZONE $timezone) AS hour, count(*) AS contacts
            FROM scoped GROUP BY ALL
        ),
        slots AS (
            SELECT d.weekday, h.hour FROM range(1, 8) AS d(weekday), range(0, 24) AS h(hour)
        )
        SELECT s.weekday::INTEGER AS weekday, s.hour::INTEGER AS hour,
            coalesce(c.contacts, 0) AS contacts,
            coalesce(c.contacts, 0) * 7.0 / (SELECT n FROM days) AS per_week
        FROM slots AS s LEFT JOIN counts AS c USING (weekday, hour)
        ORDER BY s.weekday, s.hour
    """  # noqa: S608
    return wh.query(sql, params)


def _search_condition(search: str) -> tuple[str, dict[str, Any]]:
    if not search.strip():
        return "TRUE", {}
    text = ", ".join(f"coalesce(c.{col}, '')" for col in SEARCH_COLUMNS)
    return f"strpos(lower(concat_ws(' ', {text})), lower($search)) > 0", {"search": search.strip()}


def _check_columns(columns: tuple[str, ...]) -> None:
    unknown = [col for col in columns if col not in EXPORT_COLUMNS]
    if unknown or not columns:
        raise ValueError(f"unknown or no columns {unknown}; expected some of the export columns")


def contact_count(wh: Warehouse, settings: Settings, filters: Filters, search: str = "") -> int:
    """How many contacts match ``filters`` and contain ``search`` (case-insensitive) in one
    of their text columns (SEARCH_COLUMNS); every filtered contact when ``search`` is blank."""
    table = contacts_table(wh, settings)
    where, params = filters.where(settings.reporting_timezone)
    match, extra = _search_condition(search)
    sql = f"SELECT count(*) AS n FROM {table} AS c WHERE {where} AND {match}"  # noqa: S608
    return int(wh.query(sql, params | extra).item())


def contact_page(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    search: str = "",
    columns: tuple[str, ...] = EXPORT_COLUMNS,
    limit: int = 500,
    offset: int = 0,
) -> pl.DataFrame:
    """One page of the contact rows (``metrics.core.contacts.contacts``'s rows and order) that match
    ``filters`` and ``search``: ``limit`` rows from ``offset``, only ``columns`` (export
    columns, in the order given). The rows are fetched page by page, never all at once."""
    _check_columns(columns)
    table = contacts_table(wh, settings)
    where, params = filters.where(settings.reporting_timezone)
    match, extra = _search_condition(search)
    cols = ", ".join(f"c.{col}" for col in columns)
    sql = (
        f"SELECT {cols} FROM {table} AS c WHERE {where} AND {match}"  # noqa: S608
        " ORDER BY c.created_at, c.source, c.contact_id LIMIT $limit OFFSET $offset"
    )
    return wh.query(
        sql, params | extra | {"limit": max(int(limit), 0), "offset": max(int(offset), 0)}
    )


def _without_zone(params: dict[str, Any]) -> dict[str, Any]:
    # DuckDB rejects a named parameter that the statement does not use.
    return {k: v for k, v in params.items() if k != "timezone"}
