"""File readers: every format and encoding to string columns, bad records to rejects."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from etl import delimited, readers
from etl.errors import UnusableInput
from etl.readers import Reject, read_rows


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def rows(path: Path) -> list[dict]:
    return read_rows(path).frame.to_dicts()


# --- delimited text -------------------------------------------------------------------


def test_comma_csv_gives_text_cells_with_empty_cells_as_null(tmp_path):
    result = read_rows(write(tmp_path, "t.csv", 'id,score,note\n1,4.50,""\n2,,  spaced \n'))
    assert (result.format, result.encoding, result.rejects, result.rows_read) == (
        "csv",
        "utf-8",
        [],
        2,
    )
    assert result.frame.schema == pl.Schema(
        {"id": pl.String, "score": pl.String, "note": pl.String, "__row": pl.Int64}
    )
    assert result.frame.to_dicts() == [
        {"id": "1", "score": "4.50", "note": None, "__row": 1},
        {"id": "2", "score": None, "note": "  spaced ", "__row": 2},
    ]


def test_semicolon_delimiter_is_sniffed_whatever_the_extension_says(tmp_path):
    path = write(tmp_path, "t.csv", "id;amount\n1;2,50\n2;3,75\n")
    assert rows(path) == [
        {"id": "1", "amount": "2,50", "__row": 1},
        {"id": "2", "amount": "3,75", "__row": 2},
    ]


def test_tab_delimited_text_is_read_as_tsv(tmp_path):
    result = read_rows(write(tmp_path, "t.csv", "id\tnote\n1\ta, b; c\n"))
    assert result.format == "tsv"
    assert result.frame.to_dicts() == [{"id": "1", "note": "a, b; c", "__row": 1}]


def test_pipe_delimiter_is_sniffed(tmp_path):
    assert rows(write(tmp_path, "t.dat", "id|note\n1|x,y\n")) == [
        {"id": "1", "note": "x,y", "__row": 1}
    ]


def test_quoted_newlines_and_delimiters_stay_in_one_record_on_the_fast_path(tmp_path, monkeypatch):
    monkeypatch.setattr(delimited, "_slow_delimited", lambda *a: pytest.fail("slow path used"))
    path = write(tmp_path, "t.csv", 'id,body\r\n1,"line one\r\nline two, still\r\n3rd"\r\n2,x\r\n')
    assert rows(path) == [
        {"id": "1", "body": "line one\r\nline two, still\r\n3rd", "__row": 1},
        {"id": "2", "body": "x", "__row": 2},
    ]


def test_bare_cr_line_endings_are_read(tmp_path):
    path = write(tmp_path, "mac.csv", 'id,body\r1,"a\rb"\r2,c\r')
    assert rows(path) == [
        {"id": "1", "body": "a\rb", "__row": 1},
        {"id": "2", "body": "c", "__row": 2},
    ]


def test_utf8_bom_does_not_end_up_in_the_first_column_name(tmp_path):
    result = read_rows(write(tmp_path, "t.csv", b"\xef\xbb\xbfid,name\n1,Ann\n"))
    assert result.encoding == "utf-8-sig"
    assert result.frame.columns == ["id", "name", "__row"]


def test_excel_unicode_text_is_utf16_tsv_even_with_a_txt_extension(tmp_path):
    text = '\ufeffid\tsubject\r\n1\tJosé\r\n2\t"tab\there"\r\n'
    result = read_rows(write(tmp_path, "export.txt", text.encode("utf-16-le")))
    assert (result.format, result.encoding) == ("tsv", "utf-16-le")
    assert result.frame.to_dicts() == [
        {"id": "1", "subject": "José", "__row": 1},
        {"id": "2", "subject": "tab\there", "__row": 2},
    ]


def test_gb18030_chinese_csv_has_its_semicolon_sniffed(tmp_path):
    text = "工单编号;问题描述;状态\n1;转账一直没有到账;处理中\n2;无法登录账户;已解决\n"
    result = read_rows(write(tmp_path, "工单.csv", text.encode("gb18030")))
    assert (result.format, result.encoding) == ("csv", "gb18030")
    assert result.frame.to_dicts() == [
        {"工单编号": "1", "问题描述": "转账一直没有到账", "状态": "处理中", "__row": 1},
        {"工单编号": "2", "问题描述": "无法登录账户", "状态": "已解决", "__row": 2},
    ]


def test_gbk_chinese_csv_is_read_as_gb18030(tmp_path):
    result = read_rows(write(tmp_path, "t.csv", "编号,内容\n1,转账一直没有到账\n".encode("gbk")))
    assert result.encoding == "gb18030"
    assert result.frame.to_dicts() == [{"编号": "1", "内容": "转账一直没有到账", "__row": 1}]


def test_ragged_rows_become_rejects_numbered_by_record_not_by_line(tmp_path):
    text = 'a,b,c\n"two\nlines",2,3\n4,5\n6,7,8,9\n10,11,12\n'
    result = read_rows(write(tmp_path, "t.csv", text))
    assert result.frame.to_dicts() == [
        {"a": "two\nlines", "b": "2", "c": "3", "__row": 1},
        {"a": "10", "b": "11", "c": "12", "__row": 4},
    ]
    assert result.rejects == [
        Reject(2, "4,5", "row has 2 fields, the header has 3"),
        Reject(3, "6,7,8,9", "row has 4 fields, the header has 3"),
    ]
    assert result.rows_read == 4


def test_an_extra_field_on_an_unterminated_last_line_is_a_reject(tmp_path):
    result = read_rows(write(tmp_path, "t.csv", "a,b\n1\n2,3,4"))
    assert result.frame.height == 0
    assert result.rejects == [
        Reject(1, "1", "row has 1 fields, the header has 2"),
        Reject(2, "2,3,4", "row has 3 fields, the header has 2"),
    ]


def test_stray_quotes_are_read_as_the_csv_module_reads_them(tmp_path):
    # polars would read these quotes differently, so the file takes the csv-module path
    text = 'id,body\n1,5" screen\n2,"he said "hi" twice"\n3,ok\n'
    assert rows(write(tmp_path, "t.csv", text)) == [
        {"id": "1", "body": '5" screen', "__row": 1},
        {"id": "2", "body": 'he said hi" twice"', "__row": 2},
        {"id": "3", "body": "ok", "__row": 3},
    ]


def test_record_cut_off_inside_a_quoted_field_at_the_end_is_one_reject(tmp_path):
    result = read_rows(write(tmp_path, "t.csv", 'id,body\n1,ok\n2,"never\nclosed'))
    assert result.frame.to_dicts() == [{"id": "1", "body": "ok", "__row": 1}]
    assert result.rejects == [Reject(2, '2,"never\nclosed', readers._CUT_OFF)]


def test_blank_lines_are_skipped_and_not_numbered(tmp_path):
    assert rows(write(tmp_path, "t.csv", "a,b\n1,2\n\n3,4\n\n")) == [
        {"a": "1", "b": "2", "__row": 1},
        {"a": "3", "b": "4", "__row": 2},
    ]


def test_duplicate_and_blank_header_names_are_renamed(tmp_path):
    result = read_rows(write(tmp_path, "t.csv", " id ,name,,name,name\n1,a,b,c,d\n"))
    assert result.frame.columns == ["id", "name", "column 3", "name (2)", "name (3)", "__row"]


def test_header_only_csv_is_usable_with_no_rows_and_its_columns(tmp_path):
    result = read_rows(write(tmp_path, "t.csv", "id,created_at\n"))
    assert result.frame.columns == ["id", "created_at", "__row"]
    assert (result.frame.height, result.rows_read) == (0, 0)


def test_one_column_file_is_read(tmp_path):
    assert rows(write(tmp_path, "ids.csv", "id\nA1\nA2\n")) == [
        {"id": "A1", "__row": 1},
        {"id": "A2", "__row": 2},
    ]


def test_a_one_megabyte_cell_is_read_on_both_paths(tmp_path):
    big = "x" * 1_000_000
    clean = read_rows(write(tmp_path, "clean.csv", f'id,body\n1,"{big}"\n'))
    ragged = read_rows(write(tmp_path, "ragged.csv", f'id,body\n1,"{big}"\n2\n'))
    assert clean.frame.get_column("body").to_list() == [big]
    assert ragged.frame.get_column("body").to_list() == [big]
    assert [r.row_number for r in ragged.rejects] == [2]


# --- real exports -----------------------------------------------------------------------


def test_real_truncated_multilingual_export_reads_1167_records_and_one_reject(real_data):
    path = real_data / "multilingual-tickets" / "dataset-tickets-multi-lang3-4k_truncated.csv"
    result = read_rows(path)
    assert (result.frame.height, result.rows_read) == (1167, 1168)
    first = result.frame.row(0, named=True)
    assert first["subject"] == "Problema crítico del servidor requiere atención inmediata"
    assert (first["language"], first["tag_6"], first["__row"]) == ("es", None, 1)
    assert result.frame.row(-1, named=True)["language"] == "fr"
    [reject] = result.rejects
    assert reject.row_number == 1168
    assert reject.raw.startswith("Perturbations fréquentes des services cloud,")
    assert "cut off" in reject.reason


def test_real_kaggle_crlf_export_reads_999_rows_and_17_columns(real_data):
    path = real_data / "kaggle-support-tickets" / "customer_support_tickets_pristine_first999.csv"
    result = read_rows(path)
    assert (result.frame.height, result.frame.width - 1, result.rejects) == (999, 17, [])
    first = result.frame.row(0, named=True)
    assert (first["Ticket ID"], first["Customer Name"]) == ("1", "Marisa Obrien")
    assert first["First Response Time"] == "2023-06-01 12:15:36"
    assert first["Customer Satisfaction Rating"] is None
    assert result.frame.row(-1, named=True)["Ticket ID"] == "999"


# --- JSON and NDJSON ------------------------------------------------------------------


def test_json_array_nests_as_json_text_and_keeps_numbers_as_written(tmp_path):
    text = '[{"id": 1.50, "ok": true, "tags": ["a", 2], "who": {"n": null}}, {"id": "T2", "x": ""}]'
    result = read_rows(write(tmp_path, "t.json", text))
    assert (result.format, result.rejects) == ("json", [])
    assert result.frame.to_dicts() == [
        {
            "id": "1.50",
            "ok": "true",
            "tags": '["a", 2]',
            "who": '{"n": null}',
            "x": None,
            "__row": 1,
        },
        {"id": "T2", "ok": None, "tags": None, "who": None, "x": None, "__row": 2},
    ]


def test_json_array_items_that_are_not_objects_become_rejects(tmp_path):
    result = read_rows(write(tmp_path, "t.json", '[{"id": 1}, 7, {"id": 3}]'))
    assert result.frame.get_column("__row").to_list() == [1, 3]
    assert result.rejects == [Reject(2, "7", "item 2 of the JSON array is a number, not an object")]


def test_json_file_holding_ndjson_with_a_bad_line_is_read_line_by_line(tmp_path):
    text = '{"id": 1, "ok": false}\n\n{"id": 2\n["list"]\n{"id": 4}\n'
    result = read_rows(write(tmp_path, "t.json", text))
    assert result.format == "ndjson"
    assert result.frame.to_dicts() == [
        {"id": "1", "ok": "false", "__row": 1},
        {"id": "4", "ok": None, "__row": 4},
    ]
    assert result.rejects == [
        Reject(2, '{"id": 2', "line is not valid JSON (Expecting ',' delimiter at column 9)"),
        Reject(3, '["list"]', "line holds an array, not a JSON object"),
    ]


# --- binary formats -------------------------------------------------------------------


def test_parquet_columns_become_text_with_iso_timestamps(tmp_path):
    frame = pl.DataFrame(
        {
            "id": [1, 2],
            "at": [dt.datetime(2024, 3, 1, 10), dt.datetime(2024, 3, 1, 10, 0, 0, 250000)],
            "utc": [dt.datetime(2024, 3, 1, 10), None],
            "score": [4.5, None],
            "ok": [True, False],
            "tags": [["a", "b"], []],
        }
    ).with_columns(pl.col("utc").dt.replace_time_zone("UTC"))
    frame.write_parquet(tmp_path / "t.parquet")
    result = read_rows(tmp_path / "t.parquet")
    assert (result.format, result.encoding) == ("parquet", None)
    assert result.frame.to_dicts() == [
        {"id": "1", "at": "2024-03-01T10:00:00", "utc": "2024-03-01T10:00:00+00:00",
         "score": "4.5", "ok": "true", "tags": '["a", "b"]', "__row": 1},
        {"id": "2", "at": "2024-03-01T10:00:00.250", "utc": None,
         "score": None, "ok": "false", "tags": "[]", "__row": 2},
    ]  # fmt: skip


def test_xlsx_first_sheet_is_text_with_iso_dates_and_integers_without_point_zero(tmp_path):
    path = tmp_path / "roster.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Agents")
    sheet.write_row(0, 0, ["id", "hired", "score", "id", "note"])
    sheet.write_row(1, 0, [7, None, 4.5, 8, "  kept  "])
    sheet.write_datetime(
        1, 1, dt.datetime(2024, 3, 1, 10), book.add_format({"num_format": "yyyy-mm-dd"})
    )
    sheet.write_row(3, 0, [9, None, 3, None, "after a blank row"])
    book.add_worksheet("Other").write(0, 0, "ignored")
    book.close()
    result = read_rows(path)
    assert (result.format, result.encoding, result.rejects) == ("xlsx", None, [])
    assert result.frame.to_dicts() == [
        {"id": "7", "hired": "2024-03-01T10:00:00", "score": "4.5", "id (2)": "8",
         "note": "  kept  ", "__row": 1},
        {"id": "9", "hired": None, "score": "3", "id (2)": None,
         "note": "after a blank row", "__row": 3},
    ]  # fmt: skip


# --- unusable input ---------------------------------------------------------------------


def _empty_xlsx(path: Path) -> None:
    book = xlsxwriter.Workbook(path)
    book.add_worksheet()
    book.close()


UNUSABLE = {
    "missing.csv": (None, "no such file"),
    "zero.csv": (b"", "no data rows"),
    "blank.csv": (b"  \r\n\n", "no data rows"),
    "binary.csv": (random.Random(1).randbytes(3000), "cannot tell the text encoding"),
    "empty.json": (b"[]", "no data rows"),
    "numbers.json": (b"[1, 2]", "holds no objects"),
    "broken.json": (b'[{"id": 1},', "not valid JSON"),
    "wrapped.json": (b'{\n  "tickets": [{"id": 1}]\n}\n', "one JSON object (keys: tickets)"),
    "corrupt.parquet": (b"PAR1 not really", "not a readable Parquet file"),
    "corrupt.xlsx": (b"PK\x03\x04 not really", "not a readable XLSX file"),
    "empty.xlsx": (_empty_xlsx, "no data rows"),
}


@pytest.mark.parametrize("name", sorted(UNUSABLE))
def test_unusable_input_raises_one_line_naming_the_file(tmp_path, name):
    content, expected = UNUSABLE[name]
    if isinstance(content, bytes):
        write(tmp_path, name, content)
    elif content is not None:
        content(tmp_path / name)
    with pytest.raises(UnusableInput) as err:
        read_rows(tmp_path / name)
    message = str(err.value)
    assert message.startswith(f"{name}: ") and expected in message
    assert "\n" not in message


def test_a_folder_is_unusable(tmp_path):
    (tmp_path / "exports").mkdir()
    with pytest.raises(UnusableInput, match=r"^exports: is a folder, not a file; expected a CSV"):
        read_rows(tmp_path / "exports")
