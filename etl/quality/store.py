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

KEY = ["source", "conversation_id"]
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


def _read(
    con: duckdb.DuckDBPyConnection, keys: pl.DataFrame | None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    # The relation API (sql().pl()) refuses a connection holding an unfinished DB-API result
    # (open_for_write's migration check leaves one); a finished execute() replaces it.
    con.execute("SELECT 1").fetchall()
    if keys is None:
        return con.sql(_MESSAGES).pl(), con.sql(_TICKETS).pl()
    con.register("qa_keys", keys.unique().to_arrow())
    try:
        messages = con.sql(f"{_MESSAGES} JOIN qa_keys AS k USING (source, conversation_id)").pl()  # noqa: S608
        tickets = con.sql(
            f"{_TICKETS} JOIN qa_keys AS k ON k.source = t.source AND k.conversation_id = t.ticket_id"  # noqa: S608
        ).pl()
    finally:
        con.unregister("qa_keys")
    return messages, tickets


def _replace(
    con: duckdb.DuckDBPyConnection, table: str, rows: pl.DataFrame, keys: pl.DataFrame | None
) -> None:
    """Delete ``table``'s rows of ``keys`` (every row when None), insert ``rows``."""
    if keys is None:
        con.execute(f"DELETE FROM {table}")  # noqa: S608 (table from a fixed list)
    else:
        con.register("qa_keys", keys.unique().to_arrow())
        con.execute(
            f"DELETE FROM {table} AS q USING qa_keys AS k"  # noqa: S608
            " WHERE q.source = k.source AND q.conversation_id = k.conversation_id"
        )
        con.unregister("qa_keys")
    if rows.height:
        con.register("qa_rows", rows.to_arrow())
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM qa_rows")  # noqa: S608
        con.unregister("qa_rows")


def score_into(
    con: duckdb.DuckDBPyConnection,
    rubric: Rubric,
    keys: pl.DataFrame | None = None,
    now: datetime | None = None,
) -> QualityRun:
    """Score the conversations of ``keys`` (every one when None) and store them, in one
    transaction. A conversation without a human agent message gets no rows."""
    messages, tickets = _read(con, keys)
    scored = score_conversations(messages.select(MESSAGE_COLUMNS), rubric, tickets)
    stamp = {
        "rubric_version": pl.lit(rubric.label),
        "scorer_version": pl.lit(SCORER_VERSION),
        "scored_at": pl.lit(now or datetime.now(UTC)).cast(pl.Datetime("us", "UTC")),
    }
    verdicts = scored.verdicts.with_columns(**stamp)
    scores = scored.scores.with_columns(**stamp)
    con.execute("BEGIN TRANSACTION")
    try:
        _replace(con, "qa_verdicts", verdicts, keys)
        _replace(con, "qa_scores", scores, keys)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return QualityRun(scores.height, rubric.label, SCORER_VERSION)
