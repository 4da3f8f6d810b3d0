"""What a write changed, for the upkeep of derived facts in the same write.

A write (a load's merge, a re-scoring, a redaction) notes the rows it is about to change or
has inserted in the temporary table ``fact_changes`` of its connection, as *units* the
facts are kept by: a contact (source + ticket or conversation id), a customer, an agent
(with the instant of the row: message time, shift start), each with the table it came from.
For a changed row both its old and its new values are noted (a message moved to another
conversation changes both). A table whose rows are too many to list is noted as wholly
changed. ``metrics.facts`` reads the notes and rebuilds only what they touch; a write that
took no notes at all gets every fact rebuilt in full.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

CHANGES = "fact_changes"
# Past this many changed rows of one table, it is noted as wholly changed (rebuilding what
# reads it costs less than scoping every fact by a million units).
MAX_LISTED = 250_000

# The unit columns of each table: its contact key (source, ticket or conversation id), its
# customer, its agent and the instant of the row.
CONTACT_KEYS: dict[str, tuple[str, str]] = {
    "tickets": ("source", "ticket_id"),
    "messages": ("source", "conversation_id"),
    "ticket_events": ("source", "ticket_id"),
    "surveys": ("source", "ticket_id"),
    # the quality scorer's rows, noted by etl.quality.store for the quality fact
    "qa_verdicts": ("source", "conversation_id"),
    "qa_scores": ("source", "conversation_id"),
}
CUSTOMER_KEYS: dict[str, str] = {"tickets": "customer_id", "customer_activity": "customer_id"}
# Only agent messages are noted with their agent (what agent-time facts are kept by).
AGENT_MESSAGE = "CASE WHEN r.sender_type = 'agent' THEN r.sender_id END"
AGENT_KEYS: dict[str, str] = {
    "messages": AGENT_MESSAGE, "agents": "r.agent_id", "shifts": "r.agent_id",
    "trainings": "r.agent_id",
}  # fmt: skip
TIMES: dict[str, str] = {
    "tickets": "created_at", "messages": "sent_at", "ticket_events": "changed_at",
    "surveys": "responded_at", "customer_activity": "active_on", "shifts": "starts_at",
    "trainings": "completed_at",
}  # fmt: skip
TABLES = ("tickets", "messages", "ticket_events", "surveys", "customer_activity", "agents",
          "shifts", "trainings", "qa_verdicts", "qa_scores")  # fmt: skip


def _unit_sql(table: str) -> list[str]:
    """SQL over row alias r of (source, contact_id, customer_id, agent_id, changed_at)."""
    keys = CONTACT_KEYS.get(table)
    source, contact = (f"r.{keys[0]}", f"r.{keys[1]}") if keys else ("NULL", "NULL")
    customer = f"r.{CUSTOMER_KEYS[table]}" if table in CUSTOMER_KEYS else "NULL"
    at = f"r.{TIMES[table]}" if table in TIMES else "NULL"
    return [source, contact, customer, AGENT_KEYS.get(table, "NULL"), at]


def _columns_read(table: str) -> set[str]:
    """The columns of ``table`` the unit expressions read."""
    names = set(CONTACT_KEYS.get(table, ())) | {CUSTOMER_KEYS.get(table), TIMES.get(table)}
    if table in AGENT_KEYS:
        names |= {"sender_type", "sender_id"} if table == "messages" else {"agent_id"}
    return {n for n in names if n}


def begin(con: duckdb.DuckDBPyConnection) -> None:
    """Start noting changes on ``con`` (idempotent)."""
    con.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {CHANGES} (tbl VARCHAR NOT NULL, whole BOOLEAN NOT NULL,"
        " source VARCHAR, contact_id VARCHAR, customer_id VARCHAR, agent_id VARCHAR,"
        " changed_at TIMESTAMPTZ)"
    )


def noting(con: duckdb.DuckDBPyConnection) -> bool:
    """True when ``con`` notes its changes (``begin`` was called)."""
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?", [CHANGES]
    ).fetchall()
    return bool(found and found[0][0])


def note_whole(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Note every row of ``table`` as changed."""
    begin(con)
    con.execute(f"INSERT INTO {CHANGES} (tbl, whole) VALUES (?, true)", [table])  # noqa: S608


def note_rows(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows_sql: str,
    provided: Sequence[str] | None = None,
    params: dict | None = None,
) -> None:
    """Note the units of the rows ``rows_sql`` selects (rows of ``table``, or rows shaped like
    them with the ``provided`` columns only: the others count as NULL)."""
    if table not in TABLES:
        return
    begin(con)
    missing = sorted(c for c in _columns_read(table) if provided is not None and c not in provided)
    filled = ", ".join(f"NULL AS {c}" for c in missing)
    source = f"(SELECT *, {filled} FROM ({rows_sql}))" if missing else f"({rows_sql})"  # noqa: S608
    units = ", ".join(_unit_sql(table))
    con.execute(
        f"INSERT INTO {CHANGES} SELECT DISTINCT $tbl, false, {units} FROM {source} AS r",  # noqa: S608
        {"tbl": table, **(params or {})},
    )
