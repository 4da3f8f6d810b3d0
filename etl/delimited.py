"""Delimited text (CSV, TSV, ';' or '|'): the delimiter sniffed, records split into text cells.

Polars reads clean files straight from their bytes; the csv module reads the rest, so a
ragged or cut-off record becomes a `Reject` rather than failing the file. A clean UTF-8
file is never decoded into a Python string at all (`read_clean_utf8`).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import polars as pl

from etl.encoding import looks_like_text
from etl.rows import Reject, finish

CUT_OFF = "the record is cut off: a quoted field is never closed before the end of the file"
_DELIMITERS = (",", ";", "\t", "|")
_SNIFF_CHARS = 64 * 1024
_HEAD_BYTES = 4 * _SNIFF_CHARS + 64  # always more than _SNIFF_CHARS characters of UTF-8
_FIELD_LIMIT = 2**31 - 1
_CHUNK = 4 * 1024 * 1024
_OTHER_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)


def read_clean_utf8(data: bytes) -> tuple[pl.DataFrame, str, str] | None:
    """(rows, delimiter, encoding) of a clean UTF-8 delimited file, read from its bytes.

    None whenever the general path is needed: another encoding, text that is not
    valid UTF-8 or looks binary, JSON, blank space, or a file polars cannot read
    exactly as the csv module would. The result is what ``decode`` followed by
    ``sniff`` and ``read_delimited`` give for the same file.
    """
    body, encoding = data, "utf-8"
    if data.startswith(codecs.BOM_UTF8):
        body, encoding = data[len(codecs.BOM_UTF8) :], "utf-8-sig"
    elif data.startswith(_OTHER_BOMS):
        return None
    head = _utf8_head(body)
    if head is None or not looks_like_text(head):
        return None
    start = re.match(r"\s*", head).end()
    if start == len(head) or head[start] in "[{":
        return None
    delimiter = sniff(head)
    read = _fast_delimited(body, delimiter)
    if read is None:
        return None
    return _named(*read), delimiter, encoding


def _utf8_head(body: bytes) -> str | None:
    """The first characters of ``body`` as UTF-8 (a character cut at the end dropped), or None."""
    head = body[:_HEAD_BYTES]
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as err:
        if len(head) < len(body) and err.reason == "unexpected end of data":
            return head[: err.start].decode("utf-8")
        return None


def sniff(text: str) -> str:
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


def read_delimited(text: str, delimiter: str) -> tuple[pl.DataFrame, list[Reject]]:
    """Polars for clean files (fast); Python's csv module when polars fails or counts disagree."""
    read = _fast_delimited(text.encode("utf-8"), delimiter)
    if read is not None:
        return _named(*read), []
    return _slow_delimited(text, delimiter)


def _named(frame: pl.DataFrame, quotes_in_a_row: bool) -> pl.DataFrame:
    """Polars' header row + records as named rows; a quoted empty cell ("") made null too.

    Polars reads an unquoted empty cell as null but "" as an empty string; a file
    without two quotes in a row has no such cell, and skips a pass over every column.
    """
    rows = range(1, frame.height)
    return finish(frame.slice(1), frame.row(0), rows, empties_are_null=not quotes_in_a_row)


