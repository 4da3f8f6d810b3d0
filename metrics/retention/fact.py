"""The retention fact: per contact, whether its customer was active in each window after it.

Every contact with a customer gets one row: ``has_activity`` (the customer has at least one
``customer_activity`` row at any date) and, per window of :data:`WINDOWS` (days after the
contact's creation day, reporting time zone), ``observable_<w>`` (the window lies within the
oldest and newest activity dates) and ``active_<w>`` (the customer has an active day inside
it). None of this depends on the filters, so the fact is built once per warehouse version and
settings (like the contact fact) and the retention metrics only join the filtered contacts to
it, instead of joining them to every activity row on each call. The rows are kept in
creation order and carry ``created_at``: joining on it too lets DuckDB skip the row groups
outside the filtered period (a month is a few of the fact's row groups, not all of them).
"""

from __future__ import annotations

from metrics.core.contacts import Warehouse, contacts_table, settings_key
from metrics.core.settings import Settings

WINDOWS: tuple[tuple[str, int, int], ...] = (("1-30", 1, 30), ("31-60", 31, 60), ("61-90", 61, 90))


def window_column(kind: str, label: str) -> str:
    """Column of the fact for window ``label``: kind "observable" or "active"."""
    return f"{kind}_{label.replace('-', '_')}"


def _fact_sql(contacts: str) -> str:
    """One row per contact with a customer: created_at, source, contact_id, has_activity, then
    observable_w and active_w per window; oldest first."""
    last = WINDOWS[-1][2]
    active = ", ".join(
        f"bool_or(a.active_on BETWEEN d.day + {lo} AND d.day + {hi}) AS {window_column('active', w)}"
        for w, lo, hi in WINDOWS
    )
    columns = ", ".join(
        f"(c.created_day + {lo} >= span.lo AND c.created_day + {hi} <= span.hi)"
        f" AS {window_column('observable', w)},"
        f" coalesce(h.{window_column('active', w)}, FALSE) AS {window_column('active', w)}"
        for w, lo, hi in WINDOWS
    )
    return f"""
        WITH span AS (SELECT min(active_on) AS lo, max(active_on) AS hi FROM customer_activity),
        known AS (SELECT DISTINCT customer_id FROM customer_activity),
        contact_days AS (
            SELECT DISTINCT customer_id, created_day AS day FROM {contacts}
            WHERE customer_id IS NOT NULL
        ),
        hits AS (
            SELECT d.customer_id, d.day, {active}
            FROM contact_days AS d
            JOIN customer_activity AS a ON a.customer_id = d.customer_id
                AND a.active_on BETWEEN d.day + 1 AND d.day + {last}
            GROUP BY d.customer_id, d.day
        )
        SELECT c.created_at, c.source, c.contact_id,
            k.customer_id IS NOT NULL AS has_activity, {columns}
        FROM {contacts} AS c CROSS JOIN span
        LEFT JOIN known AS k ON k.customer_id = c.customer_id
        LEFT JOIN hits AS h ON h.customer_id = c.customer_id AND h.day = c.created_day
        WHERE c.customer_id IS NOT NULL
        ORDER BY c.created_at
    """  # noqa: S608


def retention_table(wh: Warehouse, settings: Settings) -> str:
    """Name of the in-memory retention fact for ``settings`` (built on first use)."""
    contacts = contacts_table(wh, settings)
    return wh.materialize(f"retention_{settings_key(settings)}", _fact_sql(contacts), {}, dict)
