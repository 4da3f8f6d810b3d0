"""Shifts and who is on shift when: the schedule every agent reply is placed inside.

Shifts start on whole local hours, so every hour slot is either wholly covered
by a shift or not at all. The coverage index answers "which agents of team T
(and class C) are on shift at time t" for a whole array of times at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sample_data import clock
from sample_data.clock import DAY, HOUR, N_SLOTS, T0
from sample_data.config import TEAMS
from sample_data.roster import Roster

_KEY = np.int64(1) << 32
_CLASSES = 3


@dataclass(frozen=True)
class Shifts:
    """Every shift (sorted by agent, then start) and the coverage index built from them."""

    agent: np.ndarray
    start: np.ndarray
    end: np.ndarray
    counts: np.ndarray  # (groups * N_SLOTS,) agents on shift per group and slot
    offsets: np.ndarray  # where each group-slot's agents start in ``flat``
    flat: np.ndarray  # agent numbers, grouped by group-slot
    next_slot: np.ndarray  # (teams, N_SLOTS) first covered slot at or after each slot

    def pick(self, group: np.ndarray, t: np.ndarray, r: np.ndarray) -> np.ndarray:
        """An agent of ``group`` on shift at ``t`` (rank ``r`` in [0, 1)), or -1 when none is."""
        cell = group * N_SLOTS + clock.slot_of(t)
        n = self.counts[cell]
        idx = self.offsets[cell] + np.minimum((r * n).astype(np.int64), np.maximum(n - 1, 0))
        return np.where(n > 0, self.flat[np.minimum(idx, len(self.flat) - 1)], -1)

    def next_covered(self, team: np.ndarray, t: np.ndarray) -> np.ndarray:
        """``t`` itself when the team has someone on shift then, else the next covered hour."""
        slot = clock.slot_of(t)
        nxt = self.next_slot[team, slot]
        return np.where(nxt == slot, t, T0 + nxt * HOUR)

    def containing(self, agent: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Index of the agent's last shift starting at or before ``t``, and whether it covers ``t``."""
        keys = self.agent * _KEY + (self.start - T0)
        i = np.searchsorted(keys, agent * _KEY + (t - T0), side="right") - 1
        i = np.maximum(i, 0)
        inside = (self.agent[i] == agent) & (self.start[i] <= t) & (t < self.end[i])
        return i, inside

    def snap(self, agent: np.ndarray, t: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """``t`` moved forward into the agent's next shift when the agent is off at ``t``."""
        i, inside = self.containing(agent, t)
        j = np.where(self.start[i] > t, i, i + 1)
        j = np.minimum(j, len(self.agent) - 1)
        has_next = (self.agent[j] == agent) & (self.start[j] > t)
        later = self.start[j] + rng.integers(60, 1200, len(t))
        return np.where(inside, t, np.where(has_next, later, t))

    def clip_into(self, agent: np.ndarray, t: np.ndarray, ref: np.ndarray) -> np.ndarray:
        """``t`` clipped into the agent's shift that covers ``ref`` (a minute from its edges)."""
        i, _ = self.containing(agent, ref)
        return np.clip(t, self.start[i] + 60, np.maximum(self.end[i] - 60, self.start[i] + 60))


def _works(roster: Roster, weekday: np.ndarray) -> np.ndarray:
    """(agents, days) mask of the days each agent works, from its template's rota."""
    works = np.zeros((len(roster), len(weekday)), dtype=bool)
    for a in range(len(roster)):
        team = TEAMS[roster.team[a]]
        tpl = team.templates[roster.template[a]]
        j = int(roster.position[a])
        if tpl.night_rotation:
            works[a] = np.isin(weekday, (0, 1, 2, 3) if j == 0 else (4, 5, 6))
        elif not tpl.weekends:
            works[a] = weekday < 5
        else:
            first = (2 * j + 3 * int(roster.template[a]) + int(roster.team[a])) % 7
            works[a] = ~np.isin(weekday, (first, (first + 1) % 7))
    return works


def build_shifts(roster: Roster) -> Shifts:
    """Every agent's shifts from two days before the period to three weeks after it."""
    days = (clock.T1 - T0) // DAY - 1
    first_day = np.datetime64(T0, "s").astype("datetime64[D]").item()
    weekday = (np.arange(days) + (T0 // DAY + 3)) % 7
    works = _works(roster, weekday)
    agents, starts, ends = [], [], []
    for t_idx, team in enumerate(TEAMS):
        midnights = clock.local_midnights(team.timezone, first_day, days)
        for a in np.flatnonzero(roster.team == t_idx):
            tpl = team.templates[roster.template[a]]
            begin = midnights[works[a]] + tpl.start_hour * HOUR
            agents.append(np.full(len(begin), a))
            starts.append(begin)
            ends.append(begin + tpl.hours * HOUR)
    agent, start, end = (np.concatenate(x).astype(np.int64) for x in (agents, starts, ends))
    order = np.lexsort((start, agent))
    agent, start, end = agent[order], start[order], end[order]
    return _index(roster, agent, start, end)


def _index(roster: Roster, agent: np.ndarray, start: np.ndarray, end: np.ndarray) -> Shifts:
    """Coverage index: team groups (0..teams-1), then team-by-class groups."""
    hours = ((end - start) // HOUR).astype(np.int64)
    rep = np.repeat(np.arange(len(agent)), hours)
    within = np.arange(len(rep)) - np.repeat(np.cumsum(hours) - hours, hours)
    slot = (start[rep] - T0) // HOUR + within
    keep = (slot >= 0) & (slot < N_SLOTS)
    who, slot = agent[rep][keep], slot[keep]
    n_teams = len(TEAMS)
    team_group = roster.team[who]
    class_group = n_teams + roster.team[who] * _CLASSES + roster.klass[who]
    cells = np.concatenate([team_group * N_SLOTS + slot, class_group * N_SLOTS + slot])
    members = np.concatenate([who, who])
    order = np.lexsort((members, cells))
    groups = n_teams * (1 + _CLASSES)
    counts = np.bincount(cells, minlength=groups * N_SLOTS)
    offsets = np.cumsum(counts) - counts
    covered = counts[: n_teams * N_SLOTS].reshape(n_teams, N_SLOTS) > 0
    idx = np.where(covered, np.arange(N_SLOTS), N_SLOTS - 1)
    next_slot = np.minimum.accumulate(idx[:, ::-1], axis=1)[:, ::-1]
    return Shifts(agent, start, end, counts, offsets, members[order], next_slot)


def class_group(roster: Roster, agent: np.ndarray) -> np.ndarray:
    """The coverage-index group of each agent's team and class."""
    return len(TEAMS) + roster.team[agent] * _CLASSES + roster.klass[agent]
