"""The agents: who they are, which team and shift template they work, which courses they took.

Agent classes drive the planted effects: trained agents answer faster and score
higher after the course, the fast agent answers fastest but scores lowest, the
reopen agent's tickets come back three times as often.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from sample_data import effects as fx
from sample_data.clock import epoch
from sample_data.config import TEAM_INDEX, TEAMS
from sample_data.content import Content

NORMAL, TRAINED, FAST = 0, 1, 2
AGENT_ID_BASE = 3_961_000_100


@dataclass(frozen=True)
class Roster:
    """One entry per agent, as parallel arrays (index = agent number)."""

    ids: np.ndarray  # str
    names: list[str]
    team: np.ndarray  # index into config.TEAMS
    template: np.ndarray  # index into the team's shift templates
    position: np.ndarray  # rank within the template (decides days off)
    klass: np.ndarray  # NORMAL / TRAINED / FAST
    trained_at: np.ndarray  # epoch seconds of the effective course, -1 if none
    placebo_at: np.ndarray  # epoch seconds of the placebo course, -1 if none
    reopen_share: np.ndarray  # share of solved tickets this agent gets reopened
    hired_at: np.ndarray  # epoch seconds

    def __len__(self) -> int:
        return len(self.ids)

    def frt_multiplier(self, agent: np.ndarray, created: np.ndarray) -> np.ndarray:
        """The agent's planted speed factor for a ticket created at ``created``."""
        out = np.ones(len(agent))
        trained = (self.klass[agent] == TRAINED) & (created >= self.trained_at[agent])
        out[trained] = fx.TRAINED_FRT_MULTIPLIER
        out[self.klass[agent] == FAST] = fx.FAST_AGENT_FRT_MULTIPLIER
        return out


def _course_times(rng: np.random.Generator, day, zone: str, n: int) -> np.ndarray:
    """Completion times on ``day`` between 10:00 and 16:00 local time, whole minutes."""
    noon = epoch(datetime.combine(day, time(10, 0), ZoneInfo(zone)))
    return noon + 60 * rng.integers(0, 6 * 60, n)


def build_roster(rng: np.random.Generator, content: Content, scale: float) -> Roster:
    """Agents of every team, template by template; counts grow with ``scale`` above 1."""
    copies = max(1, round(scale))
    rows: list[tuple[int, int, int]] = []
    for t_idx, team in enumerate(TEAMS):
        for s_idx, tpl in enumerate(team.templates):
            count = tpl.agents if tpl.night_rotation else tpl.agents * copies
            rows += [(t_idx, s_idx, j) for j in range(count)]
    team, template, position = (np.array(col, dtype=np.int64) for col in zip(*rows, strict=True))
    n = len(rows)
    klass = np.full(n, NORMAL)
    trained_at = np.full(n, -1, dtype=np.int64)
    placebo_at = np.full(n, -1, dtype=np.int64)
    for code in fx.TRAINING_TEAMS:
        chosen = (team == TEAM_INDEX[code]) & (position % 2 == 0)
        klass[chosen] = TRAINED
        trained_at[chosen] = _course_times(
            rng, fx.TRAINING_DATE, TEAMS[TEAM_INDEX[code]].timezone, chosen.sum()
        )
    for code in fx.PLACEBO_TEAMS:
        chosen = (team == TEAM_INDEX[code]) & (position % 2 == 0)
        placebo_at[chosen] = _course_times(
            rng, fx.PLACEBO_DATE, TEAMS[TEAM_INDEX[code]].timezone, chosen.sum()
        )
    fast = _special(team, template, position, fx.FAST_AGENT_TEAM)
    klass[fast] = FAST
    reopen_share = np.full(n, fx.REOPEN_SHARE)
    reopen_share[_special(team, template, position, fx.REOPEN_AGENT_TEAM)] *= (
        fx.REOPEN_AGENT_MULTIPLIER
    )
    hired_start = epoch(fx.PERIOD_START - timedelta(days=4 * 365))
    hired_span = epoch(fx.PERIOD_START - timedelta(days=30)) - hired_start
    hired_at = hired_start + rng.integers(0, hired_span // 86400, n) * 86400
    names = content.agent_names(rng, [TEAMS[t].code for t in team])
    ids = np.array([str(AGENT_ID_BASE + i + 1) for i in range(n)])
    return Roster(
        ids, names, team, template, position, klass, trained_at, placebo_at, reopen_share, hired_at
    )


def _special(team: np.ndarray, template: np.ndarray, position: np.ndarray, code: str) -> int:
    """The one planted agent of a team: second agent of its second day template."""
    return int(np.flatnonzero((team == TEAM_INDEX[code]) & (template == 1) & (position == 1))[0])
