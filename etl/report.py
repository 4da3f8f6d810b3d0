"""The load report as a readable table."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from etl.upsert import LoadReport


def render_reports(reports: Sequence[LoadReport], console: Console | None = None) -> None:
    """Print one row per file, then redactions and the most common quarantine reasons."""
    console = console or Console()
    table = Table(title="Load report", show_lines=False)
    for header in (
        "run",
        "file",
        "kind",
        "read",
        "inserted",
        "updated",
        "unchanged",
        "quarantined",
        "status",
    ):
        numeric = header in ("run", "read", "inserted", "updated", "unchanged", "quarantined")
        table.add_column(header, justify="right" if numeric else "left")
    for r in reports:
        table.add_row(
            str(r.run_id),
            Path(r.file).name,
            r.kind,
            f"{r.rows_read:,}",
            f"{r.inserted:,}",
            f"{r.updated:,}",
            f"{r.unchanged:,}",
            f"{r.quarantined:,}",
            r.status,
        )
    console.print(table)
    for r in reports:
        name = Path(r.file).name
        if r.message:
            console.print(f"{name}: {r.message}", highlight=False)
        if r.redactions:
            removed = ", ".join(
                f"{k.replace('_', ' ')} {v:,}" for k, v in sorted(r.redactions.items())
            )
            console.print(f"{name}: redacted before storage: {removed}", highlight=False)
        for note in r.notes:
            console.print(f"{name}: {note}", highlight=False, markup=False)
        for reason, count in r.top_reasons:
            console.print(
                f"{name}: quarantined {count:,} x {reason}", highlight=False, markup=False
            )
