"""Customer retention after a support contact, compared across support experiences.

The unit is the contact, not the customer: every contact in the filtered period (not only a
customer's first) is followed, because the experience belongs to a contact and a customer
may have a good one and a bad one; the planted demo effect is per contact too. A customer's
contacts are not independent, so the gap's bootstrap resamples customers. Each contact whose
customer has product activity is followed for days 1-30, 31-60 and 61-90 after its creation day
(reporting time zone). A window counts as *active* when the customer has at least one
``customer_activity.active_on`` day inside it. A window that starts before the oldest
or ends after the newest activity date in the warehouse is not yet observable: it is
excluded and counted (``not_observable``), never counted as churned. Contacts are split
by experience (option ``split``); contacts the split cannot place are excluded and
counted (``unclassified``).

*Customers with product activity* are customers with at least one activity row at any
date. Contacts of customers without any row are excluded and counted (``no_activity_rows``):
with no row at all the data cannot tell a lapsed user from an id the activity export does
not know (``customers="all"`` counts them as not active instead).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from metrics.aggregate import wilson_interval, with_wilson
from metrics.contacts import Warehouse, contacts_table
from metrics.filters import Filters
from metrics.grouping import group_expr
from metrics.registry import metric
from metrics.retention_fact import WINDOWS, retention_table, window_column
from metrics.settings import Settings

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
INTERVALS = ("bootstrap", "newcombe")
NO_ACTIVITY_NOTE = (
    "No product activity data: retention cannot be computed. "
    "Load it with python -m etl load activity FILE"
)
NO_MATCH_NOTE = (
    "No product activity data for these contacts' customers: retention cannot be computed. "
    "Load it with python -m etl load activity FILE (its customer_id must match the helpdesk's)"
)
_EXCLUSIONS = ["no_customer", "no_activity_rows", "unclassified"]
SPLIT_DOC = (
    "split: fcr = FCR yes vs no (a ticket still unsolved counts as not resolved first time; "
    "FCR unknown, e.g. chats closed by the bot, unclassified); csat = rated 4-5 vs 1-2 "
    "(3 and unrated unclassified); sentiment = last scored customer message above vs at or below "
    "the negative threshold (unscored unclassified); fcr_or_csat = not resolved first time or "
    "rated 1-2 vs the rest of the FCR-known contacts; none = all contacts"
)
RETENTION_DEFINITION = (
    "For customers with product activity: the share of support contacts after which the "
    "customer was active (at least one active day) in days 1-30, 31-60 and 61-90 after the "
    "contact's creation day, split by the contact's experience, with a Wilson 95% interval."
)
RETENTION_EXCLUSIONS = (
    "windows not yet observable (past the newest or before the oldest activity date; counted), "
    "contacts without a customer, customers without any activity row, contacts the split cannot "
    "place (all counted), merged duplicates"
)
_OPTIONS = {"split": tuple(SPLITS), "customers": CUSTOMERS}


def _window_rows(label: str, first_day: int) -> str:
    """The eligible contacts' rows for one window: observable and active from the fact."""
    observable, active = window_column("observable", label), window_column("active", label)
    return f"""
        SELECT grp, cohort, rank, customer_id, '{label}' AS days_after, {first_day} AS first_day,
            {observable} AS observable, {active} AS active FROM eligible
    """  # noqa: S608


def _per_window_sql(table: str, fact: str, where: str, group: str, split: str) -> str:
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


