"""Loads measured as a user runs them: whole processes, start-up and final swap included.

``etl_load`` runs ``python -m etl load tickets FILE --db DB --mapping M`` (its report to a
pipe, as a script or a CI log gets it) and returns the seconds its report gives the derived
facts' upkeep (issue 20: built in the same write); ``cpu_seconds`` is the CPU time children
spent in a call (user + system, every thread), a figure the shared machine's load moves less
than wall-clock time;
``duckdb_read`` runs a process that only imports DuckDB and reads the same CSV into a
table (``CREATE TABLE AS SELECT * FROM read_csv`` + CHECKPOINT), the baseline of DESIGN
section 7. Both write a new file in ``folder``.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

FACT_SECONDS = re.compile(r"derived facts refreshed in ([0-9.]+) s")

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


def etl_load(path: Path, mapping: Path, folder: Path, name: str = "loaded") -> float:
    """``python -m etl load tickets`` into a new warehouse; the seconds its report gives the
    derived facts (0 when it names none); raises if the process fails."""
    db = _fresh(folder / f"{name}.duckdb")
    command = [sys.executable, "-m", "etl", "load", "tickets", str(path), "--db", str(db)]
    command += ["--mapping", str(mapping), "--format", "json"]
    done = subprocess.run(command, check=True, capture_output=True, text=True, env=_env())
    reports = json.loads(done.stdout)
    found = [FACT_SECONDS.search(r.get("facts") or "") for r in reports]
    return sum(float(m.group(1)) for m in found if m)


def cpu_seconds(fn: Callable[[], Any]) -> tuple[float, Any]:
    """CPU seconds the child processes started by ``fn`` spent, and what ``fn`` returned."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = fn()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    spent = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return spent, result


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
