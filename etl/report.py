"""The load report: a readable table on a terminal or in a log, or JSON for scripts.

The table never cuts a header or a cell ("inser…"): it is printed as wide as its content,
and a terminal too narrow for it gets two plain lines per file instead. Below it, per file: the notes, what redaction removed, the most common problems
with the row numbers and values of their first rows, and any warning, prominently.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from etl.upsert import LoadReport

if TYPE_CHECKING:  # rich is imported for the text report only (scripts read the JSON)
    from rich.console import Console
    from rich.table import Table

FORMATS = ("text", "json")
COUNTS = ("read", "inserted", "updated", "unchanged", "quarantined")


def report_record(report: LoadReport) -> dict[str, Any]:
    """One file's report as plain data (the JSON output)."""
    return {
        "run_id": report.run_id,
        "file": report.file,
        "kind": report.kind,
        "source": report.source,
        "mapping": report.mapping,
        "rows_read": report.rows_read,
        "inserted": report.inserted,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "quarantined": report.quarantined,
        "status": report.status,
        "message": report.message,
        "redactions": dict(report.redactions),
        "reasons": [
            {
                "problem": group.problem,
                "rows": group.count,
                "examples": [{"row": row, "problem": text} for row, text in group.examples],
            }
            for group in report.reasons
        ],
        "notes": list(report.notes),
        "warnings": list(report.warnings),
        "facts": report.facts,
    }


def render_reports(
    reports: Sequence[LoadReport], console: Console | None = None, fmt: str = "text"
) -> None:
    """Print the reports: ``text`` (a table, then each file's details) or ``json``."""
    if fmt == "json":
        text = json.dumps([report_record(r) for r in reports], indent=2, ensure_ascii=False)
        if console is None:
            print(text, flush=True)
        else:
            console.print(text, markup=False, highlight=False, soft_wrap=True)
        return
    from rich.console import Console
    from rich.measure import Measurement

    if console is None:
        console = Console()
        if not console.is_terminal:
            # Not a terminal: no width to fit, so nothing is cut or wrapped.
            console = Console(width=100_000, soft_wrap=True)
    table = _table(reports)
    natural = Measurement.get(console, console.options.update_width(1_000_000), table).maximum
    if natural <= console.width:
        console.print(table)
    else:  # a narrow terminal: one line per file instead of a table with cut cells
        console.print("Load report", style="bold")
        for r in reports:
            console.print(_lines(r), markup=False, highlight=False)
    if any(r.quarantined for r in reports):
        console.print("(row N = the Nth record of the file, the header not counted)", style="dim")
    for report in reports:
        _details(console, report)


def _lines(r: LoadReport) -> str:
    return (
        f"run {r.run_id}: {Path(r.file).name} as {r.kind}: {r.status}\n"
        f"    read {r.rows_read:,} = inserted {r.inserted:,} + updated {r.updated:,}"
        f" + unchanged {r.unchanged:,} + quarantined {r.quarantined:,}"
    )


def _table(reports: Sequence[LoadReport]) -> Table:
    from rich.table import Table

    table = Table(title="Load report", show_lines=False)
    table.add_column("run", justify="right", no_wrap=True)
    table.add_column("file", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    for header in COUNTS:
        table.add_column(header, justify="right", no_wrap=True, min_width=len(header))
    table.add_column("status", no_wrap=True)
    for r in reports:
        counts = (r.rows_read, r.inserted, r.updated, r.unchanged, r.quarantined)
        table.add_row(
            str(r.run_id), Path(r.file).name, r.kind, *(f"{n:,}" for n in counts), r.status
        )
    return table


def _details(console: Console, report: LoadReport) -> None:
    name = Path(report.file).name

    def say(text: str, style: str | None = None) -> None:
        console.print(text, style=style, markup=False, highlight=False)

    if report.message and not report.warnings:
        say(f"{name}: {report.message}")
    elif report.message:
        notes = [part for part in report.message.split("; ") if part not in report.warnings]
        if notes:
            say(f"{name}: {'; '.join(notes)}")
    if report.redactions:
        removed = ", ".join(
            f"{k.replace('_', ' ')} {v:,}" for k, v in sorted(report.redactions.items())
        )
        say(f"{name}: redacted before storage: {removed}")
    for note in report.notes:
        say(f"{name}: {note}")
    for group in report.reasons:
        rows = "row" if group.count == 1 else "rows"
        say(f"{name}: quarantined {group.count:,} {rows}: {group.problem}")
        for row, text in group.examples:
            say(f"    row {row}: {text}")
        more = group.count - len(group.examples)
        if more > 0:
            say(f"    ... and {more:,} more (Data health lists every row)")
    for warning in report.warnings:
        say(f"WARNING {warning}", style="bold red")
    if report.facts:
        say(report.facts)