def _prepare(
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
    ctes = _per_window_sql(table, fact, where, group, split)
    if "$negative" in ctes:
        params["negative"] = settings.sentiment_negative
    params["all_customers"] = customers == "all"
    return ctes, params


def _note(wh: Warehouse, counts: pl.DataFrame) -> pl.DataFrame | None:
    """The note row when there is no activity data, or none for the counted contacts' customers."""
    note = None
    per_key = counts.unique("k")  # a key's exclusions repeat on each of its rows
    if not wh.query("SELECT count(*) AS n FROM customer_activity")["n"][0]:
        note = {"status": "no_activity_data", "note": NO_ACTIVITY_NOTE}
    elif per_key["no_activity_rows"].sum() and not per_key["matched"].sum():
        # contacts with a customer (matched + no_activity_rows), none of them with activity
        note = {"status": "no_matching_activity", "note": NO_MATCH_NOTE}
    return pl.DataFrame([note]) if note else None


def _counts(
    wh: Warehouse, ctes: str, params: dict[str, Any], key: str, overall: bool
) -> pl.DataFrame:
    """Per key (grp or cohort) x rank x window: n, active, customers, not_observable, exclusions
    and ``matched`` (the key's contacts whose customer has activity rows)."""
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
            {", ".join(f"coalesce(x.{col}, 0) AS {col}" for col in [*_EXCLUSIONS, "matched"])}
        FROM keys CROSS JOIN (VALUES (1), (2)) AS r(rank) CROSS JOIN windows AS w
        LEFT JOIN figures AS f ON f.k IS NOT DISTINCT FROM keys.k AND f.rank = r.rank
            AND f.days_after = w.days_after
        LEFT JOIN excluded AS x ON x.k IS NOT DISTINCT FROM keys.k
        ORDER BY keys.k NULLS LAST, r.rank, w.first_day
    """  # noqa: S608
    return wh.query(sql, params)


def _labelled(frame: pl.DataFrame, split: str) -> pl.DataFrame:
    """Rank -> experience label; the 'none' split has no second experience."""
    good, bad = SPLITS[split][0], SPLITS[split][1]
    if bad is None:
        frame = frame.filter(pl.col("rank") == 1)
    labels = pl.when(pl.col("rank") == 1).then(pl.lit(good)).otherwise(pl.lit(bad))
    frame = frame.with_columns(experience=labels)
    return with_wilson(frame, hits="active").with_columns(
        value=pl.when(pl.col("n") > 0).then(pl.col("active") / pl.col("n"))
    )


@metric(
    "retention",
    label="Customer retention after a support contact",
    unit="share",
    family="retention",
    definition=RETENTION_DEFINITION,
    variant="every contact (not only a customer's first); " + SPLIT_DOC,
    exclusions=RETENTION_EXCLUSIONS,
    options=_OPTIONS,
)
def retention(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    by: str | None = None,
    split: str = "fcr",
    customers: str = "with_activity",
) -> pl.DataFrame:
    """Share of contacts followed by product activity in days 1-30, 31-60, 61-90 (fraction).

    One row per (group,) experience and window (days_after "1-30", "31-60", "61-90"):
    n (contacts with an observable window), customers (distinct among them), active, value,
    ci_low, ci_high (Wilson 95%), not_observable, and the group's excluded contacts
    (repeated on each of its rows): no_customer, no_activity_rows, unclassified. Without any
    activity data for these contacts: one row with ``status`` and ``note`` instead.
    """
    counts = _counts(wh, *_prepare(wh, settings, filters, by, split, customers), "grp", by is None)
    note = _note(wh, counts)
    if note is not None:
        return note
    frame = _labelled(counts, split)
    keys = [pl.col("k").alias(by)] if by else []
    return frame.select(
        *keys, "experience", "days_after", "n", "customers", "active", "value", "ci_low",
        "ci_high", "not_observable", *_EXCLUSIONS,
    )  # fmt: skip


@metric(
    "retention_cohorts",
    label="Retention cohorts by contact month",
    unit="share",
    family="retention",
    definition=RETENTION_DEFINITION + " One row per contact month (reporting time zone).",
    variant="cohort rows x window columns; every contact; " + SPLIT_DOC,
    exclusions=RETENTION_EXCLUSIONS,
    options=_OPTIONS,
)
def retention_cohorts(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    split: str = "none",
    customers: str = "with_activity",
) -> pl.DataFrame:
    """Retention (fraction) per contact month (``cohort``, its first day) and experience.

    Per window w in d1_30, d31_60, d61_90: ``w`` (share, null when no window is observable),
    ``w_n``, ``w_low``, ``w_high`` (Wilson 95%), ``w_not_observable``; then the cohort's
    excluded contacts. Without activity data: one row with ``status`` and ``note``.
    """
    counts = _counts(wh, *_prepare(wh, settings, filters, None, split, customers), "cohort", False)
    note = _note(wh, counts)
    if note is not None:
        return note
    long = _labelled(counts, split)
    rows = long.select("k", "experience", "rank", *_EXCLUSIONS).unique(maintain_order=True)
    for label, _, _ in WINDOWS:
        w = "d" + label.replace("-", "_")
        part = long.filter(pl.col("days_after") == label).select(
            "k", "rank", pl.col("value").alias(w), pl.col("n").alias(f"{w}_n"),
            pl.col("ci_low").alias(f"{w}_low"), pl.col("ci_high").alias(f"{w}_high"),
            pl.col("not_observable").alias(f"{w}_not_observable"),
        )  # fmt: skip
        rows = rows.join(part, on=["k", "rank"], how="left", nulls_equal=True)
    rows = rows.sort("k", "rank").rename({"k": "cohort"}).drop("rank")
    return rows.select(pl.exclude(_EXCLUSIONS), *_EXCLUSIONS)


def newcombe_interval(good: tuple[int, int], bad: tuple[int, int]) -> tuple[float, float] | None:
    """Newcombe's hybrid score 95% interval of p_good - p_bad from (hits, n) pairs."""
    if not good[1] or not bad[1]:
        return None
    (p1, (l1, u1)), (p2, (l2, u2)) = ((h / n, wilson_interval(h, n)) for h, n in (good, bad))
    return p1 - p2 - float(np.hypot(p1 - l1, u2 - p2)), p1 - p2 + float(np.hypot(u1 - p1, p2 - l2))


def cluster_bootstrap(
    patterns: np.ndarray, customers: np.ndarray, draws: int, seed: int
) -> tuple[float, float] | None:
    """Percentile 95% interval of the gap, resampling customers with all their contacts.

    ``patterns`` rows: n_good, active_good, n_bad, active_bad of a customer; ``customers``: how
    many customers have that row. Customers with equal rows are exchangeable, so resampling
    customers with replacement is a multinomial draw over the patterns.
    """
    total = int(customers.sum())
    if not total:
        return None
    picks = np.random.default_rng(seed).multinomial(total, customers / total, draws)
    sums = picks @ patterns
    with np.errstate(invalid="ignore", divide="ignore"):
        gaps = sums[:, 1] / sums[:, 0] - sums[:, 3] / sums[:, 2]
    gaps = gaps[np.isfinite(gaps)]
    if len(gaps) < 0.9 * draws:
        return None
    low, high = np.quantile(gaps, [0.025, 0.975])
    return float(low), float(high)


def _customer_patterns(
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


@metric(
    "retention_gap",
    label="Retention gap after a bad support experience",
    unit="share (difference)",
    family="retention",
    definition=(
        "Share of contacts with a good experience followed by product activity in the window "
        "(default days 1-30) minus the same share after a bad experience, with a 95% interval."
    ),
    variant=(
        "interval: bootstrap = percentile interval resampling customers (a customer's contacts "
        "stay together), newcombe = Newcombe's hybrid score interval; " + SPLIT_DOC
    ),
    exclusions=RETENTION_EXCLUSIONS,
    options={
        "split": tuple(s for s in SPLITS if s != "none"),
        "days_after": tuple(label for label, _, _ in WINDOWS),
        "interval": INTERVALS,
        "customers": CUSTOMERS,
    },
)
def retention_gap(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    split: str = "fcr",
    days_after: str = "1-30",
    interval: str = "bootstrap",
    customers: str = "with_activity",
    draws: int = 2000,
    seed: int = 0,
) -> pl.DataFrame:
    """Retention after a good minus after a bad experience (fraction; positive: bad loses more).

    One row: split, days_after, good, bad (experience labels), n_good, active_good,
    value_good, n_bad, active_bad, value_bad, gap, ci_low, ci_high, interval,
    not_observable and the excluded counts; or the ``status``/``note`` row. The bootstrap
    draws ``draws`` resamples (default 2000) from a fixed ``seed`` (default 0): deterministic.
    """
    if split == "none" or days_after not in {w[0] for w in WINDOWS} or interval not in INTERVALS:
        raise ValueError(
            "retention_gap: split not none, days_after a window, interval in INTERVALS"
        )
    ctes, params = _prepare(wh, settings, filters, None, split, customers)
    counts = _counts(wh, ctes, params, "grp", True)
    note = _note(wh, counts)
    if note is not None:
        return note
    long = _labelled(counts, split)
    good, bad = long.filter(pl.col("days_after") == days_after).sort("rank").to_dicts()
    if interval == "newcombe":
        bounds = newcombe_interval((good["active"], good["n"]), (bad["active"], bad["n"]))
    else:
        patterns = _customer_patterns(wh, ctes, params | {"days_after": days_after})
        bounds = cluster_bootstrap(*patterns, draws, seed)
    both = good["value"] is not None and bad["value"] is not None
    row = {"split": split, "days_after": days_after, "good": good["experience"],
           "bad": bad["experience"]}  # fmt: skip
    for side, figures in (("good", good), ("bad", bad)):
        row |= {f"{col}_{side}": figures[col] for col in ("n", "active", "value")}
    row |= {
        "gap": good["value"] - bad["value"] if both else None,
        "ci_low": bounds[0] if bounds else None,
        "ci_high": bounds[1] if bounds else None,
        "interval": interval,
        "not_observable": good["not_observable"] + bad["not_observable"],
    } | {col: good[col] for col in _EXCLUSIONS}
    floats = ("value_good", "value_bad", "gap", "ci_low", "ci_high")
    return pl.DataFrame([row], schema_overrides=dict.fromkeys(floats, pl.Float64))
