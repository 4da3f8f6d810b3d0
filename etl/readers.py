"""Read an export file into string columns, whatever its format, encoding and delimiter.

The format is told from the content, not the extension (a `.txt` from Excel is
UTF-16 TSV, a `.json` may hold NDJSON). Every cell comes back as text exactly
as written, empty cells as null; typing and cleaning are the pipeline's job.
Records that cannot even be split into fields become `Reject`s instead of
failing the file; a file that cannot be used at all raises `UnusableInput`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import fastexcel
import numpy as np
import polars as pl

from etl.encoding import decode
from etl.errors import UnusableInput, safe_name

ROW = "__row"
_EXPECTED = "expected a CSV, TSV, JSON, NDJSON, Parquet or XLSX export"
_JSON_EXPECTED = "expected a JSON array of objects or one JSON object per line (NDJSON)"
_CUT_OFF = "the record is cut off: a quoted field is never closed before the end of the file"
_DELIMITERS = (",", ";", "\t", "|")
_SNIFF_CHARS = 64 * 1024
_FIELD_LIMIT = 2**31 - 1
_CHUNK = 4 * 1024 * 1024
_EXCEL_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
_EXCEL_TIMESTAMP = r"^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)$"
_LIBRARY_ERRORS = (pl.exceptions.PolarsError, pl.exceptions.PanicException, OSError)


@dataclass(frozen=True)
class Reject:
    """A record that could not be split into fields, kept for the quarantine table."""

    row_number: int
    raw: str
    reason: str


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


def read_rows(path: Path) -> RawRows:
    """Read a CSV/TSV, JSON array, NDJSON, Parquet or XLSX (first sheet) export.

    Raises UnusableInput (one line naming the file) for a missing, empty,
    binary, undecodable or corrupt file.
    """
    path = Path(path)
    data = _read_bytes(path)
    if data.startswith(b"PAR1"):
        return RawRows(_read_parquet(path), [], "parquet", None)
    if data.startswith(_EXCEL_MAGIC):
        return RawRows(_read_xlsx(path), [], "xlsx", None)
    text, encoding = decode(data, path.name)
    start = re.match(r"\s*", text).end()
    if start == len(text):
        raise UnusableInput(
            f"{path.name}: no data rows (the file holds only blank space); {_EXPECTED}"
        )
    if text[start] == "[":
        frame, rejects = _read_json_array(text, path.name)
        return RawRows(frame, rejects, "json", encoding)
    if text[start] == "{":
        frame, rejects = _read_ndjson(text, path.name)
        return RawRows(frame, rejects, "ndjson", encoding)
    delimiter = _sniff(text)
    frame, rejects = _read_delimited(text, delimiter)
    return RawRows(frame, rejects, "tsv" if delimiter == "\t" else "csv", encoding)


def _read_bytes(path: Path) -> bytes:
    if path.is_dir():
        raise UnusableInput(f"{path.name}: is a folder, not a file; {_EXPECTED}")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnusableInput(f"{path.name}: no such file ({path}); {_EXPECTED}") from None
    except OSError as err:
        raise UnusableInput(f"{path.name}: cannot be read ({err.strerror}); {_EXPECTED}") from None
    if not data:
        raise UnusableInput(f"{path.name}: no data rows (the file is empty, 0 bytes); {_EXPECTED}")
    return data


def _header_names(raw: Sequence[str | None]) -> list[str]:
    """Header names stripped; blanks become "column N", repeats "name (2)", "name (3)"."""
    seen, names = {ROW}, []
    for position, name in enumerate(raw, start=1):
        base = (name or "").strip() or f"column {position}"
        unique, copy = base, 1
        while unique in seen:
            copy += 1
            unique = f"{base} ({copy})"
        seen.add(unique)
        names.append(unique)
    return names


def _finish(frame: pl.DataFrame, header: Sequence[str | None], rows: Sequence[int]) -> pl.DataFrame:
    """Name the columns (by position), turn empty cells into nulls and add the record numbers."""
    names = _header_names(header)
    cells = (pl.col(c).cast(pl.String) for c in frame.columns)
    frame = frame.select(
        pl.when(c != "").then(c).alias(n) for c, n in zip(cells, names, strict=True)
    )
    return frame.with_columns(pl.Series(ROW, rows, dtype=pl.Int64))


# --- delimited text -------------------------------------------------------------------


def _sniff(text: str) -> str:
    """The delimiter whose field count is the same on most of the first lines, then the widest."""
    csv.field_size_limit(_FIELD_LIMIT)
    sample = text[:_SNIFF_CHARS]
    best, best_score = ",", (0.0, 0)
    for delimiter in _DELIMITERS:
        counts = [
            len(r) for r in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter) if r
        ]
        if len(text) > len(sample) and len(counts) > 1:
            counts.pop()  # the sample may end inside the last record
        if not counts or counts[0] < 2:
            continue
        score = (sum(c == counts[0] for c in counts) / len(counts), counts[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_delimited(text: str, delimiter: str) -> tuple[pl.DataFrame, list[Reject]]:
    """Polars for clean files (fast); Python's csv module when polars fails or counts disagree."""
    frame = _fast_delimited(text, delimiter)
    if frame is not None:
        return _finish(frame.slice(1), frame.row(0), range(1, frame.height)), []
    return _slow_delimited(text, delimiter)


