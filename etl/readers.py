"""Read an export file into string columns, whatever its format, encoding and delimiter.

The format is told from the content, not the extension (a `.txt` from Excel is
UTF-16 TSV, a `.json` may hold NDJSON). Every cell comes back as text exactly
as written, empty cells as null; typing and cleaning are the pipeline's job.
Records that cannot even be split into fields become `Reject`s instead of
failing the file; a file that cannot be used at all raises `UnusableInput`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from etl.delimited import CUT_OFF, read_clean_utf8, read_delimited, sniff
from etl.encoding import decode
from etl.errors import UnusableInput
from etl.json_rows import read_json_array, read_ndjson
from etl.rows import EXPECTED, ROW, Reject
from etl.rows import finish as _finish

__all__ = ["CUT_OFF", "ROW", "RawRows", "Reject", "read_rows"]
_CUT_OFF = CUT_OFF
_EXCEL_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
_EXCEL_TIMESTAMP = r"^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)$"
_LIBRARY_ERRORS = (pl.exceptions.PolarsError, pl.exceptions.PanicException, OSError)


@dataclass
class RawRows:
    """The rows of one export: all columns pl.String plus `__row`, the 1-based record number."""

    frame: pl.DataFrame
    rejects: list[Reject]
    format: str
    encoding: str | None

    @property
    def rows_read(self) -> int:
        return self.frame.height + len(self.rejects)


def read_rows(path: Path, with_bytes: Callable[[bytes], object] | None = None) -> RawRows:
    """Read a CSV/TSV, JSON array, NDJSON, Parquet or XLSX (first sheet) export.

    ``with_bytes`` gets the file's bytes as soon as they are read (the loader hashes them
    in a thread while they are parsed, instead of reading the file a second time).
    Raises UnusableInput (one line naming the file) for a missing, empty,
    binary, undecodable or corrupt file.
    """
    path = Path(path)
    data = _read_bytes(path)
    if with_bytes is not None:
        with_bytes(data)
    if data.startswith(b"PAR1"):
        return RawRows(_read_parquet(path), [], "parquet", None)
    if data.startswith(_EXCEL_MAGIC):
        return RawRows(_read_xlsx(path), [], "xlsx", None)
    clean = read_clean_utf8(data)
    if clean is not None:
        frame, delimiter, encoding = clean
        return RawRows(frame, [], "tsv" if delimiter == "\t" else "csv", encoding)
    text, encoding = decode(data, path.name)
    start = re.match(r"\s*", text).end()
    if start == len(text):
        raise UnusableInput(
            f"{path.name}: no data rows (the file holds only blank space); {EXPECTED}"
        )
    if text[start] == "[":
        frame, rejects = read_json_array(text, path.name)
        return RawRows(frame, rejects, "json", encoding)
    if text[start] == "{":
        frame, rejects = read_ndjson(text, path.name)
        return RawRows(frame, rejects, "ndjson", encoding)
    delimiter = sniff(text)
    frame, rejects = read_delimited(text, delimiter)
    return RawRows(frame, rejects, "tsv" if delimiter == "\t" else "csv", encoding)


def _read_bytes(path: Path) -> bytes:
    if path.is_dir():
        raise UnusableInput(f"{path.name}: is a folder, not a file; {EXPECTED}")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnusableInput(f"{path.name}: no such file ({path}); {EXPECTED}") from None
    except OSError as err:
        raise UnusableInput(f"{path.name}: cannot be read ({err.strerror}); {EXPECTED}") from None
    if not data:
        raise UnusableInput(f"{path.name}: no data rows (the file is empty, 0 bytes); {EXPECTED}")
    return data


# --- binary formats -------------------------------------------------------------------


def _read_parquet(path: Path) -> pl.DataFrame:
    """Every column as text: timestamps ISO 8601, nested values as JSON."""
    try:
        frame = pl.read_parquet(path)
    except _LIBRARY_ERRORS as err:
        raise _corrupt(path, "Parquet", err) from None
    try:
        texts = [_as_text(frame.get_column(c)) for c in frame.columns]
    except _LIBRARY_ERRORS as err:
        raise _corrupt(path, "Parquet", err) from None
    return _finish(pl.DataFrame(texts), frame.columns, range(1, frame.height + 1))


def _as_text(series: pl.Series) -> pl.Series:
    """One column as pl.String, keyed by its type."""
    dtype = series.dtype
    if isinstance(dtype, pl.Datetime):
        zone = "%:z" if dtype.time_zone else ""
        return series.dt.to_string(f"%Y-%m-%dT%H:%M:%S%.f{zone}")
    if isinstance(dtype, pl.Duration):
        return series.dt.to_string("iso")
    if isinstance(dtype, pl.List | pl.Array | pl.Struct | pl.Object):
        values = series.to_list()
        texts = [
            None if v is None else json.dumps(v, ensure_ascii=False, default=str) for v in values
        ]
        return pl.Series(series.name, texts, dtype=pl.String)
    if dtype == pl.Binary:
        texts = [
            None if v is None else v.decode("utf-8", errors="replace") for v in series.to_list()
        ]
        return pl.Series(series.name, texts, dtype=pl.String)
    return series.cast(pl.String)


def _read_xlsx(path: Path) -> pl.DataFrame:
    """The first sheet as text; its first row is the header, wholly empty rows are skipped."""
    import fastexcel  # polars' XLSX engine, only for XLSX exports

    try:
        sheet = pl.read_excel(
            path,
            engine="calamine",
            has_header=False,
            read_options={"dtypes": "string"},
            raise_if_empty=False,
            drop_empty_rows=False,  # dropped below, keeping each row's position in the sheet
        )
    except (*_LIBRARY_ERRORS, fastexcel.FastExcelError) as err:
        raise _corrupt(path, "XLSX", err) from None
    if sheet.height == 0:
        raise UnusableInput(f"{path.name}: no data rows (the first sheet is empty); {EXPECTED}")
    # Calamine writes date cells as "2024-03-01 10:00:00"; ISO 8601 puts a T there.
    body = sheet.slice(1).with_columns(pl.all().str.replace(_EXCEL_TIMESTAMP, "${1}T${2}"))
    body = body.with_row_index(ROW, offset=1).filter(~pl.all_horizontal(pl.exclude(ROW).is_null()))
    frame = _finish(body.drop(ROW), sheet.row(0), body.get_column(ROW).to_list())
    return frame


def _corrupt(path: Path, kind: str, err: BaseException) -> UnusableInput:
    detail = (str(err).strip().splitlines() or [type(err).__name__])[0]
    return UnusableInput(f"{path.name}: not a readable {kind} file ({detail}); {EXPECTED}")
