"""Every CSV the product writes neutralises cells a spreadsheet would run: text starting with
=, +, -, @, tab or carriage return gets a leading quote. Each file is read back with the csv
module and every cell checked; numbers stay numbers (a negative number is not a formula)."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from security_support import run_main

from dashboard.downloads import export_bytes
from metrics.__main__ import main as metrics_main
from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.reports.export import export_contacts
from warehouse.reader import ReadOnlyWarehouse
from warehouse.writer import open_for_write

PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMULAS = (
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    '=HYPERLINK("http://x.invalid","y")',
)
NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
SETTINGS = load_settings()


def runnable(cell: str) -> bool:
    return cell.startswith(PREFIXES) and NUMBER.fullmatch(cell) is None


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tickets, a chat and an agent whose every text value is a formula (written directly, so
    values the loader would clean up, like a leading tab, are there too)."""
    db = tmp_path_factory.mktemp("exports") / "warehouse.duckdb"
    start = datetime(2026, 1, 5, 9, tzinfo=UTC)
    with open_for_write(db) as con:
        for i, formula in enumerate(FORMULAS):
            created = start + timedelta(hours=i)
            con.execute(
                "INSERT INTO tickets (source, ticket_id, created_at, first_response_at, status,"
                " channel, language, category, customer_id, agent_id, team, subject)"
                " VALUES (?, ?, ?, ?, 'solved', ?, ?, ?, ?, ?, ?, ?)",
                [formula, formula + str(i), created, created + timedelta(minutes=5 + i), formula,
                 formula, formula, formula, formula, formula, formula],
            )  # fmt: skip
            con.execute(
                "INSERT INTO surveys (source, ticket_id, score) VALUES (?, ?, 2)",
                [formula, formula + str(i)],
            )
        con.execute(
            "INSERT INTO messages (source, message_id, conversation_id, sent_at, sender_type, body)"
            " VALUES ('=chat', '=M1', '=C1', ?, 'customer', '=1+1'), ('=chat', '=M2', '=C1', ?,"
            " 'agent', '@agent')",
            [start, start + timedelta(minutes=3)],
        )
        con.execute(
            "INSERT INTO agents (agent_id, name, team) VALUES (?, ?, ?)",
            [FORMULAS[0], FORMULAS[6], FORMULAS[3]],
        )
    return db


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def assert_formula_safe(text: str, *, with_data: bool = True) -> None:
    found = cells(text)
    assert found, "the export is empty"
    assert [c for c in found if runnable(c)] == []
    if with_data:
        neutralised = {c for c in found if c.startswith("'") and c[1:].startswith(PREFIXES)}
        assert neutralised, "no formula reached the file: the test proves nothing"


def test_export_contacts_csv(warehouse, tmp_path):
    out = tmp_path / "contacts.csv"
    wh = ReadOnlyWarehouse(warehouse)
    try:
        rows = export_contacts(wh, SETTINGS, Filters(), out)
    finally:
        wh.close()
    assert rows == len(FORMULAS) + 1
    text = out.read_bytes().decode("utf-8")
    assert_formula_safe(text)
    assert {f"'{f}" for f in FORMULAS} <= set(cells(text))


def test_the_export_contacts_command(warehouse, tmp_path):
    out = tmp_path / "cli.csv"
    code, _, err = run_main(
        metrics_main, "export", "contacts", "--db", str(warehouse), "--out", str(out)
    )
    assert code == 0, err
    assert_formula_safe(out.read_bytes().decode("utf-8"))


@pytest.mark.parametrize("by", ["agent", "team", "category", "language", "channel", "source"])
def test_metrics_show_as_csv_broken_down_by_a_text_column(warehouse, by):
    code, out, err = run_main(
        metrics_main, "show", "frt", "--db", str(warehouse), "--by", by, "--format", "csv"
    )
    assert code == 0, err
    assert_formula_safe(out)


@pytest.mark.parametrize("name", ["agent_scorecard", "security_incidents", "csat"])
def test_metrics_show_as_csv_for_per_agent_and_per_ticket_tables(warehouse, name):
    one_agent = ["--agent", FORMULAS[0]] if name == "agent_scorecard" else []
    code, out, err = run_main(
        metrics_main, "show", name, "--db", str(warehouse), *one_agent, "--format", "csv"
    )
    assert code == 0, err
    assert_formula_safe(out, with_data=False)


def test_metrics_summary_as_csv(warehouse):
    code, out, err = run_main(metrics_main, "summary", "--db", str(warehouse), "--format", "csv")
    assert code == 0, err
    assert_formula_safe(out, with_data=False)


def test_metrics_list_as_csv():
    code, out, err = run_main(metrics_main, "list", "--format", "csv")
    assert code == 0, err
    assert_formula_safe(out, with_data=False)


def test_the_dashboard_csv_download(warehouse):
    data = export_bytes(warehouse, SETTINGS, Filters(), ".csv")
    assert_formula_safe(data.decode("utf-8"))


def test_a_formula_in_every_export_column_is_neutralised(warehouse, tmp_path):
    """Each text column of the export holds a formula somewhere, and none survives."""
    out = tmp_path / "contacts.csv"
    wh = ReadOnlyWarehouse(warehouse)
    try:
        export_contacts(wh, SETTINGS, Filters(), out)
    finally:
        wh.close()
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    columns = (
        "source",
        "contact_id",
        "channel",
        "language",
        "team",
        "agent_id",
        "category",
        "customer_id",
    )
    for column in columns:
        values = [row[column] for row in rows]
        assert any(v.startswith("'") for v in values), column
        assert not any(runnable(v) for v in values), column
