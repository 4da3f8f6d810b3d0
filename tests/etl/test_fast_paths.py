"""The load's fast paths give exactly what the general paths give.

Each test runs the same input through the fast path and through the general one
(forced by switching the fast path off) and compares every value and reason.
"""

from __future__ import annotations

import random

import polars as pl
import pytest

from etl import delimited, json_rows, timestamps, validate
from etl.canonical import TABLES
from etl.columns import ROW
from etl.encoding import decode
from etl.mapping import Mapping
from etl.readers import read_rows

# Shapes the fast reader takes, next to near misses it must leave to the cascade.
TIMES = [
    "2024-03-10T02:30:00",  # New York: inside the spring gap
    "2024-11-03T01:30:00",  # New York: the repeated autumn hour
    "2024-03-10 07:30:00",
    "2024-06-30T23:59:60Z",  # leap second
    "2024-02-30T10:00:00Z",  # no such day
    "2024-01-01T24:00:00Z",
    "0999-01-01T00:00:00Z",  # year below 1000
    "+024-06-30T00:00:00Z",
    "２０２４-06-30T00:00:00Z",  # full-width digits
    "2024-06-30t00:00:00Z",
    "2024-06-30T00:00:00z",
    "  2024-06-30T08:00:00Z ",
    "2024-06-30T08:00:00.5Z",
    "2024-06-30T08:00:00+02:00",
    "1719734400",
    "30/06/2024 08:00",
    "N/A",
    "?",
    "",
    "   ",
    None,
    "1999-12-31T23:59:59Z",  # read, but implausible
    "2099-01-01T00:00:00Z",
    "not a date",
]


def _frame(values: list[str | None], n: int = 400) -> pl.DataFrame:
    """``n`` rows that are mostly the ``Z`` shape (so it is detected), then ``values``."""
    rng = random.Random(7)
    common = [
        f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T"
        f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z"
        for _ in range(n)
    ]
    cells = common + values
    return pl.DataFrame(
        {
            ROW: list(range(1, len(cells) + 1)),
            "ticket_id": [f"T{i}" for i in range(len(cells))],
            "created_at": cells,
            "updated_at": list(reversed(cells)),
            "solved_at": [v if i % 3 else None for i, v in enumerate(cells)],
            "status": [rng.choice(["Open", " solved", "fax", "N/A", None]) for _ in cells],
            "reopens": [rng.choice(["1", "2.0", "-1", "x", None, " 3 "]) for _ in cells],
            "via_bot": [rng.choice(["true", "NO", "maybe", None]) for _ in cells],
            "tags": [rng.choice(["a b", '["x","y"]', "", None]) for _ in cells],
            "team": [rng.choice(["Support - English", "other", None]) for _ in cells],
        },
        schema_overrides={ROW: pl.Int64},
    )


def _typed_both_ways(
    frame: pl.DataFrame, mapping: Mapping, monkeypatch: pytest.MonkeyPatch
) -> tuple[validate.Typed, validate.Typed]:
    fast = validate.type_and_check(frame, TABLES["tickets"], mapping)
    with monkeypatch.context() as patch:
        patch.setattr(timestamps, "common_shape", lambda _values: None)
        patch.setattr(validate, "_FEW", -1.0)  # never per distinct value
        general = validate.type_and_check(frame, TABLES["tickets"], mapping)
    return fast, general


@pytest.mark.parametrize(
    "zone", ["UTC", "America/New_York", "Asia/Kolkata", "Pacific Time (US & Canada)"]
)
@pytest.mark.parametrize("shape", ["Z", "T", "space"])
def test_typing_and_reasons_are_the_same_on_the_fast_paths(monkeypatch, zone, shape):
    frame = _frame(TIMES)
    if shape != "Z":  # make the zone-less shapes the common ones
        separator = "T" if shape == "T" else " "
        frame = frame.with_columns(
            pl.col(c).str.replace("Z$", "").str.replace("T", separator)
            for c in ("created_at", "updated_at", "solved_at")
        )
    mapping = Mapping(kind="tickets", timezone=zone, values={"team": {"Support - English": "en"}})
    fast, general = _typed_both_ways(frame, mapping, monkeypatch)
    assert timestamps.common_shape(frame["created_at"]) is not None
    assert fast.frame.equals(general.frame)
    assert fast.reasons.equals(general.reasons)
    assert fast.reasons.drop_nulls().len() > 20  # the near misses were flagged, as before