def _fast_delimited(raw: bytes, delimiter: str) -> tuple[pl.DataFrame, bool] | None:
    """Header row + records as read by polars, and whether two quotes ever follow each
    other; None when the file is not clean enough.

    Polars pads short rows silently, so the delimiters are counted: in a clean
    file every record has (width - 1) of them outside quoted cells. Bare CR
    line endings, odd quoting, blank lines and one-column files also go to
    the slow path. Every column comes back as text, unquoted empty cells as null.
    """
    if b"\r" in raw and raw.count(b"\r") != raw.count(b"\r\n"):
        return None
    if not raw.endswith(b"\n"):
        raw += b"\n"  # polars does not object to extra fields on an unterminated last line
    codes = np.frombuffer(raw, dtype=np.uint8)
    # The byte counts run beside the parse: numpy lets go of the GIL, polars leaves a core idle.
    with ThreadPoolExecutor(max_workers=1) as pool:
        counted = pool.submit(_byte_counts, codes, delimiter)
        try:
            frame = pl.read_csv(
                raw,
                has_header=False,
                separator=delimiter,
                infer_schema=False,
                empty_string_is_null=True,
                truncate_ragged_lines=False,
                raise_if_empty=False,
            )
        except (pl.exceptions.PolarsError, pl.exceptions.PanicException):
            return None
        counts = counted.result()
    if counts is None or frame.width < 2:
        return None
    quotes, inside, delimiters = counts
    if inside is None:  # quoted cells are most of the file: count in the cells instead
        inside = frame.select(
            pl.sum_horizontal(pl.all().str.count_matches(delimiter, literal=True).sum())
        ).item()
    if delimiters != inside + frame.height * (frame.width - 1):
        return None
    return frame, bool(np.any(np.diff(quotes) == 1))


def _byte_counts(codes: np.ndarray, delimiter: str) -> tuple[np.ndarray, int | None, int] | None:
    """Quote positions, delimiters inside quoted cells (None: count them in the cells) and
    delimiters in all; None when the quoting is odd (see `_odd_quoting`)."""
    quotes = _positions(codes, ord('"'))
    if _odd_quoting(codes, quotes, delimiter):
        return None
    return quotes, _inside_quotes(codes, quotes, ord(delimiter)), _count(codes, ord(delimiter))


def _positions(codes: np.ndarray, byte: int) -> np.ndarray:
    """Where ``byte`` occurs, found a chunk at a time (over 200 MB at once is ten times slower)."""
    return np.concatenate(
        [
            np.flatnonzero(codes[start : start + _CHUNK] == byte) + start
            for start in range(0, len(codes), _CHUNK)
        ]
    )


def _count(codes: np.ndarray, byte: int) -> int:
    return sum(
        int(np.count_nonzero(codes[start : start + _CHUNK] == byte))
        for start in range(0, len(codes), _CHUNK)
    )


def _inside_quotes(codes: np.ndarray, quotes: np.ndarray, byte: int) -> int | None:
    """How often ``byte`` occurs inside quoted cells; None when those are over 1/8 of the file.

    Each quote toggles in and out of a quoted cell, so a cell's text runs from an
    even-numbered quote (counting from 0) to the next one. The bytes of those runs
    are gathered about a chunk's worth (4 MB) at a time and searched at once.
    """
    starts, ends = quotes[0::2] + 1, quotes[1::2]
    lengths = ends - starts
    if int(lengths.sum()) > len(codes) // 8:
        return None
    found = 0
    done = np.r_[0, np.cumsum(lengths)]  # bytes of runs before each run
    marks = np.searchsorted(done, np.arange(0, done[-1], _CHUNK))
    cuts = np.unique(np.r_[0, marks, starts.size])  # runs [cut, next cut) hold about _CHUNK bytes
    for first, stop in zip(cuts[:-1], cuts[1:], strict=True):
        offsets = np.repeat(starts[first:stop] - done[first:stop], lengths[first:stop])
        index = offsets + np.arange(done[first], done[stop])
        found += int(np.count_nonzero(codes[index] == byte))
    return found


def _odd_quoting(codes: np.ndarray, at: np.ndarray, delimiter: str) -> bool:
    """Whether any quote (positions ``at``) sits where polars and the csv module differ.

    Both flip in/out of a quoted field once per quote (escaped "" pairs flip
    twice), but the csv module only opens a quoted field at the start of a
    field and only closes one before a delimiter or line break. So every run of
    quotes that starts outside a quoted field must follow a boundary, and every
    run that ends outside one must precede a boundary.
    """
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
        rejects.append(Reject(number, raw, CUT_OFF))
    schema = {str(i): pl.String for i in range(len(header))}
    return finish(pl.DataFrame(rows, schema=schema, orient="row"), header, numbers), rejects


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
