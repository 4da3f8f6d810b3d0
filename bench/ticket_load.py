"""Ticket loading throughput against DuckDB's own ``read_csv`` of the same file, same run.

The file is the Zendesk ticket export of the benchmark data set, topped up to 1,000,000 rows
(at full scale) with copies of its rows under new ids. Our side is the whole load
(``etl.pipeline.load_files``: read, map, type, validate, de-duplicate, redact, detect
languages, upsert, record the run, checkpoint, swap) into an empty warehouse; DuckDB's side
is ``CREATE TABLE AS SELECT * FROM read_csv(file)`` plus ``CHECKPOINT`` into an empty file.

Measured twice, interleaved: in this process (targets of DESIGN section 7: at least 0.5 of
DuckDB's rows/s), and as a user runs it, whole processes against whole processes
(``python -m etl load tickets`` with its start-up, imports and final swap, against a
process that only imports DuckDB and reads the file; issue 15: at least 0.6).
"""

from __future__ import annotations

import csv
import itertools
import shutil
import tempfile
from pathlib import Path

import duckdb

from bench import dataset, processes
from bench.results import record
from bench.timing import best_of, rate, verdict

FULL_ROWS = 1_000_000
TARGET = 0.5
PROCESS_TARGET = 0.6
_ID_STEP = 100_000_000  # added to a copied row's id per round of copies


def ticket_file(source: Path, rows: int, out: Path, keep_original: bool = True) -> int:
    """``source`` (a Zendesk CSV) topped up to ``rows`` data rows at ``out``; returns the count.

    The original bytes come first, then copies of its rows with shifted ids. Without
    ``keep_original`` every row written is such a copy: ``rows`` tickets no warehouse built
    from ``source`` has yet.
    """
    with open(source, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        original = list(reader)
    column = header.index("id")
    if keep_original:
        shutil.copyfile(source, out)
    else:
        with open(out, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, lineterminator="\n").writerow(header)
    kept = len(original) if keep_original else 0
    missing = max(0, rows - kept)
    with open(out, "a", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        copies = itertools.islice(itertools.cycle(original), missing)
        for number, row in enumerate(copies):
            shift = _ID_STEP * (number // len(original) + 1)
            row = list(row)
            row[column] = str(int(row[column]) + shift) if row[column].isdigit() else row[column]
            writer.writerow(row)
    return kept + missing


def _duckdb_read(path: Path, folder: Path) -> None:
    db = folder / "read_csv.duckdb"
    db.unlink(missing_ok=True)
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE tickets AS SELECT * FROM read_csv($path)", {"path": str(path)})
    con.execute("CHECKPOINT")
    con.close()


def _our_load(path: Path, mapping: Path, folder: Path) -> None:
    from etl.pipeline import load_files

    db = folder / "loaded.duckdb"
    db.unlink(missing_ok=True)
    load_files(db, "tickets", [path], mapping=str(mapping))


def run(
    scale: float = dataset.FULL_SCALE, write: bool = True, repeats: int = 2
) -> dict[str, float]:
    """Best-of-``repeats`` seconds of both sides on the same file, in this process and as
    whole processes, and the throughput ratios."""
    data = dataset.ensure(scale)
    export = data.export("zendesk_tickets.csv")
    wanted = round(FULL_ROWS * scale / dataset.FULL_SCALE)
    with tempfile.TemporaryDirectory(prefix="sqd-bench-tickets-") as tmp:
        folder = Path(tmp)
        path = folder / "tickets.csv"
        rows = ticket_file(export.path, wanted, path)
        load_before = processes.load_average()
        best = best_of(
            repeats,
            duckdb=lambda: _duckdb_read(path, folder),
            ours=lambda: _our_load(path, export.mapping, folder),
            duckdb_process=lambda: processes.duckdb_read(path, folder),
            ours_process=lambda: processes.etl_load(path, export.mapping, folder),
        )
        load_after = processes.load_average()
        megabytes = path.stat().st_size / 1e6
    figures = {
        "rows": float(rows),
        "duckdb_seconds": best["duckdb"],
        "load_seconds": best["ours"],
        "duckdb_rows_per_s": rate(rows, best["duckdb"]),
        "load_rows_per_s": rate(rows, best["ours"]),
        "ratio": best["duckdb"] / best["ours"],
        "duckdb_process_seconds": best["duckdb_process"],
        "load_process_seconds": best["ours_process"],
        "process_ratio": best["duckdb_process"] / best["ours_process"],
    }
    if write:
        record(
            f"Ticket loading (scale {scale:g})",
            [
                f"{rows:,} ticket rows, {megabytes:.0f} MB CSV (`zendesk_tickets.csv` topped up"
                f" with re-keyed copies); best of {repeats}, the four runs interleaved; load"
                f" average (1/5/15 min) {load_before} before, {load_after} after.",
                "",
                "| step | seconds | rows/s |",
                "|---|---|---|",
                f"| DuckDB `read_csv` + CHECKPOINT | {best['duckdb']:.2f} |"
                f" {figures['duckdb_rows_per_s']:,.0f} |",
                f"| our load (read, map, validate, redact, language, upsert, swap) |"
                f" {best['ours']:.2f} | {figures['load_rows_per_s']:,.0f} |",
                f"| ratio (target >= {TARGET}) | {figures['ratio']:.2f} |"
                f" {verdict(figures['ratio'] >= TARGET)} |",
                f"| process: only DuckDB's `read_csv` | {best['duckdb_process']:.2f} |"
                f" {rate(rows, best['duckdb_process']):,.0f} |",
                f"| process: `python -m etl load tickets` | {best['ours_process']:.2f} |"
                f" {rate(rows, best['ours_process']):,.0f} |",
                f"| process ratio (target >= {PROCESS_TARGET}) | {figures['process_ratio']:.2f} |"
                f" {verdict(figures['process_ratio'] >= PROCESS_TARGET)} |",
            ],
        )
    return figures
