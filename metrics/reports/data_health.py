"""Data health: what was loaded, what was set aside, and how recent each table is.

Reads only the bookkeeping tables (``load_runs``, ``quarantine``) and row counts
and newest timestamps of the canonical tables. All times are UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import polars as pl

from metrics.core.facts import Fact, fact_table
from warehouse.reader import ReadOnlyWarehouse
from warehouse.reasons import reason_pattern_sql


@dataclass(frozen=True)
class TableClock:
    """A canonical table, the load kind that fills it, and the SQL for its newest timestamp."""

    table: str
    kind: str
    time_column: str | None
    newest_sql: str


# The fixed list of tables the freshness check may name in SQL (never user input).
TABLE_CLOCKS: tuple[TableClock, ...] = (
    TableClock("tickets", "tickets", "created_at/updated_at",
               "greatest(max(created_at), max(updated_at))"),
    TableClock("messages", "messages", "sent_at", "max(sent_at)"),
    TableClock("ticket_events", "ticket_events", "changed_at", "max(changed_at)"),
    TableClock("surveys", "surveys", "responded_at", "max(responded_at)"),
    TableClock("agents", "agents", None, "NULL"),
    TableClock("trainings", "trainings", "completed_at", "max(completed_at)"),
    TableClock("shifts", "shifts", "starts_at", "max(starts_at)"),
    TableClock("customer_activity", "activity", "active_on", "max(active_on)"),
)  # fmt: skip

LOAD_RUN_COLUMNS: tuple[str, ...] = (
    "run_id", "kind", "file", "file_name", "source", "mapping", "started_at", "duration_s",
    "rows_read", "inserted", "updated", "unchanged", "quarantined", "balanced", "status",
    "message", "redactions",
)  # fmt: skip


def _reason_pattern(column: str) -> str:
    """SQL for a quarantine reason with its row-specific values blanked out (warehouse.reasons)."""
    return reason_pattern_sql(column)


def load_runs(wh: ReadOnlyWarehouse, limit: int = 200) -> pl.DataFrame:
    """The newest ``limit`` loads, newest first, one row per run (the load report).

    Columns: run_id, kind, file (as given to the loader), file_name (its last path part),
    source, mapping, started_at (UTC), duration_s (seconds from start to finish; null
    while unfinished), rows_read, inserted, updated, unchanged, quarantined, balanced
    (rows_read == inserted + updated + unchanged + quarantined), status, message, redactions.
    """
    frame = wh.query(
        """
        SELECT run_id, kind, file, source, mapping, started_at, finished_at,
               rows_read, inserted, updated, unchanged, quarantined, status, message, redactions
        FROM load_runs
        ORDER BY started_at DESC, run_id DESC
        LIMIT ?
        """,
        [int(limit)],
    )
    return frame.with_columns(
        file_name=pl.col("file").str.replace(r"^.*[/\\]", ""),
        duration_s=(pl.col("finished_at") - pl.col("started_at")).dt.total_microseconds() / 1e6,
        balanced=pl.col("rows_read")
        == pl.col("inserted") + pl.col("updated") + pl.col("unchanged") + pl.col("quarantined"),
    ).select(LOAD_RUN_COLUMNS)


def load_totals(wh: ReadOnlyWarehouse) -> pl.DataFrame:
    """Totals over every load run (not only the newest shown): one row.

    Columns: runs, rows_read, inserted, updated, unchanged, quarantined (row counts), and
    unbalanced_runs (runs where rows_read != inserted + updated + unchanged + quarantined).
    """
    return wh.query(
        """
        SELECT CAST(count(*) AS BIGINT) AS runs,
               CAST(coalesce(sum(rows_read), 0) AS BIGINT) AS rows_read,
               CAST(coalesce(sum(inserted), 0) AS BIGINT) AS inserted,
               CAST(coalesce(sum(updated), 0) AS BIGINT) AS updated,
               CAST(coalesce(sum(unchanged), 0) AS BIGINT) AS unchanged,
               CAST(coalesce(sum(quarantined), 0) AS BIGINT) AS quarantined,
               CAST(count(*) FILTER (
                   WHERE rows_read <> inserted + updated + unchanged + quarantined
               ) AS BIGINT) AS unbalanced_runs
        FROM load_runs
        """
    )


def _reason_parts(column: str) -> str:
    """SQL for the list of reason patterns of one quarantined row (DuckDB ``string_split``).

    The loader joins a row's problems with "; "; blanking the quoted values first means a
    "; " inside a value cannot split a problem in two.
    """
    return f"string_split({_reason_pattern(column)}, '; ')"


def quarantine_reasons(wh: ReadOnlyWarehouse) -> pl.DataFrame:
    """Quarantined rows per kind and problem pattern, largest group first.

    A pattern is one problem of a row's reason with its quoted values blanked out (see
    :func:`_reason_pattern`): ``status "foo" is not one of: …`` and ``status "bar" is not
    one of: …`` are one group, while the column a problem names stays in the pattern.
    A row with several problems counts once in each of their groups, so the counts can
    add up to more than the quarantined rows. Columns: kind, reason (the pattern), count
    (quarantined rows with that problem), runs (distinct load runs), and one example: the
    lowest row number of the newest run in the group (example_run_id, example_row_number,
    example_file, example_reason as stored, example_raw).
    """
    return wh.query(
        f"""
        WITH patterned AS (
            SELECT kind, unnest({_reason_parts("reason")}) AS pattern, reason, run_id,
                   row_number, file, raw
            FROM quarantine
        ),
        grouped AS (
            SELECT kind, pattern, count(*) AS n, count(DISTINCT run_id) AS runs
            FROM patterned
            GROUP BY kind, pattern
        ),
        ranked AS (
            SELECT *, row_number() OVER (
                PARTITION BY kind, pattern ORDER BY run_id DESC, row_number
            ) AS pick
            FROM patterned
        ),
        final AS (
            SELECT g.kind, g.pattern AS reason, CAST(g.n AS BIGINT) AS count,
                   CAST(g.runs AS BIGINT) AS runs, r.run_id AS example_run_id,
                   r.row_number AS example_row_number, r.file AS example_file,
                   r.reason AS example_reason, r.raw AS example_raw
            FROM grouped AS g
            JOIN ranked AS r ON r.kind = g.kind AND r.pattern = g.pattern AND r.pick = 1
        )
        SELECT * FROM final ORDER BY count DESC, kind, reason
        """  # noqa: S608 -- the pattern SQL is a fixed expression, values stay bound
    )


def quarantine_examples(
    wh: ReadOnlyWarehouse, kind: str | None = None, reason: str | None = None, limit: int = 20
) -> pl.DataFrame:
    """Up to ``limit`` quarantined rows, newest run first, then by row number.

    ``kind`` keeps one load kind; ``reason`` keeps rows with that problem pattern (as
    returned by :func:`quarantine_reasons`). Columns: run_id, kind, file, row_number (in
    the file, 1-based), reason (as stored), raw (the original row as JSON text).
    """
    conditions, params = [], []
    if kind is not None:
        conditions.append("kind = ?")
        params.append(kind)
    if reason is not None:
        conditions.append(f"list_contains({_reason_parts('reason')}, ?)")
        params.append(reason)
    where = ("WHERE " + " AND ".join(conditions)) if conditions else ""
    params.append(int(limit))
    return wh.query(
        f"""
        SELECT run_id, kind, file, row_number, reason, raw
        FROM quarantine
        {where}
        ORDER BY run_id DESC, row_number
        LIMIT ?
        """,  # noqa: S608 -- fixed condition fragments, values bound
        params,
    )


def table_freshness(wh: ReadOnlyWarehouse, now: datetime | None = None) -> pl.DataFrame:
    """Per canonical table: its size and how recent its data and its last load are.

    Columns: table, kind (the load kind that fills it), rows, time_column, newest (the
    newest value of the time column, UTC; a date counts as its midnight; null for
    agents, which have none, and for empty tables), last_load (when the newest load of
    that kind finished, else started), age_hours (now - newest) and last_load_age_hours
    (now - last_load), in hours. ``now`` defaults to the current time (a naive value is
    read as UTC). Tables missing
    from the warehouse file are left out.
    """
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    clocks = [c for c in TABLE_CLOCKS if c.table in wh.tables]
    # Table names and expressions come from TABLE_CLOCKS only, never from input.
    selects = [
        f"SELECT {i} AS pos, CAST(count(*) AS BIGINT) AS rows,"  # noqa: S608
        f" CAST({c.newest_sql} AS TIMESTAMPTZ) AS newest FROM {c.table}"
        for i, c in enumerate(clocks)
    ]
    # Sizes and newest values do not depend on ``now``: remembered per reader and version.
    sizes = wh.remember(
        ("table_sizes", tuple(c.table for c in clocks)),
        lambda: wh.query(" UNION ALL ".join(selects)),
    )
    loads = wh.query(
        "SELECT kind, max(coalesce(finished_at, started_at)) AS last_load"
        " FROM load_runs GROUP BY kind"
    )
    frame = pl.DataFrame(
        {
            "pos": list(range(len(clocks))),
            "table": [c.table for c in clocks],
            "kind": [c.kind for c in clocks],
            "time_column": [c.time_column for c in clocks],
        },
        schema_overrides={"pos": sizes.schema["pos"]},
    )
    return (
        frame.join(sizes, on="pos", how="left")
        .join(loads, on="kind", how="left")
        .sort("pos")
        .with_columns(
            age_hours=_hours_since("newest", now),
            last_load_age_hours=_hours_since("last_load", now),
        )
        .select(
            "table",
            "kind",
            "rows",
            "time_column",
            "newest",
            "last_load",
            "age_hours",
            "last_load_age_hours",
        )  # fmt: skip
    )


def _hours_since(column: str, now: datetime) -> pl.Expr:
    return (pl.lit(now) - pl.col(column)).dt.total_microseconds() / 3.6e9


def schema_version(wh: ReadOnlyWarehouse) -> int:
    """The warehouse file's schema version (the highest migration applied; 0 if none)."""
    return int(wh.scalar("SELECT coalesce(max(version), 0) FROM schema_version") or 0)


