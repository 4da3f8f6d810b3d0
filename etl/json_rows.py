"""JSON exports (an array of objects, or NDJSON: one object per line) as text columns.

Every value comes back as text exactly as written: numbers keep their digits ("1.50"),
nested objects and arrays become compact JSON, lone surrogates become U+FFFD. An item or
line that is not an object becomes a `Reject` with its reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import polars as pl

from etl.errors import UnusableInput, safe_name
from etl.rows import EXPECTED, Reject
from etl.rows import finish as _finish

_JSON_EXPECTED = "expected a JSON array of objects or one JSON object per line (NDJSON)"
_PART = 100_000  # JSON records held as Python objects at once
_NUMBER = "__number"
_LINE_BLOCK = 16 * 1024 * 1024


class _Number(str):
    """A JSON number kept as written ("1.50" stays "1.50")."""


_DECODER = json.JSONDecoder(parse_int=_Number, parse_float=_Number, parse_constant=_Number)


def _loads(text: str) -> object:
    """``json.loads`` keeping numbers as written (one decoder, not one per call)."""
    return _DECODER.decode(text)


def read_json_array(text: str, label: str) -> tuple[pl.DataFrame, list[Reject]]:
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
        raise UnusableInput(f"{label}: no data rows (an empty JSON array); {EXPECTED}")
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


def read_ndjson(text: str, label: str) -> tuple[pl.DataFrame, list[Reject]]:
    """One JSON object per line; a line that is not one becomes a reject.

    Records become text columns a part at a time (see `_Columns`), so a large export is
    never held as millions of Python dicts at once.
    """
    records, rejects, number = _Columns(), [], 0
    for line in _lines(text):
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
            records.add(number, item, "\\u" in line)
        else:
            reason = f"line holds {_kind(item)}, not a JSON object"
            rejects.append(Reject(number, line.rstrip("\r"), reason))
    if not records.count:
        raise UnusableInput(f"{label}: {_not_ndjson(text)}; {_JSON_EXPECTED}")
    return records.frame(label), rejects


def _lines(text: str) -> Iterator[str]:
    """``text.split("\n")``, a block of about 16 MB at a time rather than all lines at once.

    Only "\n" ends a line: U+2028 and friends may appear raw inside JSON strings.
    """
    start = 0
    while start < len(text):
        end = text.find("\n", start + _LINE_BLOCK)
        end = len(text) if end == -1 else end
        yield from text[start:end].split("\n")
        start = end + 1


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
    columns = _Columns()
    for number, record in records:
        columns.add(number, record, escaped=True)
    return columns.frame(label)


class _Columns:
    """JSON records turned into text columns a part of `_PART` records at a time.

    The columns are the union of the keys in order of first appearance (named by that
    position until the end); a record without a key has null there.
    """

    def __init__(self) -> None:
        self.keys: dict[str, int] = {}
        self.parts: list[pl.DataFrame] = []
        self.pending: list[tuple[int, dict, bool]] = []
        self.count = 0

    def add(self, number: int, record: dict, escaped: bool) -> None:
        """``escaped``: its JSON text has a \\u escape (only such text holds lone surrogates)."""
        self.pending.append((number, record, escaped))
        self.count += 1
        if len(self.pending) >= _PART:
            self._flush()

    def _flush(self) -> None:
        if not self.pending:
            return
        part = list(dict.fromkeys(k for _, record, _ in self.pending for k in record))
        for key in part:
            self.keys.setdefault(key, len(self.keys))
        columns = {
            str(self.keys[k]): pl.Series(
                [(_cell if e else _plain)(r.get(k)) for _, r, e in self.pending],
                dtype=pl.String,
            )
            for k in part
        }
        numbers = pl.Series([number for number, _, _ in self.pending], dtype=pl.Int64)
        self.parts.append(pl.DataFrame({_NUMBER: numbers, **columns}))
        self.pending = []

    def frame(self, label: str) -> pl.DataFrame:
        self._flush()
        if not self.keys:
            raise UnusableInput(f"{label}: the JSON objects hold no fields; {_JSON_EXPECTED}")
        whole = pl.concat(self.parts, how="diagonal") if len(self.parts) > 1 else self.parts[0]
        texts = whole.select(pl.col(str(i)) for i in range(len(self.keys)))
        return _finish(texts, [_clean(k) for k in self.keys], whole[_NUMBER].to_list())


_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(text: str) -> str:
    """Text without lone UTF-16 surrogates (valid in JSON escapes, not in UTF-8): U+FFFD instead."""
    return _SURROGATE.sub("\ufffd", text)


def _cell(value: object) -> str | None:
    """A JSON value as cell text: strings and numbers as written, nested values as JSON."""
    if value is None:
        return None
    return _clean(value if isinstance(value, str) else _dump(value))


def _plain(value: object) -> str | None:
    """`_cell` of a value that cannot hold a lone surrogate."""
    if value is None:
        return None
    return str(value) if isinstance(value, str) else _dump(value)


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
