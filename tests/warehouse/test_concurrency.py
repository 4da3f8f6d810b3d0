"""Loads never block or half-show to a reader: a reader process queries in a loop during five loads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from etl.pipeline import load_files

ROOT = Path(__file__).resolve().parents[2]
TICKETS_PER_LOAD = 200

READER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from warehouse.reader import ReadOnlyWarehouse
    db, stop, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    seen, errors, queries, wh = [], [], 0, None
    while not stop.exists():
        try:
            if wh is None or not wh.is_current():
                wh = ReadOnlyWarehouse(db)
            row = wh.query(
                "SELECT (SELECT count(*) FROM tickets) AS t, (SELECT count(*) FROM load_runs) AS r"
            ).row(0)
            seen.append(list(row))
            queries += 1
        except Exception as err:
            errors.append(repr(err))
    out.write_text(json.dumps({"seen": seen, "errors": errors, "queries": queries}))
    """
)


def write_batch(path: Path, batch: int) -> Path:
    lines = ["ticket_id,created_at,status,subject"]
    for i in range(TICKETS_PER_LOAD):
        lines.append(f"B{batch}-{i},2026-01-05T09:{i % 60:02d}:00Z,open,Transfer stuck {i}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_reader_sees_no_error_and_no_partial_state_during_five_loads(tmp_path, db_path):
    load_files(db_path, "tickets", [write_batch(tmp_path / "b0.csv", 0)])
    stop, out = tmp_path / "stop", tmp_path / "reader.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(db_path), str(stop), str(out)], env=env, cwd=ROOT
    )
    try:
        time.sleep(1.0)
        for batch in range(1, 6):
            load_files(db_path, "tickets", [write_batch(tmp_path / f"b{batch}.csv", batch)])
            time.sleep(0.2)
        time.sleep(0.5)
    finally:
        stop.touch()
        reader.wait(timeout=30)
    result = json.loads(out.read_text())
    assert result["errors"] == []
    states = {tuple(s) for s in result["seen"]}
    # every state a reader saw is a whole number of loads: tickets == 200 x load runs
    assert all(t == TICKETS_PER_LOAD * r for t, r in states), states
    assert (TICKETS_PER_LOAD * 6, 6) in states
    assert result["queries"] > 20
