"""Nothing is wrong faster: ``language_gaps_by_day`` (the alerts' daily series of uncovered
contacts, one query) gives exactly the rows of ``language_gaps`` called once per day, on the
demo (also with the shifts of some days removed, so the presence source changes inside a
period, and in a half-hour reporting zone) and on the warehouses loaded from
../shared/real_data, over several periods and filters.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from polars.testing import assert_frame_equal
from test_stored_equals_lazy import REAL_SETS

from metrics.core.dimensions import data_span
from metrics.core.filters import Filters
from metrics.core.settings import Settings, load_settings, settings_from_dict
from metrics.coverage.gaps import language_gaps_by_day
from tests.metrics.gaps_reference import per_day_calls
from warehouse.reader import ReadOnlyWarehouse

SETTINGS = load_settings()


def periods(wh: ReadOnlyWarehouse, settings: Settings) -> list[Filters]:
    """The last 30 days of data (the dashboard's span of contacts), the first 10, the last 5 and 3 days past the end, the last
    30 days narrowed to the most common language and to the most common team."""
    first, last = data_span(wh, settings)
    if last is None:  # no dated contact: any days (both sides must give nothing)
        first, last = date(2026, 1, 1), date(2026, 1, 31)
    month = Filters(last - timedelta(days=29), last)
    cases = [month, Filters(first, first + timedelta(days=9)), Filters(last - timedelta(days=4), last + timedelta(days=3))]  # fmt: skip
    for column, field in (("language", "language"), ("team", "team")):
        top = wh.scalar(
            f"SELECT {column} FROM tickets WHERE {column} IS NOT NULL"  # noqa: S608 - fixed names
            f" GROUP BY ALL ORDER BY count(*) DESC, {column} LIMIT 1"
        )
        if top is not None:
            cases.append(replace(month, **{field: (top,)}))
    return cases


def differences(
    wh: ReadOnlyWarehouse, settings: Settings, extra: tuple[Filters, ...] = ()
) -> tuple[list[str], int]:
    """The cases where the one query and the per-day calls differ, and the rows compared."""
    differ, rows = [], 0
    for filters in [*periods(wh, settings), *extra]:
        for options in ({"slot": "all"}, {"slot": "hour_of_week", "by": "team"}):
            got = language_gaps_by_day(wh, settings, filters, **options)
            try:
                assert_frame_equal(got, per_day_calls(wh, settings, filters, **options))
            except AssertionError as err:
                differ.append(f"{filters} {options}: {str(err).splitlines()[0]}")
            rows += got.height
    return differ, rows


def test_the_one_query_is_the_per_day_calls_on_the_demo(demo_db):
    wh = ReadOnlyWarehouse(demo_db)
    differ, rows = differences(wh, SETTINGS)
    assert differ == [] and rows > 0


def test_also_when_the_presence_source_changes_inside_the_period(demo_db, tmp_path):
    # The demo's shifts of 10-19 October removed: those days are judged by agent messages,
    # the others by shifts; facts built from the tables (the stored ones know the old shifts).
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute(
            "DELETE FROM shifts WHERE starts_at < TIMESTAMPTZ '2026-10-20 00:00:00+00'"
            " AND ends_at > TIMESTAMPTZ '2026-10-10 00:00:00+00'"
        )
    wh = ReadOnlyWarehouse(db, stored_facts=False)
    month = Filters(date(2026, 10, 1), date(2026, 10, 31))
    sources = language_gaps_by_day(wh, SETTINGS, month, slot="all")["on_shift_source"]
    assert set(sources) == {"shifts", "messages"}
    differ, rows = differences(wh, SETTINGS)
    assert differ == [] and rows > 0


@pytest.mark.parametrize("zone", ["Asia/Kolkata", "America/Santiago"])
def test_also_in_a_half_hour_zone_and_one_whose_clocks_change_at_midnight(demo_db, zone):
    # Santiago's clocks went from 24:00 to 01:00 on Saturday 5 September 2026: Sunday the
    # 6th began at 01:00 and was 23 hours long.
    wh = ReadOnlyWarehouse(demo_db, stored_facts=False)
    settings = settings_from_dict({"reporting": {"timezone": zone}})
    dst = Filters(date(2026, 9, 3), date(2026, 9, 9))
    differ, rows = differences(wh, settings, (dst,))
    assert differ == [] and rows > 0


@pytest.fixture(scope="module")
def real_warehouses(real_warehouses_shared) -> dict[str, Path]:
    """Each real-data set loaded file by file: the session's shared warehouses (the loads of
    tests/facts/test_stored_equals_lazy.py, built once a run), only read here."""
    return {name: real_warehouses_shared.load(files)[0] for name, files in REAL_SETS}


@pytest.mark.parametrize("name", [name for name, _ in REAL_SETS])
def test_the_one_query_is_the_per_day_calls_on_real_data(real_warehouses, name):
    wh = ReadOnlyWarehouse(real_warehouses[name])
    differ, _ = differences(wh, SETTINGS)
    assert differ == []
