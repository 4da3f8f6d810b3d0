"""The derived facts of negative feedback, against hand-computed rows and the window query
the follow-up metric used before them."""

from __future__ import annotations

import random

from builders import msg, ticket

from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.voice.followup import negative_followup, negative_unfollowed
from metrics.voice.followup_facts import customer_counts_table, negative_texts_table

SETTINGS = load_settings()  # negative: sentiment <= -0.05
DAY = "2026-01-05"


def said(conversation: str, at: str, score: float | None, day: str = DAY) -> dict:
    method = "vader" if score is not None else None
    return msg(
        conversation, "customer", f"{day} {at}", body=f"{conversation} {at}", sentiment=score,
        sentiment_method=method, language="en",
    )  # fmt: skip


def sent(conversation: str, sender: str, at: str, day: str = DAY) -> dict:
    return msg(conversation, sender, f"{day} {at}", body="reply")


def test_negative_texts_hold_each_negative_message_with_its_next_agent_message_and_comments(
    make_wh,
):
    wh = make_wh(
        {
            "tickets": [
                ticket("T1", f"{DAY} 09:00", language="en", agent_id="A1"),
                ticket("T2", f"{DAY} 09:00", language="de", agent_id="A2"),
            ],
            "messages": [
                sent("T1", "agent", "08:59"),  # before the message: no follow-up of it
                said("T1", "09:00", -0.5),
                sent("T1", "bot", "09:01"),  # a bot is no follow-up
                sent("T1", "agent", "09:30"),
                sent("T1", "agent", "09:40"),
                said("T1", "10:00", -0.2),
                sent("T1", "agent", "10:00"),  # the same instant counts
                said("T1", "11:00", 0.3),  # positive: not in the fact
                said("T1", "11:05", None),  # unscored: not in the fact
                said("T2", "09:00", -0.9),  # the agent answers in T1, not here
                said("X9", "09:00", -0.9),  # a conversation without a ticket: a contact too
            ],
            "surveys": [
                {"source": "t", "ticket_id": "T1", "score": 4, "comment": "fine"},
                {"source": "t", "ticket_id": "T2", "score": 1, "comment": "Sehr schlecht"},
            ],
        }
    )
    table = negative_texts_table(wh, SETTINGS)
    rows = wh.query(
        f"SELECT contact_id, kind, language, agent_id, strftime(written_at, '%H:%M') AS at,"  # noqa: S608
        f" strftime(followed_at, '%H:%M') AS followed, text FROM {table}"
        " ORDER BY contact_id, kind DESC, written_at"
    ).to_dicts()
    # T1 09:00 -> first agent message at or after it: 09:30; 10:00 -> 10:00 (same instant);
    # T2 09:00 -> none in T2; T2's 1-star comment, written when the contact was created
    assert rows == [
        {"contact_id": "T1", "kind": "message", "language": "en", "agent_id": "A1",
         "at": "09:00", "followed": "09:30", "text": "T1 09:00"},
        {"contact_id": "T1", "kind": "message", "language": "en", "agent_id": "A1",
         "at": "10:00", "followed": "10:00", "text": "T1 10:00"},
        {"contact_id": "T2", "kind": "message", "language": "de", "agent_id": "A2",
         "at": "09:00", "followed": None, "text": "T2 09:00"},
        {"contact_id": "T2", "kind": "comment", "language": "de", "agent_id": "A2",
         "at": "09:00", "followed": None, "text": "Sehr schlecht"},
        {"contact_id": "X9", "kind": "message", "language": "en", "agent_id": None,
         "at": "09:00", "followed": None, "text": "X9 09:00"},
    ]  # fmt: skip
    counts = customer_counts_table(wh, SETTINGS)
    # T1: 4 customer messages, 3 scored (vader) + 1 unscored; T2 and X9: 1 scored each
    assert wh.query(
        f"SELECT contact_id, sentiment_method, customer_messages, scored_messages FROM {counts}"  # noqa: S608
        " ORDER BY contact_id, sentiment_method NULLS FIRST"
    ).rows() == [
        ("T1", None, 1, 0),
        ("T1", "vader", 3, 3),
        ("T2", "vader", 1, 1),
        ("X9", "vader", 1, 1),
    ]


# What negative_followup computed before the facts: a window over every message of the
# filtered contacts, the first agent message after each customer message in its conversation.
WINDOW = """
    SELECT m.source, m.message_id,
        min(CASE WHEN m.sender_type = 'agent' THEN m.sent_at END) OVER (
            PARTITION BY m.source, m.conversation_id
            ORDER BY m.sent_at, m.sender_type = 'agent', m.message_id
            ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING
        ) AS followed_at,
        m.sender_type, m.sentiment
    FROM messages AS m WHERE m.sender_type IN ('customer', 'agent')
"""


def random_conversations(seed: int, conversations: int = 150) -> dict[str, list[dict]]:
    """Conversations of customer, agent, bot and system messages on a 5-minute grid (many
    equal times), some messages without a time, scores from -1 to 1 or none."""
    rng = random.Random(seed)
    tickets, messages = [], []
    for i in range(conversations):
        cid = f"R{i}"
        tickets.append(ticket(cid, f"{DAY} 08:00", agent_id=f"A{i % 3}", language="en"))
        for _ in range(rng.randint(1, 8)):
            at = f"{9 + rng.randint(0, 2):02d}:{5 * rng.randint(0, 3):02d}"
            sender = rng.choice(["customer", "customer", "agent", "agent", "bot", "system"])
            if sender == "customer":
                row = said(cid, at, rng.choice([None, -0.8, -0.05, 0.0, 0.6]))
            else:
                row = sent(cid, sender, at)
            messages.append({**row, "sent_at": None} if rng.random() < 0.05 else row)
    return {"tickets": tickets, "messages": messages}


def test_followed_at_is_what_the_window_over_all_messages_gives(make_wh):
    for seed in range(3):
        wh = make_wh(random_conversations(seed))
        window = wh.query(
            f"SELECT source, message_id, followed_at FROM ({WINDOW})"  # noqa: S608
            " WHERE sender_type = 'customer' AND sentiment <= -0.05 AND followed_at IS NOT NULL"
            " ORDER BY source, message_id"
        )
        table = negative_texts_table(wh, SETTINGS)
        fact = wh.query(
            f"SELECT source, message_id, followed_at FROM {table}"  # noqa: S608
            " WHERE kind = 'message' AND followed_at IS NOT NULL ORDER BY source, message_id"
        )
        assert window.height > 20 and fact.equals(window), seed
        overall = negative_followup(wh, SETTINGS, Filters()).row(0, named=True)
        listed = negative_unfollowed(wh, SETTINGS, Filters(), limit=1000)
        assert overall["n"] - overall["followed"] == overall["unfollowed"] == listed.height