def last_load_at(wh: ReadOnlyWarehouse) -> datetime | None:
    """When the newest load finished (else started), UTC; None when nothing was loaded."""
    return wh.scalar("SELECT max(coalesce(finished_at, started_at)) FROM load_runs")


# Scored messages per conversation, language and method: what ``scoring_methods`` sums, kept
# by every load (per conversation) so Data health need not count the messages again.
SCORING_COUNTS = Fact(
    name="scoring_counts",
    sql="""
        SELECT m.source, m.conversation_id, m.language, m.sentiment_method AS method,
            count(m.sentiment) AS customer_messages, count(m.agent_sentiment) AS agent_messages
        FROM messages AS m WHERE m.sentiment_method IS NOT NULL
        GROUP BY m.source, m.conversation_id, m.language, m.sentiment_method
    """,
    reads=frozenset({"messages"}),
    grain="contact",
    key=("source", "conversation_id"),
)


def scoring_methods(wh: ReadOnlyWarehouse) -> pl.DataFrame:
    """Stored messages per language and sentiment method, as scored at load (or rescore).

    Columns: language, method (messages.sentiment_method, e.g. 'model-zh@2026.12.06'),
    customer_messages (scored into ``sentiment``), agent_messages (agents' and bots',
    scored into ``agent_sentiment``, counted 0 on a warehouse older than schema 5). Only
    scored messages are counted; empty without a messages table. Sums of the
    ``scoring_counts`` fact (a scan of the messages on a warehouse older than schema 5).
    """
    if "messages" not in wh.tables:
        return pl.DataFrame(
            schema={"language": pl.String, "method": pl.String,
                    "customer_messages": pl.Int64, "agent_messages": pl.Int64}
        )  # fmt: skip
    columns = wh.query("SELECT * FROM messages LIMIT 0").columns
    if "agent_sentiment" in columns:
        return wh.query(
            f"""SELECT language, method,
                CAST(sum(customer_messages) AS BIGINT) AS customer_messages,
                CAST(sum(agent_messages) AS BIGINT) AS agent_messages
            FROM {fact_table(wh, SCORING_COUNTS)}
            GROUP BY ALL ORDER BY language NULLS LAST, method"""  # noqa: S608 (a fact's name)
        )
    return wh.query(
        """SELECT language, sentiment_method AS method,
            CAST(count(*) FILTER (WHERE sentiment IS NOT NULL) AS BIGINT) AS customer_messages,
            CAST(0 AS BIGINT) AS agent_messages
        FROM messages WHERE sentiment_method IS NOT NULL
        GROUP BY ALL ORDER BY language NULLS LAST, method"""
    )
