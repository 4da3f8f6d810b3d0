"""Helpers shared by the transforms: option reading, column checks, ids and companion files.

Transforms raise ValueError for a file or option that does not fit; the
pipeline turns it into one clear "does not have the shape ..." line.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import polars as pl

from etl.errors import safe_name
from etl.readers import ROW, read_rows

TURN_DIGITS = 4
"""Turn numbers in message ids are zero-padded to this width so ids sort in turn order."""


def text_option(options: dict[str, Any], key: str, default: str | None = None) -> str:
    """A string option, or ``default``; ValueError when it is missing or not text."""
    value = options.get(key, default)
    if not isinstance(value, str) or not value:
        raise ValueError(f"transform option {key!r} must be a non-empty string, got {value!r}")
    return value


def list_option(options: dict[str, Any], key: str, default: list[str] | None = None) -> list[str]:
    """A list-of-strings option (a single string counts as a list of one)."""
    value = options.get(key, default)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ValueError(f"transform option {key!r} must be a list of column names, got {value!r}")
    return value


def require(frame: pl.DataFrame, *names: str) -> None:
    """ValueError naming the first column the transform needs that the file lacks."""
    present = [c for c in frame.columns if c != ROW]
    for name in names:
        if name not in frame.columns:
            found = ", ".join(safe_name(c) for c in present)
            raise ValueError(f"column {name!r} is missing; columns found: {found}")


def turn_id(prefix: pl.Expr, turn: pl.Expr) -> pl.Expr:
    """``prefix/0007``: a message id that sorts in turn order within its conversation."""
    padded = turn.cast(pl.String).str.zfill(TURN_DIGITS)
    return pl.concat_str([prefix, pl.lit("/"), padded])


def content_hash(frame: pl.DataFrame, columns: list[str], length: int = 16) -> pl.Series:
    """A stable id from the content of ``columns`` (SHA-256 of their JSON, hex, cut to ``length``).

    Python's hashlib, not ``Series.hash``: polars' hash may change between
    releases, and an id must stay the same when the file is loaded again.
    """
    require(frame, *columns)
    if not 8 <= length <= 64:
        raise ValueError(f"transform option 'id_length' must be 8 to 64, got {length}")
    rows = frame.select(columns).rows()
    digests = [
        hashlib.sha256(json.dumps(row, ensure_ascii=False).encode("utf-8")).hexdigest()[:length]
        for row in rows
    ]
    return pl.Series(digests, dtype=pl.String)


def json_list(parts: list[str]) -> pl.Expr:
    """The non-empty values of ``parts`` as a JSON array text (null when there are none)."""
    values = pl.concat_list([pl.col(p) for p in parts]).list.drop_nulls()
    values = values.list.eval(pl.element().filter(pl.element().str.strip_chars() != ""))
    encoded = pl.struct(values.alias("v")).struct.json_encode().str.slice(5).str.strip_suffix("}")
    return pl.when(values.list.len() > 0).then(encoded).otherwise(None)


def companion_file(options: dict[str, Any], key: str) -> pl.DataFrame:
    """Rows of a companion file named by option ``key``, found beside the export.

    Only a bare file name is accepted: a mapping must not read files elsewhere.
    """
    name = text_option(options, key)
    if Path(name).name != name or "/" in name or "\\" in name or name in (".", ".."):
        raise ValueError(f"transform option {key!r} must be a bare file name, got {name!r}")
    path = Path(text_option(options, "_export_dir")) / name
    if not path.is_file():
        raise ValueError(f"the companion file {name} ({key}) is not beside the export")
    return read_rows(path).frame
