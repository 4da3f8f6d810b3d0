"""Mappings, shipped and hostile: every one ends in a usable mapping and a balanced load, or in
one clear line; never a traceback, and mapping text is only ever data."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from fuzz_support import (
    CELL,
    FORMULAS,
    FUZZ,
    JSON_VALUES,
    SCRIPT,
    SQL,
    TEXT,
    Harness,
    assert_one_clear_line,
)
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from etl.canonical import TABLES
from etl.errors import UnusableInput
from etl.mapping import Mapping, load_mapping, parse_mapping, shipped_mappings
from etl.transforms import TRANSFORMS

NO_SHRINK = (
    Phase.explicit,
    Phase.reuse,
    Phase.generate,
)  # an xfail needs a failure, not a minimal one
HOSTILE = st.one_of(st.sampled_from(SQL + SCRIPT + FORMULAS), TEXT)
ZONES = (
    "UTC", "Europe/Moscow", "Asia/Shanghai", "America/New_York", "Pacific/Chatham", "Etc/GMT+12",
    "+05:30", "UTC-03:00", "GMT+8", "Beijing", "Eastern Time (US & Canada)",
    "(GMT-08:00) Pacific Time (US & Canada)",
)  # fmt: skip
FORMATS = (
    "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M", "%m/%d/%Y", "%a %b %d %H:%M:%S %z %Y", "%s",
    "%Y-%m-%dT%H:%M:%S%.f%z", "%Q", "%", "%%", "%H", "'; DROP TABLE tickets; --", "%Y%Y%Y",
)  # fmt: skip
EXPORT_COLUMNS = ("Ticket Number", "Created", "State", "Tags", "Subject", "Team", "Channel")
EXPORT = [
    ("T1", "05/01/2026 09:00", "Open", "vip, refund", "Где мои деньги?", "ru", "chat"),
    ("T2", "2026-01-05 10:00:00", "closed", '["a", "b"]', "=HYPERLINK(1)", "en", "email"),
    ("T3", "1767603600", "pending", "", "'); DROP TABLE tickets; --", "zh", "wechat"),
    ("T4", "not a date", "solved", "x;y", "你好", "es", "web"),
]


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Harness:
    return Harness(tmp_path_factory.mktemp("mappings"))


@pytest.fixture(scope="module")
def export(harness: Harness) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([EXPORT_COLUMNS, *EXPORT])
    return harness.write("helpdesk.csv", buffer.getvalue().encode("utf-8"))


def toml_value(value: Any) -> str:
    """A TOML literal for a str/bool/int/float/list/dict value (inline tables for dicts)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        escaped = "".join(
            ch if ch >= " " and ch not in '"\\\x7f' else f"\\u{ord(ch):04x}" for ch in value
        )
        return f'"{escaped}"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{toml_value(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def toml_text(data: dict[str, Any]) -> str:
    return "\n".join(f"{key} = {toml_value(value)}" for key, value in data.items()) + "\n"


