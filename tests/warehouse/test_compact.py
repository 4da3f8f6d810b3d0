"""A write that replaces most of the file leaves no freed blocks behind for later loads to copy."""

from __future__ import annotations

import stat
from pathlib import Path

import duckdb

from warehouse.writer import open_for_write

MANY = (
    "INSERT INTO tickets (source, ticket_id, created_at, subject) "
    "SELECT 't', range::VARCHAR, now(), repeat(md5(range::VARCHAR), 8) FROM range(200000)"
)


def shape(db: Path) -> tuple[int, int, int]:
    """(tickets, free blocks, data version) of ``db``."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tickets = con.execute("SELECT count(*) FROM tickets").fetchone()[0]
        free = con.execute("SELECT free_blocks FROM pragma_database_size()").fetchone()[0]
        version = con.execute("SELECT data_version FROM warehouse_state").fetchone()[0]
        return tickets, free, version
    finally:
        con.close()


def test_a_compacting_write_drops_the_freed_blocks_a_plain_write_keeps(tmp_path):
    db = tmp_path / "support.duckdb"
    with open_for_write(db) as con:
        con.execute(MANY)  # 200,000 subjects of 256 characters: most of the file
    db.chmod(0o600)
    with open_for_write(db) as con:  # a plain write: the deleted rows' blocks stay in the file
        con.execute("DELETE FROM tickets WHERE ticket_id::INTEGER >= 10")
    tickets, free, _ = shape(db)
    assert tickets == 10 and free > 0
    large = db.stat().st_size

    with open_for_write(db, compact=True) as con:
        con.execute("INSERT INTO tickets (source, ticket_id, created_at) VALUES ('t', 'x', now())")

    # the 10 kept tickets and the one added: 11; three writes counted up the data version
    assert shape(db) == (11, 0, 3)
    assert db.stat().st_size < large / 4
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert not list(db.parent.glob("*.compact")) and not (tmp_path / "support.duckdb.tmp").exists()
