"""bench.dataset.compact: the cached warehouse rewritten without free blocks, rows unchanged."""

from __future__ import annotations

import stat
from pathlib import Path

import duckdb

from bench.dataset import compact


def test_compacting_drops_the_freed_blocks_and_keeps_every_row_and_the_mode(tmp_path: Path) -> None:
    db = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(db))
    # 2M rows of a dropped table leave its blocks free in the file; 1,000 rows stay.
    con.execute(
        "CREATE TABLE dropped AS SELECT range AS n, md5(range::VARCHAR) AS h FROM range(2000000)"
    )
    con.execute("CHECKPOINT")
    con.execute("CREATE TABLE kept AS SELECT range AS n FROM range(1000)")
    con.execute("DROP TABLE dropped")
    con.execute("CHECKPOINT")
    con.close()
    db.chmod(0o600)
    before = db.stat().st_size

    compact(db)

    assert db.stat().st_size < before / 4  # the dropped table's 2M hashes were most of it
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    con = duckdb.connect(str(db), read_only=True)
    # kept: 0 + 1 + ... + 999 = 999 * 1000 / 2 = 499,500
    assert con.execute("SELECT count(*), sum(n) FROM kept").fetchone() == (1000, 499500)
    assert con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'dropped'"
    ).fetchone() == (0,)
    con.close()
    assert not (tmp_path / "warehouse.duckdb.compact").exists()
