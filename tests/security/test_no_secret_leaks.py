"""Secrets pasted by customers never leave a trace: not in the stored rows, not in quarantined
rows or their reasons, not in load_runs, not in the printed load report or progress output,
not in an error line. A leak is any four consecutive words of the seed phrase or any 16
consecutive characters of a key."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pytest
from security_support import run_main

from etl.__main__ import main as etl_main

# Mnemonic("english").to_mnemonic(sha256(b"support-12").digest()[:16]) and a well-known test key
SEED = "crystal travel submit bicycle neither rigid question loop unique model clap hour"
KEY = "0c28fca386c7a227600b2fe50b7cae11ec86d3bf1fbe471be89827e19d72aa1d"
WIF = "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ"
NUMBERED = "\n".join(f"{i}. {w}" for i, w in enumerate(SEED.split(), 1))
_WORD = re.compile(r"[a-z]+")


def leaks(text: str) -> list[str]:
    """The secret fragments found in ``text``."""
    found = []
    words, tokens = SEED.split(), _WORD.findall(text.lower())
    grams = {tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3)}
    if any(tuple(words[i : i + 4]) in grams for i in range(len(words) - 3)):
        found.append("seed phrase")
    for name, key in (("hex key", KEY), ("WIF key", WIF.lower())):
        if any(key[i : i + 16] in text.lower() for i in range(len(key) - 15)):
            found.append(name)
    return found


def stored_text(db: Path) -> str:
    """Every text value in every table of the warehouse, one per line."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        columns = con.execute(
            "SELECT table_name, column_name FROM duckdb_columns()"
            " WHERE database_name = current_database() AND schema_name = 'main'"
            " AND data_type = 'VARCHAR'"
        ).fetchall()
        values = []
        for table, column in columns:
            rows = con.execute(f'SELECT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL')
            values += [v for (v,) in rows.fetchall()]
        return "\n".join(values)
    finally:
        con.close()


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    import csv

    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_the_helper_finds_each_secret():
    assert leaks(f"x {SEED} y") == ["seed phrase"]
    assert leaks(KEY[:20]) == ["hex key"] and leaks(WIF) == ["WIF key"]
    assert leaks("crystal travel submit please") == []


@pytest.fixture
def loaded(tmp_path: Path, db_path: Path) -> tuple[Path, str]:
    """A tickets file whose secret-bearing rows are quarantined (bad dates, bad status, ragged),
    loaded through the CLI with progress output on; returns the warehouse and all output."""
    export = write_csv(
        tmp_path / "tickets.csv",
        [
            ["ticket_id", "created_at", "status", "subject"],
            ["T1", "2026-01-05T09:00:00Z", "open", f"my seed is {SEED} help"],
            ["T2", "yesterday", "open", f"words:\n{NUMBERED}"],
            ["T3", "2026-01-05T10:00:00Z", "stolen", f"key {KEY}"],
            ["T4", "soon", "open", f"wif {WIF}"],
            ["T5", "2026-01-05T11:00:00Z", "open", f"0x{KEY}", "extra field", SEED],
        ],
    )
    code, out, err = run_main(etl_main, "load", "tickets", str(export), "--db", str(db_path))
    assert code == 0, err
    return db_path, out + err


def test_no_secret_reaches_any_table_quarantine_included(loaded):
    db, _ = loaded
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 4
        assert con.execute("SELECT count(*) FROM tickets").fetchone()[0] == 1
    finally:
        con.close()
    assert leaks(stored_text(db)) == []


def test_no_secret_in_the_printed_load_report_or_progress(loaded):
    _, output = loaded
    assert "Load report" in output
    assert leaks(output) == []


def test_quarantine_reasons_and_load_runs_hold_no_secret(loaded):
    db, _ = loaded
    con = duckdb.connect(str(db), read_only=True)
    try:
        reasons = [r for (r,) in con.execute("SELECT reason FROM quarantine").fetchall()]
        messages = [m or "" for (m,) in con.execute("SELECT message FROM load_runs").fetchall()]
    finally:
        con.close()
    assert leaks("\n".join(reasons + messages)) == []


@pytest.mark.parametrize("cell", [SEED, KEY, f"0x{KEY}"], ids=["seed", "hex", "0x-hex"])
@pytest.mark.parametrize("column", ["created_at", "status"])
def test_a_secret_pasted_into_a_checked_column_is_not_quoted_in_the_reason(
    tmp_path, db_path, column, cell
):
    row = {"ticket_id": "T1", "created_at": "2026-01-05T09:00:00Z", "status": "open", column: cell}
    export = write_csv(tmp_path / "shifted.csv", [list(row), list(row.values())])
    code, out, err = run_main(etl_main, "load", "tickets", str(export), "--db", str(db_path))
    assert code == 0, err
    assert leaks(out + err) == []
    assert leaks(stored_text(db_path)) == []


def messages_without_header(folder: Path) -> list[str]:
    """A headerless chat export: its first row, secret included, is read as the header."""
    row = ["M1", "C1", "2026-01-05T09:00:00Z", "customer", f"seed: {SEED}"]
    return [str(write_csv(folder / "chat.csv", [row]))]


def one_object_with_secret_keys(folder: Path) -> list[str]:
    path = folder / "chat.json"
    path.write_text(json.dumps({SEED: 1, KEY: 2}) + "\n", encoding="utf-8")
    return [str(path)]


def a_mapping_naming_a_missing_column(folder: Path) -> list[str]:
    mapping = folder / "m.toml"
    mapping.write_text('kind = "messages"\n[columns]\nbody = "text"\n', encoding="utf-8")
    return [*messages_without_header(folder), "--mapping", str(mapping)]


@pytest.mark.parametrize(
    "make",
    [messages_without_header, one_object_with_secret_keys, a_mapping_naming_a_missing_column],
)
def test_an_unusable_file_is_named_without_quoting_a_secret(tmp_path, db_path, make):
    code, out, err = run_main(etl_main, "load", "messages", *make(tmp_path), "--db", str(db_path))
    assert code == 2, err
    assert leaks(out + err) == []