@st.composite
def well_typed_mappings(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    """Mapping content of the documented shapes, with hostile text wherever text goes."""
    spec = TABLES[kind]
    canonical = st.sampled_from(spec.names)
    source_column = st.sampled_from(EXPORT_COLUMNS) | HOSTILE
    data: dict[str, Any] = {
        "columns": draw(st.dictionaries(canonical, source_column, max_size=6)),
    }
    optional = {
        "kind": st.sampled_from((kind, "messages", "'; DROP TABLE tickets; --")),
        "source": HOSTILE,
        "timezone": st.sampled_from(ZONES),
        "timestamp_format": st.sampled_from(FORMATS)
        | st.lists(st.sampled_from(FORMATS), max_size=3),
        "day_first": st.booleans(),
        "null_values": st.lists(HOSTILE | st.sampled_from(("", "N/A", "Open")), max_size=4),
        "list_separator": HOSTILE,
        "values": st.dictionaries(
            canonical,
            st.dictionaries(
                HOSTILE | st.sampled_from(("Open", "chat")),
                HOSTILE | st.sampled_from(("open", "solved")),
            ),
            max_size=3,
        ),
        "constants": st.dictionaries(canonical, HOSTILE, max_size=3),
        "transform": st.sampled_from(sorted(TRANSFORMS)) | HOSTILE,
        "transform_options": st.dictionaries(
            st.sampled_from(
                ("conversation", "turns", "id_from", "column", "equals", "case", "sender")
            )
            | TEXT,
            HOSTILE | st.lists(st.sampled_from(EXPORT_COLUMNS), max_size=2),
            max_size=3,
        ),
        "absent": st.lists(st.sampled_from(spec.required) | HOSTILE, max_size=2),
        "description": HOSTILE,
    }
    for key in draw(st.lists(st.sampled_from(sorted(optional)), unique=True, max_size=5)):
        data[key] = draw(optional[key])
    return data


def parse_or_refuse(data: dict[str, Any], kind: str) -> Mapping | None:
    try:
        return parse_mapping(data, kind, "fuzzed.toml")
    except UnusableInput as err:
        assert_one_clear_line(err, "fuzzed.toml")
        return None


@settings(FUZZ)
@given(data=well_typed_mappings("tickets"))
def test_a_mapping_of_the_documented_shape_with_hostile_text_loads_or_is_refused_in_one_line(
    harness, export, data
):
    mapping = parse_or_refuse(data, "tickets")
    if mapping is not None:
        harness.load(export, "tickets", mapping)


@settings(FUZZ, max_examples=min(FUZZ.max_examples, 40))
@given(data=well_typed_mappings("tickets"))
def test_the_same_mapping_written_as_a_toml_file_reads_back_alike(harness, data):
    path = harness.folder / "fuzzed.toml"
    path.write_text(toml_text(data), encoding="utf-8")
    try:
        from_file = load_mapping(str(path), "tickets")
    except UnusableInput as err:
        assert_one_clear_line(err, "fuzzed.toml")
        with pytest.raises(UnusableInput):
            parse_mapping(data, "tickets", str(path))
        return
    assert from_file == parse_mapping(data, "tickets", str(path))


@settings(FUZZ, max_examples=min(FUZZ.max_examples, 40))
@given(content=st.binary(max_size=300) | TEXT.map(str.encode))
def test_a_mapping_file_that_is_not_toml_is_refused_in_one_line(harness, content):
    path = harness.folder / "garbage.toml"
    path.write_bytes(content)
    try:
        load_mapping(str(path), "tickets")
    except UnusableInput as err:
        assert_one_clear_line(err, "garbage.toml")


WRONG_TYPES = st.one_of(
    st.integers(), st.booleans(), st.floats(allow_nan=False), TEXT, st.lists(st.integers(), max_size=2),
    st.dictionaries(TEXT, st.integers(), max_size=2),
)  # fmt: skip


@settings(FUZZ, phases=NO_SHRINK)
@given(
    key=st.sampled_from(
        ("values", "null_values", "absent", "timestamp_format", "transform", "transform_options")
    ),
    value=WRONG_TYPES,
)
def test_a_wrongly_typed_mapping_value_is_refused_in_one_line(harness, export, key, value):
    data: dict[str, Any] = {"columns": {"ticket_id": "Ticket Number", "created_at": "Created"}}
    data[key] = {"status": value} if key == "values" else value
    mapping = parse_or_refuse(data, "tickets")
    if mapping is not None:
        harness.load(export, "tickets", mapping)


@pytest.mark.parametrize(
    "zone", ["Mars/Phobos", "UTC'; DROP TABLE tickets; --", "", "../../etc/localtime"]
)
def test_an_unknown_mapping_time_zone_is_refused_in_one_line(harness, export, zone):
    data = {"columns": {"ticket_id": "Ticket Number", "created_at": "Created"}, "timezone": zone}
    mapping = parse_or_refuse(data, "tickets")
    if mapping is not None:
        harness.load(export, "tickets", mapping)


def shipped_columns(mapping: Mapping) -> list[str]:
    """Every export column a shipped mapping or its transform options name."""
    names = list(mapping.columns.values())
    for value in mapping.transform_options.values():
        if isinstance(value, str):
            names.append(value)
        elif isinstance(value, list):
            names += [v for v in value if isinstance(v, str)]
    return list(dict.fromkeys(names))


def shipped(name: str) -> Mapping:
    for kind in TABLES:
        try:
            return load_mapping(name, kind)
        except UnusableInput:
            continue
    raise AssertionError(f"shipped mapping {name} fits no kind")


@pytest.mark.parametrize("name", shipped_mappings())
@settings(FUZZ, max_examples=min(FUZZ.max_examples, 8))
@given(data=st.data())
def test_every_shipped_mapping_on_hostile_exports_of_its_shape(harness, name, data):
    mapping = shipped(name)
    header = shipped_columns(mapping)
    header = (
        data.draw(
            st.lists(
                st.sampled_from(header), min_size=len(header) - 1, max_size=len(header), unique=True
            )
        )
        if len(header) > 1
        else header
    )
    cell = CELL | JSON_VALUES.map(json.dumps) | st.just('[["customer", "hi"], ["agent", "=1+1"]]')
    rows = data.draw(
        st.lists(st.lists(cell, min_size=len(header), max_size=len(header)), max_size=6)
    )
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    path = harness.write(f"{name}-export.csv", buffer.getvalue().encode("utf-8"))
    harness.load(path, mapping.kind, mapping)
