"""One contact's conversation: its messages in order, and its row of the contact fact.

Message bodies are returned as stored: the ETL redacts seed phrases, keys, e-mail
addresses and phone numbers and shortens wallet addresses before anything is written,
so nothing here can show a secret a customer pasted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from metrics.core.contacts import EXPORT_COLUMNS, Warehouse, contacts_table
from metrics.core.settings import Settings


@dataclass(frozen=True)
class ContactKey:
    """A contact's identity: the system it came from and its id there (ticket or conversation)."""

    source: str
    contact_id: str

    def __str__(self) -> str:
        return f"{self.source}:{self.contact_id}"

    @classmethod
    def parse(cls, text: str) -> ContactKey:
        """``SOURCE:ID`` (the id may itself contain colons); ValueError when malformed."""
        source, sep, contact_id = text.strip().partition(":")
        if not sep or not source or not contact_id:
            raise ValueError(f"not a contact reference: {text!r} (expected SOURCE:ID)")
        return cls(source, contact_id)


def transcript(wh: Warehouse, key: ContactKey) -> pl.DataFrame:
    """The messages of contact ``key`` in the order they were sent.

    Columns: sent_at (UTC), sender_type (customer/agent/bot/system), sender_id, body
    (redacted at load), language, sentiment (null when not scored). Empty for a ticket
    whose export had no messages.
    """
    return wh.query(
        "SELECT sent_at, sender_type, sender_id, body, language, sentiment FROM messages"
        " WHERE source = $source AND conversation_id = $contact ORDER BY sent_at, message_id",
        {"source": key.source, "contact": key.contact_id},
    )


def contact_record(wh: Warehouse, settings: Settings, key: ContactKey) -> dict[str, Any] | None:
    """The contact's row of the contact fact (the export's columns plus subject and the
    survey comment), or None when no such contact exists. Merged duplicates are included:
    a link to one should still open it."""
    table = contacts_table(wh, settings)
    columns = ", ".join(f"c.{col}" for col in (*EXPORT_COLUMNS, "csat_comment", "is_merged"))
    frame = wh.query(
        f"SELECT {columns}, t.subject FROM {table} AS c"  # noqa: S608
        " LEFT JOIN tickets AS t ON c.contact_type = 'ticket'"
        " AND t.source = c.source AND t.ticket_id = c.contact_id"
        " WHERE c.source = $source AND c.contact_id = $contact",
        {"source": key.source, "contact": key.contact_id},
    )
    return frame.row(0, named=True) if frame.height else None
