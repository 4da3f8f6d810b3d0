"""An incremental load: 10,000 new tickets into the benchmark warehouse, swap included.

The new tickets are rows of the data set's Zendesk export under ids the warehouse does not
have yet. Each round loads them into a fresh copy of the cached warehouse with
``etl.pipeline.load_files``, so the time includes what a real load pays: copying the live
file, the upsert against a million stored tickets, CHECKPOINT, fsync and the atomic rename.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench import dataset
from bench.results import record
from bench.ticket_load import ticket_file

FULL_ROWS = 10_000


def _load_once(data: dataset.Dataset, tickets: Path, folder: Path) -> tuple[float, float]:
    """Seconds of the whole load and of copying the warehouse alone (its floor)."""
    from etl.pipeline import load_files

    db = dataset.working_copy(data, folder)
    started = time.perf_counter()
    dataset.working_copy(data, folder / "floor")
    copy = time.perf_counter() - started
    export = data.export("zendesk_tickets.csv")
    started = time.perf_counter()
    (report,) = load_files(db, "tickets", [tickets], mapping=str(export.mapping))
    spent = time.perf_counter() - started
    if report.inserted + report.quarantined != report.rows_read:
        raise AssertionError(f"new tickets were not all new: {report}")
    db.unlink()
    (folder / "floor" / "warehouse.duckdb").unlink()
    return spent, copy


def run(
    scale: float = dataset.FULL_SCALE, write: bool = True, repeats: int = 2
) -> dict[str, float]:
    """Best-of-``repeats`` seconds of loading the new tickets, and of the file copy inside it."""
    data = dataset.ensure(scale)
    wanted = max(10, round(FULL_ROWS * scale / dataset.FULL_SCALE))
    with tempfile.TemporaryDirectory(prefix="sqd-bench-incremental-") as tmp:
        folder = Path(tmp)
        (folder / "floor").mkdir()
        tickets = folder / "new_tickets.csv"
        rows = ticket_file(data.export("zendesk_tickets.csv").path, wanted, tickets, False)
        runs = [_load_once(data, tickets, folder) for _ in range(max(1, repeats))]
    load, copy = min(r[0] for r in runs), min(r[1] for r in runs)
    megabytes = data.db.stat().st_size / 1e6
    figures = {"rows": float(rows), "load_seconds": load, "copy_seconds": copy}
    if write:
        record(
            f"Incremental load (scale {scale:g})",
            [
                f"{rows:,} new tickets into the {megabytes:,.0f} MB warehouse; best of {repeats}.",
                "",
                "| step | seconds |",
                "|---|---|",
                f"| load, swap included | {load:.2f} |",
                f"| of which at least: copying the warehouse file (measured alone) | {copy:.2f} |",
            ],
        )
    return figures
