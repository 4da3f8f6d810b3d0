"""The demo's market crash (b) found as the only peak of its month, and a volume forecast that
beats seasonal naive on its back-test (demo warehouse: seed 7, scale 0.5, the `demo_db` fixture).

The crash is planted in sample_data/effects.py: CRASH_DAYS UTC days from CRASH_START at
4x volume, most of the extra contacts in transfer_stuck (45%) and security (35%).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

import metrics.operations.forecast  # noqa: F401  (registers volume_forecast for the CLI)
import metrics.operations.peaks  # noqa: F401  (registers peak_days for the CLI)
from metrics.__main__ import main
from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.operations.forecast import volume_forecast
from metrics.operations.peaks import peak_days
from sample_data import effects
from warehouse.reader import ReadOnlyWarehouse

SETTINGS = load_settings()  # reporting zone UTC, the zone the crash days are planted in
CRASH = [effects.CRASH_START.date() + timedelta(days=d) for d in range(effects.CRASH_DAYS)]


@pytest.fixture(scope="module")
def wh(demo_db) -> Iterator[ReadOnlyWarehouse]:
    warehouse = ReadOnlyWarehouse(demo_db)
    yield warehouse
    warehouse.close()


def crash_month() -> Filters:
    first = CRASH[0].replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return Filters(date_from=first, date_to=last)


def test_b_the_crash_days_are_the_only_peaks_of_their_month(wh):
    days = peak_days(wh, SETTINGS, crash_month(), view="days")
    assert days.height == 30 and set(days["status"]) == {"normal", "peak"}
    assert days.filter("is_peak")["day"].to_list() == CRASH


def test_b_each_crash_day_is_several_times_its_baseline_and_led_by_security_and_transfers(wh):
    peaks = peak_days(wh, SETTINGS, crash_month())
    for row in peaks.iter_rows(named=True):
        # Planted 4x; the 28-day median includes the quieter weekends, so about 4.5-5x.
        assert row["times_baseline"] > 3, row
        assert {row["top_category_1"], row["top_category_2"]} == {"security", "transfer_stuck"}
        assert row["top_share_1"] + row["top_share_2"] > 0.5, row


@pytest.mark.parametrize("by", [None, "channel", "language"])
def test_the_forecast_beats_seasonal_naive_on_the_backtest(wh, by):
    back = volume_forecast(wh, SETTINGS, Filters(), by=by, view="backtest")
    overall = back.filter(scope="overall").row(0, named=True)
    # Four 14-day folds over the last eight weeks, crash included (scored on raw counts).
    assert (overall["folds"], overall["beats_naive"]) == (4, True)
    assert overall["mae"] < overall["mae_naive"], overall


def show(demo_db, capsys, *args: str) -> list[dict]:
    assert main(["show", *args, "--db", str(demo_db), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_both_metrics_run_from_the_command_line(demo_db, capsys):
    peaks = show(demo_db, capsys, "peak_days", "--from", "2026-09-01", "--to", "2026-09-30")
    assert [date.fromisoformat(row["day"]) for row in peaks] == CRASH
    back = show(demo_db, capsys, "volume_forecast", "--by", "language", "--option", "view=backtest")
    assert back[-1]["scope"] == "overall" and back[-1]["beats_naive"] is True
    ahead = show(demo_db, capsys, "volume_forecast", "--option", "horizon=7")
    assert [row["day"] for row in ahead] == [f"2026-11-0{d}" for d in range(1, 8)]
