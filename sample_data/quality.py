"""Quality review effects with known truth (issue 16), planted on the agents' replies.

- greeting skippers (one agent of each of GREETING_SKIPPER_TEAMS): every first reply opens
  without a greeting;
- closing skippers (one agent of each of CLOSING_SKIPPER_TEAMS): every final reply neither
  checks the problem is solved nor invites the customer back;
- the empathy agent (one agent of EMPATHY_TEAM) takes EMPATHY_COURSE on EMPATHY_DATE: before
  it, no reply of theirs thanks, apologises or sympathises; after it, every first reply does;
- SEED_ASKS_PER_SCALE x scale tickets: an agent's second reply asks for the seed phrase.

Only template classes change (sample_data/templates, [agent.quality]); the draws that pick
texts are the same, so every earlier effect keeps its exact size. Choices use their own
random stream.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

import numpy as np

from sample_data import effects as fx
from sample_data.clock import epoch
from sample_data.config import LANGUAGES, TEAM_INDEX, TEAMS
from sample_data.content import CODE, Content
from sample_data.roster import Roster
from sample_data.threads import AGENT
from sample_data.world import World, stream

STREAM = 41  # sample_data.world.stream(seed, STREAM): this module's own draws


@dataclass(frozen=True)
class QualityCast:
    """Agent numbers of the planted roles and the empathy course's completion time."""

    greeting_skippers: np.ndarray
    closing_skippers: np.ndarray
    empathy_agent: int
    empathy_at: int  # epoch seconds


def _agent(roster: Roster, code: str, template: int, position: int) -> int:
    match = (roster.team == TEAM_INDEX[code]) & (roster.template == template)
    match &= roster.position == position
    return int(np.flatnonzero(match)[0])


def cast(roster: Roster, rng: np.random.Generator) -> QualityCast:
    """The planted agents: positions chosen clear of the other planted agents (trained and
    placebo agents sit at even positions of template 0, the special agents at template 1
    position 1)."""
    greeting = np.array([_agent(roster, code, 0, 1) for code in fx.GREETING_SKIPPER_TEAMS])
    closing = np.array([_agent(roster, code, len(TEAMS[TEAM_INDEX[code]].templates) - 1, 1)
                        for code in fx.CLOSING_SKIPPER_TEAMS])  # fmt: skip
    empathy = _agent(roster, fx.EMPATHY_TEAM, 1, 2)
    zone = ZoneInfo(TEAMS[TEAM_INDEX[fx.EMPATHY_TEAM]].timezone)
    at = epoch(datetime.combine(fx.EMPATHY_DATE, time(11, 0), zone)) + 60 * int(
        rng.integers(0, 240)
    )
    return QualityCast(greeting, closing, empathy, at)


def world_cast(w: World) -> QualityCast:
    """The planted agents of world ``w`` (the same on every call)."""
    return cast(w.roster, stream(w.seed, STREAM + 1))


def _seed_conversations(
    rng: np.random.Generator, conv: np.ndarray, role: np.ndarray, cls: np.ndarray, n: int
) -> np.ndarray:
    """Message index of the chosen agent replies (one per chosen conversation)."""
    replies = np.flatnonzero((role == AGENT) & (cls == CODE["agent.reply"]))
    first_reply = replies[np.unique(conv[replies], return_index=True)[1]]
    return np.sort(rng.choice(first_reply, size=min(n, len(first_reply)), replace=False))


