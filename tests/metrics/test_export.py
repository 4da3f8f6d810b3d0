"""The contact export: written as CSV (formula-safe) or Parquet, and read back."""

from __future__ import annotations

import csv

import polars as pl
import pytest
from builders import msg, ticket, ts

from metrics.core.contacts import EXPORT_COLUMNS, contacts
from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.reports.export import export_contacts, formula_safe

SETTINGS = load_settings()


def hostile_tables() -> dict[str, list[dict]]:
    """Two tickets whose text fields a spreadsheet would run as formulas, and one chat."""
    return {
        "tickets": [
            ticket(
                "T1",
                "2025-03-03 09:00",
                category='=HYPERLINK("http://x","y")',
                agent_id="+A1",
                customer_id="@evil",
                team="-team",
                priority="normal",
                solved_at=ts("2025-03-03 10:00"),
                status="solved",
                reopens=0,
            ),
            ticket(
                "T2",
                "2025-03-03 11:00",
                category="\tcmd",
                agent_id="\rA2",
                customer_id="plain",
                language="en",
            ),
        ],  # fmt: skip
        "messages": [
            msg("T1", "customer", "2025-03-03 09:00", sentiment=-0.6, sentiment_method="vader"),
            msg("T1", "agent", "2025-03-03 09:30"),
            msg("K1", "customer", "2025-03-03 12:00", sender_id="=1+1"),
        ],
    }


def test_csv_export_neutralises_formulas_and_keeps_numbers(make_wh, tmp_path):
    wh = make_wh(hostile_tables())
    out = tmp_path / "contacts.csv"
    assert export_contacts(wh, SETTINGS, Filters(), out) == 3
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(EXPORT_COLUMNS)
    assert [r["contact_id"] for r in rows] == ["T1", "T2", "K1"]  # oldest first
    t1, t2, k1 = rows
    assert (t1["category"], t1["agent_id"], t1["customer_id"], t1["team"]) == (
        '\'=HYPERLINK("http://x","y")',
        "'+A1",
        "'@evil",
        "'-team",
    )
    assert (t2["category"], t2["agent_id"], t2["customer_id"]) == ("'\tcmd", "'\rA2", "plain")
    assert k1["customer_id"] == "'=1+1"
    # numbers stay numbers: a negative sentiment is not quoted; T1 waited 30 min
    assert (t1["sentiment_mean"], t1["frt_minutes"], t1["first_resolution_minutes"]) == (
        "-0.6", "30.0", "60.0"
    )  # fmt: skip


def test_parquet_export_keeps_the_typed_rows_unchanged(make_wh, tmp_path):
    wh = make_wh(hostile_tables())
    out = tmp_path / "contacts.parquet"
    assert export_contacts(wh, SETTINGS, Filters(), out) == 3
    back = pl.read_parquet(out)
    assert back.columns == list(EXPORT_COLUMNS)
    assert back.equals(contacts(wh, SETTINGS, Filters()))
    assert back["category"].to_list() == ['=HYPERLINK("http://x","y")', "\tcmd", None]


def test_the_export_follows_the_filters(make_wh, tmp_path):
    wh = make_wh(hostile_tables())
    out = tmp_path / "chats.CSV"
    assert export_contacts(wh, SETTINGS, Filters(channel=("chat",)), out) == 1
    assert pl.read_csv(out)["contact_id"].to_list() == ["K1"]


def test_an_unknown_format_or_missing_folder_is_refused(make_wh, tmp_path):
    wh = make_wh(hostile_tables())
    with pytest.raises(ValueError, match=r"must be one of \.csv, \.parquet"):
        export_contacts(wh, SETTINGS, Filters(), tmp_path / "contacts.xlsx")
    with pytest.raises(FileNotFoundError, match="no such folder"):
        export_contacts(wh, SETTINGS, Filters(), tmp_path / "nope" / "contacts.csv")


def test_formula_safe_changes_only_text_that_starts_like_a_formula():
    frame = pl.DataFrame(
        {
            "text": ["=SUM(A1)", "+1", "-2", "@x", "\tt", "\rr", "ok", "a=b", None, ""],
            "number": [-1.5, 2.0, -3.0, 4.0, 5.0, 6.0, 7.0, 8.0, None, 0.0],
        }
    ).with_columns(kind=pl.Series(["-k"] * 9 + ["k"], dtype=pl.Categorical))
    safe = formula_safe(frame)
    assert safe["text"].to_list() == [
        "'=SUM(A1)", "'+1", "'-2", "'@x", "'\tt", "'\rr", "ok", "a=b", None, ""
    ]  # fmt: skip
    assert safe["number"].to_list() == frame["number"].to_list()
    assert safe["number"].dtype == pl.Float64
    assert safe["kind"].to_list() == ["'-k"] * 9 + ["k"]
