"""``python -m etl redact --db PATH``: apply the current redaction rules to every stored text.

A warehouse loaded under older rules may hold secrets those rules missed. The scrub runs
`redact_distinct` over every free-text column (`TEXT_COLUMNS`, each distinct text once) and
the split-message pass over the whole ``messages`` table, in a private copy that replaces
the live file only when everything succeeded (`warehouse.writer.open_for_write`). It records
the run in ``redaction_runs``. Redaction is idempotent, so a second scrub removes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from etl.redact.conversations import redact_split_phrases
from etl.redact.core import REDACTION_KINDS, redact_distinct
from etl.redact.version import REDACTION_VERSION
from warehouse.writer import open_for_write

# Every stored column a person wrote or an export carried as free text (a fixed list: the
# only identifiers this module puts into SQL). ticket_events.value holds statuses, priorities,
# groups and assignee ids (EVENT_FIELDS), which redaction would only damage.
TEXT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("tickets", "subject"),
    ("messages", "body"),
    ("surveys", "comment"),
    ("quarantine", "raw"),
    ("quarantine", "reason"),
    ("load_runs", "message"),
)
SPLIT = ("messages", "body (split over messages)")
Step = Callable[[str], None]


@dataclass
class ScrubReport:
    """What one scrub removed: per (table, column), the count per kind (non-zero only)."""

    version: int
    removed: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    texts_changed: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Everything removed, all columns and kinds together."""
        return sum(sum(kinds.values()) for kinds in self.removed.values())


def _scrub_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> tuple[int, dict]:
    """Redact one column in place; return (distinct texts changed, counts per kind)."""
    distinct = con.sql(
        f'SELECT "{column}" AS text, count(*) AS rows FROM {table}'  # noqa: S608 (fixed list)
        f' WHERE "{column}" IS NOT NULL GROUP BY 1'
    ).pl()
    old, new, counts = redact_distinct(distinct)
    if old:
        changes = pl.DataFrame(
            {"old": old, "new": new}, schema={"old": pl.String, "new": pl.String}
        )
        con.register("scrub_changes", changes.to_arrow())
        con.execute(
            f'UPDATE {table} SET "{column}" = c.new FROM scrub_changes c'  # noqa: S608
            f' WHERE {table}."{column}" = c.old'
        )
        con.unregister("scrub_changes")
    return len(old), {k: v for k, v in counts.items() if v}


def _scrub_split_messages(con: duckdb.DuckDBPyConnection) -> tuple[int, dict]:
    """The split-message pass over every stored message (across the files they came from)."""
    messages = con.sql(
        "SELECT source, message_id, conversation_id, sender_type, sender_id, sent_at, body"
        " FROM messages WHERE body IS NOT NULL"
    ).pl()
    cleaned, found = redact_split_phrases(messages)
    if not found:
        return 0, {}
    changed = cleaned.filter(pl.col("body") != messages["body"]).select(
        "source", "message_id", "body"
    )
    con.register("scrub_split", changed.to_arrow())
    con.execute(
        "UPDATE messages SET body = s.body FROM scrub_split s"
        " WHERE messages.source = s.source AND messages.message_id = s.message_id"
    )
    con.unregister("scrub_split")
    return changed.height, {"seed_phrase": found}


def scrub(db: Path, step: Step | None = None) -> ScrubReport:
    """Apply the current rules to every stored text of ``db`` (build-then-swap)."""
    announce = step or (lambda _label: None)
    report = ScrubReport(REDACTION_VERSION)
    with open_for_write(db) as con:
        con.execute("BEGIN TRANSACTION")
        for table, column in TEXT_COLUMNS:
            announce(f"{table}.{column}")
            changed, counts = _scrub_column(con, table, column)
            report.texts_changed[(table, column)] = changed
            if counts:
                report.removed[(table, column)] = counts
        announce("messages split over consecutive messages")
        changed, counts = _scrub_split_messages(con)
        report.texts_changed[SPLIT] = changed
        if counts:
            report.removed[SPLIT] = counts
        removed = {f"{t}.{c}": kinds for (t, c), kinds in report.removed.items()}
        con.execute(
            "INSERT INTO redaction_runs VALUES (?, ?, ?)",
            [datetime.now(UTC), REDACTION_VERSION, json.dumps(removed, sort_keys=True)],
        )
        con.execute("COMMIT")
    return report


def stale_note(con: duckdb.DuckDBPyConnection, db: Path) -> str | None:
    """A line for the load report when ``db`` holds texts stored under older rules that no
    later scrub with the current rules has covered; None when it does not."""
    row = con.execute(
        """
        SELECT count(*), min(coalesce(redaction_version, 1)) FROM load_runs
        WHERE coalesce(redaction_version, 1) < $v
          AND started_at > coalesce(
              (SELECT max(run_at) FROM redaction_runs WHERE version >= $v), '-infinity')
        """,
        {"v": REDACTION_VERSION},
    ).fetchone()
    if not row or not row[0]:
        return None
    return (
        f"this warehouse holds texts from {row[0]} earlier load(s) redacted under rules version"
        f" {row[1]} (now {REDACTION_VERSION}): run `python -m etl redact --db {db}` to apply"
        " the current rules to them"
    )


def kinds_in_order(counts: dict[str, int]) -> list[tuple[str, int]]:
    """``counts`` in the order of REDACTION_KINDS."""
    return [(k, counts[k]) for k in REDACTION_KINDS if counts.get(k)]
