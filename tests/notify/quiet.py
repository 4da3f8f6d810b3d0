"""A synthetic warehouse: ten weeks of steady, answered English tickets (2026-01-05 ..
2026-03-15), one agent on shift around the clock who speaks English, no security category.
Optionally one day with a planted volume peak, and negative customer messages: a steady few
every day and more on planted days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import polars as pl

from warehouse.writer import open_for_write

FIRST = date(2026, 1, 5)  # a Monday
DAYS = 70


def build(
    db: Path,
    per_day: int = 20,
    peaks: dict[date, int] | None = None,
    last_hour: int = 24,
    usual_negative: int = 0,
    negative: dict[date, int] | None = None,
) -> None:
    """``per_day`` tickets a day at hh:10 (hh = 0..per_day-1 mod 24), each answered after 30
    minutes by agent A1; on a day of ``peaks`` its count instead; on the last
    day only the tickets created before ``last_hour`` (the export was cut then). The customer
    message of the first ``usual_negative`` tickets of a day (on a day of ``negative``: its
    count) scores -0.6, the others 0.3."""
    tickets, messages = [], []
    for offset in range(DAYS):
        day = FIRST + timedelta(days=offset)
        count = (peaks or {}).get(day, per_day)
        negatives = (negative or {}).get(day, usual_negative)
        for i in range(count):
            if offset == DAYS - 1 and i % 24 >= last_hour:
                continue
            created = datetime(day.year, day.month, day.day, i % 24, 10 + i // 24, tzinfo=UTC)
            tid = f"{day:%m%d}-{i}"
            reply = created + timedelta(minutes=30)
            tickets.append({"source": "zd", "ticket_id": tid, "created_at": created,
                            "first_response_at": reply, "status": "solved",
                            "solved_at": reply + timedelta(hours=1), "channel": "email",
                            "language": "en", "team": "en", "agent_id": "A1", "priority": "normal",
                            "category": "billing", "customer_id": f"K{tid}", "agent_replies": 1,
                            "reopens": 0})  # fmt: skip
            messages.append({"source": "zd", "message_id": f"m{tid}", "conversation_id": tid,
                             "sent_at": created, "sender_type": "customer", "body": "hello",
                             "sentiment": -0.6 if i < negatives else 0.3, "sentiment_method": "vader", "language": "en"})  # fmt: skip
            messages.append({"source": "zd", "message_id": f"a{tid}", "conversation_id": tid,
                             "sent_at": reply, "sender_type": "agent", "sender_id": "A1",
                             "body": "hi", "language": "en"})  # fmt: skip
    ticket_rows = pl.DataFrame(tickets, infer_schema_length=None)  # noqa: F841 - read by DuckDB
    message_rows = pl.DataFrame(messages, infer_schema_length=None)  # noqa: F841
    start = datetime(FIRST.year, FIRST.month, FIRST.day, tzinfo=UTC) - timedelta(days=1)
    shifts = pl.DataFrame(  # noqa: F841 - one agent on shift all the time
        [{"agent_id": "A1", "starts_at": start, "ends_at": start + timedelta(days=DAYS + 2)}]
    )
    with open_for_write(db) as con:
        con.execute("INSERT INTO tickets BY NAME SELECT * FROM ticket_rows")
        con.execute("INSERT INTO messages BY NAME SELECT * FROM message_rows")
        con.execute(
            "INSERT INTO agents (agent_id, name, team, languages) VALUES ('A1', 'Ann', 'en', ['en'])"
        )
        con.execute("INSERT INTO shifts BY NAME SELECT * FROM shifts")
