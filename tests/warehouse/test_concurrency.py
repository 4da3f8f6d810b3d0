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


def test_a_remembered_result_is_built_once_when_two_threads_ask_for_it(tmp_path, db_path):
    # Thread A starts the build and holds it until B has asked for the same key: B waits
    # for A's build instead of making its own, so build ran 1 time and both got its value.
    import threading

    from warehouse.reader import ReadOnlyWarehouse

    load_files(db_path, "tickets", [write_batch(tmp_path / "b0.csv", 0)])
    wh = ReadOnlyWarehouse(db_path)
    started, asked, builds, got = threading.Event(), threading.Event(), [], {}

    def build() -> int:
        builds.append(threading.current_thread().name)
        started.set()
        asked.wait(5)
        return 42

    def ask(name: str) -> None:
        got[name] = wh.remember(("answer",), build)

    first = threading.Thread(target=ask, args=("A",), name="A")
    first.start()
    assert started.wait(5)
    second = threading.Thread(target=ask, args=("B",), name="B")
    second.start()
    second.join(0.3)  # B is waiting for A's build, not building
    assert second.is_alive()
    asked.set()
    first.join(5)
    second.join(5)
    wh.close()
    assert builds == ["A"]
    assert got == {"A": 42, "B": 42}


def test_a_failed_build_is_not_remembered_and_the_next_call_builds_again(tmp_path, db_path):
    from warehouse.reader import ReadOnlyWarehouse

    load_files(db_path, "tickets", [write_batch(tmp_path / "b0.csv", 0)])
    wh = ReadOnlyWarehouse(db_path)

    def fail() -> int:
        raise ValueError("no")

    try:
        try:
            wh.remember(("k",), fail)
        except ValueError:
            pass
        assert wh.remember(("k",), lambda: 7) == 7  # built anew, no waiting on the failed one
        assert wh.remember(("k",), lambda: 8) == 7  # then remembered
    finally:
        wh.close()
