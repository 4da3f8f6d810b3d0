"""``python -m etl redact``: the scrub with a progress display and its report as a table."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from etl.redact.scrub import TEXT_COLUMNS, ScrubReport, kinds_in_order, scrub


def render(report: ScrubReport, console: Console) -> None:
    """One row per column and kind removed, or one line saying nothing was left to remove."""
    if not report.removed:
        console.print(
            f"Scrubbed with redaction rules version {report.version}: nothing left to remove.",
            highlight=False,
        )
        return
    table = Table(title=f"Removed by redaction rules version {report.version}")
    for header, justify in (("column", "left"), ("kind", "left"), ("removed", "right")):
        table.add_column(header, justify=justify)
    table.add_column("texts changed", justify="right")
    for (name, column), counts in report.removed.items():
        changed = f"{report.texts_changed.get((name, column), 0):,}"
        for kind, count in kinds_in_order(counts):
            table.add_row(f"{name}.{column}", kind.replace("_", " "), f"{count:,}", changed)
    console.print(table)


def run_scrub(db: Path, show_progress: bool = True) -> int:
    """Scrub ``db``; exit code 0, or 2 with one line when there is no warehouse there."""
    if not db.is_file():
        print(f"error: {db}: no warehouse file there (expected one built by python -m etl load)",
              file=sys.stderr)  # fmt: skip
        return 2
    err = Console(stderr=True)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not (show_progress and err.is_terminal),
    ) as progress:
        task = progress.add_task("copying the warehouse", total=len(TEXT_COLUMNS) + 1)

        def step(label: str) -> None:
            progress.update(task, description=f"redacting {label}", advance=1)

        report = scrub(db, step)
    render(report, Console())
    return 0
