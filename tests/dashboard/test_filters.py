"""Global filters: presets from the data's last day, URL parameters both ways, shared links,
filters kept across pages, and values from a link that the data does not have."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from small_warehouse import serve_small_warehouse
from streamlit.testing.v1 import AppTest

from dashboard.filters import (
    FilterState,
    period_of,
    preset_range,
    query_string,
    state_from_params,
    state_to_params,
)
from metrics.core.filters import Filters

APP = Path(__file__).resolve().parents[2] / "app.py"
SPAN = (date(2026, 5, 1), date(2026, 10, 31))


@pytest.fixture
def small_db(clean_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return serve_small_warehouse(tmp_path, monkeypatch)


def test_presets_count_back_from_the_datas_last_day_not_today():
    assert preset_range("last_7", SPAN) == (date(2026, 10, 25), date(2026, 10, 31))
    assert preset_range("last_30", SPAN) == (date(2026, 10, 2), date(2026, 10, 31))
    assert preset_range("last_90", SPAN) == (date(2026, 8, 3), date(2026, 10, 31))
    assert preset_range("this_month", SPAN) == (date(2026, 10, 1), date(2026, 10, 31))
    assert preset_range("previous_month", SPAN) == (date(2026, 9, 1), date(2026, 9, 30))
    assert preset_range("all", SPAN) == (None, None)
    assert preset_range("last_7", (None, None)) == (None, None)


def test_previous_month_of_a_january_is_the_december_before():
    assert preset_range("previous_month", (None, date(2026, 1, 9))) == (
        date(2025, 12, 1),
        date(2025, 12, 31),
    )


def test_dates_name_their_preset_or_are_custom():
    assert period_of(date(2026, 10, 25), date(2026, 10, 31), SPAN) == "last_7"
    assert period_of(date(2026, 10, 24), date(2026, 10, 31), SPAN) == "custom"
    assert period_of(None, None, SPAN) == "all"


def test_no_parameters_mean_the_last_30_days():
    assert state_from_params({}, SPAN) == FilterState(
        "last_30", date(2026, 10, 2), date(2026, 10, 31)
    )


def test_dates_in_a_link_win_over_its_period_so_a_link_shows_the_same_days_later():
    state = state_from_params(
        {"period": ["last_7"], "from": ["2026-09-01"], "to": ["2026-09-07"]}, SPAN
    )
    assert (state.period, state.date_from, state.date_to) == (
        "custom",
        date(2026, 9, 1),
        date(2026, 9, 7),
    )


def test_a_period_without_dates_is_computed_and_reversed_dates_are_swapped():
    assert state_from_params({"period": ["this_month"]}, SPAN).date_from == date(2026, 10, 1)
    swapped = state_from_params({"from": ["2026-10-31"], "to": ["2026-10-25"]}, SPAN)
    assert (swapped.period, swapped.date_from) == ("last_7", date(2026, 10, 25))


def test_malformed_dates_and_unknown_periods_fall_back_to_the_default():
    state = state_from_params({"period": ["fortnight"], "from": ["yesterday"]}, SPAN)
    assert state.period == "last_30"


def test_parameters_round_trip_with_repeated_keys_per_value():
    state = FilterState("custom", date(2026, 9, 1), date(2026, 9, 7),
                        {"channel": ("chat", "email"), "agent": ("A7",)})  # fmt: skip
    params = state_to_params(state)
    assert params == {"period": ["custom"], "from": ["2026-09-01"], "to": ["2026-09-07"],
                      "channel": ["chat", "email"], "agent": ["A7"]}  # fmt: skip
    assert state_from_params(params, SPAN).filters() == Filters(
        date(2026, 9, 1), date(2026, 9, 7), channel=("chat", "email"), agent=("A7",)
    )


def test_a_query_string_opens_the_same_filters_with_extra_parameters():
    text = query_string(
        Filters(date(2026, 9, 1), date(2026, 9, 7), channel=("chat",)), contact="zd:T1"
    )
    assert text == "?period=custom&from=2026-09-01&to=2026-09-07&channel=chat&contact=zd%3AT1"


def param(at: AppTest, name: str) -> list[str]:
    """A URL parameter's values as a list (AppTest keeps a single value as a string)."""
    value = at.query_params[name]
    return [value] if isinstance(value, str) else list(value)


def open_link(params: dict[str, list[str]], page: str = "pages/overview.py") -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    return at.run()


def test_opening_a_shared_link_restores_the_sidebar(small_db):
    at = open_link({"from": ["2026-01-08"], "to": ["2026-01-10"], "channel": ["email", "web"],
                    "agent": ["A1"]})  # fmt: skip
    assert not at.exception
    assert at.selectbox(key="flt_period").value == "custom"
    assert at.date_input(key="flt_from").value == date(2026, 1, 8)
    assert at.date_input(key="flt_to").value == date(2026, 1, 10)
    assert at.multiselect(key="flt_channel").value == ["email", "web"]
    assert at.multiselect(key="flt_agent").value == ["A1"]
    assert at.multiselect(key="flt_agent").options[0] == "Ann Lee (A1)"


def test_changing_a_filter_rewrites_the_url(small_db):
    at = open_link({})
    # the small warehouse's last contact is on 2026-01-13: the last 30 days start on 2025-12-15
    assert param(at, "period") == ["last_30"]
    assert param(at, "from") == ["2025-12-15"]
    at.multiselect(key="flt_channel").select("chat").run()
    assert param(at, "channel") == ["chat"]
    at.selectbox(key="flt_period").select("last_7").run()
    assert param(at, "from") == ["2026-01-07"] and param(at, "to") == ["2026-01-13"]
    at.date_input(key="flt_from").set_value(date(2026, 1, 9)).run()
    assert at.selectbox(key="flt_period").value == "custom"
    assert param(at, "from") == ["2026-01-09"] and param(at, "period") == ["custom"]


def test_filters_stay_when_switching_pages(small_db):
    at = open_link({"channel": ["email"], "from": ["2026-01-08"], "to": ["2026-01-14"]})
    at.query_params.clear()  # a menu link carries no query string
    at.switch_page("pages/explore.py").run()
    assert not at.exception
    assert at.multiselect(key="flt_channel").value == ["email"]
    assert at.date_input(key="flt_from").value == date(2026, 1, 8)
    assert param(at, "channel") == ["email"]


def test_a_value_the_data_does_not_have_is_dropped_with_a_warning(small_db):
    at = open_link({"channel": ["email", "fax"]})
    assert not at.exception
    assert at.multiselect(key="flt_channel").value == ["email"]
    assert any("channel fax" in w.value for w in at.sidebar.warning)


def test_reset_returns_to_the_default_view(small_db):
    at = open_link({"channel": ["email"], "period": ["all"]})
    at.sidebar.button[0].click().run()
    assert at.multiselect(key="flt_channel").value == []
    assert at.selectbox(key="flt_period").value == "last_30"
