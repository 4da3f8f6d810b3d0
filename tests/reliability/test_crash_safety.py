"""A load killed with SIGKILL anywhere leaves the warehouse exactly as it was before the load,
or exactly as the finished load leaves it (when the kill came after the atomic swap), never
anything in between; the same load then simply runs again. Two loads started at once never
corrupt the warehouse: the second waits for the first.

"Before" is byte for byte the file as it was. "After" is the content a complete load gives:
every table's rows equal, load_runs compared without its wall-clock columns.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from etl.pipeline import load_files
from warehouse.reader import ReadOnlyWarehouse, file_key
from warehouse.writer import WarehouseBusy, open_for_write

ROOT = Path(__file__).resolve().parents[2]
BIG = 6_000
WALL_CLOCK = {
    "load_runs": "EXCLUDE (started_at, finished_at)",
    "fact_builds": "EXCLUDE (built_at, seconds)",  # when and how long each fact took
}
RANDOM_KILLS = 6


def write_tickets(path: Path, ids: range, subject: str, prefix: str = "T") -> Path:
    lines = ["ticket_id,created_at,status,priority,channel,subject,agent_id,team"]
    for i in ids:
        lines.append(
            f"{prefix}{i},2026-01-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00Z,open,normal,email,"
            f"{subject} {i},A{i % 7},en"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def content(db: Path) -> dict[str, str]:
    """Per table, a digest of its sorted rows (load_runs without its wall-clock columns)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [n for (n,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        digests = {}
        for name in sorted(tables):
            rows = con.execute(
                f'SELECT * {WALL_CLOCK.get(name, "")} FROM "{name}" ORDER BY ALL'
            ).fetchall()
            digests[name] = hashlib.sha256(repr(rows).encode()).hexdigest()
        return digests
    finally:
        con.close()


def data_tables(digests: dict[str, str]) -> dict[str, str]:
    # bookkeeping: the runs, and how many writes there were and how each kept the facts
    bookkeeping = ("load_runs", "quarantine", "fact_builds", "warehouse_state")
    return {k: v for k, v in digests.items() if k not in bookkeeping}


def etl_load(db: Path, *files: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "etl", "load", "tickets", *map(str, files), "--db", str(db)]
    return subprocess.Popen(
        [*command, "--quiet"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


@dataclass(frozen=True)
class Scenario:
    pristine: Path
    before_bytes: bytes
    before: dict[str, str]
    after: dict[str, str]
    export: Path
    seconds: float


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    """A warehouse with 300 tickets, and a 6,000-ticket export that updates 150 of them."""
    folder = tmp_path_factory.mktemp("crash")
    pristine = folder / "pristine" / "warehouse.duckdb"
    pristine.parent.mkdir()
    load_files(pristine, "tickets", [write_tickets(folder / "base.csv", range(300), "Old")])
    export = write_tickets(folder / "big.csv", range(150, 150 + BIG), "Transfer stuck")
    finished = folder / "finished" / "warehouse.duckdb"
    finished.parent.mkdir()
    shutil.copyfile(pristine, finished)
    started = time.monotonic()
    proc = etl_load(finished, export)
    assert proc.wait(timeout=120) == 0, proc.stderr.read().decode() if proc.stderr else ""
    seconds = time.monotonic() - started
    return Scenario(
        pristine, pristine.read_bytes(), content(pristine), content(finished), export, seconds
    )


def fresh_copy(scenario: Scenario, folder: Path) -> Path:
    db = folder / "warehouse.duckdb"
    shutil.copyfile(scenario.pristine, db)
    return db


def state_after_kill(scenario: Scenario, db: Path) -> str:
    """ "before" or "after"; anything else fails the test."""
    if db.read_bytes() == scenario.before_bytes:
        return "before"
    found = content(db)
    assert found == scenario.after, "the warehouse is neither the state before nor after the load"
    return "after"


def assert_the_same_load_runs_again(scenario: Scenario, db: Path, state: str) -> None:
    """The killed load, run again, ends in the after-state (one more run when it had finished)."""
    load_files(db, "tickets", [scenario.export])
    assert data_tables(content(db)) == data_tables(scenario.after)
    con = duckdb.connect(str(db), read_only=True)
    try:
        runs = con.execute(
            "SELECT run_id, rows_read, inserted, updated, unchanged, quarantined FROM load_runs"
            " ORDER BY run_id"
        ).fetchall()
    finally:
        con.close()
    expected = [(2, BIG, BIG - 150, 150, 0, 0)]
    if state == "after":
        expected.append((3, BIG, 0, 0, BIG, 0))
    assert runs[1:] == expected


def kill(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    for stream in (proc.stdout, proc.stderr):
        if stream:
            stream.close()


def delays(seconds: float) -> list[float]:
    """Seeded kill times spread over the whole load: start-up, reading, writing and the swap."""
    rng = random.Random(20260105)
    return [rng.uniform(0.0, seconds * 1.1) for _ in range(RANDOM_KILLS)]


@pytest.mark.parametrize("run", range(RANDOM_KILLS))
def test_a_load_killed_at_a_random_moment_leaves_before_or_after_and_runs_again(
    scenario, tmp_path, run
):
    db = fresh_copy(scenario, tmp_path)
    proc = etl_load(db, scenario.export)
    time.sleep(delays(scenario.seconds)[run])
    kill(proc)
    state = state_after_kill(scenario, db)
    print(
        f"killed after {delays(scenario.seconds)[run]:.2f} s of {scenario.seconds:.2f} s: {state}"
    )
    ReadOnlyWarehouse(db).close()  # the file opens cleanly whatever the state
    assert_the_same_load_runs_again(scenario, db, state)


def test_a_load_killed_while_writing_its_private_copy_leaves_the_file_byte_for_byte(
    scenario, tmp_path
):
    db = fresh_copy(scenario, tmp_path)
    tmp = db.with_name(db.name + ".tmp")
    proc = etl_load(db, scenario.export)
    deadline = time.monotonic() + 60
    while not tmp.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    assert tmp.exists(), "the load never started writing"
    time.sleep(0.05)  # inside the copy or the merge
    kill(proc)
    assert state_after_kill(scenario, db) == "before"
    assert_the_same_load_runs_again(scenario, db, "before")
    assert not tmp.exists()


def test_a_load_killed_right_after_the_swap_leaves_the_finished_state(scenario, tmp_path):
    db = fresh_copy(scenario, tmp_path)
    original = file_key(db)
    proc = etl_load(db, scenario.export)
    deadline = time.monotonic() + 60
    while file_key(db) == original and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.0005)
    kill(proc)
    assert state_after_kill(scenario, db) == "after"
    assert_the_same_load_runs_again(scenario, db, "after")


def test_a_stale_private_copy_and_wal_from_a_killed_load_are_harmless(scenario, tmp_path):
    db = fresh_copy(scenario, tmp_path)
    db.with_name(db.name + ".tmp").write_bytes(b"half a warehouse" * 1000)
    db.with_name(db.name + ".tmp.wal").write_bytes(b"\x00garbage")
    reader = ReadOnlyWarehouse(db)
    assert reader.scalar("SELECT count(*) FROM tickets") == 300
    reader.close()
    assert_the_same_load_runs_again(scenario, db, "before")
    assert not db.with_name(db.name + ".tmp").exists()


# --- two loads at once ------------------------------------------------------------------


def order_states(pristine: Path, folder: Path, first: Path, second: Path) -> dict[str, str]:
    db = folder / f"{first.stem}-then-{second.stem}" / "warehouse.duckdb"
    db.parent.mkdir()
    shutil.copyfile(pristine, db)
    load_files(db, "tickets", [first])
    load_files(db, "tickets", [second])
    return content(db)


def test_two_loads_started_at_once_both_finish_one_after_the_other(scenario, tmp_path):
    # Both files hold tickets 0-2999 with their own subject: whichever runs last wins them.
    x = write_tickets(tmp_path / "x.csv", range(3000), "From x")
    y = write_tickets(tmp_path / "y.csv", range(3000), "From y")
    db = fresh_copy(scenario, tmp_path)
    procs = [etl_load(db, x), etl_load(db, y)]
    results = [p.communicate(timeout=180) for p in procs]
    codes = [p.returncode for p in procs]
    assert codes == [0, 0], [err.decode() for _, err in results]
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT file FROM load_runs ORDER BY run_id").fetchall()
    finally:
        con.close()
    files = [Path(f).name for (f,) in rows]
    assert files[1:] in (["x.csv", "y.csv"], ["y.csv", "x.csv"])
    first, second = (x, y) if files[1:] == ["x.csv", "y.csv"] else (y, x)
    expected = order_states(scenario.pristine, tmp_path, first, second)
    other = order_states(scenario.pristine, tmp_path, second, first)
    assert content(db) == expected
    assert data_tables(expected) != data_tables(other)  # the two orders are told apart


def test_a_writer_that_cannot_get_the_lock_in_time_fails_with_one_clear_line(scenario, tmp_path):
    db = fresh_copy(scenario, tmp_path)
    with open(db.with_name(db.name + ".lock"), "a+") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        with pytest.raises(WarehouseBusy) as caught, open_for_write(db, wait_seconds=0.3):
            pytest.fail("the second writer got in while the lock was held")
    message = str(caught.value)
    assert "\n" not in message and str(db) in message and "another load" in message
    assert db.read_bytes() == scenario.before_bytes
