"""The private copy's pages are written back on a thread while the load works on the copy."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import duckdb
import pytest

from warehouse import writer
from warehouse.writer import open_for_write

ADD = "INSERT INTO tickets (source, ticket_id, created_at) VALUES ('t', ?, now())"


def tickets(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM tickets").fetchone()[0]
    finally:
        con.close()


def test_the_copy_is_flushed_on_a_thread_and_a_failed_write_still_leaves_the_file(
    tmp_path, monkeypatch
):
    db = tmp_path / "support.duckdb"
    with open_for_write(db) as con:  # a new file: nothing copied, nothing to write back
        con.execute(ADD, ["1"])
    before = db.read_bytes()
    flushed: list[str] = []
    fsync = os.fsync

    def recording(fd: int) -> None:
        flushed.append(threading.current_thread().name)
        fsync(fd)

    monkeypatch.setattr(writer.os, "fsync", recording)
    with pytest.raises(RuntimeError), open_for_write(db) as con:
        con.execute(ADD, ["2"])
        raise RuntimeError("the load failed")
    assert db.read_bytes() == before  # build-then-swap: the live file as it was
    assert flushed == ["warehouse-write-back"]  # the copy's head start only, no swap
    assert not [t for t in threading.enumerate() if t.name == "warehouse-write-back"]
    flushed.clear()
    with open_for_write(db) as con:
        con.execute(ADD, ["2"])
    # the head start on the copy, then the copy and its folder before the swap, as before
    assert flushed[0] == "warehouse-write-back"
    assert flushed.count("MainThread") == 2
    assert tickets(db) == 2
    assert not [t for t in threading.enumerate() if t.name == "warehouse-write-back"]
