"""Loads measured as a user runs them: whole processes, start-up and final swap included.

``etl_load`` runs ``python -m etl load tickets FILE --db DB --mapping M`` (its report to a
pipe, as a script or a CI log gets it);
``duckdb_read`` runs a process that only imports DuckDB and reads the same CSV into a
table (``CREATE TABLE AS SELECT * FROM read_csv`` + CHECKPOINT), the baseline of DESIGN
section 7. Both write a new file in ``folder``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DUCKDB_ONLY = """
import sys, duckdb
con = duckdb.connect(sys.argv[2])
con.execute("CREATE TABLE tickets AS SELECT * FROM read_csv($path)", {"path": sys.argv[1]})
con.execute("CHECKPOINT")
con.close()
"""


def _fresh(db: Path) -> Path:
    for leftover in (db, db.with_name(db.name + ".wal"), db.with_name(db.name + ".lock")):
        leftover.unlink(missing_ok=True)
    return db


def etl_load(path: Path, mapping: Path, folder: Path, name: str = "loaded") -> None:
    """``python -m etl load tickets`` into a new warehouse; raises if the process fails."""
    db = _fresh(folder / f"{name}.duckdb")
    command = [sys.executable, "-m", "etl", "load", "tickets", str(path), "--db", str(db)]
    command += ["--mapping", str(mapping)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=_env())


def duckdb_read(path: Path, folder: Path) -> None:
    """A process that only reads ``path`` into a DuckDB table and checkpoints."""
    db = _fresh(folder / "read_csv.duckdb")
    command = [sys.executable, "-c", DUCKDB_ONLY, str(path), str(db)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=_env())


def _env() -> dict[str, str]:
    # The bench's own settings must not leak in; DuckDB's progress bar stays off in both.
    return {k: v for k, v in os.environ.items() if not k.startswith("SUPPORT_")}


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, for the record (the machine is shared)."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"
