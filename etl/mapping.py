"""Mapping files: how a foreign export's columns and values become a canonical table.

A mapping is TOML (DESIGN section 5)::

    kind = "messages"                 # the canonical kind
    source = "twitter"                # stored in `source`
    timezone = "UTC"                  # zone of timestamps that carry none
    timestamp_format = "%d-%m-%Y %H:%M"   # strptime, or a list of them; omit for ISO 8601/epoch
    day_first = false                 # for ambiguous dates like 01-06-2023
    null_values = ["", "?", "N/A"]    # cells that mean "missing"
    list_separator = ","              # for list columns (tags, languages); JSON arrays also work
    transform = "ubuntu_dialogue"     # optional reshaping step from etl.transforms (fixed list)
    absent = ["created_at"]           # required columns this export cannot say: stored as NULL,
                                      # never invented (metrics exclude and count such rows)

    [columns]                         # canonical name = column in the export
    message_id = "tweet_id"

    [values.sender_type]              # value in the export = canonical value
    "True" = "customer"

    [constants]                       # canonical name = the same value on every row
    channel = "chat"

    [transform_options]               # passed to the transform
    ...

Without a mapping, export columns are matched to canonical names ignoring case,
spaces, dashes and underscores ("Ticket ID" -> ticket_id).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from etl.canonical import TABLES
from etl.errors import UnusableInput
from etl.timezones import resolve_timezone

SHIPPED_DIR = Path(__file__).parent / "mappings"
DEFAULT_NULLS: tuple[str, ...] = ("", "null", "NULL", "None", "NaN", "nan", "N/A", "n/a", "NA")
_KNOWN_KEYS = {
    "kind",
    "source",
    "timezone",
    "timestamp_format",
    "day_first",
    "null_values",
    "list_separator",
    "transform",
    "transform_options",
    "columns",
    "values",
    "constants",
    "description",
    "absent",
}


@dataclass(frozen=True)
class Mapping:
    """A parsed mapping file (or the implicit identity mapping)."""

    kind: str
    name: str = "(none)"
    source: str = "default"
    timezone: str = "UTC"
    timestamp_formats: tuple[str, ...] = ()
    day_first: bool = False
    null_values: tuple[str, ...] = DEFAULT_NULLS
    list_separator: str = ","
    transform: str | None = None
    transform_options: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    absent: tuple[str, ...] = ()


def normalise_header(name: str) -> str:
    """Header as compared when no mapping is given: lower case, no spaces, dashes or underscores."""
    return re.sub(r"[\s_\-]+", "", name.strip().lower())


def resolve_mapping_path(name_or_file: str) -> Path:
    """A shipped mapping's path for a bare name, else the path as given."""
    candidate = Path(name_or_file)
    if candidate.suffix == ".toml" or candidate.exists() or "/" in name_or_file:
        return candidate
    return SHIPPED_DIR / f"{name_or_file}.toml"


def shipped_mappings() -> list[str]:
    """Names of the mappings that ship with the program."""
    return sorted(p.stem for p in SHIPPED_DIR.glob("*.toml"))


