"""The retention metrics' SQL: filtered contacts joined to the retention fact, then counted.

``scoped`` holds every filtered contact with its experience rank (1 good, 2 bad, null when the
split cannot place it) and the fact's flags; ``per_window`` one row per eligible contact and
window. :func:`counts` and :func:`customer_patterns` aggregate them (see
``metrics/retention/experience.py`` for the definitions).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from metrics.core.contacts import Warehouse, contacts_table
from metrics.core.filters import Filters
from metrics.core.grouping import group_expr
from metrics.core.settings import Settings
from metrics.retention.fact import WINDOWS, retention_table, window_column

_NOT_RESOLVED = "(NOT c.fcr OR (c.contact_type = 'ticket' AND NOT c.is_solved))"
# split -> (good label, bad label, good condition, bad condition); bad wins when both hold.
SPLITS: dict[str, tuple[str, str | None, str, str]] = {
    "fcr": ("resolved first time", "not resolved first time", "c.fcr", _NOT_RESOLVED),
    "csat": ("rated 4-5", "rated 1-2", "c.csat_score >= 4", "c.csat_score <= 2"),
    "sentiment": ("ended not negative", "ended negative", "c.sentiment_last > $negative",
                  "c.sentiment_last <= $negative"),
    "fcr_or_csat": ("resolved first time, not rated 1-2", "not resolved first time or rated 1-2",
                    "c.fcr", f"({_NOT_RESOLVED} OR c.csat_score <= 2)"),
    "none": ("all contacts", None, "TRUE", "FALSE"),
}  # fmt: skip
CUSTOMERS = ("with_activity", "all")
EXCLUSIONS = ["no_customer", "no_activity_rows", "unclassified"]


def _window_rows(label: str, first_day: int) -> str:
    """The eligible contacts' rows for one window: observable and active from the fact."""
    observable, active = window_column("observable", label), window_column("active", label)
    return f"""
        SELECT grp, cohort, rank, customer_id, '{label}' AS days_after, {first_day} AS first_day,
            {observable} AS observable, {active} AS active FROM eligible
    """  # noqa: S608


def per_window_sql(table: str, fact: str, where: str, group: str, split: str) -> str:
    """CTEs: ``scoped`` (every filtered contact) and ``per_window`` (contact x window)."""
    good, bad = SPLITS[split][2], SPLITS[split][3]
    windows = ", ".join(f"('{label}', {lo}, {hi})" for label, lo, hi in WINDOWS)
    flags = ", ".join(
        f"r.{window_column(kind, label)}"
        for label, _, _ in WINDOWS
        for kind in ("observable", "active")
    )
    per_window = " UNION ALL ".join(_window_rows(label, lo) for label, lo, _ in WINDOWS)
    return f"""
        WITH scoped AS (
            SELECT c.customer_id, {group} AS grp,
                date_trunc('month', c.created_day)::DATE AS cohort,
                CASE WHEN {bad} THEN 2 WHEN {good} THEN 1 END AS rank,
                coalesce(r.has_activity, FALSE) AS has_activity, {flags}
            FROM {table} AS c
            LEFT JOIN {fact} AS r ON r.created_at IS NOT DISTINCT FROM c.created_at
                AND r.source = c.source AND r.contact_id = c.contact_id
            WHERE {where}
        ),
        eligible AS (
            SELECT * FROM scoped WHERE customer_id IS NOT NULL AND rank IS NOT NULL
                AND (has_activity OR $all_customers)
        ),
        windows AS (SELECT * FROM (VALUES {windows}) AS w(days_after, first_day, last_day)),
        per_window AS ({per_window})
    """  # noqa: S608


def prepare(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None, split: str, customers: str
) -> tuple[str, dict[str, Any]]:
    """The per-window CTEs and their parameters."""
    if split not in SPLITS or customers not in CUSTOMERS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}; customers one of {CUSTOMERS}")
    table, fact = contacts_table(wh, settings), retention_table(wh, settings)
    where, params = filters.where(settings.reporting_timezone)
    group = group_expr(by) or "NULL"
    if "$timezone" in group:
        params["timezone"] = settings.reporting_timezone
    ctes = per_window_sql(table, fact, where, group, split)
    if "$negative" in ctes:
        params["negative"] = settings.sentiment_negative
    params["all_customers"] = customers == "all"
    return ctes, params


def counts(
    wh: Warehouse, ctes: str, params: dict[str, Any], key: str, overall: bool
) -> pl.DataFrame:
    """Per key (grp or cohort) x rank x window: n, active, customers, not_observable, exclusions.

    Also ``matched``: the key's contacts whose customer has activity rows (for the note).
    """
    keys = "SELECT NULL AS k" if overall else "SELECT DISTINCT {key} AS k FROM scoped"
    sql = f"""{ctes},
        keys AS ({keys.format(key=key)}),
        figures AS (
            SELECT {key} AS k, rank, days_after, count(*) FILTER (WHERE observable) AS n,
                count(*) FILTER (WHERE observable AND active) AS active,
                count(DISTINCT customer_id) FILTER (WHERE observable) AS customers,
                count(*) FILTER (WHERE NOT observable) AS not_observable
            FROM per_window GROUP BY ALL
        ),
        excluded AS (
            SELECT {key} AS k, count(*) FILTER (WHERE customer_id IS NULL) AS no_customer,
                count(*) FILTER (WHERE customer_id IS NOT NULL AND NOT has_activity)
                    AS no_activity_rows,
                count(*) FILTER (WHERE customer_id IS NOT NULL AND rank IS NULL
                    AND (has_activity OR $all_customers)) AS unclassified,
                count(*) FILTER (WHERE has_activity) AS matched
            FROM scoped GROUP BY ALL
        )
        SELECT keys.k, r.rank, w.days_after, coalesce(f.n, 0) AS n,
            coalesce(f.active, 0) AS active, coalesce(f.customers, 0) AS customers,
            coalesce(f.not_observable, 0) AS not_observable,
            {", ".join(f"coalesce(x.{col}, 0) AS {col}" for col in [*EXCLUSIONS, "matched"])}
        FROM keys CROSS JOIN (VALUES (1), (2)) AS r(rank) CROSS JOIN windows AS w
        LEFT JOIN figures AS f ON f.k IS NOT DISTINCT FROM keys.k AND f.rank = r.rank
            AND f.days_after = w.days_after
        LEFT JOIN excluded AS x ON x.k IS NOT DISTINCT FROM keys.k
        ORDER BY keys.k NULLS LAST, r.rank, w.first_day
    """  # noqa: S608
    return wh.query(sql, params)


def customer_patterns(
    wh: Warehouse, ctes: str, params: dict[str, Any]
) -> tuple[np.ndarray, np.ndarray]:
    """Distinct per-customer rows (n_g, hits_g, n_b, hits_b) in window ``$days_after``, counted."""
    sql = f"""{ctes},
        per_customer AS (
            SELECT count(*) FILTER (WHERE rank = 1) AS n_good,
                count(*) FILTER (WHERE rank = 1 AND active) AS active_good,
                count(*) FILTER (WHERE rank = 2) AS n_bad,
                count(*) FILTER (WHERE rank = 2 AND active) AS active_bad
            FROM per_window WHERE observable AND days_after = $days_after GROUP BY customer_id
        )
        SELECT *, count(*) AS customers FROM per_customer GROUP BY ALL ORDER BY ALL
    """  # noqa: S608
    frame = wh.query(sql, params)
    return frame.drop("customers").to_numpy().astype(np.float64), frame["customers"].to_numpy()
