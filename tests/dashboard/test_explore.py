"""Explore and export: the filtered contact rows page by page, search and column choice, and
downloads that are byte for byte what `python -m metrics export contacts` writes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from page_runner import open_page
from small_warehouse import CURRENT, serve_small_warehouse
from streamlit.testing.v1 import AppTest

from dashboard.downloads import export_bytes, file_name
from metrics.__main__ import main as metrics_cli
from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.operations.volume import contact_count, contact_page
from warehouse.reader import ReadOnlyWarehouse
from warehouse.writer import open_for_write

WEEK = Filters(date(2026, 1, 8), date(2026, 1, 14))


@pytest.fixture
def small_db(clean_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return serve_small_warehouse(tmp_path, monkeypatch)


def explore(params: dict[str, str | list[str]]) -> AppTest:
    return open_page("pages/explore.py", params, timeout=30)


def test_the_page_lists_the_filtered_rows_with_transcript_links(small_db):
    at = explore(CURRENT)
    assert not at.exception
    assert at.title[0].value == "Explore and export"
    shown = at.dataframe[0].value
    wh = ReadOnlyWarehouse(small_db)
    try:
        total = contact_count(wh, load_settings(), WEEK)
        expected = contact_page(wh, load_settings(), WEEK, columns=("source", "contact_id"))
    finally:
        wh.close()
    assert f"{total:,} contacts" in at.caption[0].value
    assert (
        shown["contact_id"].tolist()
        == expected["contact_id"].to_list()
        == ["T1", "T2", "T3", "C1", "T4"]
    )
    assert shown["transcript"].iloc[0].endswith("&contact=zd:T1")
    assert [b.label for b in at.get("download_button")] == [
        "Download CSV (5 rows)",
        "Download Parquet (5 rows)",
    ]


def test_search_and_column_choice_change_the_table(small_db):
    at = explore(CURRENT)
    at.text_input(key="explore_search").input("billing").run()
    assert at.dataframe[0].value["contact_id"].tolist() == ["T2", "T4"]
    assert "of 2 matching 'billing'" in at.caption[2].value
    at.multiselect(key="explore_columns").set_value(["category", "frt_minutes"]).run()
    assert list(at.dataframe[0].value.columns) == [
        "transcript",
        "source",
        "contact_id",
        "category",
        "frt_minutes",
    ]


def test_a_search_without_matches_shows_an_empty_table(small_db):
    at = explore(CURRENT)
    at.text_input(key="explore_search").input("nothing like this").run()
    assert not at.exception
    assert at.dataframe[0].value.empty


def test_downloads_equal_the_cli_export_for_the_same_filters(small_db, tmp_path):
    filters = Filters(date(2026, 1, 8), date(2026, 1, 14), channel=("email", "chat"))
    args = [
        "--db",
        str(small_db),
        "--from",
        "2026-01-08",
        "--to",
        "2026-01-14",
        "--channel",
        "email",
        "--channel",
        "chat",
    ]
    for suffix in (".csv", ".parquet"):
        out = tmp_path / f"cli{suffix}"
        assert metrics_cli(["export", "contacts", *args, "--out", str(out)]) == 0
        downloaded = export_bytes(small_db, load_settings(), filters, suffix)
        if suffix == ".csv":
            assert downloaded == out.read_bytes()
        else:
            assert pl.read_parquet(downloaded).equals(pl.read_parquet(out))
    assert file_name(filters, ".csv") == "contacts_2026-01-08_2026-01-14.csv"


def test_csv_downloads_are_formula_safe(small_db):
    with open_for_write(small_db) as con:
        con.execute("UPDATE tickets SET category = '=HYPERLINK(\"x\")' WHERE ticket_id = 'T2'")
    text = export_bytes(small_db, load_settings(), Filters(), ".csv").decode()
    assert "'=HYPERLINK" in text
