"""File writers that give the same bytes for the same frame: CSV, NDJSON, JSON, Parquet, XLSX."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import numpy as np
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
    frame = without_marks(frame)
    terminator = "\r\n" if crlf else "\n"
    if encoding == "utf-8":
        frame.write_csv(path, line_terminator=terminator)
    else:
        path.write_bytes(frame.write_csv(line_terminator=terminator).encode(encoding))


def write_ndjson(frame: pl.DataFrame, path: Path) -> None:
    """One JSON object per line; rows marked broken are cut off mid-record.

    Written in segments between the broken rows, so a large export never sits
    in memory as one string.
    """
    broken = np.flatnonzero(frame[BROKEN].to_numpy()) if BROKEN in frame.columns else []
    clean = without_marks(frame)
    with open(path, "wb") as out:
        start = 0
        for row in broken:
            clean.slice(start, row - start).write_ndjson(out)
            line = clean.slice(row, 1).write_ndjson().rstrip("\n")
            out.write(line[: len(line) // 2].encode("utf-8") + b"\n")
            start = row + 1
        clean.slice(start).write_ndjson(out)


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
