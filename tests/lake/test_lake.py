"""The lake: `python -m etl load ... --lake DIR` and `python -m etl export-lake` write the
canonical tables as month-partitioned Parquet with the warehouse's accounting, redaction and
idempotence, and prebuilt facts read from it give what the warehouse file gives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
from polars.testing import assert_frame_equal

from etl.lake import LAKE_VERSION, export_lake, read_manifest
from metrics.core.settings import load_settings
from metrics.facts import all_facts
from warehouse.reader import ReadOnlyWarehouse
from warehouse.schema import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[2]
SEED = "abandon " * 11 + "about"  # a valid 12-word BIP39 phrase


def run(module: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    environment.pop("SUPPORT_DB", None)
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
    )


def lake_rows(lake: Path, table: str) -> pl.DataFrame:
    return pl.read_parquet(lake / table / "**" / "*.parquet", hive_partitioning=False)


def write_tickets(path: Path, status_t2: str = "open") -> Path:
    path.write_text(
        "ticket_id,created_at,status,updated_at\n"
        "T1,2026-01-05T09:00:00Z,solved,2026-01-05T10:00:00Z\n"
        f"T2,2026-02-03T10:00:00Z,{status_t2},2026-02-04T10:00:00Z\n"
        "T3,2026-02-10T11:00:00Z,bogus-status,2026-02-10T11:00:00Z\n",
        encoding="utf-8",
    )
    return path


def test_a_load_into_a_lake_writes_each_month_as_its_own_partition(tmp_path):
    lake = tmp_path / "lake"
    result = run("etl", "load", "tickets", str(write_tickets(tmp_path / "t.csv")), "--lake",
                 str(lake), "--quiet")  # fmt: skip
    assert result.returncode == 0, result.stderr
    months = sorted(p.name for p in (lake / "tickets").iterdir())
    # T1 in January, T2 in February; T3 is quarantined (status "bogus-status")
    assert months == ["month=2026-01", "month=2026-02"]
    manifest = read_manifest(lake)
    assert manifest["lake_version"] == LAKE_VERSION
    assert manifest["warehouse_schema"] == SCHEMA_VERSION
    assert manifest["partitioned_by_month"]["tickets"] == "created_at"
    assert sorted(lake_rows(lake, "tickets")["ticket_id"]) == ["T1", "T2"]
    (run_row,) = lake_rows(lake, "load_runs").to_dicts()
    # 3 rows read = 2 inserted + 1 quarantined
    assert (run_row["rows_read"], run_row["inserted"], run_row["quarantined"]) == (3, 2, 1)
    assert lake_rows(lake, "quarantine").height == 1


def test_a_reloaded_file_replaces_its_rows_in_the_lake_and_never_duplicates_them(tmp_path):
    lake = tmp_path / "lake"
    first = write_tickets(tmp_path / "t.csv")
    assert run("etl", "load", "tickets", str(first), "--lake", str(lake), "--quiet").returncode == 0
    assert run("etl", "load", "tickets", str(first), "--lake", str(lake), "--quiet").returncode == 0
    newer = write_tickets(tmp_path / "t2.csv", status_t2="solved")
    newer.write_text(newer.read_text().replace("2026-02-04T10", "2026-02-05T10"))
    assert run("etl", "load", "tickets", str(newer), "--lake", str(lake), "--quiet").returncode == 0
    tickets = lake_rows(lake, "tickets").sort("ticket_id")
    assert tickets["ticket_id"].to_list() == ["T1", "T2"]
    assert tickets["status"].to_list() == ["solved", "solved"]
    runs = lake_rows(lake, "load_runs").sort("started_at")
    # run 1: 2 inserted; run 2 (same file): 2 unchanged; run 3: T2 updated, T1 unchanged
    assert runs.select("inserted", "updated", "unchanged").rows() == [
        (2, 0, 0),
        (0, 0, 2),
        (0, 1, 1),
    ]


def test_seed_phrases_are_redacted_before_they_reach_the_lake(tmp_path):
    lake = tmp_path / "lake"
    messages = tmp_path / "m.csv"
    messages.write_text(
        "message_id,conversation_id,sent_at,sender_type,body\n"
        f"M1,C1,2026-01-05T09:00:00Z,customer,my words are {SEED}. Why is my balance zero?\n",
        encoding="utf-8",
    )
    result = run("etl", "load", "messages", str(messages), "--lake", str(lake), "--quiet")
    assert result.returncode == 0, result.stderr
    (body,) = lake_rows(lake, "messages")["body"].to_list()
    assert body == "my words are [seed phrase removed]. Why is my balance zero?"


def test_export_lake_writes_every_table_of_the_warehouse_as_it_is(demo_db, tmp_path):
    lake = tmp_path / "lake"
    result = run("etl", "export-lake", "--db", str(demo_db), "--out", str(lake))
    assert result.returncode == 0, result.stderr
    # The lake's rows read back are the warehouse's, table by table.
    wh = ReadOnlyWarehouse(demo_db)
    try:
        for table in ("tickets", "messages", "ticket_events", "surveys", "agents", "shifts"):
            stored = wh.query(f"SELECT * FROM {table}")
            written = lake_rows(lake, table).select(stored.columns)
            assert_frame_equal(written.sort(stored.columns), stored.sort(stored.columns))
    finally:
        wh.close()


def test_export_lake_of_a_missing_warehouse_is_one_clear_line(tmp_path):
    result = run("etl", "export-lake", "--db", str(tmp_path / "no.duckdb"), "--out", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "no.duckdb" in result.stderr


def test_prebuilt_facts_give_the_summary_the_warehouse_gives(small_demo_db, tmp_path):
    # The demo at scale 0.1 (the same period and effects): a fifth of the facts to build
    # and the summaries to compute, the same comparison.
    demo_db = small_demo_db
    lake, facts = tmp_path / "lake", tmp_path / "facts"
    export_lake(demo_db, lake)
    built = run("metrics", "facts", "--lake", str(lake), "--out", str(facts))
    assert built.returncode == 0, built.stderr
    assert f"{len(all_facts(load_settings(None)))} derived facts built on duckdb" in built.stdout
    from_file = run("metrics", "summary", "--db", str(demo_db), "--format", "json")
    from_facts = run("metrics", "summary", "--format", "json", SUPPORT_FACTS=str(facts))
    assert from_facts.returncode == 0, from_facts.stderr
    assert json.loads(from_facts.stdout) == json.loads(from_file.stdout)
    manifest = json.loads((facts / "_facts.json").read_text())
    assert manifest["engine"] == "duckdb" and manifest["facts"]["fact_contacts"]["rows"] > 0
    # the settings' warehouse.facts names the same folder (relative to the settings file)
    settings = tmp_path / "settings.toml"
    settings.write_text('[warehouse]\nfacts = "facts"\n', encoding="utf-8")
    from_settings = run("metrics", "summary", "--format", "json", SUPPORT_SETTINGS=str(settings))
    assert from_settings.returncode == 0, from_settings.stderr
    # the same figures; only the summary's note of the settings file in use differs
    expected = {**json.loads(from_file.stdout), "settings_file": str(settings)}
    assert json.loads(from_settings.stdout) == expected


def test_a_settings_facts_folder_without_facts_is_one_line_naming_the_key(tmp_path):
    settings = tmp_path / "settings.toml"
    settings.write_text('[warehouse]\nfacts = "lake"\n', encoding="utf-8")
    (tmp_path / "lake").mkdir()
    result = run("metrics", "summary", SUPPORT_SETTINGS=str(settings))
    assert result.returncode == 2
    line = result.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert f"warehouse.facts in {settings} names {tmp_path / 'lake'}: expected a folder" in line


def test_facts_from_a_folder_that_is_not_a_lake_is_one_clear_line(tmp_path):
    result = run("metrics", "facts", "--lake", str(tmp_path), "--out", str(tmp_path / "f"))
    assert result.returncode == 2
    assert "not a lake" in result.stderr and "Traceback" not in result.stderr
