"""Status history of every ticket, and the ticket fields read off it at the export time.

The ticket row is derived from its own events and messages after both are cut
at the export time, so the two exports can never disagree: first_response_at
is the first agent message, reopens the solved -> open transitions, status the
last status event, solved_at the last solve of a ticket that is still solved.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from sample_data import clock, config
from sample_data.contacts import MERGED, Table, concat
from sample_data.threads import AGENT, CUSTOMER, Threads

STATUS, ASSIGNEE, GROUP = 0, 1, 2
FIELDS = ("status", "assignee", "group")
STATUSES = ("new", "open", "pending", "solved", "closed")
NEW, OPEN, PENDING, SOLVED, CLOSED = range(5)
ACTOR_NONE, ACTOR_CUSTOMER, ACTOR_AGENT = 0, 1, 2
SECURITY_GROUP = len(config.TEAMS)  # group value after the team indexes


def _rows(
    conv: np.ndarray, t: np.ndarray, fld: int, value: np.ndarray | int, actor: int, rank: int = 1
) -> Table:
    n = len(conv)
    return {
        "conv": conv,
        "t": t.astype(np.int64),
        "field": np.full(n, fld),
        "value": np.broadcast_to(value, (n,)).astype(np.int64),
        "actor": np.full(n, actor),
        "rank": np.full(n, rank),
    }


def _from_messages(messages: Table) -> list[Table]:
    """Agent replies set pending; customer messages after the first reply set open."""
    frame = pl.DataFrame({"conv": messages["conv"], "t": messages["t"], "role": messages["role"]})
    frame = frame.with_columns(
        replied=(pl.col("role") == AGENT).cast(pl.Int32).cum_sum().over("conv")
    )
    agent = frame.filter(pl.col("role") == AGENT)
    customer = frame.filter((pl.col("role") == CUSTOMER) & (pl.col("replied") > 0))
    return [
        _rows(agent["conv"].to_numpy(), agent["t"].to_numpy(), STATUS, PENDING, ACTOR_AGENT),
        _rows(customer["conv"].to_numpy(), customer["t"].to_numpy(), STATUS, OPEN, ACTOR_CUSTOMER),
    ]


def ticket_events(
    rng: np.random.Generator,
    t: Table,
    first: np.ndarray,
    agent: np.ndarray,
    threads: Threads,
    escalated: np.ndarray,
) -> Table:
    """Every status, assignee and group change, cut at the export time."""
    n = len(first)
    every, c = np.arange(n), t["created"]
    answered = threads.answered
    assigned = c[answered] + np.ceil(0.65 * (first[answered] - c[answered]))
    merged = np.flatnonzero(t["origin"] == MERGED)
    esc = np.flatnonzero(escalated >= 0)
    parts = [
        _rows(every, c, STATUS, NEW, ACTOR_CUSTOMER),
        _rows(every, c, GROUP, t["lang"], ACTOR_NONE),
        _rows(answered, assigned, ASSIGNEE, agent[answered], ACTOR_NONE),
        _rows(answered, assigned, STATUS, OPEN, ACTOR_AGENT),
        *_from_messages(threads.messages),
        _rows(threads.solves["conv"], threads.solves["t"], STATUS, SOLVED, ACTOR_AGENT, rank=0),
        _rows(
            answered,
            threads.final_solve + config.AUTO_CLOSE_DAYS * clock.DAY,
            STATUS,
            CLOSED,
            ACTOR_NONE,
        ),
        _rows(merged, c[merged] + rng.integers(600, 7200, len(merged)), STATUS, CLOSED, ACTOR_NONE),
        _rows(esc, escalated[esc], GROUP, SECURITY_GROUP, ACTOR_AGENT),
    ]
    frame = pl.DataFrame(concat(*parts)).filter(pl.col("t") < clock.END)
    frame = frame.sort("conv", "t", "field", "rank").unique(
        ["conv", "t", "field"], keep="first", maintain_order=True
    )
    return {name: frame[name].to_numpy() for name in ("conv", "t", "field", "value", "actor")}


def summarise(n: int, messages: Table, events: Table) -> pl.DataFrame:
    """Per ticket (row = ticket index): the fields a helpdesk shows at the export time."""
    msgs = pl.DataFrame({"conv": messages["conv"], "t": messages["t"], "role": messages["role"]})
    replies = (
        msgs.filter(pl.col("role") == AGENT)
        .group_by("conv")
        .agg(first_response_at=pl.col("t").min(), agent_replies=pl.len())
    )
    ev = pl.DataFrame(events)
    status = ev.filter(pl.col("field") == STATUS).sort("conv", "t")
    per_ticket = status.group_by("conv").agg(
        status=pl.col("value").last(),
        last_solve=pl.col("t").filter(pl.col("value") == SOLVED).max(),
        closed_at=pl.col("t").filter(pl.col("value") == CLOSED).max(),
        reopens=((pl.col("value") == OPEN) & (pl.col("value").shift(1) == SOLVED)).sum(),
    )
    escalated = (
        ev.filter((pl.col("field") == GROUP) & (pl.col("value") == SECURITY_GROUP))
        .group_by("conv")
        .agg(escalated_at=pl.col("t").min())
    )
    touched = (
        pl.concat([msgs.select("conv", "t"), ev.select("conv", "t")])
        .group_by("conv")
        .agg(updated_at=pl.col("t").max())
    )
    out = pl.DataFrame({"conv": np.arange(n)})
    for part in (replies, per_ticket, escalated, touched):
        out = out.join(part, on="conv", how="left")
    done = pl.col("status").is_in([SOLVED, CLOSED])
    return (
        out.with_columns(
            solved_at=pl.when(done).then(pl.col("last_solve")),
            agent_replies=pl.col("agent_replies").fill_null(0),
            reopens=pl.col("reopens").fill_null(0),
        )
        .drop("last_solve")
        .sort("conv")
    )