def _fast_delimited(text: str, delimiter: str) -> pl.DataFrame | None:
    """Header row + records as read by polars, or None when the file is not clean enough.

    Polars pads short rows silently, so the delimiters are counted: in a clean
    file every record has (width - 1) of them outside quoted cells. Bare CR
    line endings, odd quoting, blank lines and one-column files also go to
    the slow path.
    """
    raw = text.encode("utf-8")
    if raw.count(b"\r") != raw.count(b"\r\n"):
        return None
    if not raw.endswith(b"\n"):
        raw += b"\n"  # polars does not object to extra fields on an unterminated last line
    if _odd_quoting(raw, delimiter):
        return None
    try:
        frame = pl.read_csv(
            raw,
            has_header=False,
            separator=delimiter,
            infer_schema=False,
            empty_string_is_null=False,
            truncate_ragged_lines=False,
            raise_if_empty=False,
        )
    except (pl.exceptions.PolarsError, pl.exceptions.PanicException):
        return None
    if frame.width < 2:
        return None
    quoted = frame.select(
        pl.sum_horizontal(pl.all().str.count_matches(delimiter, literal=True).sum())
    ).item()
    if raw.count(delimiter.encode()) != quoted + frame.height * (frame.width - 1):
        return None
    return frame


def _odd_quoting(raw: bytes, delimiter: str) -> bool:
    """Whether any quote sits where polars and the csv module would read it differently.

    Both flip in/out of a quoted field once per quote (escaped "" pairs flip
    twice), but the csv module only opens a quoted field at the start of a
    field and only closes one before a delimiter or line break. So every run of
    quotes that starts outside a quoted field must follow a boundary, and every
    run that ends outside one must precede a boundary. Vectorised with numpy,
    the comparison in chunks: over 200 MB at once it is ten times slower.
    """
    codes = np.frombuffer(raw, dtype=np.uint8)
    parts = [
        np.flatnonzero(codes[start : start + _CHUNK] == ord('"')) + start
        for start in range(0, len(codes), _CHUNK)
    ]
    at = np.concatenate(parts)
    if at.size % 2:
        return True  # ends inside a quoted field
    if at.size == 0:
        return False
    first = np.flatnonzero(np.r_[True, np.diff(at) != 1])  # index in `at` of each run's first quote
    last = np.r_[first[1:] - 1, at.size - 1]
    boundary = np.frombuffer(f"{delimiter}\r\n".encode(), dtype=np.uint8)
    left = (at[first] == 0) | np.isin(codes[np.maximum(at[first] - 1, 0)], boundary)
    right = (at[last] == codes.size - 1) | np.isin(
        codes[np.minimum(at[last] + 1, codes.size - 1)], boundary
    )
    return bool(np.any((first % 2 == 0) & ~left) or np.any((last % 2 == 1) & ~right))


def _slow_delimited(text: str, delimiter: str) -> tuple[pl.DataFrame, list[Reject]]:
    """Split records with the csv module; ragged and cut-off records become rejects."""
    records = _records(text, delimiter)
    header = next(records, ([], ""))[0]
    rows: list[list[str]] = []
    numbers: list[int] = []
    rejects: list[Reject] = []
    number, raw = 0, ""
    for number, (record, raw) in enumerate(records, start=1):
        if len(record) == len(header):
            rows.append(record)
            numbers.append(number)
        else:
            reason = f"row has {len(record)} fields, the header has {len(header)}"
            rejects.append(Reject(number, raw, reason))
    if number and _cut_off(raw, delimiter):
        if numbers[-1:] == [number]:
            rows.pop()
            numbers.pop()
        else:
            rejects.pop()
        rejects.append(Reject(number, raw, _CUT_OFF))
    schema = {str(i): pl.String for i in range(len(header))}
    return _finish(pl.DataFrame(rows, schema=schema, orient="row"), header, numbers), rejects


def _records(text: str, delimiter: str) -> Iterator[tuple[list[str], str]]:
    """Each record that is not a blank line, with its original text (all the lines it spans)."""
    csv.field_size_limit(_FIELD_LIMIT)
    consumed: list[str] = []

    def lines() -> Iterator[str]:
        # The csv reader pulls exactly the lines of one record before yielding it.
        for line in io.StringIO(text, newline=""):
            consumed.append(line)
            yield line

    for record in csv.reader(lines(), delimiter=delimiter):
        raw = "".join(consumed).rstrip("\r\n")
        consumed.clear()
        if record:
            yield record, raw