def plant(
    rng: np.random.Generator,
    who: QualityCast,
    m: dict[str, np.ndarray],
    cls: np.ndarray,
    scale: float,
) -> tuple[np.ndarray, np.ndarray]:
    """The message classes with the quality effects applied, and the index of the
    messages asking for a seed phrase. ``m`` holds the message columns (role, agent, t,
    conv, in_ticket) of sample_data.conversations."""
    cls = cls.copy()
    agent, t, role = m["agent"], m["t"], m["role"]
    is_agent = role == AGENT
    first = is_agent & (cls == CODE["agent.first"])
    cls[first & np.isin(agent, who.greeting_skippers)] = CODE["agent.quality.first_bare"]
    final = is_agent & (cls == CODE["agent.final"])
    cls[final & np.isin(agent, who.closing_skippers)] = CODE["agent.quality.final_bare"]
    mine = is_agent & (agent == who.empathy_agent)
    before, after = mine & (t < who.empathy_at), mine & (t >= who.empathy_at)
    cls[before & (cls == CODE["agent.first"])] = CODE["agent.quality.first_cold"]
    cold = (cls == CODE["agent.reply"]) | (cls == CODE["agent.reopen"])
    cls[before & cold] = CODE["agent.quality.reply_cold"]
    cls[after & (cls == CODE["agent.first"])] = CODE["agent.quality.first_warm"]
    n = max(3, round(fx.SEED_ASKS_PER_SCALE * scale))
    conv = np.where(m["in_ticket"], m["conv"], -1)
    asks = _seed_conversations(rng, conv, role, np.where(m["in_ticket"], cls, -1), n)
    cls[asks] = CODE["agent.quality.seed_ask"]
    return cls, asks


# How a careful reviewer reads each agent template on the rubric of docs/qa.md (G greets in
# the first reply, E thanks / apologises / sympathises, C checks the problem is solved or
# invites the customer back), judged by hand per text (index = position in the TOML list;
# the five languages' texts are translations of each other, the exceptions below).
ANSWERS: dict[str, dict[str, list[str]] | list[str]] = {
    "agent.first": {
        "transfer_stuck": ["GE", "G"],
        "gas_fees": ["G", "G"],  # "unfortunately it can't be refunded" is not an apology
        "swap_failed": ["G", "G"],
        "token_missing": ["G", "G"],  # "your tokens are safe" reassures, no empathy
        "security": ["E", "E"],  # no salutation: "I'm very sorry ...", "Thank you ..."
        "seed_phrase_lost": ["GE"],
        "staking": ["G", "G"],
        "app_crash": ["GE", "G"],
        "account": ["G", "G"],
    },
    "agent.reply": ["E", "", "C", "E", ""],  # 2: "try restarting and let me know"
    "agent.final": ["C", "C", ""],  # 2: "Happy to help. Have a great day!" - a bare farewell
    "agent.reopen": ["E", "E"],
    "agent.quality.first_bare": ["E", "", ""],
    "agent.quality.first_cold": ["G", "G", "G"],
    "agent.quality.first_warm": ["GE", "GE", "GE"],
    "agent.quality.reply_cold": ["", "", ""],
    "agent.quality.final_bare": ["", "", ""],
    "agent.quality.seed_ask": ["", ""],
}
EXCEPTIONS = {
    ("zh", "agent.first", "transfer_stuck", 0): "G",  # 您好，已帮您查询 ... - no thanks
    ("ru", "agent.first", "seed_phrase_lost", 0): "G",  # "к сожалению" - unfortunately
    ("zh", "agent.reply", "", 2): "",  # 重启一下 APP 再看看 - asks nobody to report back
}
GREETS, EMPATHISES, CLOSES = 1, 2, 4
_BITS = {"G": GREETS, "E": EMPATHISES, "C": CLOSES}


def review_answers(content: Content) -> np.ndarray:
    """A bit mask (GREETS | EMPATHISES | CLOSES) per template of ``content.texts``; 0 for
    every template that is not an agent's."""
    answer: dict[str, int] = {}
    for lang in LANGUAGES:
        for cls, table in ANSWERS.items():
            section: object = content.data[lang]
            for part in cls.split("."):
                section = section[part]  # type: ignore[index]
            lists = table if isinstance(table, dict) else {"": table}
            for category, flags in lists.items():
                texts = section[category] if category else section  # type: ignore[index]
                if len(texts) != len(flags):
                    raise ValueError(f"ANSWERS[{cls}][{category}]: {len(flags)} for {len(texts)}")
                for i, (text, code) in enumerate(zip(texts, flags, strict=True)):
                    code = EXCEPTIONS.get((lang, cls, category, i), code)
                    answer[text] = sum(_BITS[c] for c in code)
    return np.array([answer.get(str(t), 0) for t in content.texts], dtype=np.int64)
