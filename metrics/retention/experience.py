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

Which windows of a contact are observable and active does not depend on the filters: it is
read from the retention fact (``metrics/retention/fact.py``, built once per warehouse version
and settings); the SQL that joins the filtered contacts to it is ``metrics/retention/counts.py``.
"""

from __future__ import annotations

import polars as pl

from metrics.core.aggregate import with_wilson
from metrics.core.contacts import Warehouse
from metrics.core.filters import Filters
from metrics.core.metric import metric
from metrics.core.settings import Settings
from metrics.retention.counts import (
    CUSTOMERS,
    EXCLUSIONS,
    SPLITS,
    counts,
    customer_patterns,
    prepare,
)
from metrics.retention.fact import WINDOWS
from metrics.retention.intervals import cluster_bootstrap, newcombe_interval

INTERVALS = ("bootstrap", "newcombe")
NO_ACTIVITY_NOTE = (
    "No product activity data: retention cannot be computed. "
    "Load it with python -m etl load activity FILE"
)
NO_MATCH_NOTE = (
    "No product activity data for these contacts' customers: retention cannot be computed. "
    "Load it with python -m etl load activity FILE (its customer_id must match the helpdesk's)"
)
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


def _note(wh: Warehouse, counted: pl.DataFrame) -> pl.DataFrame | None:
    """The note row when there is no activity data, or none for the counted contacts' customers."""
    note = None
    per_key = counted.unique("k")  # a key's exclusions repeat on each of its rows
    if not wh.query("SELECT count(*) AS n FROM customer_activity")["n"][0]:
        note = {"status": "no_activity_data", "note": NO_ACTIVITY_NOTE}
    elif per_key["no_activity_rows"].sum() and not per_key["matched"].sum():
        # contacts with a customer (matched + no_activity_rows), none of them with activity
        note = {"status": "no_matching_activity", "note": NO_MATCH_NOTE}
    return pl.DataFrame([note]) if note else None


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
    counted = counts(wh, *prepare(wh, settings, filters, by, split, customers), "grp", by is None)
    note = _note(wh, counted)
    if note is not None:
        return note
    frame = _labelled(counted, split)
    keys = [pl.col("k").alias(by)] if by else []
    return frame.select(
        *keys, "experience", "days_after", "n", "customers", "active", "value", "ci_low",
        "ci_high", "not_observable", *EXCLUSIONS,
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
    counted = counts(wh, *prepare(wh, settings, filters, None, split, customers), "cohort", False)
    note = _note(wh, counted)
    if note is not None:
        return note
    long = _labelled(counted, split)
    rows = long.select("k", "experience", "rank", *EXCLUSIONS).unique(maintain_order=True)
    for label, _, _ in WINDOWS:
        w = "d" + label.replace("-", "_")
        part = long.filter(pl.col("days_after") == label).select(
            "k", "rank", pl.col("value").alias(w), pl.col("n").alias(f"{w}_n"),
            pl.col("ci_low").alias(f"{w}_low"), pl.col("ci_high").alias(f"{w}_high"),
            pl.col("not_observable").alias(f"{w}_not_observable"),
        )  # fmt: skip
        rows = rows.join(part, on=["k", "rank"], how="left", nulls_equal=True)
    rows = rows.sort("k", "rank").rename({"k": "cohort"}).drop("rank")
    return rows.select(pl.exclude(EXCLUSIONS), *EXCLUSIONS)


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
    ctes, params = prepare(wh, settings, filters, None, split, customers)
    counted = counts(wh, ctes, params, "grp", True)
    note = _note(wh, counted)
    if note is not None:
        return note
    long = _labelled(counted, split)
    good, bad = long.filter(pl.col("days_after") == days_after).sort("rank").to_dicts()
    if interval == "newcombe":
        bounds = newcombe_interval((good["active"], good["n"]), (bad["active"], bad["n"]))
    else:
        patterns = customer_patterns(wh, ctes, params | {"days_after": days_after})
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
    } | {col: good[col] for col in EXCLUSIONS}
    floats = ("value_good", "value_bad", "gap", "ci_low", "ci_high")
    return pl.DataFrame([row], schema_overrides=dict.fromkeys(floats, pl.Float64))
