"""Schema versions: a warehouse made by the first schema is upgraded in place."""

from __future__ import annotations

import duckdb

from warehouse.reader import ReadOnlyWarehouse
from warehouse.schema import SCHEMA_VERSION, migrate
from warehouse.writer import open_for_write, upgrade_in_place


def make_first_schema_file(path) -> None:
    """A warehouse exactly as version 1 of the program left it, with one ticket in it."""
    con = duckdb.connect(str(path))
    migrate(con, target=1)
    con.execute(
        "INSERT INTO tickets (source, ticket_id, created_at, status) "
        "VALUES ('zendesk', 'T1', TIMESTAMPTZ '2026-01-05 09:00:00+00', 'open')"
    )
    con.execute("CHECKPOINT")
    con.close()


def test_a_version_1_file_is_upgraded_in_place_and_keeps_its_rows(db_path):
    make_first_schema_file(db_path)
    assert upgrade_in_place(db_path) == SCHEMA_VERSION
    wh = ReadOnlyWarehouse(db_path)
    assert wh.scalar("SELECT max(version) FROM schema_version") == SCHEMA_VERSION
    assert wh.query("SELECT ticket_id, status, escalated_at FROM tickets").rows() == [
        ("T1", "open", None)
    ]
    columns = set(wh.query("DESCRIBE messages")["column_name"])
    assert "sentiment_method" in columns


def test_a_load_into_an_old_file_upgrades_it_first(db_path):
    make_first_schema_file(db_path)
    with open_for_write(db_path) as con:
        con.execute(
            "UPDATE tickets SET via_bot = true, escalated_at = TIMESTAMPTZ '2026-01-05 10:00:00+00'"
        )
    wh = ReadOnlyWarehouse(db_path)
    assert wh.query("SELECT via_bot FROM tickets").rows() == [(True,)]


def test_migrating_a_current_file_does_nothing(db_path):
    with open_for_write(db_path):
        pass
    con = duckdb.connect(str(db_path))
    result = migrate(con)
    con.close()
    assert (result.found, result.now) == (SCHEMA_VERSION, SCHEMA_VERSION)


def test_the_canonical_spec_matches_the_schema(db_path):
    from etl.canonical import TABLES

    with open_for_write(db_path):
        pass
    wh = ReadOnlyWarehouse(db_path)
    for spec in TABLES.values():
        columns = set(wh.query(f'DESCRIBE "{spec.table}"')["column_name"])
        assert set(spec.storage_columns) == columns, spec.table


def test_quarantined_records_are_stored_with_zstd(tmp_path):
    # a mostly quarantined file writes a JSON record per row: ZSTD keeps that insert as fast
    # as the good rows' (bench/quarantine_load.py) and the column small
    db = tmp_path / "wh.duckdb"
    with open_for_write(db) as con:
        con.execute(
            "INSERT INTO quarantine SELECT 1, i, 'tickets', 'f.csv', '{\"id\": \"' || i || '\"}',"
            " 'bad' FROM range(1000) AS t(i)"
        )
    con = duckdb.connect(str(db), read_only=True)
    found = con.execute(
        "SELECT DISTINCT compression FROM pragma_storage_info('quarantine')"
        " WHERE column_name = 'raw' AND segment_type = 'VARCHAR'"
    ).fetchall()
    con.close()
    assert found == [("ZSTD",)]