def load_mapping(name_or_file: str, kind: str) -> Mapping:
    """Read and check a mapping for ``kind``; raise UnusableInput with one clear line if it is wrong."""
    path = resolve_mapping_path(name_or_file)
    if not path.exists():
        shipped = ", ".join(shipped_mappings()) or "none"
        raise UnusableInput(
            f"{name_or_file}: no such mapping file; expected a path or a shipped name ({shipped})"
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise UnusableInput(f"{path}: not a valid TOML mapping ({err})") from None
    return parse_mapping(data, kind, str(path))


def parse_mapping(data: dict[str, Any], kind: str, label: str) -> Mapping:
    """Check a mapping's content against the canonical spec for ``kind``."""
    unknown = sorted(set(data) - _KNOWN_KEYS)
    if unknown:
        raise UnusableInput(f"{label}: unknown key {unknown[0]!r}; expected {sorted(_KNOWN_KEYS)}")
    _check_types(data, label)
    declared = data.get("kind", kind)
    if declared != kind:
        raise UnusableInput(f"{label}: this mapping is for kind {declared!r}, not {kind!r}")
    spec = TABLES[kind]
    canonical = set(spec.names)
    for section in ("columns", "values", "constants"):
        entries = data.get(section, {})
        if not isinstance(entries, dict):
            raise UnusableInput(f"{label}: [{section}] must be a table")
        for name in entries:
            if name not in canonical:
                raise UnusableInput(
                    f"{label}: [{section}] names {name!r}, which is not a column of {kind};"
                    f" expected one of: {', '.join(spec.names)}"
                )
    absent = tuple(str(a) for a in data.get("absent", ()))
    for name in absent:
        if name not in spec.required or name in spec.key:
            raise UnusableInput(
                f"{label}: absent lists {name!r}; only required non-key columns can be absent"
                f" ({', '.join(c for c in spec.required if c not in spec.key)})"
            )
    try:
        resolve_timezone(str(data.get("timezone", "UTC")))
    except ValueError:
        raise UnusableInput(
            f"{label}: timezone {str(data.get('timezone'))[:60]!r} is not a known time zone;"
            " expected an IANA name such as 'Asia/Shanghai' or 'UTC'"
        ) from None
    formats = data.get("timestamp_format", ())
    if isinstance(formats, str):
        formats = (formats,)
    from etl.transforms import TRANSFORMS  # local: transforms import pipeline helpers

    transform = data.get("transform")
    if transform is not None and transform not in TRANSFORMS:
        raise UnusableInput(
            f"{label}: unknown transform {transform!r}; expected one of: {', '.join(sorted(TRANSFORMS))}"
        )
    return Mapping(
        kind=kind,
        name=label,
        source=str(data.get("source", "default")),
        timezone=str(data.get("timezone", "UTC")),
        timestamp_formats=tuple(str(f) for f in formats),
        day_first=bool(data.get("day_first", False)),
        null_values=tuple(str(v) for v in data.get("null_values", DEFAULT_NULLS)),
        list_separator=str(data.get("list_separator", ",")),
        transform=transform,
        transform_options=dict(data.get("transform_options", {})),
        columns={k: str(v) for k, v in data.get("columns", {}).items()},
        values={
            k: {str(a): str(b) for a, b in v.items()} for k, v in data.get("values", {}).items()
        },
        constants={k: str(v) for k, v in data.get("constants", {}).items()},
        absent=absent,
    )


# The shape every key must have: a mapping file is data and is checked like data.
_TEXT = (str,)
_SHAPES: dict[str, tuple[tuple[type, ...], str]] = {
    "kind": (_TEXT, "a string"),
    "source": (_TEXT, "a string"),
    "timezone": (_TEXT, "a string"),
    "description": (_TEXT, "a string"),
    "list_separator": (_TEXT, "a string"),
    "transform": (_TEXT, "a string"),
    "day_first": ((bool,), "true or false"),
    "timestamp_format": ((str, list), "a string or a list of strings"),
    "null_values": ((list,), "a list of strings"),
    "absent": ((list,), "a list of strings"),
    "columns": ((dict,), "a table of canonical name = export column"),
    "constants": ((dict,), "a table of canonical name = value"),
    "values": ((dict,), "a table of [values.COLUMN] tables"),
    "transform_options": ((dict,), "a table"),
}


def _check_types(data: dict[str, Any], label: str) -> None:
    """Raise UnusableInput naming the first key whose value has the wrong shape."""
    for key, (types, expected) in _SHAPES.items():
        if key not in data:
            continue
        value = data[key]
        bad = not isinstance(value, types)
        if not bad and isinstance(value, list):
            bad = not all(isinstance(v, str) for v in value)
        if not bad and key in ("columns", "constants"):
            bad = not all(isinstance(v, str | int | float | bool) for v in value.values())
        if not bad and key == "values":
            bad = not all(isinstance(v, dict) for v in value.values())
        if bad:
            raise UnusableInput(f"{label}: {key} must be {expected}")
