"""``python -m etl rescore --db PATH``: re-score every stored message with the current methods.

Built then swapped (warehouse.writer.open_for_write): the dashboard keeps reading the old
file until the new one is complete, and a rescore that is stopped half way changes nothing.
Each distinct (text, language, sender type) is scored once; running it twice gives the same
warehouse. Languages are kept as stored.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from etl.enrich import score_sentiment
from etl.errors import UnusableInput
from metrics.core.settings import Settings
from metrics.facts import refresh_facts
from warehouse import changes
from warehouse.writer import open_for_write

_METHODS = """
    SELECT coalesce(sentiment_method, '(not scored)') AS method, count(*) AS messages
    FROM messages GROUP BY ALL ORDER BY messages DESC, method
"""
_UPDATE = """
    UPDATE messages AS m
    SET sentiment = r.sentiment, agent_sentiment = r.agent_sentiment,
        sentiment_method = r.sentiment_method
    FROM rescored AS r
    WHERE m.body IS NOT DISTINCT FROM r.body AND m.language IS NOT DISTINCT FROM r.language
      AND m.sender_type = r.sender_type
"""


@dataclass(frozen=True)
class RescoreReport:
    """Messages per method before and after, and the number of distinct texts scored."""

    before: pl.DataFrame
    after: pl.DataFrame
    distinct_texts: int
    facts: str = ""  # what the write did to the derived facts


def _progress_bar(console: Console, enabled: bool) -> Progress:
    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not enabled,
        transient=True,
    )


def rescore(
    db: Path,
    *,
    show_progress: bool = True,
    workers: int | None = None,
    settings: Settings | None = None,
) -> RescoreReport:
    """Re-score ``db``'s messages in a copy and swap it in, with the derived facts brought up
    to date for ``settings`` (default: ``etl.facts.fact_settings()``) in the same write; the
    methods before and after."""
    from etl.facts import fact_settings

    if not db.exists():
        raise UnusableInput(f"{db}: no such warehouse")
    settings = settings or fact_settings()
    console = Console(stderr=True)
    # Every message is rewritten: the copy is compacted so later loads copy no freed blocks.
    with (
        open_for_write(db, compact=True) as con,
        _progress_bar(console, show_progress) as bar,
    ):
        changes.begin(con)
        changes.note_whole(con, "messages")  # every message's score may change
        cur = con.cursor()  # DuckDB 2: the writer's connection may hold an unfinished result
        before = cur.sql(_METHODS).pl()
        distinct = cur.sql(
            "SELECT DISTINCT body, language, sender_type FROM messages WHERE body IS NOT NULL"
        ).pl()
        task = bar.add_task("scoring distinct texts", total=len(distinct))
        scores = score_sentiment(
            distinct["body"],
            distinct["language"],
            distinct["sender_type"],
            workers=workers,
            progress=lambda done: bar.update(task, completed=done),
        )
        cur.register("rescored", distinct.with_columns(scores).to_arrow())
        cur.execute(
            "UPDATE messages SET sentiment = NULL, agent_sentiment = NULL, sentiment_method = NULL"
        )
        cur.execute(_UPDATE)
        cur.unregister("rescored")
        after = cur.sql(_METHODS).pl()
        cur.close()
        facts = refresh_facts(con, settings).summary()
    return RescoreReport(before, after, len(distinct), facts)


def render(report: RescoreReport, console: Console | None = None) -> None:
    """The messages per method before and after, as a table."""
    table = Table(title=f"Sentiment re-scored ({report.distinct_texts:,} distinct texts)")
    table.add_column("when")
    table.add_column("method")
    table.add_column("messages", justify="right")
    for when, frame in (("before", report.before), ("after", report.after)):
        for method, n in frame.iter_rows():
            table.add_row(when, method, f"{n:,}")
    console = console or Console()
    console.print(table)
    if report.facts:
        console.print(report.facts, highlight=False, markup=False)


def rescore_warehouse(
    db: Path, *, show_progress: bool = True, settings: Settings | None = None
) -> RescoreReport:
    """CLI entry: rescore and print the report."""
    report = rescore(db, show_progress=show_progress, workers=os.cpu_count(), settings=settings)
    render(report)
    return report
