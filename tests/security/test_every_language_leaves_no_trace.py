"""A seed phrase in any language, SLIP-39 share or Monero seed pasted into a chat leaves no
trace in any stored column: kept rows, quarantined rows, or a phrase split over two messages.
A leak is any four consecutive words (characters, in Chinese) of a phrase."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import duckdb
from bip_utils import MoneroLanguages, MoneroMnemonicEncoder
from mnemonic import Mnemonic
from security_support import run_main
from shamir_mnemonic import generate_mnemonics

from etl.__main__ import main as etl_main
from etl.redact.wordlists import list_form
from etl.redact.words import word_tokens


def _digest(label: str, size: int = 16) -> bytes:
    return hashlib.sha256(label.encode()).digest()[:size]


def phrases() -> dict[str, str]:
    """One genuine phrase per list (made from fixed digests: no funds)."""
    found = {}
    for language in Mnemonic.list_languages():
        words = (
            Mnemonic(language).to_mnemonic(_digest(language)).split(Mnemonic(language).delimiter)
        )
        found[language] = "\u3000".join(list_form(w) if "\ufffd" in w else w for w in words)
    found["slip39"] = generate_mnemonics(1, [(1, 1)], _digest("slip39"), b"", True, 1)[0][0]
    monero = MoneroMnemonicEncoder(MoneroLanguages.SPANISH)
    found["monero"] = monero.EncodeWithChecksum(_digest("monero", 32)).ToStr()
    return found


def leaked(phrase: str, stored: str) -> bool:
    words, tokens = word_tokens(phrase), word_tokens(stored)
    grams = {tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3)}
    return any(tuple(words[i : i + 4]) in grams for i in range(len(words) - 3))


def stored_text(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        columns = con.execute(
            "SELECT table_name, column_name FROM duckdb_columns()"
            " WHERE database_name = current_database() AND data_type = 'VARCHAR'"
        ).fetchall()
        return "\n".join(
            v
            for table, column in columns
            for (v,) in con.execute(f'SELECT "{column}" FROM "{table}"').fetchall()  # noqa: S608
            if v
        )
    finally:
        con.close()


def test_no_phrase_of_any_list_reaches_the_warehouse(tmp_path, db_path):
    found = phrases()
    rows = [["message_id", "conversation_id", "sent_at", "sender_type", "body"]]
    for n, (name, phrase) in enumerate(found.items()):
        sent = "yesterday" if name == "russian" else f"2026-01-05T09:{n:02d}:00Z"  # quarantined
        rows.append([f"M{n}", f"C{n}", sent, "customer", f"my words ({name}): {phrase} help"])
    english = found["english"].split("\u3000")
    rows.append(["S1", "CS", "2026-01-05T10:00:00Z", "customer", " ".join(english[:6])])
    rows.append(["S2", "CS", "2026-01-05T10:01:00Z", "customer", " ".join(english[6:])])
    export = tmp_path / "chat.csv"
    with open(export, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    code, _, err = run_main(etl_main, "load", "messages", str(export), "--db", str(db_path))
    assert code == 0, err
    stored = stored_text(db_path)
    # the Russian row was quarantined (bad sent_at): its raw JSON is stored, redacted
    assert '"body":"my words (russian): [seed phrase removed] help"' in stored
    assert [name for name, phrase in found.items() if leaked(phrase, stored)] == []
    assert stored.count("[seed phrase removed]") >= len(found) + 2
