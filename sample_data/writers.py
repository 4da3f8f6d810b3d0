"""File writers that give the same bytes for the same frame: CSV, NDJSON, JSON, Parquet, XLSX."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import polars as pl
import xlsxwriter

from sample_data.malformed import BROKEN, without_marks

# A fixed creation date in the workbook properties keeps XLSX bytes reproducible.
WORKBOOK_CREATED = datetime(2026, 11, 1, 6, 0, 0)


def local_text(ts: pl.Expr, zone: str, fmt: str) -> pl.Expr:
    """A UTC timestamp column as wall-clock text in ``zone``."""
    return ts.dt.convert_time_zone(zone).dt.to_string(fmt)


def write_csv(
    frame: pl.DataFrame, path: Path, *, encoding: str = "utf-8", crlf: bool = False
) -> None:
    """CSV with a header; ``encoding`` other than UTF-8 re-encodes the text (e.g. GB18030)."""
    text = without_marks(frame).write_csv(line_terminator="\r\n" if crlf else "\n")
    path.write_bytes(text.encode(encoding))


def write_ndjson(frame: pl.DataFrame, path: Path) -> None:
    """One JSON object per line; rows marked broken are cut off mid-record."""
    broken = frame[BROKEN].to_list() if BROKEN in frame.columns else []
    lines = without_marks(frame).write_ndjson().split("\n")
    for i, is_broken in enumerate(broken):
        if is_broken:
            lines[i] = lines[i][: len(lines[i]) // 2]
    path.write_text("\n".join(lines), encoding="utf-8")


def write_json_array(frame: pl.DataFrame, path: Path) -> None:
    """A JSON array of objects, pretty enough to read, nulls kept."""
    rows = without_marks(frame).to_dicts()
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def write_parquet(frame: pl.DataFrame, path: Path) -> None:
    """Parquet, zstd, no statistics that could vary."""
    without_marks(frame).write_parquet(path, compression="zstd", statistics=False)


def write_xlsx(frame: pl.DataFrame, path: Path, date_columns: tuple[str, ...] = ()) -> None:
    """One-sheet workbook; ``date_columns`` hold real Excel dates, everything else text."""
    frame = without_marks(frame)
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"created": WORKBOOK_CREATED, "author": "Support Ops"})
    sheet = book.add_worksheet("Roster")
    bold = book.add_format({"bold": True})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, frame.columns, bold)
    for c, name in enumerate(frame.columns):
        for r, value in enumerate(frame[name].to_list(), start=1):
            if value is None:
                continue
            if name in date_columns:
                sheet.write_datetime(r, c, value, date)
            else:
                sheet.write_string(r, c, str(value))
        sheet.set_column(c, c, 18)
    book.close()
