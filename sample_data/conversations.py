"""Canonical messages, surveys and product activity of the simulated world, texts filled in."""

from __future__ import annotations

import numpy as np
import polars as pl

from sample_data.clock import START
from sample_data.contacts import CHAT
from sample_data.leaks import plant
from sample_data.tables import CUSTOMER_ID_BASE, TICKET_ID_BASE, agent_ids, ids, lookup, stamp
from sample_data.texts import HEX, Pools, fill, random_strings
from sample_data.threads import AGENT, BOT, CUSTOMER
from sample_data.world import World, stream

MESSAGE_ID_BASE = 20_000_000_000_000
BOT_ID = "answer_bot"
ROLES = ("customer", "agent", "bot", "system")


def _given_names(w: World, agent: np.ndarray) -> pl.Series:
    """First names agents sign with ("" where no agent)."""
    names = pl.Series([given for _, given in w.roster.names] + [""])
    return names.gather(np.where(agent >= 0, agent, len(w.roster)))


def _message_columns(w: World) -> dict[str, np.ndarray]:
    """Ticket and bot-chat messages stacked, with the attributes their texts depend on."""
    tm, bm = w.messages, w.bot_messages
    t, b = w.tickets, w.bots
    tc, bc = tm["conv"], bm["conv"]

    def both(ticket_values: np.ndarray, bot_values: np.ndarray) -> np.ndarray:
        return np.concatenate([ticket_values, bot_values])

    return {
        "in_ticket": both(np.ones(len(tc), dtype=bool), np.zeros(len(bc), dtype=bool)),
        "t": both(tm["t"], bm["t"]),
        "role": both(tm["role"], bm["role"]),
        "cls": both(tm["cls"], bm["cls"]),
        "lang": both(t["lang"][tc], b["lang"][bc]),
        "cat": both(t["category"][tc], b["category"][bc]),
        "customer": both(t["customer"][tc], b["customer"][bc]),
        "channel": both(t["channel"][tc], np.full(len(bc), CHAT)),
        "agent": both(w.agent[tc], np.full(len(bc), -1)),
        "conv": both(tc, bc),
    }


def messages(w: World, pools: Pools) -> pl.DataFrame:
    """Every message, secrets pasted in, ordered by time; ``channel`` says which export carries it."""
    m = _message_columns(w)
    rng = stream(w.seed, 22)
    cls, secret = plant(rng, m["role"], m["cls"], m["cat"], m["in_ticket"], w.scale)
    extra = {"agent": _given_names(w, m["agent"]), "secret": secret}
    body = fill(rng, w.content, pools, cls, m["lang"], m["cat"], m["customer"], extra)
    bot_ids = random_strings(stream(w.seed, 21), len(w.bots["created"]), HEX, 24)
    in_ticket = pl.Series(m["in_ticket"])
    ticket_conv = ids(TICKET_ID_BASE, np.where(m["in_ticket"], m["conv"], 0))
    bot_conv = bot_ids.gather(np.where(m["in_ticket"], 0, m["conv"]))
    role = m["role"]
    frame = pl.DataFrame(
        {
            "conversation_id": pl.select(
                pl.when(in_ticket).then(ticket_conv).otherwise(bot_conv)
            ).to_series(),
            "sent_at": stamp(m["t"]),
            "sender_type": lookup(role, ROLES),
            "sender_id": pl.select(
                pl.when(pl.Series(role == CUSTOMER))
                .then(ids(CUSTOMER_ID_BASE, m["customer"]))
                .when(pl.Series(role == AGENT))
                .then(agent_ids(w, m["agent"]))
                .when(pl.Series(role == BOT))
                .then(pl.lit(BOT_ID))
            ).to_series(),
            "body": body,
            "language": lookup(m["lang"], ["zh", "en", "es", "ru", "fr"]),
            "channel": lookup(m["channel"], ["email", "chat", "web", "social", "wechat", "qq"]),
            "order": np.arange(len(role)),
        }
    )
    frame = frame.sort("sent_at", "order").drop("order")
    return frame.with_columns(message_id=ids(MESSAGE_ID_BASE, np.arange(frame.height))).select(
        "message_id", pl.exclude("message_id")
    )


def surveys(w: World, pools: Pools) -> pl.DataFrame:
    """Survey responses with their free-text comments (null where the customer wrote none)."""
    s, t = w.surveys, w.tickets
    idx = s["ticket"]
    rng = stream(w.seed, 23)
    has = s["comment"] >= 0
    extra = {"agent": _given_names(w, w.agent[idx])}
    comment = fill(
        rng,
        w.content,
        pools,
        np.maximum(s["comment"], 0),
        t["lang"][idx],
        t["category"][idx],
        t["customer"][idx],
        extra,
    )
    frame = pl.DataFrame(
        {
            "ticket_id": ids(TICKET_ID_BASE, idx),
            "score": pl.Series(s["score"]).cast(pl.Int64),
            "responded_at": stamp(s["responded_at"]),
            "comment": comment.set(pl.Series(~has), None),
        }
    )
    return frame.sort("responded_at", "ticket_id")


def activity(w: World) -> pl.DataFrame:
    """One row per customer and day of product use."""
    first = np.datetime64(START, "s").astype("datetime64[D]")
    frame = pl.DataFrame(
        {
            "customer_id": ids(CUSTOMER_ID_BASE, w.active_customer),
            "active_on": pl.Series(first + w.active_day.astype("timedelta64[D]")),
        }
    )
    return frame.sort("active_on", "customer_id")