def test_a_null_value_of_the_common_shape_stays_null(monkeypatch):
    frame = _frame(["1970-01-01T00:00:00Z"])
    mapping = Mapping(kind="tickets", null_values=("", "1970-01-01T00:00:00Z"))
    fast, general = _typed_both_ways(frame, mapping, monkeypatch)
    assert fast.frame["created_at"][-1] is None
    assert fast.frame.equals(general.frame)
    assert fast.reasons.equals(general.reasons)


def test_mapping_formats_skip_the_fast_reader(monkeypatch):
    frame = _frame(["2024-05-06T07:08:09Z"])
    mapping = Mapping(kind="tickets", timestamp_formats=("%Y-%d-%mT%H:%M:%SZ",))
    fast, general = _typed_both_ways(frame, mapping, monkeypatch)
    assert fast.frame.equals(general.frame)
    assert fast.reasons.equals(general.reasons)
    # Read day-first as the mapping says: 6 May becomes 5 June.
    assert fast.frame["created_at"][-1].month == 6


def _csv(rows: int, rng: random.Random) -> str:
    cells = ["plain", "", '"quoted, with comma"', '"two ""quotes"""', '"line\nbreak"', '""', "ü €"]
    lines = ["id,body,note"]
    for i in range(rows):
        lines.append(f"{i},{rng.choice(cells)},{rng.choice(cells)}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", range(6))
def test_a_clean_utf8_file_reads_the_same_from_bytes_as_from_text(tmp_path, monkeypatch, seed):
    rng = random.Random(seed)
    text = _csv(rng.randint(1, 3000), rng)
    monkeypatch.setattr(delimited, "_CHUNK", rng.choice([7, 64, 4096]))  # runs across chunks
    data = text.encode("utf-8")
    fast = delimited.read_clean_utf8(data)
    assert fast is not None
    decoded, _ = decode(data, "t.csv")
    general = delimited._slow_delimited(decoded, delimited.sniff(decoded))
    assert fast[0].equals(general[0])
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    assert read_rows(path).frame.equals(general[0])


def test_a_short_row_is_left_to_the_general_reader(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('id,body,note\n1,"a, b",c\n2,"x"\n3,y,z\n', encoding="utf-8")
    assert delimited.read_clean_utf8(path.read_bytes()) is None
    raw = read_rows(path)
    assert [r.row_number for r in raw.rejects] == [2]
    assert raw.frame[ROW].to_list() == [1, 3]


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfeid,x\n",  # UTF-16 BOM
        "id,x\n1,caf\xe9\n".encode("latin-1"),  # not UTF-8
        b"[1, 2]",
        b'{"a": 1}\n',
        b"   \n  ",
    ],
)
def test_files_for_the_general_reader_are_declined(data):
    assert delimited.read_clean_utf8(data) is None


def test_a_byte_order_mark_is_dropped_and_named():
    rows, delimiter, encoding = delimited.read_clean_utf8(b"\xef\xbb\xbfid;x\n1;2\n")
    assert (rows.columns, delimiter, encoding) == (["id", "x", ROW], ";", "utf-8-sig")


NDJSON_LINES = [
    '{"id": 1, "amount": 1.50, "body": "plain"}',
    "",
    "{}",
    '{"id": 2, "late": "new key", "nested": {"a": [1, 2.0, null]}}',
    "not json",
    "[1, 2]",
    '{"id": 3, "body": "lone \\ud800 surrogate", "\\udfff key": "x"}\r',
    '{"id": 4, "body": "line\u2028separator", "path": "C:\\\\users"}',
    "   ",
    '{"amount": 1e3, "id": "5"}',
    '{"id": 6}',
]


@pytest.mark.parametrize(("part", "block"), [(1, 1), (2, 5), (3, 64)])
def test_ndjson_read_in_parts_is_the_same_as_at_once(tmp_path, monkeypatch, part, block):
    path = tmp_path / "t.ndjson"
    path.write_text("\n".join(NDJSON_LINES * 3) + "\n", encoding="utf-8")
    whole = read_rows(path)
    monkeypatch.setattr(json_rows, "_PART", part)
    monkeypatch.setattr(json_rows, "_LINE_BLOCK", block)
    parts = read_rows(path)
    assert parts.frame.equals(whole.frame)
    assert parts.rejects == whole.rejects
    assert whole.frame.columns[:3] == ["id", "amount", "body"]
    assert whole.frame["amount"].to_list()[:2] == ["1.50", None]
    assert "lone \ufffd surrogate" in whole.frame["body"].to_list()
    assert [r.row_number for r in whole.rejects] == [4, 5, 13, 14, 22, 23]
