"""A small hand-written support warehouse for the metric pages' AppTests.

Two weeks of January 2026 (UTC): the "previous" week 1-7 and the "current" week 8-14.
Agents A1 (Ann Lee) and A2 (Bo Chen) in team en; A1 took "De-escalation" on the 8th.
Ticket T1 has a full conversation (customer, bot, agent) and a survey; chat C1 has no ticket.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from warehouse.writer import open_for_write

UTC = ZoneInfo("UTC")
SOURCE = "zd"
CURRENT = {"from": "2026-01-08", "to": "2026-01-14"}


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 1, day, hour, minute, tzinfo=UTC)


def _ticket(tid: str, created: datetime, reply_min: float | None, **extra: Any) -> dict[str, Any]:
    reply = created + timedelta(minutes=reply_min) if reply_min is not None else None
    return {
        "source": SOURCE, "ticket_id": tid, "created_at": created, "first_response_at": reply,
        "status": "solved" if reply else "open", "solved_at": reply + timedelta(hours=2) if reply else None,
        "agent_replies": 1 if reply else 0, "reopens": 0, **extra,
    }  # fmt: skip


TICKETS = [
    # previous week: 3 tickets, FRT 60, 90, 120 minutes
    _ticket("P1", at(2, 9), 60, channel="email", priority="normal", agent_id="A1", team="en",
            customer_id="K1", category="billing", language="en"),
    _ticket("P2", at(3, 9), 90, channel="email", priority="high", agent_id="A2", team="en",
            customer_id="K2", category="billing", language="en"),
    _ticket("P3", at(4, 9), 120, channel="web", priority="normal", agent_id="A1", team="en",
            customer_id="K3", category="account", language="en"),
    # current week: 4 tickets (T4 unanswered), FRT 10 (from messages), 30, 45 minutes
    _ticket("T1", at(8, 9), None, channel="chat", priority="urgent", agent_id="A1", team="en",
            customer_id="K4", category="security", language="en", subject="Funds stolen"),
    _ticket("T2", at(9, 10), 30, channel="email", priority="normal", agent_id="A2", team="en",
            customer_id="K5", category="billing", language="en"),
    _ticket("T3", at(10, 11), 45, channel="web", priority="high", agent_id="A1", team="en",
            customer_id="K6", category="account", language="es"),
    _ticket("T4", at(13, 12), None, channel="email", priority="low", agent_id="A2", team="en",
            customer_id="K7", category="billing", language="en"),
]  # fmt: skip
MESSAGES = [
    ("T1", "m1", at(8, 9, 0), "customer", "K4", "Someone took my funds, seed [REDACTED]", -0.6),
    ("T1", "m2", at(8, 9, 2), "bot", None, "Thanks, an agent will reply soon.", None),
    ("T1", "m3", at(8, 9, 10), "agent", "A1", "I am escalating this to security now.", None),
    ("C1", "m4", at(12, 8, 0), "customer", "K8", "hello?", None),
    ("C1", "m5", at(12, 8, 20), "agent", "A2", "Hi, how can I help?", None),
]
AGENTS = [("A1", "Ann Lee", "en"), ("A2", "Bo Chen", "en")]


def build_small_warehouse(db: Path) -> None:
    """Write the small warehouse to ``db``."""
    ticket_rows = pl.DataFrame(TICKETS, infer_schema_length=None)  # noqa: F841 - read by DuckDB
    message_rows = pl.DataFrame(  # noqa: F841
        [
            {"source": SOURCE, "conversation_id": c, "message_id": m, "sent_at": t,
             "sender_type": who, "sender_id": sid, "body": body, "sentiment": mood,
             "sentiment_method": "vader" if mood is not None else None}
            for c, m, t, who, sid, body, mood in MESSAGES
        ],
        infer_schema_length=None,
    )  # fmt: skip
    with open_for_write(db) as con:
        con.execute("INSERT INTO tickets BY NAME SELECT * FROM ticket_rows")
        con.execute("INSERT INTO messages BY NAME SELECT * FROM message_rows")
        con.executemany("INSERT INTO agents (agent_id, name, team) VALUES (?, ?, ?)", AGENTS)
        con.execute(
            "INSERT INTO trainings (agent_id, course, completed_at) VALUES"
            " ('A1', 'De-escalation', '2026-01-08 08:00:00+00')"
        )
        con.execute(
            "INSERT INTO surveys (source, ticket_id, score, comment) VALUES"
            f" ('{SOURCE}', 'T1', 2, 'too slow'), ('{SOURCE}', 'T2', 5, NULL),"
            f" ('{SOURCE}', 'P1', 4, NULL)"
        )


def serve_small_warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Build the small warehouse in ``tmp_path`` and point SUPPORT_DB at it (use with the
    ``clean_env`` fixture)."""
    db = tmp_path / "small.duckdb"
    build_small_warehouse(db)
    monkeypatch.setenv("SUPPORT_DB", str(db))
    return db
