"""The simulated world as canonical tables (DESIGN section 3): agents, trainings, shifts, tickets, events.

These frames hold what the warehouse should contain after loading the exports;
sample_data.exports turns them into each system's own file format.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from sample_data import config, quality
from sample_data import effects as fx
from sample_data.clock import END, START
from sample_data.contacts import CHAT, MERGED
from sample_data.content import CODE
from sample_data.status import (
    ACTOR_AGENT,
    ACTOR_CUSTOMER,
    ASSIGNEE,
    FIELDS,
    GROUP,
    STATUS,
    STATUSES,
)
from sample_data.texts import Pools, fill
from sample_data.world import World, stream

TICKET_ID_BASE = 210_000
CUSTOMER_ID_BASE = 1_500_000_000
SECURITY_TAGS = ("stolen_funds", "phishing", "hacked")
GROUPS = tuple(team.code for team in config.TEAMS) + ("security",)


def stamp(seconds: np.ndarray | pl.Series) -> pl.Series:
    """UTC timestamps from epoch seconds; negative values (never happened) become null."""
    s = seconds if isinstance(seconds, pl.Series) else pl.Series(seconds)
    s = s.cast(pl.Int64)
    return pl.from_epoch(s.set(s < 0, None), time_unit="s").dt.replace_time_zone("UTC")


def ids(base: int, index: np.ndarray) -> pl.Series:
    """Numeric text ids, as helpdesks issue them."""
    return pl.Series(np.asarray(index, dtype=np.int64) + base).cast(pl.String)


def lookup(codes: np.ndarray, names: tuple[str, ...] | list[str]) -> pl.Series:
    """Names of integer codes."""
    return pl.Series(list(names), dtype=pl.String).gather(np.asarray(codes))


def agent_ids(w: World, agent: np.ndarray) -> pl.Series:
    """Agent ids of agent numbers; -1 (nobody) becomes null."""
    out = pl.Series(w.roster.ids).gather(np.maximum(agent, 0))
    return out.set(pl.Series(agent < 0), None)


def agents(w: World) -> pl.DataFrame:
    teams = [config.TEAMS[t] for t in w.roster.team]
    return pl.DataFrame(
        {
            "agent_id": w.roster.ids,
            "name": [full for full, _ in w.roster.names],
            "team": [t.code for t in teams],
            "group": [t.group for t in teams],
            "languages": [list(t.languages) for t in teams],
            "hired_at": stamp(w.roster.hired_at),
            "timezone": [t.timezone for t in teams],
        }
    )


def trainings(w: World) -> pl.DataFrame:
    parts = []
    for course, at in (
        (fx.TRAINING_COURSE, w.roster.trained_at),
        (fx.PLACEBO_COURSE, w.roster.placebo_at),
    ):
        took = np.flatnonzero(at >= 0)
        parts.append(
            pl.DataFrame(
                {
                    "agent_id": w.roster.ids[took],
                    "course": [course] * len(took),
                    "completed_at": stamp(at[took]),
                }
            )
        )
    who = quality.world_cast(w)
    parts.append(
        pl.DataFrame(
            {
                "agent_id": [w.roster.ids[who.empathy_agent]],
                "course": [fx.EMPATHY_COURSE],
                "completed_at": stamp(np.array([who.empathy_at])),
            }
        )
    )
    return pl.concat(parts).sort("completed_at", "agent_id")


def shifts(w: World) -> pl.DataFrame:
    s = w.shifts
    keep = np.flatnonzero((s.start < END) & (s.end > START))
    frame = pl.DataFrame(
        {
            "agent_id": w.roster.ids[s.agent[keep]],
            "starts_at": stamp(s.start[keep]),
            "ends_at": stamp(s.end[keep]),
        }
    )
    return frame.sort("starts_at", "agent_id")


def _tags(
    rng: np.random.Generator, category: pl.Series, chat: np.ndarray, merged: np.ndarray
) -> pl.Series:
    """Helpdesk tags: the category, a security sub-tag, bot hand-over, merge."""
    n = len(category)
    security = pl.Series(rng.choice(SECURITY_TAGS, n)).set(category != "security", None)
    handover = pl.Series(["answer_bot_handover"] * n).set(pl.Series(~chat), None)
    by_merge = pl.Series(["closed_by_merge"] * n).set(pl.Series(~merged), None)
    frame = pl.DataFrame({"a": category, "b": security, "c": handover, "d": by_merge})
    return frame.select(pl.concat_list("a", "b", "c", "d").list.drop_nulls().alias("tags"))["tags"]


def tickets(w: World, pools: Pools) -> pl.DataFrame:
    t, s = w.tickets, w.summary
    n = len(t["created"])
    rng = stream(w.seed, 20)
    ticket_id = ids(TICKET_ID_BASE, np.arange(n))
    subject = fill(
        rng,
        w.content,
        pools,
        np.full(n, CODE["subject"]),
        t["lang"],
        t["category"],
        t["customer"],
        {},
    )
    category = lookup(t["category"], config.CATEGORIES)
    chat, merged = t["channel"] == CHAT, t["origin"] == MERGED
    return pl.DataFrame(
        {
            "ticket_id": ticket_id,
            "created_at": stamp(t["created"]),
            "status": lookup(s["status"].to_numpy(), STATUSES),
            "priority": lookup(t["priority"], config.PRIORITIES),
            "channel": lookup(t["channel"], config.CHANNELS),
            "language": lookup(t["lang"], config.LANGUAGES),
            "category": category,
            "customer_id": ids(CUSTOMER_ID_BASE, t["customer"]),
            "agent_id": agent_ids(w, w.agent),
            "team": lookup(t["lang"], GROUPS[:-1]),
            "first_response_at": stamp(s["first_response_at"].fill_null(-1)),
            "solved_at": stamp(s["solved_at"].fill_null(-1)),
            "closed_at": stamp(s["closed_at"].fill_null(-1)),
            "reopens": s["reopens"].cast(pl.Int64),
            "agent_replies": s["agent_replies"].cast(pl.Int64),
            "subject": subject,
            "tags": _tags(rng, category, chat, merged),
            "updated_at": stamp(s["updated_at"].fill_null(-1)),
            "escalated_at": stamp(s["escalated_at"].fill_null(-1)),
            "merged_into": ticket_id.gather(np.maximum(t["parent"], 0)).set(
                pl.Series(~merged), None
            ),
            "via_bot": pl.Series(chat),
        }
    )


def ticket_events(w: World) -> pl.DataFrame:
    e = w.events
    field, value, actor = e["field"], e["value"], e["actor"]
    status = lookup(np.where(field == STATUS, value, 0), STATUSES)
    group = lookup(np.where(field == GROUP, value, 0), GROUPS)
    assignee = agent_ids(w, np.where(field == ASSIGNEE, value, 0))
    customer = ids(CUSTOMER_ID_BASE, w.tickets["customer"][e["conv"]])
    agent = agent_ids(w, w.agent[e["conv"]])
    frame = pl.DataFrame(
        {
            "ticket_id": ids(TICKET_ID_BASE, e["conv"]),
            "changed_at": stamp(e["t"]),
            "field": lookup(field, FIELDS),
            "value": pl.select(
                pl.when(pl.Series(field == STATUS))
                .then(status)
                .when(pl.Series(field == ASSIGNEE))
                .then(assignee)
                .otherwise(group)
            ).to_series(),
            "actor_id": pl.select(
                pl.when(pl.Series(actor == ACTOR_CUSTOMER))
                .then(customer)
                .when(pl.Series(actor == ACTOR_AGENT))
                .then(agent)
            ).to_series(),
        }
    )
    return frame.sort("changed_at", "ticket_id", "field")
