"""Retention after a support contact on a hand-written warehouse: windows, splits, cohorts, gap.

Activity runs from 2026-01-01 (oldest row) to 2026-04-30 (newest row). A contact created on
day d is followed in days d+1..d+30, d+31..d+60 and d+61..d+90; a window is observable when
it starts on or after 01-01 and ends on or before 04-30.

contact  customer  created     experience                        active in 1-30 / 31-60 / 61-90
T8       C2        2025-12-20  FCR, rated 1                      not obs. (starts 12-21) / no / no
T1       C1        2026-01-10  FCR, rated 4, ended 0.3           yes (01-20) / no / yes (03-15)
T4       C4        2026-01-12  FCR; C4 has no activity rows      (no / no / no with customers=all)
T2       C2        2026-01-15  still open, ended -0.6            no / no / no
T6       -         2026-01-20  no customer                       -
T5       C5        2026-02-01  reopened, rated 2, ended -0.05    no / yes (03-10) / not obs.
T7       C1        2026-02-20  FCR, rated 3                      yes (03-15) / no / not obs.
T3       C3        2026-03-20  FCR, rated 5                      yes (04-01) / not obs. / not obs.
B1       C3        2026-03-25  chat closed by the bot            yes (04-01) / not obs. / not obs.

Activity: C1 01-05, 01-20, 03-15; C2 01-01; C3 04-01; C5 03-10, 04-30.
C5's activity on 04-30 lies in T5's 61-90 window, which is still not observable: not counted.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl
import pytest
from builders import msg, ticket, ts

from metrics.__main__ import main
from metrics.core.aggregate import wilson_interval
from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.registry import REGISTRY
from metrics.retention.experience import (
    NO_ACTIVITY_NOTE,
    NO_MATCH_NOTE,
    retention,
    retention_cohorts,
    retention_gap,
)
from metrics.retention.intervals import cluster_bootstrap, newcombe_interval

SETTINGS = load_settings()


def solved(ticket_id: str, created: str, customer: str | None, category: str, **extra: object):
    return ticket(
        ticket_id, created, customer_id=customer, category=category, status="solved",
        solved_at=ts(created.replace("09:00", "15:00")), reopens=0, **extra,
    )  # fmt: skip


def survey(ticket_id: str, score: int) -> dict:
    return {"source": "t", "ticket_id": ticket_id, "score": score}


def said(conversation: str, at: str, sentiment: float | None) -> dict:
    return msg(conversation, "customer", at, sentiment=sentiment, sentiment_method="vader")


def active(customer: str, *days: str) -> list[dict]:
    return [{"customer_id": customer, "active_on": date.fromisoformat(d)} for d in days]


TICKETS = [
    solved("T8", "2025-12-20 09:00", "C2", "b"),
    solved("T1", "2026-01-10 09:00", "C1", "a"),
    solved("T4", "2026-01-12 09:00", "C4", "a"),
    ticket("T2", "2026-01-15 09:00", customer_id="C2", category="a", status="open", reopens=0),
    solved("T6", "2026-01-20 09:00", None, "a"),
    solved("T5", "2026-02-01 09:00", "C5", "a") | {"reopens": 1},
    solved("T7", "2026-02-20 09:00", "C1", "b"),
    solved("T3", "2026-03-20 09:00", "C3", "a"),
]
MESSAGES = [
    said("T1", "2026-01-10 09:00", -0.5),
    said("T1", "2026-01-10 10:00", 0.3),
    said("T2", "2026-01-15 09:00", 0.2),
    said("T2", "2026-01-15 10:00", -0.6),
    said("T5", "2026-02-01 09:00", -0.05),
    msg("B1", "customer", "2026-03-25 10:00", sender_id="C3"),
    msg("B1", "bot", "2026-03-25 10:01"),
]
ACTIVITY = [
    *active("C1", "2026-01-05", "2026-01-20", "2026-03-15"),
    *active("C2", "2026-01-01"),
    *active("C3", "2026-04-01"),
    *active("C5", "2026-03-10", "2026-04-30"),
]
WAREHOUSE = {
    "tickets": TICKETS,
    "messages": MESSAGES,
    "surveys": [
        survey("T8", 1),
        survey("T1", 4),
        survey("T5", 2),
        survey("T7", 3),
        survey("T3", 5),
    ],
    "customer_activity": ACTIVITY,
}
Z2 = 1.959963984540054**2


def figures(frame, *columns: str) -> list[tuple]:
    return [tuple(row) for row in frame.select("experience", "days_after", *columns).iter_rows()]


def test_retention_by_fcr_counts_active_windows_and_leaves_out_unobservable_ones(make_wh):
    wh = make_wh(WAREHOUSE)
    frame = retention(wh, SETTINGS, Filters(), split="fcr")
    # resolved first time: T1, T3, T7, T8 (T4's customer has no activity rows: excluded).
    #   1-30: T1 yes, T3 yes, T7 yes, T8 starts before 01-01 -> 3/3, customers C1 C3, 1 not obs.
    #   31-60: T1 no, T7 no, T8 no, T3 not obs. -> 0/3, customers C1 C2
    #   61-90: T1 yes, T8 no, T3 and T7 not obs. -> 1/2, customers C1 C2
    # not resolved first time: T2 (still open), T5 (reopened).
    #   1-30: 0/2; 31-60: T5 yes -> 1/2; 61-90: T2 no, T5 not obs. -> 0/1
    # excluded: T6 no customer, T4 no activity rows, B1 (bot chat: FCR unknown) unclassified
    assert figures(frame, "n", "customers", "active", "value", "not_observable") == [
        ("resolved first time", "1-30", 3, 2, 3, 1.0, 1),
        ("resolved first time", "31-60", 3, 2, 0, 0.0, 1),
        ("resolved first time", "61-90", 2, 2, 1, 0.5, 2),
        ("not resolved first time", "1-30", 2, 2, 0, 0.0, 0),
        ("not resolved first time", "31-60", 2, 2, 1, 0.5, 0),
        ("not resolved first time", "61-90", 1, 1, 0, 0.0, 1),
    ]
    assert frame.select("no_customer", "no_activity_rows", "unclassified").unique().rows() == [
        (1, 1, 1)
    ]


def test_each_share_carries_its_wilson_interval(make_wh):
    frame = retention(make_wh(WAREHOUSE), SETTINGS, Filters(), split="fcr")
    # 3/3: low = 1 / (1 + z^2/3) = 1 / 2.2805 = 0.4385, high 1.0
    # 1/2: centre (0.5 + z^2/4)/(1 + z^2/2) = 0.5, half z*sqrt(0.125 + z^2/16)/(1 + z^2/2)
    #   = 1.96 * 0.60423 / 2.92073 = 0.40547 -> (0.0945, 0.9055)
    first, half = frame.row(0, named=True), frame.row(4, named=True)
    assert (first["ci_low"], first["ci_high"]) == (pytest.approx(1 / (1 + Z2 / 3)), 1.0)
    assert (half["ci_low"], half["ci_high"]) == (
        pytest.approx(0.0945, abs=1e-4),
        pytest.approx(0.9055, abs=1e-4),
    )


def test_retention_by_csat_leaves_out_and_counts_rated_3_and_unrated(make_wh):
    frame = retention(make_wh(WAREHOUSE), SETTINGS, Filters(), split="csat")
    # rated 4-5: T1 (4), T3 (5): 1-30 2/2; 31-60 T1 no (T3 not obs.) 0/1; 61-90 T1 yes 1/1
    # rated 1-2: T8 (1), T5 (2): 1-30 T5 no (T8 not obs.) 0/1; 31-60 T8 no, T5 yes 1/2;
    #   61-90 T8 no (T5 not obs.) 0/1
    # unclassified: T7 rated 3, T2 and B1 unrated = 3
    assert figures(frame, "n", "active", "not_observable", "unclassified") == [
        ("rated 4-5", "1-30", 2, 2, 0, 3),
        ("rated 4-5", "31-60", 1, 0, 1, 3),
        ("rated 4-5", "61-90", 1, 1, 1, 3),
        ("rated 1-2", "1-30", 1, 0, 1, 3),
        ("rated 1-2", "31-60", 2, 1, 0, 3),
        ("rated 1-2", "61-90", 1, 0, 1, 3),
    ]


def test_retention_by_sentiment_counts_a_last_message_at_the_threshold_as_negative(make_wh):
    frame = retention(make_wh(WAREHOUSE), SETTINGS, Filters(), split="sentiment")
    # ended not negative: T1 (last 0.3): 1/1, 0/1, 1/1
    # ended negative: T2 (last -0.6) and T5 (-0.05 <= -0.05): 1-30 0/2; 31-60 1/2; 61-90 0/1
    # unscored: T8, T7, T3, B1 -> 4 unclassified (never neutral)
    assert figures(frame, "n", "active", "unclassified") == [
        ("ended not negative", "1-30", 1, 1, 4),
        ("ended not negative", "31-60", 1, 0, 4),
        ("ended not negative", "61-90", 1, 1, 4),
        ("ended negative", "1-30", 2, 0, 4),
        ("ended negative", "31-60", 2, 1, 4),
        ("ended negative", "61-90", 1, 0, 4),
    ]


def test_the_combined_split_puts_a_resolved_but_badly_rated_contact_with_the_bad(make_wh):
    frame = retention(make_wh(WAREHOUSE), SETTINGS, Filters(), split="fcr_or_csat")
    # good: T1, T3, T7: 1-30 3/3; 31-60 T1 no, T7 no 0/2; 61-90 T1 yes 1/1
    # bad: T2, T5, T8 (FCR but rated 1): 1-30 0/2 (T8 not obs.); 31-60 T5 yes 1/3; 61-90 0/2
    assert figures(frame, "n", "active", "not_observable") == [
        ("resolved first time, not rated 1-2", "1-30", 3, 3, 0),
        ("resolved first time, not rated 1-2", "31-60", 2, 0, 1),
        ("resolved first time, not rated 1-2", "61-90", 1, 1, 2),
        ("not resolved first time or rated 1-2", "1-30", 2, 0, 1),
        ("not resolved first time or rated 1-2", "31-60", 3, 1, 0),
        ("not resolved first time or rated 1-2", "61-90", 2, 0, 1),
    ]


def test_customers_without_any_activity_row_count_as_inactive_only_when_asked(make_wh):
    wh = make_wh(WAREHOUSE)
    # every contact with a customer: T8 T1 T4 T2 T5 T7 T3 B1
    # 1-30: yes T1 T3 T7 B1; no T2 T5 (+ T4 with customers="all"); T8 not obs.
    # 31-60: yes T5; no T8 T1 T2 T7 (+ T4); T3 B1 not obs.
    # 61-90: yes T1; no T8 T2 (+ T4); T5 T7 T3 B1 not obs.
    assert figures(retention(wh, SETTINGS, Filters(), split="none"), "n", "active") == [
        ("all contacts", "1-30", 6, 4),
        ("all contacts", "31-60", 5, 1),
        ("all contacts", "61-90", 3, 1),
    ]
    everyone = retention(wh, SETTINGS, Filters(), split="none", customers="all")
    assert figures(everyone, "n", "active", "not_observable") == [
        ("all contacts", "1-30", 7, 4, 1),
        ("all contacts", "31-60", 6, 1, 2),
        ("all contacts", "61-90", 4, 1, 4),
    ]


def test_retention_by_group_keeps_each_groups_exclusions(make_wh):
    frame = retention(make_wh(WAREHOUSE), SETTINGS, Filters(), by="category", split="fcr")
    # category a: T1 T4 T2 T6 T5 T3; b: T8 T7; none: B1 (unclassified, no figures)
    rows = frame.filter(pl.col("days_after") == "1-30").select(
        "category", "experience", "n", "active", "no_customer", "no_activity_rows", "unclassified"
    )
    assert rows.rows() == [
        ("a", "resolved first time", 2, 2, 1, 1, 0),
        ("a", "not resolved first time", 2, 0, 1, 1, 0),
        ("b", "resolved first time", 1, 1, 0, 0, 0),
        ("b", "not resolved first time", 0, 0, 0, 0, 0),
        (None, "resolved first time", 0, 0, 0, 0, 1),
        (None, "not resolved first time", 0, 0, 0, 0, 1),
    ]


def test_cohorts_by_contact_month_put_windows_in_columns(make_wh):
    frame = retention_cohorts(make_wh(WAREHOUSE), SETTINGS, Filters())
    # 2025-12: T8 -> 1-30 not obs. (null, n 0), 31-60 0/1, 61-90 0/1
    # 2026-01: T1 T2 (T4 no activity rows, T6 no customer) -> 1/2, 0/2, 1/2
    # 2026-02: T5 T7 -> 1/2, 1/2, both 61-90 not obs. (null, n 0)
    # 2026-03: T3 B1 -> 2/2, then not observable
    shares = frame.select(
        "cohort", "d1_30", "d1_30_n", "d31_60", "d31_60_n", "d61_90", "d61_90_n",
        "d61_90_not_observable", "no_customer", "no_activity_rows",
    ).rows()  # fmt: skip
    assert shares == [
        (date(2025, 12, 1), None, 0, 0.0, 1, 0.0, 1, 0, 0, 0),
        (date(2026, 1, 1), 0.5, 2, 0.0, 2, 0.5, 2, 0, 1, 1),
        (date(2026, 2, 1), 0.5, 2, 0.5, 2, None, 0, 2, 0, 0),
        (date(2026, 3, 1), 1.0, 2, None, 0, None, 0, 2, 0, 0),
    ]
    assert frame["experience"].unique().to_list() == ["all contacts"]
    low, high = wilson_interval(1, 2)
    assert frame.row(1, named=True)["d1_30_low"] == pytest.approx(low)
    assert frame.row(1, named=True)["d1_30_high"] == pytest.approx(high)


def test_cohorts_split_by_experience_give_a_row_per_month_and_experience(make_wh):
    frame = retention_cohorts(make_wh(WAREHOUSE), SETTINGS, Filters(), split="fcr")
    # 2026-01: resolved T1 (1-30 yes), not resolved T2 (no); 2026-02: resolved T7 (yes), not T5 (no)
    jan_feb = frame.filter(frame["cohort"].is_in([date(2026, 1, 1), date(2026, 2, 1)]))
    assert jan_feb.select("cohort", "experience", "d1_30", "d1_30_n").rows() == [
        (date(2026, 1, 1), "resolved first time", 1.0, 1),
        (date(2026, 1, 1), "not resolved first time", 0.0, 1),
        (date(2026, 2, 1), "resolved first time", 1.0, 1),
        (date(2026, 2, 1), "not resolved first time", 0.0, 1),
    ]


def test_retention_gap_with_newcombes_interval(make_wh):
    frame = retention_gap(make_wh(WAREHOUSE), SETTINGS, Filters(), interval="newcombe")
    # 1-30: resolved 3/3 = 1.0, not resolved 0/2 = 0.0 -> gap 1.0
    # Wilson 3/3 = (0.43849, 1); 0/2 = (0, (z^2/2)/(1 + z^2/2) = 0.65762)
    # low = 1 - sqrt((1 - 0.43849)^2 + (0.65762 - 0)^2) = 1 - 0.86473 = 0.13527; high = 1 + 0
    row = frame.row(0, named=True)
    assert row == {
        "split": "fcr", "days_after": "1-30", "good": "resolved first time",
        "bad": "not resolved first time", "n_good": 3, "active_good": 3, "value_good": 1.0,
        "n_bad": 2, "active_bad": 0, "value_bad": 0.0, "gap": 1.0,
        "ci_low": pytest.approx(0.13527, abs=1e-5), "ci_high": 1.0, "interval": "newcombe",
        "not_observable": 1, "no_customer": 1, "no_activity_rows": 1, "unclassified": 1,
    }  # fmt: skip


def test_newcombe_interval_matches_newcombes_published_example():
    # Newcombe (1998), Table II example (a): 56/70 vs 48/80 -> difference 0.2, (0.0524, 0.3339)
    low, high = newcombe_interval((56, 70), (48, 80))
    assert (round(low, 4), round(high, 4)) == (0.0524, 0.3339)


def test_the_bootstrap_resamples_customers_so_repeat_contacts_widen_the_interval():
    # 100 customers per side with one contact each: 80/100 vs 60/100 active; the same
    # outcomes with every customer contacting 5 times: 400/500 vs 300/500, but still only
    # 100 independent customers per side, so the interval barely narrows.
    patterns = np.array([[1, 1, 0, 0], [1, 0, 0, 0], [0, 0, 1, 1], [0, 0, 1, 0]], dtype=float)
    customers = np.array([80, 20, 60, 40])
    single = cluster_bootstrap(patterns, customers, 2000, 0)
    repeated = cluster_bootstrap(patterns * 5, customers, 2000, 0)
    newcombe = newcombe_interval((80, 100), (60, 100))
    assert single == pytest.approx(newcombe, abs=0.02)
    assert repeated == single  # the same customers drawn: the same gaps
    assert newcombe_interval((400, 500), (300, 500))[0] > repeated[0] + 0.05
    assert cluster_bootstrap(patterns, customers, 2000, 0) == single  # fixed seed


def test_without_activity_data_every_retention_metric_says_so(make_wh):
    wh = make_wh({"tickets": TICKETS, "messages": MESSAGES})
    expected = [{"status": "no_activity_data", "note": NO_ACTIVITY_NOTE}]
    assert retention(wh, SETTINGS, Filters()).to_dicts() == expected
    assert retention_cohorts(wh, SETTINGS, Filters()).to_dicts() == expected
    assert retention_gap(wh, SETTINGS, Filters()).to_dicts() == expected
    assert NO_ACTIVITY_NOTE == (
        "No product activity data: retention cannot be computed. "
        "Load it with python -m etl load activity FILE"
    )


def test_activity_of_other_customers_only_is_no_activity_for_these_contacts(make_wh):
    wh = make_wh(WAREHOUSE)
    # activity only for C9, who never contacted support: nothing can be said about these
    # contacts; a filter down to T2 alone (C2 has activity) still gives figures
    stranger = make_wh({"tickets": TICKETS, "customer_activity": active("C9", "2026-01-01")})
    assert retention(stranger, SETTINGS, Filters()).to_dicts() == [
        {"status": "no_matching_activity", "note": NO_MATCH_NOTE}
    ]
    january = Filters(date_from=date(2026, 1, 15), date_to=date(2026, 1, 15))
    assert retention(wh, SETTINGS, january, split="none")["n"].to_list() == [1, 1, 1]


def test_a_filter_that_matches_no_contact_gives_zero_counts_not_a_note(make_wh):
    nothing = Filters(date_from=date(2027, 1, 1))
    frame = retention(make_wh(WAREHOUSE), SETTINGS, nothing, split="none")
    assert frame.select("n", "value", "no_customer").rows() == [(0, None, 0)] * 3


def test_retention_metrics_are_registered_with_their_options():
    assert REGISTRY["retention"].options == {
        "split": ("fcr", "csat", "sentiment", "fcr_or_csat", "none"),
        "customers": ("with_activity", "all"),
    }
    assert REGISTRY["retention_cohorts"].options == REGISTRY["retention"].options
    assert REGISTRY["retention_gap"].options["split"] == ("fcr", "csat", "sentiment", "fcr_or_csat")


def test_show_prints_retention_with_options_and_the_note_without_data(make_wh, capsys):
    wh = make_wh(WAREHOUSE)
    args = ["show", "retention", "--db", str(wh.path), "--format", "csv"]
    assert main([*args, "--option", "split=csat", "--by", "category"]) == 0
    assert capsys.readouterr().out.startswith("category,experience,days_after,n,customers,active")
    bare = make_wh({"tickets": TICKETS})
    assert main(["show", "retention_gap", "--db", str(bare.path), "--format", "csv"]) == 0
    assert NO_ACTIVITY_NOTE in capsys.readouterr().out
