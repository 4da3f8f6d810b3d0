"""Writers other than a load keep the facts too: the redaction scrub and ``python -m etl facts``."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import polars as pl
from facts_support import compare_every_metric
from mnemonic import Mnemonic

from etl.pipeline import load_files
from etl.redact.scrub import scrub
from metrics.core.settings import load_settings
from metrics.facts import refresh_facts
from warehouse.reader import ReadOnlyWarehouse
from warehouse.writer import open_for_write

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = load_settings()
# A Russian BIP39 phrase (sha256(b"facts")[:16]; no funds), as older rules stored it.
PHRASE = Mnemonic("russian").to_mnemonic(hashlib.sha256(b"facts").digest()[:16])


def _warehouse_with_a_phrase_in_its_facts(tmp_path: Path) -> Path:
    db = tmp_path / "w.duckdb"
    tickets = tmp_path / "t.csv"
    pl.DataFrame(
        {
            "ticket_id": ["T1", "T2"],
            "created_at": ["2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z"],
            "customer_id": ["C1", "C2"],
            "status": ["solved", "solved"],
        }
    ).write_csv(tickets)
    load_files(db, "tickets", [tickets], settings=SETTINGS)
    with open_for_write(db) as con:  # stored before the rules knew better
        con.execute("INSERT INTO surveys VALUES ('default', 'T1', 1, NULL, ?)", [f"awful {PHRASE}"])
        refresh_facts(con, SETTINGS)
    return db


def test_the_scrub_updates_the_facts_that_carry_the_texts_it_changes(tmp_path):
    db = _warehouse_with_a_phrase_in_its_facts(tmp_path)
    wh = ReadOnlyWarehouse(db)
    assert (
        PHRASE in wh.query("SELECT csat_comment FROM fact_contacts WHERE contact_id = 'T1'").item()
    )
    assert PHRASE in wh.query("SELECT text FROM fact_negative_texts").item()
    report = scrub(db, settings=SETTINGS)
    assert report.facts.startswith("derived facts refreshed")
    wh = ReadOnlyWarehouse(db)
    comment = wh.query("SELECT csat_comment FROM fact_contacts WHERE contact_id = 'T1'").item()
    assert PHRASE not in comment and "removed" in comment
    assert PHRASE not in wh.query("SELECT text FROM fact_negative_texts").item()
    modes = dict(wh.query("SELECT name, mode FROM fact_builds").rows())
    assert modes["fact_contacts"] == "incremental" and modes["fact_agent_reply_gaps"] == "unchanged"
    assert compare_every_metric(db, SETTINGS, ("channel",)) == []


def test_the_facts_command_rebuilds_what_other_settings_change(tmp_path):
    db = _warehouse_with_a_phrase_in_its_facts(tmp_path)
    settings = tmp_path / "settings.toml"
    settings.write_text("[windows]\nfcr_days = 2\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "etl", "facts", "--db", str(db), "--settings", str(settings)],
        capture_output=True, text=True, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(": ", 1) for line in done.stdout.splitlines()[:-1])
    # the contact fact and every fact built on it depend on the FCR window; the others do not
    assert lines["contacts"].startswith("full") and lines["retention"].startswith("full")
    assert lines["agent_reply_gaps"].startswith("unchanged")
    assert done.stdout.splitlines()[-1].startswith("derived facts refreshed")
    assert compare_every_metric(db, load_settings(settings), ("channel",)) == []


def _warehouse_with_messages(tmp_path: Path) -> Path:
    db = tmp_path / "m.duckdb"
    messages = tmp_path / "m.csv"
    pl.DataFrame(
        {
            "message_id": ["M1", "M2", "M3"],
            "conversation_id": ["C1", "C1", "C1"],
            "sender_type": ["customer", "agent", "customer"],
            "sender_id": ["U1", "A1", "U1"],
            "sent_at": ["2026-01-05T09:00:00Z", "2026-01-05T09:05:00Z", "2026-01-05T09:09:00Z"],
            "body": ["This is useless, it still does not work", "Hello, sorry!", "Thanks a lot"],
        }
    ).write_csv(messages)
    load_files(db, "messages", [messages], settings=SETTINGS)
    return db


def _current(db: Path) -> set[tuple[str, bool]]:
    """Per stored fact: is it stamped for the file's current data version?"""
    wh = ReadOnlyWarehouse(db)
    version = wh.query("SELECT data_version FROM warehouse_state").item()
    rows = wh.query("SELECT name, data_version FROM fact_builds").rows()
    return {(name, built == version) for name, built in rows}


def test_a_sentiment_rescore_keeps_the_facts_current_and_equal_to_the_lazy_path(tmp_path):
    from etl.rescore import rescore

    db = _warehouse_with_messages(tmp_path)
    report = rescore(db, show_progress=False, workers=1, settings=SETTINGS)
    assert report.facts.startswith("derived facts refreshed")
    assert {current for _, current in _current(db)} == {True}
    assert compare_every_metric(db, SETTINGS, ("channel",)) == []


def _stored_scores(db: Path) -> dict[str, float | None]:
    wh = ReadOnlyWarehouse(db)
    try:
        rows = wh.query("SELECT contact_id, qa_score FROM fact_quality WHERE qa_reviewed").rows()
    finally:
        wh.close()
    return dict(rows)


def test_a_quality_rescore_rebuilds_the_quality_fact_and_only_restamps_the_others(
    tmp_path, monkeypatch
):
    import etl.quality.store as quality_store
    from etl.quality.rescore import rescore_quality

    db = _warehouse_with_messages(tmp_path)
    (before,) = _stored_scores(db).values()  # C1 is the one scored conversation
    scorer = quality_store.score_conversations

    def halved(*args, **kwargs):
        # a new scorer version with the same rubric: the settings (and so the fact's
        # fingerprint) stay the same, only the scorer's rows change
        scored = scorer(*args, **kwargs)
        return replace(scored, scores=scored.scores.with_columns(pl.col("score") / 2))

    monkeypatch.setattr(quality_store, "score_conversations", halved)
    rescore_quality(db, SETTINGS)
    assert {current for _, current in _current(db)} == {True}
    modes = dict(ReadOnlyWarehouse(db).query("SELECT name, mode FROM fact_builds").rows())
    assert modes.pop("fact_quality") == "full"  # every conversation rescored: noted whole
    assert set(modes.values()) == {"unchanged"}
    assert _stored_scores(db) == {"C1": before / 2}
    assert compare_every_metric(db, SETTINGS, ("channel",)) == []
