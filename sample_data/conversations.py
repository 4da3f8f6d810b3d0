"""Canonical messages, surveys and product activity of the simulated world, texts filled in."""

from __future__ import annotations

import numpy as np
import polars as pl

from sample_data import effects as fx
from sample_data import quality, surge
from sample_data.clock import START
from sample_data.contacts import CHAT
from sample_data.content import CODE
from sample_data.leaks import plant
from sample_data.tables import CUSTOMER_ID_BASE, TICKET_ID_BASE, agent_ids, ids, lookup, stamp
from sample_data.texts import HEX, Pools, fill, random_strings
from sample_data.threads import AGENT, BOT, CUSTOMER
from sample_data.world import World, stream

MESSAGE_ID_BASE = 20_000_000_000_000
BOT_ID = "answer_bot"
ROLES = ("customer", "agent", "bot", "system")
REVIEW_ID_BASE = 900_000


def _planted_classes(
    w: World,
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray, np.random.Generator]:
    """The message columns, the classes after every planted effect, the seed asks, and the
    random stream in the state messages() fills the texts from."""
    m = _message_columns(w)
    rng = stream(w.seed, 22)
    cls, _ = plant(rng, m["role"], m["cls"], m["cat"], m["in_ticket"], w.scale)
    cls, asks = quality.plant(
        stream(w.seed, quality.STREAM), quality.world_cast(w), m, cls, w.scale
    )
    return m, cls, asks, rng


def seed_ask_tickets(w: World) -> list[str]:
    """Ids of the tickets in which an agent asks for the seed phrase (the planted truth)."""
    m, _, asks, _ = _planted_classes(w)
    return sorted(str(TICKET_ID_BASE + int(c)) for c in m["conv"][asks])


def _truth(w: World) -> tuple[pl.DataFrame, np.ndarray]:
    """Per ticket with an agent reply, a careful reviewer's answer on each reviewed category
    (1 met, 0 failed, null not applicable; sample_data.quality.ANSWERS reads the texts each
    message was filled from), its first replying agent and last reply time; and the tickets
    with a seed ask."""
    m, cls, asks, rng = _planted_classes(w)
    chosen = w.content.choose(rng, cls, m["lang"], m["cat"])  # the draw fill() makes first
    flags = quality.review_answers(w.content)[chosen]
    agent = m["in_ticket"] & (m["role"] == AGENT)
    final = (cls == CODE["agent.final"]) | (cls == CODE["agent.quality.final_bare"])
    frame = pl.DataFrame({"conv": m["conv"][agent], "flags": flags[agent], "t": m["t"][agent],
                          "final": final[agent], "agent": m["agent"][agent]})  # fmt: skip

    def has(bit: int, among: pl.Expr) -> pl.Expr:
        return ((among & bit) > 0).any().cast(pl.Float64)

    truth = (
        frame.sort("t")
        .group_by("conv")
        .agg(
            greeting=has(quality.GREETS, pl.col("flags").first()),
            empathy=has(quality.EMPATHISES, pl.col("flags")),
            closing=pl.when(pl.col("final").last())
            .then(has(quality.CLOSES, pl.col("flags").tail(2))),
            security=(~pl.col("conv").is_in(m["conv"][asks].tolist())).all().cast(pl.Float64),
            agent=pl.col("agent").first(),
            last=pl.col("t").max(),
        )
        .sort("conv")
    )  # fmt: skip
    return truth, m["conv"][asks]


def qa_reviews(w: World, _pools: Pools | None = None) -> pl.DataFrame:
    """People's reviews of a sample of tickets (canonical qa_reviews rows, score 0..1), with
    the planted truth of sample_data/quality.py plus reviewer slips and one lenient reviewer
    (effects.py, QA_*)."""
    truth, asked = _truth(w)
    rng = stream(w.seed, quality.STREAM + 2)
    n = min(truth.height, round(fx.QA_REVIEWED_PER_SCALE * w.scale))
    chosen = set(rng.choice(truth.height, size=n, replace=False).tolist())
    chosen |= set(np.flatnonzero(truth["conv"].is_in(asked.tolist()).to_numpy()).tolist())
    picked = truth[sorted(chosen)]
    first = rng.integers(0, len(fx.QA_REVIEWERS), picked.height)
    second = (first + 1 + rng.integers(0, 2, picked.height)) % len(fx.QA_REVIEWERS)
    twice = rng.random(picked.height) < fx.QA_SECOND_REVIEW_SHARE
    rows = [picked.with_columns(who=first, nth=0), picked.filter(twice).with_columns(
        who=second[twice], nth=1)]  # fmt: skip
    reviews = pl.concat(rows).with_row_index("review")
    after = rng.uniform(1, 6, reviews.height) * 86_400
    reviews = reviews.with_columns(at=pl.col("last") + pl.Series(after.astype(np.int64)))
    long = (
        reviews.unpivot(
            ["greeting", "empathy", "closing", "security"],
            index=["review", "conv", "who", "agent", "at"],
            variable_name="category",
            value_name="score",
        )
        .drop_nulls("score")
        .sort("review", "category")
    )
    slip = (rng.random(long.height) < fx.QA_REVIEWER_SLIP) & (
        long["category"] != "security"
    ).to_numpy()
    reviewer = lookup(long["who"].to_numpy(), fx.QA_REVIEWERS)
    score = pl.when(pl.Series(slip)).then(1.0 - pl.col("score")).otherwise(pl.col("score"))
    lenient = (reviewer == fx.QA_LENIENT_REVIEWER) & (long["category"] == "closing")
    score = pl.when(pl.Series(lenient)).then(1.0).otherwise(score)
    return long.select(
        conversation_id=ids(TICKET_ID_BASE, long["conv"].to_numpy()),
        reviewer=reviewer,
        category=pl.col("category"),
        reviewed_at=stamp(long["at"]),
        score=score,
        comment=pl.when(score == 0).then(pl.lit("Not met: ") + pl.col("category")),
        review_id=(pl.col("review") + REVIEW_ID_BASE).cast(pl.String),
        reviewee=agent_ids(w, long["agent"].to_numpy()),
    )


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
    cls, _ = quality.plant(stream(w.seed, quality.STREAM), quality.world_cast(w), m, cls, w.scale)
    extra = {"agent": _given_names(w, m["agent"]), "secret": secret}
    body = fill(rng, w.content, pools, cls, m["lang"], m["cat"], m["customer"], extra)
    body = surge.complain(w, pools, m, cls, body)
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
