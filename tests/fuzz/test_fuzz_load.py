"""Whole loads of hostile exports, every kind and format: a balanced report or one clear error.

Through the harness (prepare + merge, as ``python -m etl load`` does) and through the CLI
itself on a real warehouse file, where a refused file must leave the file byte for byte
as it was.
"""

from __future__ import annotations

import contextlib
import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from fuzz_support import FUZZ, TIMESTAMPS, Harness, export_files
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.__main__ import main as etl_main
from etl.canonical import KINDS, TABLES
from etl.upsert import LoadReport

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
PRINTABLE = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=12)


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Harness:
    return Harness(tmp_path_factory.mktemp("load"))


def stored_times_are_plausible(harness: Harness, kind: str) -> None:
    """Absurd timestamps are quarantined, never stored: every stored one lies in 2000..now+2d."""
    spec = TABLES[kind]
    latest = datetime.now(UTC) + timedelta(days=2, minutes=5)
    for column in (c.name for c in spec.columns if c.type == "timestamp"):
        low, high = harness.con.execute(
            f'SELECT min("{column}"), max("{column}") FROM "{spec.table}"'
        ).fetchone()
        assert low is None or low >= EARLIEST, (column, low)
        assert high is None or high <= latest, (column, high)


@pytest.mark.parametrize("kind", ["tickets", "messages"])
@settings(FUZZ, max_examples=min(FUZZ.max_examples, 50))
@given(data=st.data())
def test_a_hostile_export_ends_in_a_balanced_report_or_one_clear_line(harness, kind, data):
    name, content = data.draw(export_files(kind))
    outcome = harness.load(harness.write(name, content), kind)
    if isinstance(outcome, LoadReport):
        stored_times_are_plausible(harness, kind)


@settings(FUZZ, max_examples=min(FUZZ.max_examples, 50))
@given(data=st.data(), kind=st.sampled_from([k for k in KINDS if k not in ("tickets", "messages")]))
def test_every_other_kind_also_ends_in_a_report_or_one_clear_line(harness, data, kind):
    name, content = data.draw(export_files(kind))
    outcome = harness.load(harness.write(name, content), kind)
    if isinstance(outcome, LoadReport):
        stored_times_are_plausible(harness, kind)


@settings(FUZZ, max_examples=min(FUZZ.max_examples, 40))
@given(created=st.lists(st.sampled_from(TIMESTAMPS) | PRINTABLE, min_size=1, max_size=12))
def test_absurd_creation_times_are_quarantined_with_a_reason_never_stored(harness, created):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        [("ticket_id", "created_at"), *((f"Z{i}", v) for i, v in enumerate(created))]
    )
    path = harness.write("times.csv", buffer.getvalue().encode("utf-8"))
    outcome = harness.load(path, "tickets")
    assert isinstance(outcome, LoadReport), outcome
    stored_times_are_plausible(harness, "tickets")


def run_cli(*args: str) -> tuple[int, str, str]:
    """``python -m etl`` in this process; an exception escaping ``main`` is a traceback."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = etl_main(list(args))
        except SystemExit as stop:  # argparse usage errors
            code = int(stop.code or 0)
    return code, out.getvalue(), err.getvalue()


def table_counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [n for (n,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        con.close()


@pytest.fixture(scope="module")
def cli_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    seed = folder / "seed.csv"
    seed.write_text("ticket_id,created_at\nS1,2026-01-05T09:00:00Z\n", encoding="utf-8")
    db = folder / "warehouse.duckdb"
    assert run_cli("load", "tickets", str(seed), "--db", str(db), "--quiet")[0] == 0
    return db


@settings(FUZZ, max_examples=min(FUZZ.max_examples, 15))
@given(data=st.data(), kind=st.sampled_from(("tickets", "messages", "surveys")))
def test_the_cli_prints_a_report_or_exits_2_with_one_line_leaving_the_file_untouched(
    cli_db, data, kind
):
    name, content = data.draw(export_files(kind))
    path = cli_db.parent / name
    path.write_bytes(content)
    before = cli_db.read_bytes()
    code, out, err = run_cli("load", kind, str(path), "--db", str(cli_db), "--quiet")
    assert "Traceback" not in out + err
    if code == 2:
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith(f"error: {name}: "), err
        assert cli_db.read_bytes() == before
    else:
        assert code == 0, err
        assert "Load report" in out
    assert "tickets" in table_counts(cli_db)
