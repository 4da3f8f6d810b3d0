"""Satisfaction surveys, and which contacts count as a bad experience.

A survey is sent when a ticket is solved; some customers answer. The score
comes from one of three distributions (good, not resolved first time, the fast
agent's); a trained agent's tickets after the course are lifted by exactly
0.4 points in expectation by turning a share w = 0.4 / (5 - mean) of scores into 5.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from sample_data import clock, config
from sample_data import effects as fx
from sample_data.contacts import MERGED, REPEAT, Table, draw
from sample_data.content import CODE
from sample_data.roster import FAST, TRAINED, Roster
from sample_data.service import crash_ramp
from sample_data.status import CLOSED, SOLVED


def repeated(t: Table) -> np.ndarray:
    """Whether each ticket has a planted repeat ticket (same customer and category, <= 7 days)."""
    out = np.zeros(len(t["created"]), dtype=bool)
    out[t["parent"][t["origin"] == REPEAT]] = True
    return out


def first_contact_resolved(t: Table, summary: pl.DataFrame) -> np.ndarray:
    """Solved, never reopened, and no repeat ticket within the FCR window."""
    solved = summary["status"].is_in([SOLVED, CLOSED]).to_numpy()
    return solved & (summary["reopens"].to_numpy() == 0) & ~repeated(t)


def surveys(
    rng: np.random.Generator, t: Table, summary: pl.DataFrame, agent: np.ndarray, roster: Roster
) -> Table:
    """One survey response per answering customer of a solved ticket (ticket index, score, time, comment)."""
    status = summary["status"].to_numpy()
    solved_at = summary["solved_at"].fill_null(-1).to_numpy()
    rate = np.array([config.SURVEY_RESPONSE[ch] for ch in config.CHANNELS])[t["channel"]]
    delay = np.maximum(60, clock.lognormal(rng, np.full(len(status), 7200.0), 1.2)).astype(np.int64)
    answered = (
        np.isin(status, (SOLVED, CLOSED))
        & (t["origin"] != MERGED)
        & (rng.random(len(status)) < rate)
    )
    answered &= solved_at + delay < clock.END
    idx = np.flatnonzero(answered)
    a = agent[idx]
    failed = ~first_contact_resolved(t, summary)[idx]
    crash = (crash_ramp(t["created"][idx]) > 1) & (rng.random(len(idx)) < 0.5)
    probs = np.where((failed | crash)[:, None], fx.SCORES_FAILED, fx.SCORES_GOOD)
    probs[roster.klass[a] == FAST] = fx.SCORES_FAST_AGENT
    score = draw(rng, probs) + 1
    mean = probs @ np.arange(1, 6)
    after = (roster.klass[a] == TRAINED) & (t["created"][idx] >= roster.trained_at[a])
    lift = after & (rng.random(len(idx)) < fx.TRAINED_CSAT_POINTS / (5 - mean))
    score[lift] = 5
    kind = np.select(
        [score >= 4, score == 3],
        [CODE["survey.positive"], CODE["survey.neutral"]],
        CODE["survey.negative"],
    )
    comment = np.where(rng.random(len(idx)) < 0.45, kind, -1)
    return {
        "ticket": idx,
        "score": score,
        "responded_at": solved_at[idx] + delay[idx],
        "comment": comment,
    }


def bad_tickets(t: Table, summary: pl.DataFrame, survey: Table) -> np.ndarray:
    """Not resolved on first contact, or rated 1-2: the experiences that cost retention."""
    bad = ~first_contact_resolved(t, summary)
    low = survey["ticket"][survey["score"] <= 2]
    bad[low] = True
    return bad
