"""Schema 3: no PRIMARY KEY indexes; the load still keeps exactly one row per key.

A warehouse of schema 1 or 2 is copied table by table into a fresh file on its
first load (in place the indexes' blocks would stay in the file), keeping every
row, in order, and its version history.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl.pipeline import load_files
from warehouse.reader import ReadOnlyWarehouse
from warehouse.schema import DATA_TABLES, SCHEMA_VERSION, migrate
from warehouse.writer import open_for_write, upgrade_in_place

HEADER = "ticket_id,created_at,status,subject,updated_at\n"
COLUMNS = (
    "SELECT table_name, column_name, data_type, is_nullable FROM duckdb_columns()"
    " WHERE database_name = current_database() AND NOT internal ORDER BY table_name, column_index"
)


def _keys(db: Path) -> tuple[int, int]:
    wh = ReadOnlyWarehouse(db)
    return (
        int(wh.scalar("SELECT count(*) FROM tickets")),
        int(wh.scalar("SELECT count(DISTINCT (source, ticket_id)) FROM tickets")),
    )


def test_a_new_warehouse_has_no_key_indexes(db_path):
    with open_for_write(db_path):
        pass
    con = duckdb.connect(str(db_path), read_only=True)
    kinds = con.execute(
        "SELECT table_name, constraint_type FROM duckdb_constraints()"
        " WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE')"
    ).fetchall()
    assert [table for table, _ in kinds if table in DATA_TABLES] == []
    assert con.execute("SELECT count(*) FROM duckdb_indexes()").fetchone() == (0,)


def test_reloading_and_repeated_keys_keep_one_row_per_key(tmp_path, db_path):
    first = tmp_path / "first.csv"
    first.write_text(
        HEADER
        + "T1,2026-01-05T09:00:00Z,open,a,2026-01-05T09:00:00Z\n"
        + "T2,2026-01-05T10:00:00Z,open,b,2026-01-05T10:00:00Z\n"
        + "T2,2026-01-05T10:00:00Z,solved,b,2026-01-05T12:00:00Z\n",  # T2 again, newer
        encoding="utf-8",
    )
    load_files(db_path, "tickets", [first])
    assert _keys(db_path) == (2, 2)
    again = load_files(db_path, "tickets", [first])[0]
    assert (again.inserted, again.updated, again.unchanged, again.quarantined) == (0, 0, 2, 1)
    assert _keys(db_path) == (2, 2)
    second = tmp_path / "second.csv"
    second.write_text(
        HEADER
        + "T3,2026-01-06T09:00:00Z,open,c,2026-01-06T09:00:00Z\n"
        + "T1,2026-01-05T09:00:00Z,closed,a,2026-01-07T09:00:00Z\n"  # stored key, newer
        + "T3,2026-01-06T09:00:00Z,pending,c,2026-01-06T08:00:00Z\n"  # repeated, older
        + "T4,2026-01-06T09:00:00Z,open,d,2026-01-06T09:00:00Z\n"
        + "T4,yesterday,solved,d,2026-01-06T10:00:00Z\n",  # repeated, but unusable
        encoding="utf-8",
    )
    report = load_files(db_path, "tickets", [second])[0]
    assert (report.inserted, report.updated, report.quarantined) == (2, 1, 2)
    assert _keys(db_path) == (4, 4)
    rows = ReadOnlyWarehouse(db_path).query("SELECT ticket_id, status FROM tickets ORDER BY 1")
    assert rows.rows() == [("T1", "closed"), ("T2", "solved"), ("T3", "open"), ("T4", "open")]
    reasons = ReadOnlyWarehouse(db_path).query(
        "SELECT row_number, reason FROM quarantine WHERE run_id = 3 ORDER BY 1"
    )
    assert reasons.rows() == [
        (3, 'ticket_id "T3" repeats row 1, which was kept'),
        (5, 'created_at "yesterday" is not a date-time (expected ISO 8601 or epoch seconds)'),
    ]


def _version_2_file(path: Path, tickets: int) -> None:
    """A warehouse as schema 2 left it: key indexes, rows in several tables, two loads."""
    con = duckdb.connect(str(path))
    migrate(con, target=2)
    con.execute(
        "INSERT INTO tickets (source, ticket_id, created_at, status, tags, via_bot)"
        " SELECT 'zendesk', 'T' || i, TIMESTAMPTZ '2026-01-05 09:00:00+00' + INTERVAL (i) SECOND,"
        " 'open', ['a', 'b'], i % 2 = 0 FROM range($n) t(i) ORDER BY i DESC",
        {"n": tickets},
    )
    con.execute(
        "INSERT INTO messages (source, message_id, conversation_id, sender_type, body, sentiment)"
        " VALUES ('chat', 'M1', 'C1', 'customer', 'hello', 0.5)"
    )
    for run in (1, 2):
        con.execute(
            "INSERT INTO load_runs (run_id, kind, file, started_at, rows_read, inserted, updated,"
            " unchanged, quarantined, status, mapping) VALUES"
            " ($run, 'tickets', 'f.csv', now(), 1, 1, 0, 0, 0, 'ok', 'm')",
            {"run": run},
        )
    con.execute("INSERT INTO quarantine VALUES (1, 3, 'tickets', 'f.csv', '{}', 'x is empty')")
    con.execute("CHECKPOINT")
    con.close()


def _dump(path: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(path), read_only=True)
    tables = ("tickets", "messages", "load_runs", "quarantine", "schema_version")
    dump = {t: con.execute(f"SELECT * FROM {t}").fetchall() for t in tables}  # noqa: S608
    con.close()
    return dump


def test_a_version_2_file_is_rebuilt_without_indexes_keeping_every_row(tmp_path, db_path):
    _version_2_file(db_path, tickets=200_000)
    before, size_before = _dump(db_path), db_path.stat().st_size
    assert upgrade_in_place(db_path) == SCHEMA_VERSION >= 4
    after = _dump(db_path)
    for table in ("tickets", "quarantine"):
        assert after[table] == before[table], table  # same rows, same order
    # load_runs gained redaction_version (schema 4), null for the loads before it
    assert [row[:-1] for row in after["load_runs"]] == before["load_runs"]
    assert {row[-1] for row in after["load_runs"]} == {None}
    # schema 8 adds messages.agent_sentiment (null for the rows stored before it)
    assert after["messages"] == [(*row, None) for row in before["messages"]]
    assert after["schema_version"][:2] == before["schema_version"]
    assert [v for v, _ in after["schema_version"]] == list(range(1, SCHEMA_VERSION + 1))
    fresh = tmp_path / "fresh.duckdb"
    with open_for_write(fresh):
        pass
    con_new = duckdb.connect(str(db_path), read_only=True)
    con_fresh = duckdb.connect(str(fresh), read_only=True)
    assert con_new.execute(COLUMNS).fetchall() == con_fresh.execute(COLUMNS).fetchall()
    assert con_new.execute("SELECT count(*) FROM duckdb_indexes()").fetchone() == (0,)
    con_new.close()
    con_fresh.close()
    assert db_path.stat().st_size < size_before  # the index blocks are gone, not just freed


def test_migrating_a_version_2_connection_in_place_also_drops_the_indexes(tmp_path):
    path = tmp_path / "old.duckdb"
    _version_2_file(path, tickets=10)
    before = _dump(path)
    con = duckdb.connect(str(path))
    result = migrate(con)
    assert (result.found, result.now) == (2, SCHEMA_VERSION)
    assert con.execute("SELECT count(*) FROM duckdb_indexes()").fetchone() == (0,)
    con.close()
    after = _dump(path)
    assert {t: after[t] for t in ("tickets", "quarantine")} == {
        t: before[t] for t in ("tickets", "quarantine")
    }
    assert [row[:-1] for row in after["load_runs"]] == before["load_runs"]
    # schema 5 adds messages.agent_sentiment, null for the rows stored before it
    assert after["messages"] == [(*row, None) for row in before["messages"]]
