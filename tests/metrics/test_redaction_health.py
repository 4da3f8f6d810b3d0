"""Data health says under which redaction rules stored texts were cleaned, and the last scrub."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from metrics.reports.redaction_health import redaction_status
from warehouse.reader import ReadOnlyWarehouse
from warehouse.redaction_version import REDACTION_VERSION
from warehouse.writer import open_for_write


def _load(con, run_id: int, day: int, version: int | None) -> None:
    con.execute(
        "INSERT INTO load_runs (run_id, kind, file, started_at, rows_read, inserted, updated,"
        " unchanged, quarantined, status, redaction_version)"
        " VALUES (?, 'messages', 'f.csv', ?, 1, 1, 0, 0, 0, 'ok', ?)",
        [run_id, datetime(2026, 1, day, 9, tzinfo=UTC), version],
    )


def test_a_warehouse_never_loaded_is_up_to_date_and_never_scrubbed(db_path):
    with open_for_write(db_path):
        pass
    row = redaction_status(ReadOnlyWarehouse(db_path)).row(0, named=True)
    assert row == {
        "current_version": REDACTION_VERSION, "last_scrub_at": None, "last_scrub_version": None,
        "last_scrub_removed": None, "loads": 0, "loads_under_older_rules": 0,
        "oldest_rules_version": None, "up_to_date": True,
    }  # fmt: skip


def test_loads_under_older_rules_count_until_a_scrub_with_the_current_rules(db_path):
    with open_for_write(db_path) as con:
        _load(con, 1, 5, None)  # loaded before rules were recorded: version 1
        _load(con, 2, 6, REDACTION_VERSION)
    row = redaction_status(ReadOnlyWarehouse(db_path)).row(0, named=True)
    # run 1 only: run 2 used the current rules
    assert (row["loads"], row["loads_under_older_rules"], row["oldest_rules_version"]) == (2, 1, 1)
    assert row["up_to_date"] is False
    removed = json.dumps({"messages.body": {"seed_phrase": 3}})
    with open_for_write(db_path) as con:
        con.execute(
            "INSERT INTO redaction_runs VALUES (?, ?, ?)",
            [datetime(2026, 1, 7, tzinfo=UTC), REDACTION_VERSION, removed],
        )
        _load(con, 3, 8, 1)  # after the scrub, under old rules again (an older program)
    row = redaction_status(ReadOnlyWarehouse(db_path)).row(0, named=True)
    assert row["last_scrub_at"] == datetime(2026, 1, 7, tzinfo=UTC)
    assert (row["last_scrub_version"], row["last_scrub_removed"]) == (REDACTION_VERSION, removed)
    assert (row["loads_under_older_rules"], row["up_to_date"]) == (1, False)