def _cut_off(raw: str, delimiter: str) -> bool:
    """Whether this record ends inside a quoted field (only the file's last record can)."""
    try:
        list(csv.reader(io.StringIO(raw, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as err:
        # strict mode also objects to text after a closing quote; only EOF-in-quotes counts.
        return "unexpected end of data" in str(err)
    return False


# --- JSON -----------------------------------------------------------------------------


class _Number(str):
    """A JSON number kept as written ("1.50" stays "1.50")."""


def _loads(text: str) -> object:
    return json.loads(text, parse_int=_Number, parse_float=_Number, parse_constant=_Number)


def _read_json_array(text: str, label: str) -> tuple[pl.DataFrame, list[Reject]]:
    """A JSON array of objects; array items that are not objects become rejects."""
    try:
        items = _loads(text)
    except RecursionError:
        raise UnusableInput(
            f"{label}: the JSON is nested too deep to be records; {_JSON_EXPECTED}"
        ) from None
    except json.JSONDecodeError as err:
        raise UnusableInput(
            f"{label}: not valid JSON ({err.msg} at line {err.lineno}, column {err.colno}); "
            f"{_JSON_EXPECTED}"
        ) from None
    if not items:
        raise UnusableInput(f"{label}: no data rows (an empty JSON array); {_EXPECTED}")
    records, rejects = [], []
    for number, item in enumerate(items, start=1):
        if isinstance(item, dict):
            records.append((number, item))
        else:
            reason = f"item {number} of the JSON array is {_kind(item)}, not an object"
            rejects.append(Reject(number, _dump(item), reason))
    if not records:
        raise UnusableInput(f"{label}: the JSON array holds no objects; {_JSON_EXPECTED}")
    return _records_frame(records, label), rejects


def _read_ndjson(text: str, label: str) -> tuple[pl.DataFrame, list[Reject]]:
    """One JSON object per line; a line that is not one becomes a reject."""
    records, rejects, number = [], [], 0
    # Only "\n" ends a line: U+2028 and friends may appear raw inside JSON strings.
    for line in text.split("\n"):
        if not line.strip():
            continue
        number += 1
        try:
            item = _loads(line)
        except RecursionError:
            rejects.append(Reject(number, line[:2000], "line is nested too deep to be a record"))
            continue
        except json.JSONDecodeError as err:
            reason = f"line is not valid JSON ({err.msg} at column {err.colno})"
            rejects.append(Reject(number, line.rstrip("\r"), reason))
            continue
        if isinstance(item, dict):
            records.append((number, item))
        else:
            reason = f"line holds {_kind(item)}, not a JSON object"
            rejects.append(Reject(number, line.rstrip("\r"), reason))
    if not records:
        raise UnusableInput(f"{label}: {_not_ndjson(text)}; {_JSON_EXPECTED}")
    return _records_frame(records, label), rejects


def _not_ndjson(text: str) -> str:
    """What the file holds instead: one object spread over lines (e.g. an API response)?"""
    try:
        value = _loads(text)
    except (json.JSONDecodeError, RecursionError):
        return "no line holds a JSON object"
    keys = ", ".join(safe_name(k) for k in list(value)[:5]) if isinstance(value, dict) else ""
    return f"the file is one JSON object (keys: {keys}), not a list of records"


def _records_frame(records: list[tuple[int, dict]], label: str) -> pl.DataFrame:
    """Columns are the union of the keys in order of first appearance; missing keys are null."""
    keys = list(dict.fromkeys(k for _, record in records for k in record))
    if not keys:
        raise UnusableInput(f"{label}: the JSON objects hold no fields; {_JSON_EXPECTED}")
    frame = pl.DataFrame(
        [
            pl.Series(str(i), [_cell(r.get(k)) for _, r in records], dtype=pl.String)
            for i, k in enumerate(keys)
        ]
    )
    return _finish(frame, [_clean(k) for k in keys], [number for number, _ in records])


_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(text: str) -> str:
    """Text without lone UTF-16 surrogates (valid in JSON escapes, not in UTF-8): U+FFFD instead."""
    return _SURROGATE.sub("\ufffd", text)


def _cell(value: object) -> str | None:
    """A JSON value as cell text: strings and numbers as written, nested values as JSON."""
    if value is None:
        return None
    return _clean(value if isinstance(value, str) else _dump(value))


def _dump(value: object) -> str:
    """JSON text of a parsed value, with numbers exactly as they were written."""
    if isinstance(value, _Number):
        return str(value)
    if isinstance(value, dict):
        items = (f"{json.dumps(k, ensure_ascii=False)}: {_dump(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_dump(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _kind(value: object) -> str:
    kinds = {list: "an array", str: "a string", _Number: "a number", bool: "true/false"}
    return kinds.get(type(value), "null")


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
        raise UnusableInput(f"{path.name}: no data rows (the first sheet is empty); {_EXPECTED}")
    # Calamine writes date cells as "2024-03-01 10:00:00"; ISO 8601 puts a T there.
    body = sheet.slice(1).with_columns(pl.all().str.replace(_EXCEL_TIMESTAMP, "${1}T${2}"))
    body = body.with_row_index(ROW, offset=1).filter(~pl.all_horizontal(pl.exclude(ROW).is_null()))
    frame = _finish(body.drop(ROW), sheet.row(0), body.get_column(ROW).to_list())
    return frame


def _corrupt(path: Path, kind: str, err: BaseException) -> UnusableInput:
    detail = (str(err).strip().splitlines() or [type(err).__name__])[0]
    return UnusableInput(f"{path.name}: not a readable {kind} file ({detail}); {_EXPECTED}")
