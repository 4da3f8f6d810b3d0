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
    Case("tickets__json_lone_surrogate.json", None),
    Case("tickets__json_deep_nesting.json", None),
    Case("messages__ndjson_deep_nesting.ndjson", None),
    Case("tickets__ndjson_empty_objects.ndjson", None),
    Case("tickets__parquet_duration_column.parquet", None),
    Case("tickets__mapping_values_not_a_table.toml", None),
    Case("tickets__mapping_null_values_a_number.toml", None),
    Case("tickets__mapping_unknown_timezone.toml", None),
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
