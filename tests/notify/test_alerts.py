"""Alert rules on a hand-made steady warehouse: a planted peak fires with the z-score computed
by hand, a quiet period fires nothing, provisional days never fire, the cool-down and the
state file keep an alert from repeating."""

from __future__ import annotations

import json
from datetime import date

import pytest
from quiet import build

from metrics.__main__ import main
from metrics.alerts import NotifyState, evaluate, load_state, parse_rules
from metrics.alerts.rules import parse_rule
from metrics.core.filters import Filters
from metrics.core.settings import SettingsError, load_settings
from warehouse.reader import ReadOnlyWarehouse

MARCH = Filters(date(2026, 3, 1), date(2026, 3, 15))


def fired(db, window=MARCH, memory=None):
    settings = load_settings()
    with_state = memory if memory is not None else NotifyState()
    wh = ReadOnlyWarehouse(db)
    try:
        return evaluate(wh, settings, parse_rules(settings), window, with_state)
    finally:
        wh.close()


def test_nothing_fires_on_a_quiet_period(tmp_path):
    db = tmp_path / "quiet.duckdb"
    build(db)
    result = fired(db)
    assert result.fired == [] and result.suppressed == []


def test_nothing_fires_on_a_quiet_period_with_steady_negative_feedback(tmp_path):
    db = tmp_path / "grumbles.duckdb"
    build(db, per_day=40, usual_negative=4)  # 4 of 40 customers negative every day: 10%
    result = fired(db)
    assert result.fired == [] and result.suppressed == []


def test_a_negative_feedback_surge_fires_the_negative_share_rule(tmp_path):
    db = tmp_path / "surge.duckdb"
    build(db, per_day=40, usual_negative=4, negative={date(2026, 3, 9): 16})
    (alert,) = fired(db).fired
    # Monday 2026-03-09: 16 of 40 scored customer messages negative = 0.4; the 8 Mondays
    # before: 4 of 40 = 0.1 each, sd 0, so the spread is its floor 5% x 0.1 = 0.005 and
    # z = (0.4 - 0.1) / 0.005 = 60; 30 points is material (the rule fires at z 3, n >= 30).
    assert (alert.rule, alert.group, alert.day) == (
        "negative_share_by_language",
        "en",
        date(2026, 3, 9),
    )
    assert (alert.value, alert.n) == (0.4, 40)
    assert alert.baseline["mean"] == pytest.approx(0.1) and alert.baseline["sd"] == pytest.approx(0)
    assert alert.baseline["z"] == pytest.approx(60.0)


def test_a_planted_peak_fires_the_volume_rule_with_its_baseline(tmp_path):
    db = tmp_path / "peak.duckdb"
    build(db, peaks={date(2026, 3, 9): 60})
    (alert,) = [a for a in fired(db).fired if a.rule == "volume_peak"]
    # Monday 2026-03-09: 60 contacts; the 8 Mondays before had 20 each: mean 20, sd 0, so the
    # spread is its floor 5% x 20 = 1 and z = (60 - 20) / 1 = 40 (the rule fires at 3).
    assert (alert.day, alert.value, alert.n) == (date(2026, 3, 9), 60.0, 60)
    assert alert.baseline == {"mean": 20.0, "sd": 0.0, "z": 40.0, "weeks": 8}
    assert (
        alert.link == "http://localhost:8501/overview?period=custom&from=2026-03-09&to=2026-03-09"
    )
    assert "60 contacts (n = 60), against 20 contacts on average" in alert.explanation


def test_a_provisional_day_never_fires(tmp_path):
    db = tmp_path / "late.duckdb"
    # the data's last day, cut at noon: 30 contacts by then against 10 usually, still moving
    build(db, peaks={date(2026, 3, 15): 60}, last_hour=12)
    result = fired(db)
    assert result.fired == []
    assert (
        "volume_peak: days after 2026-03-14 not judged: still moving (provisional)" in result.notes
    )


def test_the_cooldown_holds_back_a_repeat_and_the_state_file_remembers(tmp_path):
    db = tmp_path / "twice.duckdb"
    build(db, peaks={date(2026, 3, 2): 60, date(2026, 3, 4): 60})
    # 03-04 is 48 hours after 03-02: within the 72-hour cool-down of volume_peak
    memory = NotifyState()
    result = fired(db, memory=memory)
    assert [a.day for a in result.fired if a.rule == "volume_peak"] == [date(2026, 3, 2)]
    assert [a.day for a in result.suppressed] == [date(2026, 3, 4)]
    assert memory.fired == {"volume_peak": "2026-03-02"}


def test_the_cli_prints_json_and_a_second_run_repeats_nothing(tmp_path, capsys):
    db = tmp_path / "peak.duckdb"
    build(db, peaks={date(2026, 3, 9): 60})
    args = ["alerts", "--db", str(db), "--since", "2026-03-01", "--format", "json"]
    assert main(args) == 0
    first = json.loads(capsys.readouterr().out)
    assert [(a["rule"], a["day"], a["value"]) for a in first["fired"]] == [
        ("volume_peak", "2026-03-09", 60.0)
    ]
    assert load_state(tmp_path / "peak.duckdb.notify.json").fired == {"volume_peak": "2026-03-09"}
    assert main(args) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["fired"] == [] and again["held_back_by_cooldown"] == 1


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"metric": "tickets", "above": 1}, "metric = 'tickets': expected one of contacts"),
        ({"metric": "contacts"}, "give exactly one of above, below or z"),
        ({"metric": "contacts", "z": "3"}, "z = '3': expected a number"),
        ({"metric": "contacts", "z": 3, "by": "agent"}, "by = 'agent': expected one of"),
        ({"metric": "contacts", "z": 3, "filters": {"colour": ["x"]}}, "filters.colour: unknown"),
        ({"metric": "contacts", "z": 3, "threshold": 2}, "unknown key threshold"),
    ],
)
def test_a_bad_rule_is_one_line_naming_it(raw, message):
    with pytest.raises(SettingsError, match=message):
        parse_rule("mine", raw)


def test_the_default_rules_cover_the_issue_list():
    rules = {r.name: r for r in parse_rules(load_settings())}
    assert {r.metric for r in rules.values()} == {
        "contacts", "frt_median", "negative_share", "uncovered_contacts", "security_overdue"
    }  # fmt: skip
    assert rules["negative_share_by_language"].by == "language"


def test_a_rule_can_be_switched_off_in_a_settings_file(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text("[alerts.rules.volume_peak]\nenabled = false\n")
    assert "volume_peak" not in {r.name for r in parse_rules(load_settings(path))}
