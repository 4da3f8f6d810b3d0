"""`python -m etl load` on unusable input: exit 2, one line naming the file, warehouse untouched."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_etl(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "etl", *args], capture_output=True, text=True, env=env, cwd=ROOT
    )


@pytest.fixture
def good_export(tmp_path: Path) -> Path:
    path = tmp_path / "good.csv"
    path.write_text("ticket_id,created_at\nT1,2026-01-05T09:00:00Z\n", encoding="utf-8")
    return path


def assert_one_clear_line(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_a_good_file_loads_and_prints_a_report(good_export, db_path):
    result = run_etl("load", "tickets", str(good_export), "--db", str(db_path), "--quiet")
    assert result.returncode == 0, result.stderr
    assert "Load report" in result.stdout and "good.csv" in result.stdout


def test_a_missing_file_is_named(tmp_path, db_path):
    result = run_etl("load", "tickets", str(tmp_path / "nope.csv"), "--db", str(db_path))
    assert_one_clear_line(result, "nope.csv")
    assert not db_path.exists()


def test_an_empty_file_is_named(tmp_path, db_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert_one_clear_line(run_etl("load", "tickets", str(empty), "--db", str(db_path)), "empty.csv")
    assert not db_path.exists()


def test_an_unknown_kind_lists_the_kinds(good_export, db_path):
    result = run_etl("load", "tikets", str(good_export), "--db", str(db_path))
    assert_one_clear_line(result, "tikets", "tickets, messages")


def test_a_missing_required_column_is_named(tmp_path, db_path):
    export = tmp_path / "nodate.csv"
    export.write_text("ticket_id,status\nT1,open\n", encoding="utf-8")
    result = run_etl("load", "tickets", str(export), "--db", str(db_path))
    assert_one_clear_line(result, "nodate.csv", "created_at")


def test_a_mapping_naming_an_absent_column_is_named(tmp_path, good_export, db_path):
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        'kind = "tickets"\n[columns]\nticket_id = "Ticket Number"\n', encoding="utf-8"
    )
    result = run_etl(
        "load", "tickets", str(good_export), "--db", str(db_path), "--mapping", str(mapping)
    )
    assert_one_clear_line(result, "good.csv", "Ticket Number")


def test_an_unreadable_encoding_is_named(tmp_path, db_path):
    export = tmp_path / "binary.csv"
    export.write_bytes(bytes(range(256)) * 40)
    assert_one_clear_line(
        run_etl("load", "tickets", str(export), "--db", str(db_path)), "binary.csv"
    )


def test_an_unusable_second_file_leaves_the_warehouse_untouched(tmp_path, good_export, db_path):
    assert (
        run_etl("load", "tickets", str(good_export), "--db", str(db_path), "--quiet").returncode
        == 0
    )
    before = db_path.read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_text("status\nopen\n", encoding="utf-8")
    other = tmp_path / "other.csv"
    other.write_text("ticket_id,created_at\nT9,2026-01-05T09:00:00Z\n", encoding="utf-8")
    result = run_etl("load", "tickets", str(other), str(bad), "--db", str(db_path))
    assert_one_clear_line(result, "bad.csv")
    assert db_path.read_bytes() == before
