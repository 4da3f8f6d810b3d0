"""Loads that explain themselves: reasons with row and value, warnings, readable and JSON reports."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from rich.console import Console

from etl.diagnose import group_reasons, load_warnings
from etl.mapping import Mapping
from etl.pipeline import load_files
from etl.report import render_reports
from warehouse.reader import ReadOnlyWarehouse

ROOT = Path(__file__).resolve().parents[2]
SEED = (
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
)
HEADER = "ticket_id,created_at,status,solved_at,priority,note\n"


def run_etl(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """``python -m etl`` with stdout a pipe (not a terminal), as in a script or a CI log."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "80"}
    return subprocess.run(
        [sys.executable, "-m", "etl", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    path = tmp_path / "mixed.csv"
    path.write_text(
        HEADER
        + "T1,2026-01-05 09:00,open,,normal,\n"  # row 1: repeated by row 5, which wins
        + "T2,2026-01-05 09:00,wip,,normal,\n"  # row 2: unknown status
        + "T3,2026-01-05 09:00,solved,2026-01-04 09:00,normal,\n"  # row 3: solved before created
        + f"T4,{SEED},open,,normal,\n"  # row 4: a seed phrase pasted as the date
        + "T1,2026-01-05 09:00,open,,high,\n"  # row 5
        + "T6,1970-01-01 00:00,open,,normal,call jane@example.com\n"  # row 6: implausible date
        + "T7,2026-01-05 10:00,open,,normal,\n",  # row 7: fine
        encoding="utf-8",
    )
    return path


def quarantine(db: Path) -> dict[int, tuple[str, str]]:
    wh = ReadOnlyWarehouse(db)
    try:
        rows = wh.query("SELECT row_number, raw, reason FROM quarantine ORDER BY row_number")
    finally:
        wh.close()
    return {number: (raw, reason) for number, raw, reason in rows.rows()}


def test_every_reason_quotes_the_offending_values_and_the_report_names_the_rows(mixed, db_path):
    (report,) = load_files(db_path, "tickets", [mixed])
    reasons = {number: reason for number, (_, reason) in quarantine(db_path).items()}
    assert reasons == {
        1: 'ticket_id "T1" repeats row 5, which was kept',
        2: 'status "wip" is not one of: new, open, pending, hold, solved, closed',
        3: 'solved_at "2026-01-04 09:00" is before created_at "2026-01-05 09:00"',
        4: 'created_at "[seed phrase removed]" is not a date-time'
        " (expected ISO 8601 or epoch seconds)",
        6: 'created_at "1970-01-01 00:00" is outside the plausible range 2000 to now',
    }
    examples = {row: text for group in report.reasons for row, text in group.examples}
    assert examples == reasons
    assert all(group.count == 1 for group in report.reasons)


def test_the_raw_record_is_redacted_cell_by_cell_where_a_cell_could_hold_a_secret(mixed, db_path):
    load_files(db_path, "tickets", [mixed])
    stored = {number: json.loads(raw) for number, (raw, _) in quarantine(db_path).items()}
    # a value that did not read as a date-time is unknown text: redacted
    assert stored[4]["created_at"] == "[seed phrase removed]"
    # a column no canonical one takes (note) is unknown text: redacted
    assert stored[6]["note"] == "call [email removed]"
    # values that read as their type, and ids the warehouse stores as they come, stay
    assert stored[6]["created_at"] == "1970-01-01 00:00"
    assert stored[3]["solved_at"] == "2026-01-04 09:00"
    assert stored[1] == {
        "ticket_id": "T1",
        "created_at": "2026-01-05 09:00",
        "status": "open",
        "solved_at": None,
        "priority": "normal",
        "note": None,
    }
    assert SEED not in json.dumps(stored)


def test_a_file_with_a_header_and_no_rows_exits_0_with_a_clear_warning(tmp_path, db_path):
    empty = tmp_path / "empty.csv"
    empty.write_text(HEADER, encoding="utf-8")
    done = run_etl("load", "tickets", empty, "--db", db_path)
    assert done.returncode == 0, done.stderr
    assert (
        "WARNING empty.csv has a header and no rows: nothing was loaded. Is it the right export"
        in done.stdout
    )
    wh = ReadOnlyWarehouse(db_path)
    assert wh.query("SELECT rows_read, status FROM load_runs").rows() == [(0, "empty")]
    wh.close()


def test_the_report_is_not_cut_when_stdout_is_not_a_terminal(mixed, db_path):
    done = run_etl("load", "tickets", mixed, "--db", db_path)
    assert done.returncode == 0, done.stderr
    header = next(line for line in done.stdout.splitlines() if "inserted" in line)
    for word in ("read", "inserted", "updated", "unchanged", "quarantined", "status"):
        assert word in header
    assert "ok with quarantine" in done.stdout
    assert not re.search(r"\w…", done.stdout)  # no cut word ("inser…"); blanked values stay
    assert '    row 4: created_at "[seed phrase removed]" is not a date-time' in done.stdout


def test_json_gives_the_report_to_scripts(mixed, db_path):
    done = run_etl("load", "tickets", mixed, "--db", db_path, "--format", "json")
    assert done.returncode == 0, done.stderr
    (report,) = json.loads(done.stdout)
    counts = [report[k] for k in ("rows_read", "inserted", "updated", "unchanged", "quarantined")]
    assert counts == [7, 2, 0, 0, 5]
    assert report["status"] == "ok with quarantine"
    assert report["reasons"][0]["examples"][0].keys() == {"row", "problem"}
    assert {r["rows"] for r in report["reasons"]} == {1}
    assert report["warnings"][0].startswith("mixed.csv: 5 of 7 rows (71%) were quarantined")


def test_a_narrow_terminal_gets_lines_instead_of_a_cut_table(mixed, db_path):
    reports = load_files(db_path, "tickets", [mixed])
    console = Console(force_terminal=True, width=70, color_system=None, record=True)
    render_reports(reports, console=console)
    text = console.export_text()
    assert "run 1: mixed.csv as tickets: ok with quarantine" in text
    assert "read 7 = inserted 2 + updated 0 + unchanged 0 + quarantined 5" in text
    assert not re.search(r"\w…", text)


def dayfirst_export(tmp_path: Path, rows: int) -> tuple[Path, Path]:
    export = tmp_path / "dayfirst.csv"
    lines = [f"T{i},{13 + i % 15:02d}.0{1 + i % 9}.2025 10h{i % 60:02d}" for i in range(rows)]
    export.write_text("ticket_id,created_at\n" + "\n".join(lines) + "\n", encoding="utf-8")
    mapping = tmp_path / "us_dates.toml"
    mapping.write_text('kind = "tickets"\ntimestamp_format = "%m.%d.%Y %Hh%M"\n', encoding="utf-8")
    return export, mapping


def test_a_mostly_quarantined_load_says_so_and_suggests_day_first(tmp_path, db_path):
    # every date has a day of 13-27 in first place: none reads as month.day.year
    export, mapping = dayfirst_export(tmp_path, 40)
    (report,) = load_files(db_path, "tickets", [export], mapping=str(mapping))
    assert (report.rows_read, report.quarantined) == (40, 40)
    assert report.warnings == [
        "dayfirst.csv: 40 of 40 rows (100%) were quarantined and only 0 loaded. Likely cause:"
        ' no date-time in created_at parsed (e.g. row 1: "13.01.2025 10h00"); is the format'
        ' day-first? timestamp_format = "%d.%m.%Y %Hh%M" reads them'
    ]
    wh = ReadOnlyWarehouse(db_path)
    assert report.warnings[0] in wh.scalar("SELECT message FROM load_runs")
    wh.close()


def test_a_load_that_quarantines_a_few_rows_gives_no_warning(mixed, tmp_path, db_path):
    export = tmp_path / "mostly_fine.csv"
    body = "".join(f"T{i},2026-01-05 09:00,open,,normal,\n" for i in range(20))
    export.write_text(HEADER + body + "T99,soon,open,,normal,\n", encoding="utf-8")
    (report,) = load_files(db_path, "tickets", [export])
    assert (report.quarantined, report.warnings) == (1, [])


CAUSES = [
    ('status "Offen" is not one of: new, open, pending, hold, solved, closed',
     'status holds values the dashboard does not know (e.g. row 1: "Offen"): map them to one of'
     " new, open, pending, hold, solved, closed in the mapping's [values.status] table"),
    ("created_at is empty",
     "created_at is empty in most rows: does the mapping's [columns] created_at name the column"
     " that holds it?"),
    ('ticket_id "T1" repeats row 1, which was kept',
     "ticket_id repeats within the file: is it a unique id (one row per record)?"),
    ("row has 3 fields, the header has 5",
     "the rows do not split into the header's columns: another delimiter, or broken quoting?"),
    ('created_at "yesterday" is not a date-time (expected ISO 8601 or epoch seconds)',
     'most date-times in created_at did not parse (e.g. row 1: "yesterday"); name the export\'s'
     ' format in the mapping, e.g. timestamp_format = "%d.%m.%Y %H:%M" (strptime codes)'),
]  # fmt: skip


@pytest.mark.parametrize(("reason", "cause"), CAUSES, ids=[c[:25] for _, c in CAUSES])
def test_the_likely_cause_follows_the_most_common_problem(reason, cause):
    quarantine = pl.DataFrame({"row_number": [1, 2, 3], "reason": [reason] * 3})
    (warning,) = load_warnings(
        Path("x.csv"), 4, quarantine, group_reasons(quarantine), Mapping(kind="tickets")
    )
    assert warning.startswith("x.csv: 3 of 4 rows (75%) were quarantined and only 1 loaded.")
    assert cause in warning
