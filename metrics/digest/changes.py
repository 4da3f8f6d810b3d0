"""Headline KPIs against the previous period: the change and whether it is significant.

A change is called *significant* only under the scorecard's rule
(``metrics.core.compare.judge_against``): material (settings ``[scorecard]`` thresholds) AND
outside noise (the current period's 95% interval excludes the previous value: Wilson for
rates, the order-statistic interval for medians). Values are the headline's own
(``metrics.reports.summary.headline``), so the digest says what ``summary`` says.
"""

from __future__ import annotations

from typing import Any

from metrics.core.aggregate import wilson_interval
from metrics.core.compare import HIGHER, LOWER, judge_against, median_interval
from metrics.core.contacts import Warehouse, contacts_table
from metrics.core.filters import Filters
from metrics.core.settings import Settings

# headline key -> (label, unit, direction, how to read value and n, the contacts column
# whose values give a median's interval)
KPIS: tuple[tuple[str, str, str, str, str, str | None], ...] = (
    ("contacts", "Contacts", "contacts", "context", "count", None),
    ("frt_minutes", "First response (median)", "minutes", LOWER, "duration", "frt_minutes"),
    ("resolution_minutes", "First resolution (median)", "minutes", LOWER, "duration",
     "first_resolution_minutes"),
    ("sla_attainment", "SLA attainment", "share", HIGHER, "rate", None),
    ("fcr_rate", "First-contact resolution", "share", HIGHER, "rate", None),
    ("reopen_rate", "Reopen rate", "share", LOWER, "rate", None),
    ("csat", "CSAT (share of 4-5)", "share", HIGHER, "csat", None),
    ("sentiment", "Negative customer messages", "share", LOWER, "sentiment", None),
)  # fmt: skip


def _value_n(head: dict[str, Any], key: str, kind: str) -> tuple[float | None, int]:
    block = head.get(key)
    if kind == "count":
        return float(block or 0), int(block or 0)
    if kind == "duration":
        return block["median"], int(block["n"] or 0)
    if kind == "csat":
        return block["value"], int(block["responses"] or 0)
    if kind == "sentiment":
        return block["negative_share"], int(block["n"] or 0)
    return block["value"], int(block["n"] or 0)


def _durations(wh: Warehouse, settings: Settings, filters: Filters, column: str) -> list[float]:
    where, params = filters.where(settings.reporting_timezone)
    table = contacts_table(wh, settings)
    # The column comes from KPIS (a fixed list), never from input.
    sql = f"SELECT c.{column} AS v FROM {table} AS c WHERE {where} AND c.{column} IS NOT NULL"  # noqa: S608
    return wh.query(sql, params)["v"].to_list()


def _interval(wh, settings, filters, kind, column, value, n) -> tuple[float | None, float | None]:  # noqa: ANN001
    if kind in ("rate", "csat", "sentiment") and value is not None and n:
        return wilson_interval(round(value * n), n)
    if kind == "duration" and column and n:
        return median_interval(_durations(wh, settings, filters, column))
    return None, None


def kpi_changes(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    head: dict[str, Any],
    before: dict[str, Any] | None,
) -> list[dict[str, Any]]:
    """One row per headline KPI: label, unit, value, n, previous, change, verdict (worse,
    better, level, not_judged) and why, and the block's availability from the headline."""
    rows = []
    for key, label, unit, direction, kind, column in KPIS:
        value, n = _value_n(head, key, kind)
        previous = _value_n(before, key, kind)[0] if before else None
        available = head["availability"].get(key, {"status": "available"})
        row = {"key": key, "label": label, "unit": unit, "value": value, "n": n,
               "previous": previous, "availability": available}  # fmt: skip
        row["change"] = value - previous if value is not None and previous is not None else None
        if before is None:
            verdict, reason = "not_judged", "no previous period to compare with"
        elif kind == "count":
            verdict, reason = "not_judged", "context, not a quality figure"
        else:
            interval = _interval(wh, settings, filters, kind, column, value, n)
            judged = judge_against(value, interval, previous, direction, unit, n, settings)
            verdict, reason = (
                judged.verdict,
                judged.reason.replace("the team", "the previous period"),
            )
        row |= {"verdict": verdict, "reason": reason}
        rows.append(row)
    return rows
