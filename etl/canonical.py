"""The canonical tables as the loader sees them: columns, types, keys and allowed values.

This is the single description that validation, normalisation and upsert read;
the DDL in ``warehouse.schema`` must agree with it (a test checks that).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ColumnType = Literal["text", "timestamp", "date", "int", "float", "bool", "list"]

STATUSES = ("new", "open", "pending", "hold", "solved", "closed")
PRIORITIES = ("low", "normal", "high", "urgent")
CHANNELS = ("email", "chat", "web", "app", "social", "wechat", "qq", "phone", "bot")
SENDER_TYPES = ("customer", "agent", "bot", "system")
EVENT_FIELDS = ("status", "assignee", "priority", "group")


@dataclass(frozen=True)
class Column:
    """One canonical column: its name, type, whether a row needs it, and allowed values."""

    name: str
    type: ColumnType = "text"
    required: bool = False
    allowed: tuple[str, ...] = ()
    redact: bool = False
    score_range: tuple[int, int] | None = None
    value_range: tuple[float, float] | None = None


@dataclass(frozen=True)
class TableSpec:
    """A canonical table: its columns, its key, and whether ``source`` is part of the key."""

    kind: str
    table: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    has_source: bool
    updated_at: str | None = None
    derived: tuple[Column, ...] = field(default_factory=tuple)

    def column(self, name: str) -> Column:
        for col in self.columns + self.derived:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def storage_columns(self) -> tuple[str, ...]:
        """Columns written to the table, in order: source first when the table has one."""
        cols = self.names + tuple(c.name for c in self.derived)
        return (("source",) + cols) if self.has_source else cols


TABLES: dict[str, TableSpec] = {
    "tickets": TableSpec(
        kind="tickets",
        table="tickets",
        has_source=True,
        key=("source", "ticket_id"),
        updated_at="updated_at",
        columns=(
            Column("ticket_id", required=True),
            Column("created_at", "timestamp", required=True),
            Column("status", allowed=STATUSES),
            Column("priority", allowed=PRIORITIES),
            Column("channel", allowed=CHANNELS),
            Column("language"),
            Column("category"),
            Column("customer_id"),
            Column("agent_id"),
            Column("team"),
            Column("first_response_at", "timestamp"),
            Column("solved_at", "timestamp"),
            Column("closed_at", "timestamp"),
            Column("reopens", "int"),
            Column("agent_replies", "int"),
            Column("subject", redact=True),
            Column("tags", "list"),
            Column("updated_at", "timestamp"),
            Column("escalated_at", "timestamp"),
            Column("merged_into"),
            Column("via_bot", "bool"),
        ),
    ),
    "messages": TableSpec(
        kind="messages",
        table="messages",
        has_source=True,
        key=("source", "message_id"),
        columns=(
            Column("message_id", required=True),
            Column("conversation_id", required=True),
            Column("sent_at", "timestamp", required=True),
            Column("sender_type", required=True, allowed=SENDER_TYPES),
            Column("sender_id"),
            Column("body", redact=True),
            Column("language"),
        ),
        derived=(
            Column("sentiment", "float"),
            Column("agent_sentiment", "float"),
            Column("sentiment_method"),
        ),
    ),
    "agents": TableSpec(
        kind="agents",
        table="agents",
        has_source=False,
        key=("agent_id",),
        columns=(
            Column("agent_id", required=True),
            Column("name"),
            Column("team"),
            Column("languages", "list"),
            Column("hired_at", "timestamp"),
            Column("timezone"),
        ),
    ),
    "trainings": TableSpec(
        kind="trainings",
        table="trainings",
        has_source=False,
        key=("agent_id", "course", "completed_at"),
        columns=(
            Column("agent_id", required=True),
            Column("course", required=True),
            Column("completed_at", "timestamp", required=True),
        ),
    ),
    "surveys": TableSpec(
        kind="surveys",
        table="surveys",
        has_source=True,
        key=("source", "ticket_id"),
        updated_at="responded_at",
        columns=(
            Column("ticket_id", required=True),
            Column("score", "int", required=True, score_range=(1, 5)),
            Column("responded_at", "timestamp"),
            Column("comment", redact=True),
        ),
    ),
    "activity": TableSpec(
        kind="activity",
        table="customer_activity",
        has_source=False,
        key=("customer_id", "active_on"),
        columns=(
            Column("customer_id", required=True),
            Column("active_on", "date", required=True),
        ),
    ),
    "ticket_events": TableSpec(
        kind="ticket_events",
        table="ticket_events",
        has_source=True,
        key=("source", "ticket_id", "changed_at", "field"),
        columns=(
            Column("ticket_id", required=True),
            Column("changed_at", "timestamp", required=True),
            Column("field", required=True, allowed=EVENT_FIELDS),
            Column("value"),
            Column("actor_id"),
        ),
    ),
    "shifts": TableSpec(
        kind="shifts",
        table="shifts",
        has_source=False,
        key=("agent_id", "starts_at"),
        columns=(
            Column("agent_id", required=True),
            Column("starts_at", "timestamp", required=True),
            Column("ends_at", "timestamp", required=True),
        ),
    ),
    # Human reviews from a QA tool (issue 16): one row per conversation, reviewer and rubric
    # category. score is the rating as a share of its scale, 0..1 (empty = not applicable);
    # a newer review by the same reviewer of the same category replaces the older one.
    "qa_reviews": TableSpec(
        kind="qa_reviews",
        table="qa_reviews",
        has_source=True,
        key=("source", "conversation_id", "reviewer", "category"),
        updated_at="reviewed_at",
        columns=(
            Column("conversation_id", required=True),
            Column("reviewer", required=True),
            Column("category", required=True),
            Column("reviewed_at", "timestamp", required=True),
            Column("score", "float", value_range=(0.0, 1.0)),
            Column("comment", redact=True),
            Column("review_id"),
            Column("reviewee"),
        ),
    ),
}

KINDS: tuple[str, ...] = tuple(TABLES)
