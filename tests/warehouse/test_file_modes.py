"""Private by default: warehouse files and everything a load writes beside them."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from warehouse.reader import ReadOnlyWarehouse
from warehouse.writer import open_for_write


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The most permissive usual umask (022 gives 0644 files): the writer must not rely on it."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def insert_ticket(con, ticket_id: str) -> None:
    con.execute(
        "INSERT INTO tickets (source, ticket_id, created_at) VALUES ('t', ?, '2026-01-05 09:00+00')",
        [ticket_id],
    )


def test_a_new_warehouse_is_readable_by_its_owner_only(tmp_path, open_umask):
    db = tmp_path / "support.duckdb"
    with open_for_write(db) as con:
        insert_ticket(con, "T1")
    assert mode(db) == 0o600
    assert mode(tmp_path / "support.duckdb.lock") == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["support.duckdb", "support.duckdb.lock"]


def test_while_loading_the_copy_and_its_wal_sit_in_an_owner_only_folder(tmp_path, open_umask):
    db = tmp_path / "support.duckdb"
    with open_for_write(db) as con:
        insert_ticket(con, "T1")
    with open_for_write(db) as con:
        insert_ticket(con, "T2")  # written, not yet checkpointed: DuckDB keeps it in a WAL
        work = tmp_path / "support.duckdb.tmp"
        assert mode(work) == 0o700
        inside = {p.name: mode(p) for p in work.iterdir()}
        assert inside["support.duckdb"] == 0o600
        assert set(inside) <= {"support.duckdb", "support.duckdb.wal", "support.duckdb.tmp"}
    assert not work.exists()


def test_an_existing_warehouse_keeps_its_mode_across_the_swap(tmp_path, open_umask):
    db = tmp_path / "support.duckdb"
    with open_for_write(db) as con:
        insert_ticket(con, "T1")
    os.chmod(db, 0o640)  # e.g. shared with a group that runs the dashboard
    with open_for_write(db) as con:
        insert_ticket(con, "T2")
    assert mode(db) == 0o640
    reader = ReadOnlyWarehouse(db)
    assert reader.scalar("SELECT count(*) FROM tickets") == 2
    reader.close()


def test_a_failed_load_leaves_no_copy_and_the_mode_as_it_was(tmp_path, open_umask):
    db = tmp_path / "support.duckdb"
    with open_for_write(db) as con:
        insert_ticket(con, "T1")
    before = db.read_bytes()
    with pytest.raises(RuntimeError), open_for_write(db) as con:
        insert_ticket(con, "T2")
        raise RuntimeError("the load failed half way")
    assert db.read_bytes() == before and mode(db) == 0o600
    assert not (tmp_path / "support.duckdb.tmp").exists()
