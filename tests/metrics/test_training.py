"""Training impact (difference-in-differences) and per-agent before/after on hand-written data.

Every fixture puts its tickets in one category and language; the course "C" is completed on
2026-03-10 unless told. With window_days=7 the windows are: pre 02-24..03-02, before
03-03..03-09, after 03-11..03-17 (the completion day 03-10 itself is left out).
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import polars as pl
import pytest
from builders import ticket, ts

from metrics.__main__ import main
from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.registry import REGISTRY
from metrics.training.impact import cells_frame, training_agent_before_after, training_impact
from metrics.training.stats import IMPACT_COLUMNS

SETTINGS = load_settings()
COURSE = "C"
HAND = {"window_days": 7, "min_tickets": 1, "draws": 0}


class Tickets:
    """Collects tickets (with a first reply, solved) and their survey scores."""

    def __init__(self) -> None:
        self.tickets: list[dict[str, Any]] = []
        self.surveys: list[dict[str, Any]] = []

    def add(
        self,
        agent: str,
        day: str,
        frt: float = 30,
        score: int | None = None,
        reopens: int = 0,
        channel: str = "email",
    ) -> None:
        tid = f"T{len(self.tickets) + 1}"
        created = ts(f"2026-{day} 09:00")
        self.tickets.append(
            ticket(
                tid, f"2026-{day} 09:00", agent_id=agent, team="T", channel=channel,
                category="account", language="en", customer_id=f"cust-{tid}", status="solved",
                first_response_at=created + timedelta(minutes=frt),
                solved_at=created + timedelta(hours=3), reopens=reopens,
            )
        )  # fmt: skip
        if score is not None:
            self.surveys.append({"source": "t", "ticket_id": tid, "score": score})

    def tables(self, completions: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
        trainings = [
            {"agent_id": agent, "course": COURSE, "completed_at": ts(f"2026-{day} 10:00")}
            for agent, day in completions.items()
        ]
        return {"tickets": self.tickets, "surveys": self.surveys, "trainings": trainings}


def two_by_two() -> Tickets:
    """Trained A1, A2 (03-10) and controls B1, B2: two tickets each per window."""
    t = Tickets()
    # (agent, day, frt minutes, score, reopens) -- before 03-05/03-06, after 03-12/03-13
    for agent, day, frt, score, reopens in [
        ("A1", "03-05", 40, 3, 1), ("A1", "03-06", 40, 3, 0),
        ("A2", "03-05", 40, 4, 1), ("A2", "03-06", 40, 2, 0),
        ("A1", "03-12", 20, 5, 0), ("A1", "03-13", 20, 4, 0),
        ("A2", "03-12", 20, 4, 0), ("A2", "03-13", 20, 5, 0),
        ("B1", "03-05", 30, 3, 0), ("B1", "03-06", 30, 4, 0),
        ("B2", "03-05", 30, 3, 0), ("B2", "03-06", 30, 2, 0),
        ("B1", "03-12", 30, 4, 0), ("B1", "03-13", 30, 3, 0),
        ("B2", "03-12", 30, 3, 0), ("B2", "03-13", 30, 4, 0),
        # the completion day is left out: these would change every figure
        ("A1", "03-10", 500, 1, 1), ("B1", "03-10", 1, 5, 0),
    ]:  # fmt: skip
        t.add(agent, day, frt, score, reopens)
    return t


def rows(frame: Any) -> dict[str, dict[str, Any]]:
    return {row["kpi"]: row for row in frame.iter_rows(named=True)}


COUNTS_4 = {
    "n_trained_before": 4, "n_trained_after": 4, "n_control_before": 4, "n_control_after": 4,
    "unmatched": 0,
}  # fmt: skip
NO_PRETREND = {
    "pretrend_absolute": None, "pretrend_ci_low": None, "pretrend_ci_high": None,
    "pretrend_flag": None,
}  # fmt: skip
NO_INTERVAL = {
    "absolute_ci_low": None, "absolute_ci_high": None, "relative_ci_low": None,
    "relative_ci_high": None,
}  # fmt: skip


def test_difference_in_differences_by_hand(make_wh):
    wh = make_wh(two_by_two().tables({"A1": "03-10", "A2": "03-10"}))
    got = rows(training_impact(wh, SETTINGS, Filters(), **HAND))
    described = {"course": COURSE, "status": "ok", "cohorts": 1, "trained_agents": 2,
                 "control_agents": 2}  # fmt: skip
    # CSAT: trained 3,3,4,2 -> 5,4,4,5 (mean 3.0 -> 4.5); control 3,4,3,2 -> 4,3,3,4 (3.0 -> 3.5)
    # DiD = (4.5 - 3.0) - (3.5 - 3.0) = 1.0; counterfactual 4.5 - 1.0 = 3.5: +1.0 / 3.5 = 28.57%
    assert got["csat"] == pytest.approx(
        {
            "kpi": "csat",
            "unit": "score 1-5",
            "estimator": "mean score",
            **described,
            **COUNTS_4,
            "trained_before": 3.0,
            "trained_after": 4.5,
            "control_before": 3.0,
            "control_after": 3.5,
            "absolute": 1.0,
            "relative_pct": 100 / 3.5,
            **NO_INTERVAL,
            **NO_PRETREND,
        }
    )
    # FRT: trained 40 -> 20 min, control 30 -> 30: DiD of logs = ln(0.5), relative -50%;
    # absolute = 20 - counterfactual (20 / 0.5 = 40) = -20 minutes
    frt = got["frt"]
    assert (frt["trained_before"], frt["trained_after"]) == pytest.approx((40.0, 20.0))
    assert (frt["control_before"], frt["control_after"]) == pytest.approx((30.0, 30.0))
    assert (frt["absolute"], frt["relative_pct"]) == pytest.approx((-20.0, -50.0))
    # FCR: trained 2 of 4 (two reopened) -> 4 of 4, control 4/4 -> 4/4: DiD +0.5 = +100%
    fcr = got["fcr"]
    assert (fcr["trained_before"], fcr["trained_after"], fcr["control_before"]) == (0.5, 1.0, 1.0)
    assert (fcr["absolute"], fcr["relative_pct"]) == pytest.approx((0.5, 100.0))
    # no message was scored: sentiment has no contacts on any side
    assert got["sentiment"]["status"] == "not enough data"
    assert got["sentiment"]["n_trained_before"] == 0 and got["sentiment"]["absolute"] is None


def test_stratified_did_removes_a_shift_in_ticket_mix(make_wh):
    t = Tickets()
    # chat always scores 5, e-mail 3, for everyone and in both windows: no training effect.
    # The trained side moves from 1 chat + 3 e-mail before to 3 chat + 1 e-mail after.
    for agent, day, channel in [
        ("A1", "03-05", "chat"), ("A1", "03-05", "email"), ("A2", "03-06", "email"),
        ("A2", "03-07", "email"),
        ("A1", "03-12", "chat"), ("A1", "03-13", "chat"), ("A2", "03-12", "chat"),
        ("A2", "03-14", "email"),
        ("B1", "03-05", "chat"), ("B1", "03-06", "email"), ("B2", "03-05", "chat"),
        ("B2", "03-06", "email"),
        ("B1", "03-12", "chat"), ("B1", "03-13", "email"), ("B2", "03-12", "chat"),
        ("B2", "03-13", "email"),
    ]:  # fmt: skip
        t.add(agent, day, score=5 if channel == "chat" else 3, channel=channel)
    wh = make_wh(t.tables({"A1": "03-10", "A2": "03-10"}))
    fields = ("trained_before", "trained_after", "control_before", "control_after", "absolute")
    naive = rows(training_impact(wh, SETTINGS, Filters(), mix="none", **HAND))["csat"]
    # naive: trained (5+3+3+3)/4 = 3.5 -> (5+5+5+3)/4 = 4.5, control 4.0 -> 4.0: DiD +1.0
    assert [naive[f] for f in fields] == [3.5, 4.5, 4.0, 4.0, 1.0]
    stratified = rows(training_impact(wh, SETTINGS, Filters(), **HAND))["csat"]
    # per channel every cell is constant: DiD 0 in both strata. Levels weighted by the trained
    # side's after-window mix (chat 3, e-mail 1): (3 x 5 + 1 x 3) / 4 = 4.5 everywhere
    assert [stratified[f] for f in fields] == [4.5, 4.5, 4.5, 4.5, 0.0]


def test_a_side_under_min_tickets_is_not_enough_data_never_a_number(make_wh):
    t = Tickets()
    for i in range(30):
        day = f"03-0{3 + i % 7}"
        t.add("A1", day, score=3)
        t.add("A1", f"03-1{1 + i % 7}", score=5)
        t.add("B1", day, score=3)
        if i < 29:
            t.add("B1", f"03-1{1 + i % 7}", score=3)
    wh = make_wh(t.tables({"A1": "03-10"}))
    csat = rows(training_impact(wh, SETTINGS, Filters(), window_days=7))["csat"]
    # 30 / 30 / 30 and 29 control contacts after: below the default 30
    assert csat["status"] == "not enough data"
    assert [csat[f"n_{side}"] for side in ("trained_before", "trained_after")] == [30, 30]
    assert [csat[f"n_{side}"] for side in ("control_before", "control_after")] == [30, 29]
    figures = [k for k in csat if k.startswith(("trained_", "control_", "absolute", "relative"))]
    assert {k: csat[k] for k in figures if k not in ("trained_agents", "control_agents")} == {
        "trained_before": None, "trained_after": None, "control_before": None,
        "control_after": None, "absolute": None, "absolute_ci_low": None,
        "absolute_ci_high": None, "relative_pct": None, "relative_ci_low": None,
        "relative_ci_high": None,
    }  # fmt: skip
    t.add("B1", "03-15", score=3)
    wh = make_wh(t.tables({"A1": "03-10"}))
    csat = rows(training_impact(wh, SETTINGS, Filters(), window_days=7, draws=50))["csat"]
    # 30 a side: 3 -> 5 against 3 -> 3, DiD +2 (every draw: one agent a side)
    assert (csat["status"], csat["absolute"], csat["absolute_ci_low"]) == ("ok", 2.0, 2.0)


@pytest.mark.parametrize(
    ("trained_pre", "pretrend"),
    [
        # trained agents were already speeding up: pre 40 -> before 20 min, controls 30 -> 30.
        # Agents are alike within a side, so every draw gives the same pre-trend DiD:
        # ln(20 / 40) -> absolute 20 - 40 = -20 min, interval [-20, -20]: excludes zero
        (40, {"pretrend_absolute": -20.0, "pretrend_ci_low": -20.0, "pretrend_ci_high": -20.0,
              "pretrend_flag": True}),
        # a flat history (20 -> 20): 0 in every draw, interval [0, 0] does not exclude zero
        (20, {"pretrend_absolute": 0.0, "pretrend_ci_low": 0.0, "pretrend_ci_high": 0.0,
              "pretrend_flag": False}),
    ],
)  # fmt: skip
def test_pre_trend_is_flagged_when_its_interval_excludes_zero(make_wh, trained_pre, pretrend):
    t = Tickets()
    for agent in ("A1", "A2", "B1", "B2"):
        trained = agent.startswith("A")
        for day, frt in (("02-26", trained_pre), ("03-05", 20), ("03-12", 20)):
            t.add(agent, day, frt=frt if trained else 30)
    wh = make_wh(t.tables({"A1": "03-10", "A2": "03-10"}))
    frt = rows(training_impact(wh, SETTINGS, Filters(), window_days=7, min_tickets=1, draws=20))
    assert {k: v for k, v in frt["frt"].items() if k.startswith("pretrend")} == pytest.approx(
        pretrend, abs=1e-9
    )
    # the course itself changed nothing: 20 -> 20 against 30 -> 30
    assert (frt["frt"]["absolute"], frt["frt"]["relative_pct"]) == (0.0, 0.0)


def bootstrap_fixture() -> Tickets:
    t = Tickets()
    # one ticket per agent and window. Trained: A1 3 -> 5 (+2), A2 4 -> 4 (0);
    # control: B1 3 -> 4 (+1), B2 4 -> 3 (-1). Observed DiD = (+1) - (0) = +1.
    for agent, before, after in (("A1", 3, 5), ("A2", 4, 4), ("B1", 3, 4), ("B2", 4, 3)):
        t.add(agent, "03-05", score=before)
        t.add(agent, "03-12", score=after)
    return t


def test_bootstrap_interval_by_hand_and_deterministic_with_its_seed(make_wh):
    wh = make_wh(bootstrap_fixture().tables({"A1": "03-10", "A2": "03-10"}))
    # Resampling two agents a side: trained change +2 (A1 twice, p 1/4), +1 or 0 (A2 twice,
    # 1/4); control change +1 (B1 twice, 1/4), 0 or -1 (B2 twice, 1/4). The extremes
    # 0 - (+1) = -1 and +2 - (-1) = +3 each have p 1/16 = 6.25% > 2.5%, so the 95% percentile
    # interval is exactly [-1, +3].
    csat = rows(training_impact(wh, SETTINGS, Filters(), window_days=7, min_tickets=1))["csat"]
    assert (csat["absolute"], csat["absolute_ci_low"], csat["absolute_ci_high"]) == (1.0, -1.0, 3.0)
    first = training_impact(wh, SETTINGS, Filters(), window_days=7, min_tickets=1, draws=30)
    again = training_impact(wh, SETTINGS, Filters(), window_days=7, min_tickets=1, draws=30)
    other = training_impact(wh, SETTINGS, Filters(), window_days=7, min_tickets=1, draws=30, seed=8)
    assert first.equals(again)
    assert not first.equals(other)


def test_staggered_completions_stack_cohorts_and_later_trainees_are_controls(make_wh):
    t = Tickets()
    # A1 completes 03-10, A2 03-24, B1 never. Cohort 03-10: before 03-03..09, after 03-11..17;
    # A2 (trained after 03-17) is a control. Cohort 03-24: before 03-17..23, after 03-25..31,
    # pre 03-10..16; A1 (trained earlier) is left out.
    for agent, scores in (("A1", (3, 5, 5, 5)), ("A2", (4, 4, 4, 5)), ("B1", (3, 3, 3, 3))):
        for day, score in zip(("03-05", "03-13", "03-20", "03-28"), scores, strict=True):
            t.add(agent, day, score=score)
    wh = make_wh(t.tables({"A1": "03-10", "A2": "03-24"}))
    csat = rows(training_impact(wh, SETTINGS, Filters(), **HAND))["csat"]
    # cohort 1: A1 3 -> 5 (+2), controls A2 4 -> 4 and B1 3 -> 3 (0): DiD +2, weight 1
    # cohort 2: A2 4 -> 5 (+1), control B1 3 -> 3: DiD +1, weight 1. Stacked: +1.5
    # levels: trained (3 + 4) / 2 = 3.5 -> (5 + 5) / 2 = 5; control (3.5 + 3) / 2 = 3.25 both
    keys = [
        "cohorts",
        "trained_agents",
        "control_agents",
        *COUNTS_4,
        "trained_before",
        "trained_after",
        "control_before",
        "control_after",
        "absolute",
        "absolute_ci_low",
    ]
    assert {k: csat[k] for k in keys} == {
        "cohorts": 2, "trained_agents": 2, "control_agents": 2, "n_trained_before": 2,
        "n_trained_after": 2, "n_control_before": 3, "n_control_after": 3, "unmatched": 0,
        "trained_before": 3.5, "trained_after": 5.0, "control_before": 3.25,
        "control_after": 3.25, "absolute": 1.5, "absolute_ci_low": None,
    }  # fmt: skip
    # pre-trend: only cohort 2 has a pre window (03-13): A2 4 -> 4, B1 3 -> 3
    assert (csat["pretrend_absolute"], csat["pretrend_flag"]) == (0.0, None)


def test_agent_before_after_lists_each_trained_agent(make_wh):
    wh = make_wh(two_by_two().tables({"A1": "03-10", "A2": "03-10"}))
    frame = training_agent_before_after(wh, SETTINGS, Filters(), window_days=7)
    assert frame.height == 8  # 2 trained agents x 4 KPIs
    a1 = [r for r in frame.iter_rows(named=True) if r["agent_id"] == "A1"]
    base = {"course": COURSE, "agent_id": "A1", "name": None, "small_sample": True}
    # A1: FRT 40, 40 -> 20, 20 (geometric means); CSAT 3, 3 -> 5, 4; FCR 1 of 2 -> 2 of 2
    assert [{k: r[k] for k in ("kpi", "n_before", "before", "n_after", "after", "change")}
            for r in a1] == [
        {"kpi": "frt", "n_before": 2, "before": pytest.approx(40.0), "n_after": 2,
         "after": pytest.approx(20.0), "change": pytest.approx(-20.0)},
        {"kpi": "fcr", "n_before": 2, "before": 0.5, "n_after": 2, "after": 1.0, "change": 0.5},
        {"kpi": "csat", "n_before": 2, "before": 3.0, "n_after": 2, "after": 4.5, "change": 1.5},
        {"kpi": "sentiment", "n_before": 0, "before": None, "n_after": 0, "after": None,
         "change": None},
    ]  # fmt: skip
    assert all({k: r[k] for k in base} == base for r in a1)
    assert a1[2]["change_pct"] == 50.0 and str(a1[0]["completed_on"]) == "2026-03-10"
    only_a2 = training_agent_before_after(wh, SETTINGS, Filters(agent=("A2",)), window_days=7)
    assert set(only_a2["agent_id"]) == {"A2"}


def test_agent_before_after_reads_only_each_agents_own_windows(make_wh):
    t = Tickets()
    # A1 completes 03-10, A2 03-24 (window 7). A1 before 03-03..09: 03-05 score 3; after
    # 03-11..17: 03-13 score 5 (03-20 and 03-28 fall in A2's windows, not A1's). A2 before
    # 03-17..23: 03-20 score 4; after 03-25..31: 03-28 score 5 (03-05, 03-13: outside).
    for agent, scores in (("A1", (3, 5, 2, 1)), ("A2", (1, 2, 4, 5)), ("B1", (3, 3, 3, 3))):
        for day, score in zip(("03-05", "03-13", "03-20", "03-28"), scores, strict=True):
            t.add(agent, day, score=score)
    wh = make_wh(t.tables({"A1": "03-10", "A2": "03-24"}))
    frame = training_agent_before_after(wh, SETTINGS, Filters(), window_days=7)
    csat = {
        r["agent_id"]: (r["n_before"], r["before"], r["n_after"], r["after"])
        for r in frame.iter_rows(named=True)
        if r["kpi"] == "csat"
    }
    assert csat == {"A1": (1, 3.0, 1, 5.0), "A2": (1, 4.0, 1, 5.0)}
    # the trained side's own cells (pre window included) are the full cells' trained rows
    keys = ["course", "cohort", "agent_id", "team", "period", "stratum"]
    full = cells_frame(wh, SETTINGS, Filters(), None, 7, "language")
    own = cells_frame(wh, SETTINGS, Filters(), None, 7, "language", trained_reach=14)
    assert own.height == 5  # A1: 03-05, 03-13; A2: 03-13 (pre), 03-20, 03-28
    assert own.sort(keys).equals(full.filter("trained").sort(keys))


def test_a_stratum_is_its_joined_values_even_when_they_contain_the_separator(make_wh):
    # ("account", "email|x", "en") and ("account|email", "x", "en") both join to
    # "account|email|x|en": one stratum, as two_by_two's single one. A1's 03-05 ticket and
    # every ticket of A2 and B2 take the second; the cells are grouped by the three columns,
    # so A1's before cell comes as two rows of one key, which must add up.
    t = two_by_two()
    for number, row in enumerate(t.tickets):
        row["channel"] = "email|x"
        if number == 0 or row["agent_id"] in ("A2", "B2"):
            row |= {"category": "account|email", "channel": "x"}
    wh = make_wh(t.tables({"A1": "03-10", "A2": "03-10"}))
    frame = cells_frame(wh, SETTINGS, Filters(), None, 7, "category_channel_language")
    assert set(frame["stratum"]) == {"account|email|x|en"}
    a1_before = frame.filter((pl.col("agent_id") == "A1") & (pl.col("period") == 1))
    assert sorted(a1_before["contacts"]) == [1, 1]  # 03-05 and 03-06, two rows of one key
    got = rows(training_impact(wh, SETTINGS, Filters(), **HAND))
    # as in test_difference_in_differences_by_hand: CSAT 3.0 -> 4.5 trained, 3.0 -> 3.5
    # control, DiD 1.0, on 4 contacts per side and window, none unmatched
    assert got["csat"]["absolute"] == pytest.approx(1.0)
    assert {k: got["csat"][k] for k in COUNTS_4} == COUNTS_4
    plain = two_by_two()
    for row in plain.tickets:
        row["channel"] = "email|x"
    one = training_impact(make_wh(plain.tables({"A1": "03-10", "A2": "03-10"})), SETTINGS,
                          Filters(), **HAND)  # fmt: skip
    assert training_impact(wh, SETTINGS, Filters(), **HAND).equals(one)


def test_without_trainings_the_results_are_empty(make_wh):
    wh = make_wh({"tickets": two_by_two().tickets})
    assert training_impact(wh, SETTINGS, Filters()).height == 0
    assert training_agent_before_after(wh, SETTINGS, Filters()).height == 0
    assert training_impact(wh, SETTINGS, Filters()).columns == list(IMPACT_COLUMNS)


def test_registered_with_options_and_shown_by_the_cli(make_wh, capsys):
    info = REGISTRY["training_impact"]
    assert info.options == {
        "mix": ("category_channel_language", "channel_language", "language", "none")
    }
    assert "training_agent_before_after" in REGISTRY
    wh = make_wh(two_by_two().tables({"A1": "03-10", "A2": "03-10"}))
    args = ["show", "training_impact", "--db", str(wh.path), "--format", "json"]
    options = ["--option", "window_days=7", "--option", "min_tickets=1", "--option", "draws=0"]
    assert main([*args, *options, "--option", "course=C"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [(r["kpi"], r["absolute"]) for r in shown][2] == ("csat", 1.0)
    assert main([*args, "--option", "mix=weekly"]) == 2
    assert "expected one of" in capsys.readouterr().err
    assert main([*args, "--option", "window_days=0"]) == 2
