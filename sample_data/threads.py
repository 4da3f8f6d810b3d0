"""Conversation threads: every message of every ticket and bot chat, with its time and role.

Threads are built a turn at a time for all tickets at once (the loop runs over
turn numbers, never over tickets or messages). Agent turns are moved into the
replying agent's shifts, so a reply never falls in an hour the agent is off.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sample_data import clock, config
from sample_data.clock import DAY, HOUR
from sample_data.contacts import CHAT, COMEBACK, MERGED, REPEAT, Table, concat, take
from sample_data.content import CODE
from sample_data.roster import Roster
from sample_data.shifts import Shifts

CUSTOMER, AGENT, BOT, SYSTEM = 0, 1, 2, 3
CHAT_LIKE = np.isin(np.array(config.CHANNELS), config.CHAT_LIKE)


@dataclass
class Log:
    """Message rows and explicit solve events, gathered as arrays and stacked once."""

    parts: list[Table] = field(default_factory=list)
    solves: list[Table] = field(default_factory=list)

    def msg(self, conv: np.ndarray, t: np.ndarray, role: int, cls: str | np.ndarray) -> None:
        codes = np.full(len(conv), CODE[cls]) if isinstance(cls, str) else cls
        self.parts.append(
            {"conv": conv, "t": t.astype(np.int64), "role": np.full(len(conv), role), "cls": codes}
        )

    def solve(self, conv: np.ndarray, t: np.ndarray) -> None:
        self.solves.append({"conv": conv, "t": t.astype(np.int64)})

    def messages(self) -> Table:
        out = concat(*self.parts)
        return take(out, np.lexsort((out["t"], out["conv"])))


def _gap(
    rng: np.random.Generator, channel: np.ndarray, params: dict[str, tuple[float, float]]
) -> np.ndarray:
    """Seconds between turns: chat-like channels use the 'chat' timing, the rest 'mail'."""
    chat = CHAT_LIKE[channel]
    median = np.where(chat, params["chat"][0], params["mail"][0])
    sigma = np.where(chat, params["chat"][1], params["mail"][1])
    return np.maximum(1, clock.lognormal(rng, median, sigma)).astype(np.int64)


def _opening(rng: np.random.Generator, log: Log, t: Table, first: np.ndarray) -> None:
    """The customer's first message, the bot's part of in-app chats, and a nudge on long waits."""
    n, c = len(first), t["created"]
    idx = np.arange(n)
    cls = np.select(
        [t["origin"] == MERGED, np.isin(t["origin"], (REPEAT, COMEBACK))],
        [CODE["customer.merged"], CODE["customer.repeat"]],
        CODE["customer.open"],
    )
    log.msg(idx, c, CUSTOMER, cls)
    answered = first >= 0
    wait = np.where(answered, first - c, 240)
    bot = np.flatnonzero(t["channel"] == CHAT)
    steps = (
        ("bot.greeting", BOT, 0.05),
        ("bot.article", BOT, 0.12),
        ("customer.human", CUSTOMER, 0.2),
        ("system.handover", SYSTEM, 0.3),
    )
    for cls_name, role, frac in steps:
        log.msg(bot, c[bot] + np.ceil(frac * wait[bot]), role, cls_name)
    slow = answered & (wait > np.where(CHAT_LIKE[t["channel"]], 600, 12 * HOUR))
    log.msg(np.flatnonzero(slow), (c + np.ceil(0.6 * wait))[slow], CUSTOMER, "customer.nudge")
    lost = np.flatnonzero(~answered & (t["origin"] != MERGED) & (rng.random(n) < 0.6))
    log.msg(lost, c[lost] + rng.integers(HOUR, 2 * DAY, len(lost)), CUSTOMER, "customer.nudge")


def _exchanges(
    rng: np.random.Generator,
    log: Log,
    t: Table,
    first: np.ndarray,
    agent: np.ndarray,
    roster: Roster,
    shifts: Shifts,
) -> tuple[np.ndarray, np.ndarray]:
    """First reply, then turns until solved; returns (answered ticket index, solve time)."""
    idx = np.flatnonzero(first >= 0)
    channel, a = t["channel"][idx], agent[idx]
    speed = roster.frt_multiplier(a, t["created"][idx])
    log.msg(idx, first[idx], AGENT, "agent.first")
    turns = 1 + rng.poisson([config.EXTRA_EXCHANGES[config.CHANNELS[ch]] for ch in channel])
    last = first[idx].copy()
    for j in range(1, int(turns.max())):
        on = np.flatnonzero(turns > j)
        said = last[on] + _gap(rng, channel[on], config.CUSTOMER_GAP)
        reply = said + (speed[on] * _gap(rng, channel[on], config.AGENT_GAP)).astype(np.int64)
        reply = shifts.snap(a[on], reply, rng)
        log.msg(idx[on], said, CUSTOMER, "customer.reply")
        cls = np.where(turns[on] == j + 1, CODE["agent.final"], CODE["agent.reply"])
        log.msg(idx[on], reply, AGENT, cls)
        last[on] = reply
    thanks = rng.random(len(idx)) < config.THANKS_SHARE
    said = last[thanks] + _gap(rng, channel[thanks], config.CUSTOMER_GAP)
    log.msg(idx[thanks], said, CUSTOMER, "customer.thanks")
    close_gap = np.where(
        CHAT_LIKE[channel[thanks]],
        rng.integers(10, 120, len(said)),
        rng.integers(300, 2 * HOUR, len(said)),
    )
    solved = last.copy()
    solved[thanks] = shifts.snap(a[thanks], said + close_gap, rng)
    return idx, solved


def _reopens(
    rng: np.random.Generator,
    log: Log,
    t: Table,
    idx: np.ndarray,
    solved: np.ndarray,
    agent: np.ndarray,
    roster: Roster,
    shifts: Shifts,
) -> np.ndarray:
    """Reopen exactly each agent's share of its solved tickets; returns the final solve times."""
    a = agent[idx]
    eligible = solved < clock.END - 10 * DAY
    key = np.where(eligible, rng.random(len(idx)), 2.0)
    order = np.lexsort((key, a))
    first_of_agent = np.searchsorted(a[order], a[order])
    rank = np.empty(len(idx), dtype=np.int64)
    rank[order] = np.arange(len(idx)) - first_of_agent
    quota = np.round(roster.reopen_share * np.bincount(a[eligible], minlength=len(roster))).astype(
        np.int64
    )
    chosen = np.flatnonzero(eligible & (rank < quota[a]))
    back = solved[chosen] + rng.integers(DAY // 2, 5 * DAY, len(chosen))
    speed = roster.frt_multiplier(a[chosen], t["created"][idx[chosen]])
    gap = (speed * _gap(rng, t["channel"][idx[chosen]], config.AGENT_GAP)).astype(np.int64)
    reply = shifts.snap(a[chosen], back + gap, rng)
    log.msg(idx[chosen], back, CUSTOMER, "customer.reopen")
    log.msg(idx[chosen], reply, AGENT, "agent.reopen")
    final = solved.copy()
    final[chosen] = reply
    log.solve(idx, solved)
    log.solve(idx[chosen], reply)
    return final


@dataclass(frozen=True)
class Threads:
    """Messages of tickets (conv = ticket index) plus the times status events come from."""

    messages: Table
    solves: Table
    answered: np.ndarray  # ticket index of every answered ticket
    final_solve: np.ndarray  # last solve time of each answered ticket (may lie past the export)


def ticket_threads(
    rng: np.random.Generator,
    t: Table,
    first: np.ndarray,
    agent: np.ndarray,
    roster: Roster,
    shifts: Shifts,
) -> Threads:
    """Every ticket's messages, uncut (times may run past the export; cut later)."""
    log = Log()
    _opening(rng, log, t, first)
    idx, solved = _exchanges(rng, log, t, first, agent, roster, shifts)
    final = _reopens(rng, log, t, idx, solved, agent, roster, shifts)
    return Threads(log.messages(), concat(*log.solves), idx, final)


def bot_threads(rng: np.random.Generator, created: np.ndarray) -> Table:
    """Chats the bot resolved alone: question, greeting, article, 'that worked', goodbye."""
    n = len(created)
    idx = np.arange(n)
    t1 = created + rng.integers(1, 5, n)
    t2 = t1 + rng.integers(8, 40, n)
    t3 = t2 + rng.integers(30, 240, n)
    t4 = t3 + rng.integers(2, 10, n)
    log = Log()
    log.msg(idx, created, CUSTOMER, "customer.open")
    log.msg(idx, t1, BOT, "bot.greeting")
    log.msg(idx, t2, BOT, "bot.article")
    log.msg(idx, t3, CUSTOMER, "customer.bot_ok")
    log.msg(idx, t4, BOT, "bot.closing")
    return log.messages()
