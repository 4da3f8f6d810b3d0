"""``python -m etl redact``: texts stored under older rules are scrubbed, once, and recorded."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest
from mnemonic import Mnemonic

from etl.pipeline import load_files
from etl.redact.scrub import scrub
from warehouse.reader import ReadOnlyWarehouse

ROOT = Path(__file__).resolve().parents[2]
# A Russian phrase (sha256(b"scrub")[:16]; no funds): rules version 1 stored it in clear.
RUSSIAN = Mnemonic("russian").to_mnemonic(hashlib.sha256(b"scrub").digest()[:16])
FIRST, SECOND = RUSSIAN.split(" ")[:6], RUSSIAN.split(" ")[6:]
MARK = "[seed phrase removed]"


def _old_warehouse(tmp_path: Path) -> Path:
    """A warehouse as rules version 1 left it: a Russian phrase in a body, in a survey comment
    and in a quarantined row, half a phrase in each of two messages of one sender."""
    db = tmp_path / "old.duckdb"
    export = tmp_path / "m.csv"
    pl.DataFrame(
        {
            "message_id": ["M1", "M2", "M3"],
            "conversation_id": ["C1"] * 3,
            "sent_at": [f"2026-01-05T09:0{i}:00Z" for i in range(3)],
            "sender_type": ["customer"] * 3,
            "body": ["hello", "words follow", "thanks"],
        }
    ).write_csv(export)
    load_files(db, "messages", [export])
    con = duckdb.connect(str(db))
    con.execute("UPDATE load_runs SET redaction_version = NULL")  # as loaded before schema 4
    con.execute("UPDATE messages SET body = ? WHERE message_id = 'M1'", [f"мои слова {RUSSIAN}"])
    con.execute("UPDATE messages SET body = ? WHERE message_id = 'M2'", [" ".join(FIRST)])
    con.execute("UPDATE messages SET body = ? WHERE message_id = 'M3'", [" ".join(SECOND)])
    con.execute("INSERT INTO surveys VALUES ('default', 'T1', 2, NULL, ?)", [f"comment: {RUSSIAN}"])
    con.execute(
        "INSERT INTO quarantine VALUES (1, 9, 'messages', 'm.csv', ?, 'sent_at is empty')",
        [json.dumps({"body": RUSSIAN}, ensure_ascii=False)],
    )
    con.close()
    return db


def _etl(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "etl", *args], capture_output=True, text=True, env=env, cwd=ROOT
    )


def test_a_scrub_removes_what_older_rules_stored_and_reports_it_per_column(tmp_path):
    db = _old_warehouse(tmp_path)
    report = scrub(db)
    assert report.removed == {
        ("messages", "body"): {"seed_phrase": 1},
        ("surveys", "comment"): {"seed_phrase": 1},
        ("quarantine", "raw"): {"seed_phrase": 1},
        ("messages", "body (split over messages)"): {"seed_phrase": 1},
    }
    wh = ReadOnlyWarehouse(db)
    bodies = wh.query("SELECT body FROM messages ORDER BY message_id")["body"].to_list()
    assert bodies == [f"мои слова {MARK}", MARK, MARK]
    assert wh.query("SELECT comment FROM surveys").item() == f"comment: {MARK}"
    assert RUSSIAN.split(" ")[0] not in wh.query("SELECT raw FROM quarantine").item()
    runs = wh.query("SELECT version, removed FROM redaction_runs").rows()
    assert [v for v, _ in runs] == [2]
    assert json.loads(runs[0][1])["surveys.comment"] == {"seed_phrase": 1}


def test_a_second_scrub_removes_nothing(tmp_path):
    db = _old_warehouse(tmp_path)
    scrub(db)
    before = ReadOnlyWarehouse(db).query("SELECT * FROM messages ORDER BY message_id")
    again = scrub(db)
    assert (again.removed, again.total) == ({}, 0)
    assert ReadOnlyWarehouse(db).query("SELECT * FROM messages ORDER BY message_id").equals(before)


def test_the_command_prints_what_it_removed_then_nothing(tmp_path):
    db = _old_warehouse(tmp_path)
    first = _etl("redact", "--db", str(db))
    assert first.returncode == 0, first.stderr
    assert "Removed by redaction rules version 2" in first.stdout
    assert "surveys.comment" in first.stdout and "seed phrase" in first.stdout
    second = _etl("redact", "--db", str(db))
    assert second.returncode == 0
    assert "nothing left to remove" in second.stdout


def test_the_command_names_a_missing_warehouse_in_one_line(tmp_path):
    result = _etl("redact", "--db", str(tmp_path / "none.duckdb"))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "none.duckdb" in result.stderr


def test_a_load_into_a_warehouse_with_older_rules_says_so_until_it_is_scrubbed(tmp_path):
    db = _old_warehouse(tmp_path)
    export = tmp_path / "more.csv"
    pl.DataFrame(
        {
            "message_id": ["M9"],
            "conversation_id": ["C2"],
            "sent_at": ["2026-01-06T09:00:00Z"],
            "sender_type": ["customer"],
            "body": ["hi"],
        }
    ).write_csv(export)
    (report,) = load_files(db, "messages", [export])
    assert len(report.notes) == 1 and "python -m etl redact --db" in report.notes[0]
    assert "rules version 1 (now 2)" in report.notes[0]
    scrub(db)
    (after,) = load_files(db, "messages", [export])
    assert after.notes == []


@pytest.mark.parametrize("table", ["tickets", "messages", "surveys", "quarantine"])
def test_every_free_text_column_of_the_schema_is_scrubbed(table):
    from etl.redact.scrub import TEXT_COLUMNS

    assert table in {t for t, _ in TEXT_COLUMNS}
