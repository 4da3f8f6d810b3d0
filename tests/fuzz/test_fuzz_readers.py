"""Every reader on hostile bytes: a frame of text columns with every record accounted for, or
one clear line naming the file; never a traceback."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from fuzz_support import (
    FUZZ,
    delimited_bytes,
    export_files,
    json_bytes,
    only_empty_objects,
    parquet_bytes,
    tables,
    xlsx_bytes,
)
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from etl.errors import UnusableInput
from etl.readers import ROW, read_rows


def read_checked(folder: Path, name: str, data: bytes) -> str:
    """Read ``data`` as file ``name``; check the reader's contract; return "rows" or "unusable"."""
    path = folder / name
    path.write_bytes(data)
    try:
        raw = read_rows(path)
    except UnusableInput as err:
        message = str(err)
        assert message.startswith(f"{name}: "), message
        assert "\n" not in message and "\r" not in message, message
        return "unusable"
    frame = raw.frame
    assert frame.columns[-1] == ROW and frame.schema[ROW] == pl.Int64
    assert all(dtype == pl.String for name_, dtype in frame.schema.items() if name_ != ROW)
    assert len(set(frame.columns)) == frame.width, "duplicate column names"
    numbers = frame[ROW].to_list() + [r.row_number for r in raw.rejects]
    # Every record read is either a row or a reject, exactly once, numbered from 1.
    assert len(numbers) == len(set(numbers)) == raw.rows_read
    assert all(n >= 1 for n in numbers)
    assert all(r.reason for r in raw.rejects)
    assert raw.format in ("csv", "tsv", "json", "ndjson", "parquet", "xlsx")
    return "rows"


@pytest.fixture
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("exports")


@settings(FUZZ)
@given(
    data=st.binary(max_size=2048),
    prefix=st.sampled_from((b"", b"PAR1", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"[", b"{")),
)
def test_random_bytes_are_read_or_refused_in_one_line(folder, data, prefix):
    assume(not only_empty_objects(prefix + data))
    read_checked(folder, "random.bin", prefix + data)


@settings(FUZZ)
@given(data=st.data(), kind=st.sampled_from(("tickets", "messages", "surveys")))
def test_delimited_text_with_broken_quoting_endings_and_encodings(folder, data, kind):
    table = data.draw(tables(kind))
    read_checked(folder, "export.csv", data.draw(delimited_bytes(table)))


@settings(FUZZ)
@given(data=st.data())
def test_json_arrays_and_ndjson_with_odd_values(folder, data):
    table = data.draw(tables("messages"))
    read_checked(folder, "export.json", data.draw(json_bytes(table)))


@settings(FUZZ, max_examples=min(FUZZ.max_examples, 40))
@given(data=st.data())
def test_parquet_with_every_column_type_and_cut_off_files(folder, data):
    table = data.draw(tables("tickets"))
    read_checked(folder, "export.parquet", data.draw(parquet_bytes(table)))


@settings(FUZZ, max_examples=min(FUZZ.max_examples, 30))
@given(data=st.data())
def test_xlsx_with_numbers_dates_formulas_and_cut_off_files(folder, data):
    table = data.draw(tables("tickets"))
    read_checked(folder, "export.xlsx", data.draw(xlsx_bytes(table)))


@settings(FUZZ)
@given(export=export_files("tickets"))
def test_the_format_is_told_from_the_content_whatever_the_extension(folder, export):
    name, data = export
    read_checked(folder, name, data)


@pytest.mark.parametrize("lines", [1, 2_000])
def test_a_huge_field_and_a_huge_line_are_read_whole(folder, lines):
    field = "é" * 3_000_000
    text = "ticket_id,created_at,subject\n" + "T{n},2026-01-05,short\n" * lines
    text = text.replace("T{n}", "T1", 1) + f'T0,2026-01-05,"{field}"\n'
    path = folder / "huge.csv"
    path.write_text(text, encoding="utf-8")
    raw = read_rows(path)
    assert raw.rows_read == lines + 1
    assert raw.frame["subject"].str.len_chars().max() == len(field)
