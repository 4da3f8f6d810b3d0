"""Builders of tiny hand-written warehouses: a dict of table -> rows, in a real DuckDB file."""

from __future__ import annotations

import itertools
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

from warehouse.reader import ReadOnlyWarehouse
from warehouse.writer import open_for_write

UTC = ZoneInfo("UTC")


def ts(text: str, zone: str = "UTC") -> datetime:
    """'2026-01-05 09:00' as an aware datetime (UTC unless told)."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def ticket(ticket_id: str, created: str, **extra: Any) -> dict[str, Any]:
    return {"source": "t", "ticket_id": ticket_id, "created_at": ts(created), **extra}


_MESSAGE_NUMBERS = itertools.count(1)  # message ids unique across every builder call


def msg(conversation: str, sender: str, sent: str, **extra: Any) -> dict[str, Any]:
    return {
        "source": "t",
        "message_id": f"{conversation}-{next(_MESSAGE_NUMBERS)}",
        "conversation_id": conversation,
        "sent_at": ts(sent),
        "sender_type": sender,
        **extra,
    }


def build_warehouse(path: Path, tables: dict[str, list[dict[str, Any]]]) -> ReadOnlyWarehouse:
    """Write ``tables`` into a new warehouse at ``path`` and open it read-only."""
    with open_for_write(path) as con:
        for table, rows in tables.items():
            if not rows:
                continue
            frame = pl.DataFrame(rows, infer_schema_length=None)  # noqa: F841 - read by DuckDB
            con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM frame')
    return ReadOnlyWarehouse(path)
