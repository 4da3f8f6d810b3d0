"""Score conversations in the warehouse being written and store the verdicts and scores.

Runs inside a load's write connection (``etl.pipeline.load_files``, after the files are
merged) on the conversations that load touched, or on every conversation
(``python -m etl rescore --what qa``). Old verdicts of a rescored conversation are
replaced, so running it twice leaves the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import polars as pl

from metrics.core.rubric import Rubric
from metrics.quality.scoring import MESSAGE_COLUMNS, SCORER_VERSION, score_conversations
from warehouse import changes
from warehouse.schema import QUALITY_TABLES

KEY = ["source", "conversation_id"]
CHUNK = 100_000  # conversations scored at once: about 1 GB of frames at 10 messages each
_MESSAGES = "SELECT m.source, m.conversation_id, m.message_id, m.sent_at, m.sender_type, m.body, m.language FROM messages AS m"
_TICKETS = "SELECT t.source, t.ticket_id AS conversation_id, t.channel, t.status FROM tickets AS t"


@dataclass(frozen=True)
class QualityRun:
    """What one scoring pass did: conversations scored and the rubric and scorer versions."""

    conversations: int
    rubric_version: str
    scorer_version: str


def keys_of(frame: pl.DataFrame, kind: str, source: str) -> pl.DataFrame:
    """The conversations a prepared file touches: messages by conversation, tickets by id."""
    column = {"messages": "conversation_id", "tickets": "ticket_id"}.get(kind)
    if column is None or column not in frame.columns:
        return pl.DataFrame(schema={"source": pl.String, "conversation_id": pl.String})
    ids = frame.select(pl.col(column).cast(pl.String).alias("conversation_id")).unique()
    return ids.with_columns(pl.lit(source, pl.String).alias("source")).select(KEY)


def _conversations(con: duckdb.DuckDBPyConnection, keys: pl.DataFrame | None) -> pl.DataFrame:
    """The conversations to score: ``keys``, or every conversation with a message."""
    # The relation API (sql().pl()) refuses a connection holding an unfinished DB-API result
    # (open_for_write's migration check leaves one); a finished execute() replaces it.
    con.execute("SELECT 1").fetchall()
    # In key order, and each chunk's verdicts stored sorted by key: a lookup of a few
    # conversations (the Quality page's failures) then reads only the row groups holding them.
    if keys is not None:
        return keys.select(KEY).unique().sort(KEY)
    return con.sql(
        "SELECT DISTINCT source, conversation_id FROM messages ORDER BY source, conversation_id"
    ).pl()


def _read(con: duckdb.DuckDBPyConnection, keys: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Messages and tickets of ``keys`` (one source, sorted by conversation_id). The range
    condition lets DuckDB skip the row groups outside the chunk's ids (messages are stored
    about in time order, and ids grow with time); the join keeps exactly the keys."""
    bounds = {
        "source": keys["source"][0],
        "lo": keys["conversation_id"][0],
        "hi": keys["conversation_id"][-1],
    }
    con.register("qa_keys", keys.to_arrow())
    try:
        messages = con.sql(
            f"{_MESSAGES} JOIN qa_keys AS k USING (source, conversation_id)"  # noqa: S608
            " WHERE m.source = $source AND m.conversation_id BETWEEN $lo AND $hi",
            params=bounds,
        ).pl()
        if messages.is_empty():  # nothing to score: no ticket read (a tickets-only load)
            return messages, pl.DataFrame()
        tickets = con.sql(
            f"{_TICKETS} JOIN qa_keys AS k ON k.source = t.source AND k.conversation_id = t.ticket_id"  # noqa: S608
            " WHERE t.source = $source AND t.ticket_id BETWEEN $lo AND $hi",
            params=bounds,
        ).pl()
    finally:
        con.unregister("qa_keys")
    return messages, tickets


def _delete(con: duckdb.DuckDBPyConnection, table: str, keys: pl.DataFrame | None) -> None:
    """Delete ``table``'s rows of ``keys`` (every row when None)."""
    if keys is None:
        con.execute(f"DELETE FROM {table}")  # noqa: S608 (table from a fixed list)
        return
    con.register("qa_keys", keys.to_arrow())
    try:
        con.execute(
            f"DELETE FROM {table} AS q USING qa_keys AS k"  # noqa: S608
            " WHERE q.source = k.source AND q.conversation_id = k.conversation_id"
        )
    finally:
        con.unregister("qa_keys")


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: pl.DataFrame) -> None:
    if rows.height:
        con.register("qa_rows", rows.to_arrow())
        try:
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM qa_rows")  # noqa: S608
        finally:
            con.unregister("qa_rows")


def _note(con: duckdb.DuckDBPyConnection, keys: pl.DataFrame | None) -> None:
    """Note the conversations about to be scored again (every one when None) for the fact
    upkeep, when the write notes its changes (a write that does not gets every fact rebuilt)."""
    if not changes.noting(con):
        return
    if keys is None or keys.height > changes.MAX_LISTED:
        for table in QUALITY_TABLES:
            changes.note_whole(con, table)
        return
    con.register("qa_noted", keys.select(KEY).to_arrow())
    try:
        for table in QUALITY_TABLES:
            changes.note_rows(con, table, "SELECT * FROM qa_noted", KEY)
    finally:
        con.unregister("qa_noted")


def score_into(
    con: duckdb.DuckDBPyConnection,
    rubric: Rubric,
    keys: pl.DataFrame | None = None,
    now: datetime | None = None,
    chunk: int = CHUNK,
) -> QualityRun:
    """Score the conversations of ``keys`` (every one when None) and store them, in one
    transaction, ``chunk`` conversations at a time (memory stays bounded at a million). A
    conversation without a human agent message gets no rows."""
    todo = _conversations(con, keys)
    stamp = {
        "rubric_version": pl.lit(rubric.label),
        "scorer_version": pl.lit(SCORER_VERSION),
        "scored_at": pl.lit(now or datetime.now(UTC)).cast(pl.Datetime("us", "UTC")),
    }
    scored = 0
    con.execute("BEGIN TRANSACTION")
    try:
        _note(con, None if keys is None else todo)
        for table in ("qa_verdicts", "qa_scores"):
            _delete(con, table, None if keys is None else todo)
        for part in todo.partition_by("source", maintain_order=True):
            for start in range(0, part.height, chunk):
                messages, tickets = _read(con, part.slice(start, chunk))
                if messages.is_empty():
                    continue  # without a message a conversation gets no rows
                result = score_conversations(messages.select(MESSAGE_COLUMNS), rubric, tickets)
                verdicts = result.verdicts.sort(KEY, maintain_order=True)
                _insert(con, "qa_verdicts", verdicts.with_columns(**stamp))
                _insert(con, "qa_scores", result.scores.with_columns(**stamp))
                scored += result.scores.height
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return QualityRun(scored, rubric.label, SCORER_VERSION)
