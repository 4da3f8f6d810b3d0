"""Every failing input the fuzzers found, kept in tests/fixtures/fuzz_regressions and replayed
through ``python -m etl load``: a balanced report (exit 0) or one clear line (exit 2).

A case that still fails is marked xfail(strict=True) with its bug; when the bug is fixed the
case passes, strict xfail turns that into a failure, and the mark is removed.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import pytest

from etl.__main__ import main as etl_main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "fuzz_regressions"
MAPPING_EXPORT = "tickets__export_for_mappings.csv"

SURROGATE = (
    "bug json-lone-surrogate: a JSON string escape of a lone UTF-16 surrogate ('\\ud83d', a "
    "cut emoji) reaches polars in etl.readers._records_frame: UnicodeEncodeError traceback"
)
DEEP = (
    "bug json-deep-nesting: json.loads in etl.readers._loads raises RecursionError on JSON "
    "nested ~1000+ deep; only JSONDecodeError is caught: traceback"
)
EMPTY_OBJECTS = (
    "bug ndjson-empty-objects: objects without keys ('{}') give a 0-column frame in "
    "etl.readers._records_frame, then adding __row fails: polars InvalidOperationError traceback"
)
DURATION = (
    "bug parquet-duration: etl.readers._as_text casts a Parquet Duration column to String, "
    "which polars refuses: InvalidOperationError traceback"
)
MAPPING_TYPES = (
    "bug mapping-types: etl.mapping.parse_mapping does not check value types "
    '([values] status = "open": AttributeError; null_values = 0: TypeError)'
)
TIMEZONE = (
    "bug mapping-timezone: an unknown mapping timezone is never checked and escapes "
    "etl.timestamps as ValueError: traceback"
)


@dataclass(frozen=True)
class Case:
    file: str
    bug: str | None = None
    raises: tuple[type[BaseException], ...] = ()

    @property
    def kind(self) -> str:
        return self.file.split("__")[0]

    @property
    def is_mapping(self) -> bool:
        return self.file.endswith(".toml")


POLARS = pl.exceptions.PolarsError
CASES = [
    Case("tickets__json_lone_surrogate.json", SURROGATE, (UnicodeEncodeError,)),
    Case("tickets__json_deep_nesting.json", DEEP, (RecursionError,)),
    Case("messages__ndjson_deep_nesting.ndjson", DEEP, (RecursionError,)),
    Case("tickets__ndjson_empty_objects.ndjson", EMPTY_OBJECTS, (POLARS,)),
    Case("tickets__parquet_duration_column.parquet", DURATION, (POLARS,)),
    Case("tickets__mapping_values_not_a_table.toml", MAPPING_TYPES, (AttributeError,)),
    Case("tickets__mapping_null_values_a_number.toml", MAPPING_TYPES, (TypeError,)),
    Case("tickets__mapping_unknown_timezone.toml", TIMEZONE, (ValueError,)),
]


def known_bug(case: Case) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, raises=case.raises, reason=case.bug)


def test_every_fixture_is_replayed():
    listed = {c.file for c in CASES} | {MAPPING_EXPORT}
    assert {p.name for p in FIXTURES.iterdir()} == listed


def replay(case: Case, db: Path) -> tuple[int, str]:
    if case.is_mapping:
        args = [str(FIXTURES / MAPPING_EXPORT), "--mapping", str(FIXTURES / case.file)]
    else:
        args = [str(FIXTURES / case.file)]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = etl_main(["load", case.kind, *args, "--db", str(db), "--quiet"])
    return code, out.getvalue() + err.getvalue()


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, id=c.file, marks=[known_bug(c)] if c.bug else []) for c in CASES],
)
def test_a_fuzz_finding_loads_with_a_balanced_report_or_one_clear_line(case, db_path):
    code, output = replay(case, db_path)
    assert "Traceback" not in output
    if code == 2:
        lines = [line for line in output.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("error: "), output
        assert not db_path.exists()
        return
    assert code == 0, output
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        runs = con.execute(
            "SELECT rows_read, inserted + updated + unchanged + quarantined FROM load_runs"
        ).fetchall()
    finally:
        con.close()
    assert len(runs) == 1 and runs[0][0] == runs[0][1], runs
