"""Nothing is wrong faster: the alerts' per-day series of contacts, median first response
time and negative share in one query (``metrics.alerts.series.daily_figures``) give exactly
the rows of the metric function called once per group (``alert_series_reference``), and the
alerts evaluated from them are the same, on the demo (stored and lazy facts) and on the
warehouses loaded from ../shared/real_data, over several periods, filters and breakdowns.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from polars.testing import assert_frame_equal
from test_gaps_by_day import periods
from test_stored_equals_lazy import REAL_SETS

from metrics.alerts import NotifyState, evaluate, parse_rules
from metrics.alerts.series import DAILY, daily_figures, rule_series
from metrics.core.settings import Settings, load_settings
from tests.metrics.alert_series_reference import per_group_calls
from warehouse.reader import ReadOnlyWarehouse

SETTINGS = load_settings()
BREAKDOWNS = (None, "channel", "language", "team")


def differences(wh: ReadOnlyWarehouse, settings: Settings) -> tuple[list[str], int]:
    """The cases where the one query and the per-group calls differ, and the rows compared.
    Besides ``periods``: the last 30 days with the 8 weeks before them (a z rule's days)."""
    cases = periods(wh, settings)
    cases.append(replace(cases[0], date_from=cases[0].date_from - timedelta(weeks=8)))
    differ, rows = [], 0
    for filters in cases:
        for metric in DAILY:
            for by in BREAKDOWNS:
                got = daily_figures(wh, settings, metric, filters, by)
                got = got.sort("group", "day", nulls_last=True)
                try:
                    assert_frame_equal(got, per_group_calls(wh, settings, metric, filters, by))
                except AssertionError as err:
                    differ.append(f"{filters} {metric} by {by}: {str(err).splitlines()[0]}")
                rows += got.height
    return differ, rows


def _reference_series(wh, settings, rule, filters, as_of=None):
    """``rule_series`` with the daily metrics' series made by one call per group."""
    if rule.metric not in DAILY:
        return rule_series(wh, settings, rule, filters, as_of)
    from metrics.alerts.series import combine

    scoped = combine(rule.filters, filters)
    return per_group_calls(wh, settings, rule.metric, scoped, rule.by)


def _alerts(wh: ReadOnlyWarehouse, settings: Settings) -> list[dict]:
    window = periods(wh, settings)[0]  # the last 30 days of data (any month when none)
    result = evaluate(wh, settings, parse_rules(settings), window, NotifyState())
    return [a.as_dict() for a in result.fired + result.suppressed] + [{"notes": result.notes}]


def same_alerts(wh: ReadOnlyWarehouse, settings: Settings, monkeypatch) -> list[dict]:
    """The alerts of the last 30 days (asserted the same with the per-group series)."""
    got = _alerts(wh, settings)
    with monkeypatch.context() as patch:
        patch.setattr(sys.modules["metrics.alerts.evaluate"], "rule_series", _reference_series)
        assert _alerts(wh, settings) == got
    return got


@pytest.mark.parametrize("stored", [True, False])
def test_the_one_query_is_the_per_group_calls_on_the_demo(demo_db, stored, monkeypatch):
    wh = ReadOnlyWarehouse(demo_db, stored_facts=stored)
    differ, rows = differences(wh, SETTINGS)
    assert differ == [] and rows > 0
    alerts = same_alerts(wh, SETTINGS, monkeypatch)
    assert len(alerts) > 1  # the demo's injected effects fire some


@pytest.fixture(scope="module")
def real_warehouses(real_warehouses_shared) -> dict[str, Path]:
    """Each real-data set loaded file by file, the session's shared read-only copy."""
    return {name: real_warehouses_shared.load(files)[0] for name, files in REAL_SETS}


@pytest.mark.parametrize("name", [name for name, _ in REAL_SETS])
def test_the_one_query_is_the_per_group_calls_on_real_data(real_warehouses, name, monkeypatch):
    wh = ReadOnlyWarehouse(real_warehouses[name])
    differ, _ = differences(wh, SETTINGS)
    assert differ == []
    same_alerts(wh, SETTINGS, monkeypatch)
