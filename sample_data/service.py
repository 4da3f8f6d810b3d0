"""How the support side responds: first response time, the agent who gives it, escalation.

The first response time is a log-normal draw per channel and priority, scaled
by the planted multipliers of the creation time (night gap, crash ramp). The
reply lands at some time; an agent of the team on shift then gives it. Agents
with a planted speed factor (trained, fast) then reply that much sooner: the
ticket goes to an agent of the same class on shift at that sooner time, so
the chosen agent is always on shift when replying.
"""

from __future__ import annotations

import numpy as np

from sample_data import clock, config
from sample_data import effects as fx
from sample_data.clock import DAY, HOUR
from sample_data.contacts import MERGED, Table, pick_exact
from sample_data.roster import Roster
from sample_data.shifts import Shifts, class_group

NIGHT_TEAM = config.TEAM_INDEX[fx.NIGHT_TEAM]
SECURITY = config.CATEGORIES.index("security")


def planned_wait(rng: np.random.Generator, t: Table) -> np.ndarray:
    """Seconds from creation to first reply before any agent's own speed factor."""
    channel = np.array(config.CHANNELS)[t["channel"]]
    median = np.array([config.FRT_MEDIAN_MIN[ch] * 60 for ch in channel])
    sigma = np.array([config.FRT_SIGMA[ch] for ch in channel])
    median *= np.array(config.PRIORITY_FRT)[t["priority"]]
    wait = clock.lognormal(rng, median, sigma)
    hour = clock.local_hour(config.TEAMS[NIGHT_TEAM].timezone, t["created"])
    night = (t["lang"] == NIGHT_TEAM) & (hour >= fx.NIGHT_HOURS[0]) & (hour < fx.NIGHT_HOURS[1])
    wait[night] *= fx.NIGHT_FRT_MULTIPLIER
    wait *= crash_ramp(t["created"])
    return np.clip(wait, config.MIN_FRT_SECONDS, config.MAX_FRT_SECONDS)


def crash_ramp(created: np.ndarray) -> np.ndarray:
    """The crash's FRT multiplier: 1 outside, rising linearly from first to last crash hour."""
    start = clock.epoch(fx.CRASH_START)
    span = fx.CRASH_DAYS * DAY
    inside = (created >= start) & (created < start + span)
    low, high = fx.CRASH_FRT_RAMP
    return np.where(inside, low + (high - low) * (created - start) / span, 1.0)


def first_responses(
    rng: np.random.Generator, t: Table, roster: Roster, shifts: Shifts
) -> tuple[np.ndarray, np.ndarray]:
    """(first reply time, agent) per ticket; -1 for both when nobody ever replies."""
    n = len(t["created"])
    team = t["lang"]  # TEAMS are in LANGUAGES order: one team per language
    created = t["created"]
    planned = created + planned_wait(rng, t).astype(np.int64)
    covered = shifts.next_covered(team, planned)
    planned = np.where(covered > planned, covered + rng.integers(0, 900, n), planned)
    rank = rng.random(n)
    first_pick = shifts.pick(team, planned, rank)
    factor = roster.frt_multiplier(first_pick, created)
    sooner = created + (factor * (planned - created)).astype(np.int64)
    peer = shifts.pick(class_group(roster, first_pick), sooner, rank)
    same = (peer >= 0) & (roster.frt_multiplier(np.maximum(peer, 0), created) == factor)
    moved = factor != 1.0
    agent = np.where(moved & same, peer, first_pick)
    clipped = shifts.clip_into(first_pick, sooner, planned)
    first = np.where(moved, np.where(same, sooner, clipped), planned)
    silent = (rng.random(n) < config.UNANSWERED_SHARE) | (t["origin"] == MERGED)
    return np.where(silent, -1, first), np.where(silent, -1, agent)


def escalations(rng: np.random.Generator, t: Table) -> np.ndarray:
    """Escalation time of every security ticket (-1 for others); exactly 20% miss the hour."""
    n = len(t["created"])
    out = np.full(n, -1, dtype=np.int64)
    security = np.flatnonzero((t["category"] == SECURITY) & (t["origin"] != MERGED))
    weight = np.where(crash_ramp(t["created"][security]) > 1, 3.0, 1.0)
    late = pick_exact(rng, weight, fx.SECURITY_LATE_SHARE)
    target = fx.SECURITY_TARGET_MINUTES * 60
    on_time = np.clip(clock.lognormal(rng, np.full(len(security), 1200.0), 0.6), 180, target - 120)
    overdue = rng.integers(target + 120, 12 * HOUR, len(security))
    out[security] = t["created"][security] + np.where(late, overdue, on_time.astype(np.int64))
    return out
