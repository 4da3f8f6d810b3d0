"""The retention fact: per contact, whether its customer was active in each window after it.

Every contact with a customer gets one row: ``has_activity`` (the customer has at least one
``customer_activity`` row at any date) and, per window of :data:`WINDOWS` (days after the
contact's creation day, reporting time zone), ``observable_<w>`` (the window lies within the
oldest and newest activity dates) and ``active_<w>`` (the customer has an active day inside
it). None of this depends on the filters, so it is a derived fact (``metrics.core.facts``,
built by the load like the contact fact) and the retention metrics only join the filtered
contacts to it, instead of joining them to every activity row on each call. Whether a window
is observable depends on the oldest and newest activity of *all* customers (the one-row fact
``activity_span``), so it is worked out when the fact is read: a day of new activity then
updates only the customers it names. The rows are kept in creation order and carry
``created_at``: joining on it too lets DuckDB skip the row groups outside the filtered period.
"""

from __future__ import annotations

from metrics.core.contacts import Warehouse, contacts_fact
from metrics.core.facts import Fact, fact_table, per_settings
from metrics.core.settings import Settings

WINDOWS: tuple[tuple[str, int, int], ...] = (("1-30", 1, 30), ("31-60", 31, 60), ("61-90", 61, 90))


def window_column(kind: str, label: str) -> str:
    """Column of the fact for window ``label``: kind "observable" or "active"."""
    return f"{kind}_{label.replace('-', '_')}"


ACTIVITY_SPAN = Fact(
    name="activity_span",
    sql="SELECT min(active_on) AS lo, max(active_on) AS hi FROM customer_activity",
    reads=frozenset({"customer_activity"}),
)


def _fact_sql() -> str:
    """One row per contact with a customer: created_at, source, contact_id, created_day,
    has_activity, then active_w per window; oldest first."""
    last = WINDOWS[-1][2]
    active = ", ".join(
        f"bool_or(a.active_on BETWEEN d.day + {lo} AND d.day + {hi}) AS {window_column('active', w)}"
        for w, lo, hi in WINDOWS
    )
    columns = ", ".join(
        f"coalesce(h.{window_column('active', w)}, FALSE) AS {window_column('active', w)}"
        for w, _, _ in WINDOWS
    )
    return f"""
        WITH known AS (SELECT DISTINCT customer_id FROM customer_activity),
        contact_days AS (
            SELECT DISTINCT customer_id, created_day AS day FROM {{contacts}}
            WHERE customer_id IS NOT NULL
        ),
        hits AS (
            SELECT d.customer_id, d.day, {active}
            FROM contact_days AS d
            JOIN customer_activity AS a ON a.customer_id = d.customer_id
                AND a.active_on BETWEEN d.day + 1 AND d.day + {last}
            GROUP BY d.customer_id, d.day
        )
        SELECT c.created_at, c.source, c.contact_id, c.created_day,
            k.customer_id IS NOT NULL AS has_activity, {columns}
        FROM {{contacts}} AS c
        LEFT JOIN known AS k ON k.customer_id = c.customer_id
        LEFT JOIN hits AS h ON h.customer_id = c.customer_id AND h.day = c.created_day
        WHERE c.customer_id IS NOT NULL
        ORDER BY c.created_at
    """  # noqa: S608


def _observable_sql() -> str:
    """The read-time view: each window is observable when it lies within the activity span."""
    columns = ", ".join(
        f"(r.created_day + {lo} >= s.lo AND r.created_day + {hi} <= s.hi)"
        f" AS {window_column('observable', w)}, r.{window_column('active', w)}"
        for w, lo, hi in WINDOWS
    )
    return f"""
        SELECT r.created_at, r.source, r.contact_id, r.has_activity, {columns}
        FROM {{table}} AS r CROSS JOIN {{activity_span}} AS s
    """  # noqa: S608


@per_settings
def retention_fact(settings: Settings) -> Fact:
    """The retention fact's definition for ``settings`` (through the contact fact's)."""
    return Fact(
        name="retention",
        sql=_fact_sql(),
        inputs=(contacts_fact(settings),),
        finish_inputs=(ACTIVITY_SPAN,),
        reads=frozenset({"customer_activity"}),
        grain="customer",
        finish=_observable_sql(),
        activity_days=(min(lo for _, lo, _ in WINDOWS), max(hi for _, _, hi in WINDOWS)),
    )


def retention_table(wh: Warehouse, settings: Settings) -> str:
    """Name of the retention fact for ``settings`` (stored by the load, else built on first use)."""
    return fact_table(wh, retention_fact(settings))
