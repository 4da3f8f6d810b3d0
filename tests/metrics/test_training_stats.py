"""The bootstrap arithmetic of training impact: cells, resampling weights, per-draw sums,
and the sentiment estimator naming its scoring methods."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import polars as pl
from builders import msg, ticket, ts

from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.training.impact import training_impact
from metrics.training.stats import bootstrap_weights, course_cells, draw_sums

SETTINGS = load_settings()
DAY = date(2026, 3, 10)


def cell(agent: str, trained: bool, period: int, stratum: str, n: int, total: float) -> dict:
    return {
        "course": "C", "cohort": DAY, "agent_id": agent, "team": "T", "trained": trained,
        "period": period, "stratum": stratum, "contacts": n, "n_csat": n, "s_csat": total,
    }  # fmt: skip


def test_cells_add_up_rows_of_one_cell_and_keep_only_units_with_trained_contacts():
    frame = pl.DataFrame(
        [
            cell("A1", True, 1, "en", 2, 7.0),
            cell("A1", True, 1, "en", 1, 4.0),  # same cell, another team row: 3 contacts, 11
            cell("B1", False, 2, "en", 3, 9.0),
            cell("B1", False, 2, "zh", 5, 20.0),  # no trained agent serves zh: dropped
        ]
    )
    cells = course_cells(frame, ["csat"])
    # agents (A1, B1) x units (en) x side x period x KPI
    assert cells.agents == ("A1", "B1") and cells.n.shape == (2, 1, 2, 3, 1)
    assert (cells.n[0, 0, 1, 1, 0], cells.s[0, 0, 1, 1, 0]) == (3.0, 11.0)
    assert (cells.n[1, 0, 0, 2, 0], cells.s[1, 0, 0, 2, 0]) == (3.0, 9.0)
    assert cells.n.sum() == 6.0 and cells.in_windows.tolist() == [6.0]
    assert cells.side_agents == (1, 1)


def test_bootstrap_weights_resample_each_group_to_its_size_with_a_fixed_seed():
    groups = np.array([0, 0, 0, 1, 1])
    weights = bootstrap_weights(groups, draws=200, seed=7)
    assert weights.shape == (201, 5) and (weights[0] == 1).all()
    # every draw picks 3 of group 0 and 2 of group 1, with replacement
    assert (weights[1:, :3].sum(axis=1) == 3).all() and (weights[1:, 3:].sum(axis=1) == 2).all()
    assert np.array_equal(weights, bootstrap_weights(groups, draws=200, seed=7))
    assert not np.array_equal(weights, bootstrap_weights(groups, draws=200, seed=8))
    # each agent is drawn once per draw on average (3 picks over 3 members)
    assert abs(weights[1:, 0].mean() - 1.0) < 0.25


def test_draw_sums_per_side_equal_one_product_over_every_agent():
    rng = np.random.default_rng(1)
    frame = pl.DataFrame(
        [
            cell(agent, agent.startswith("A"), int(period), stratum, int(n), float(n) * 3.5)
            for agent in ("A1", "A2", "B1", "B2", "B3")
            for period, stratum, n in zip(
                rng.integers(0, 3, 6),
                rng.choice(["en", "zh"], 6),
                rng.integers(1, 9, 6),
                strict=True,
            )
        ]
    )
    cells = course_cells(frame, ["csat"])
    weights = bootstrap_weights(np.array([0, 0, 1, 1, 1]), draws=50, seed=3)
    n, s = draw_sums(cells, weights)
    flat, per_draw = (cells.n.shape[0], -1), (weights.shape[0], *cells.n.shape[1:])
    # the same product over every agent, its KPI axis moved first: (KPIs, draws, units, 2, 3)
    expected_n = np.moveaxis((weights @ cells.n.reshape(flat)).reshape(per_draw), -1, 0)
    expected_s = np.moveaxis((weights @ cells.s.reshape(flat)).reshape(per_draw), -1, 0)
    assert n.shape == expected_n.shape == (1, 51, *cells.n.shape[1:-1])
    assert np.allclose(n, expected_n, rtol=1e-12) and np.allclose(s, expected_s, rtol=1e-12)


def test_the_sentiment_estimator_names_the_trained_sides_scoring_methods(make_wh):
    tickets, messages = [], []
    # A1 (trained 03-10) and B1: one ticket a day 03-05 .. 03-15, each with a scored
    # customer message; A1's say "vader" before and "lexicon-es" after, B1's "snownlp".
    for i in range(11):
        day = DAY + timedelta(days=i - 5)
        for agent in ("A1", "B1"):
            tid = f"{agent}-{i}"
            method = "snownlp" if agent == "B1" else "vader" if day < DAY else "lexicon-es"
            tickets.append(ticket(tid, f"{day} 09:00", agent_id=agent, language="en"))
            messages.append(
                msg(tid, "customer", f"{day} 09:00", sentiment=0.5, sentiment_method=method)
            )
    trainings = [{"agent_id": "A1", "course": "C", "completed_at": ts(f"{DAY} 10:00")}]
    wh = make_wh({"tickets": tickets, "messages": messages, "trainings": trainings})
    frame = training_impact(wh, SETTINGS, Filters(), window_days=7, min_tickets=1, draws=0)
    estimator = frame.filter(pl.col("kpi") == "sentiment")["estimator"].item()
    # only the trained side's methods, joined in name order
    assert estimator == "mean per-contact customer sentiment (lexicon-es+vader)"


def test_the_methods_leave_out_unscored_messages_and_name_a_missing_method(make_wh):
    # A1 (trained 03-10), one ticket a day 03-08 .. 03-12 but the completion day: two
    # customer messages each, one scored by "vader" before and without a method after, and
    # one "snownlp" message never scored; B1 (control) scored by "lexicon-es".
    tickets, messages = [], []
    for i in (-2, -1, 1, 2):
        day = DAY + timedelta(days=i)
        for agent in ("A1", "B1"):
            tid = f"{agent}-{i}"
            tickets.append(ticket(tid, f"{day} 09:00", agent_id=agent, language="en"))
            method = "lexicon-es" if agent == "B1" else "vader" if i < 0 else None
            messages.append(
                msg(tid, "customer", f"{day} 09:00", sentiment=0.5, sentiment_method=method)
            )
            messages.append(msg(tid, "customer", f"{day} 09:05", sentiment_method="snownlp"))
    trainings = [{"agent_id": "A1", "course": "C", "completed_at": ts(f"{DAY} 10:00")}]
    wh = make_wh({"tickets": tickets, "messages": messages, "trainings": trainings})
    frame = training_impact(wh, SETTINGS, Filters(), window_days=7, min_tickets=1, draws=0)
    estimator = frame.filter(pl.col("kpi") == "sentiment")["estimator"].item()
    # A1's scored messages: "vader" (before) and no method (after, named "unspecified");
    # "snownlp" scored nothing and B1 is no trained agent
    assert estimator == "mean per-contact customer sentiment (unspecified+vader)"


def test_draw_sums_with_nobody_on_one_side():
    # Only trained contacts (a filter leaving no control agent): the control side stays 0.
    cells = course_cells(pl.DataFrame([cell("A1", True, 1, "en", 2, 7.0)]), ["csat"])
    n, s = draw_sums(cells, bootstrap_weights(np.array([0]), draws=3, seed=7))
    assert n.shape == (1, 4, 1, 2, 3) and n[:, :, :, 0].sum() == 0.0
    assert (n[0, :, 0, 1, 1] == 2.0).all() and (s[0, :, 0, 1, 1] == 7.0).all()
