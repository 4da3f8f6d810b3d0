"""Settings files: found where the README says, checked key by key, one line per problem."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from metrics.core.settings import (
    DEFAULTS_FILE,
    Settings,
    SettingsError,
    find_settings_file,
    load_settings,
    settings_template,
)


def settings_at(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_means_the_documented_defaults():
    loaded = load_settings()
    # the rubric is default_settings.toml's [quality] (Settings() alone has an empty one)
    assert loaded.quality.names[:2] == ("greeting", "empathy")
    assert loaded == Settings(
        security_tags=("stolen_funds", "stolen funds", "phishing", "hacked", "scam", "compromised"),
        quality=loaded.quality,
        alert_rules=loaded.alert_rules,  # checked in tests/notify/test_rules.py
        delivery=loaded.delivery,
    )


def test_a_named_file_wins_then_settings_toml_in_the_folder_then_none(tmp_path):
    named = tmp_path / "team.toml"
    named.write_text("", encoding="utf-8")
    assert find_settings_file(str(named), tmp_path) == named
    assert find_settings_file(None, tmp_path) is None
    local = settings_at(tmp_path, "")
    assert find_settings_file(None, tmp_path) == local
    assert find_settings_file(str(named), tmp_path) == named


def test_a_named_file_that_is_missing_is_an_error(tmp_path):
    with pytest.raises(SettingsError, match="none.toml: settings file not found"):
        find_settings_file(str(tmp_path / "none.toml"), tmp_path)


def test_the_template_is_every_default_with_comments_and_loads_as_the_defaults(tmp_path):
    text = settings_template()
    assert text.startswith("# Support Quality Dashboard settings (written by")
    assert tomllib.loads(text) == tomllib.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))
    # every section is explained: a comment line right under each table header
    lines = text.splitlines()
    # (a rubric category's table explains itself in its description key)
    headers = [
        i
        for i, line in enumerate(lines)
        if line.startswith("[") and "weekly" not in line and "quality.categories." not in line
    ]
    assert headers and all(lines[i + 1].startswith("#") for i in headers)
    assert load_settings(settings_at(tmp_path, text)) == load_settings()


def test_a_file_changes_only_what_it_names(tmp_path):
    path = settings_at(tmp_path, '[sla]\nurgent = 30.5\n[reporting]\ntimezone = "Asia/Shanghai"\n')
    settings = load_settings(path)
    assert settings.sla_minutes["urgent"] == 30.5 and settings.sla_minutes["high"] == 240
    assert settings.reporting_timezone == "Asia/Shanghai"
    assert settings.fcr_days == 7


def test_a_facts_folder_is_a_warehouse_key_of_its_own(tmp_path):
    # the template names it, empty (no facts folder) as every key at its default
    assert '\nfacts = ""\n' in settings_template()
    assert load_settings().facts_folder == ""
    settings = load_settings(settings_at(tmp_path, '[warehouse]\nfacts = "data/facts"\n'))
    assert (settings.facts_folder, settings.warehouse_path) == ("data/facts", "")


def test_team_calendars_take_the_default_calendars_keys(tmp_path):
    path = settings_at(
        tmp_path,
        '[support_hours.teams.zh]\ntimezone = "Asia/Shanghai"\nholiday_country = "CN"\n'
        '[support_hours.teams.zh.weekly]\nmon = ["09:00-18:00"]\ntue = "09:00-18:00"\n',
    )
    hours = load_settings(path).hours_for("zh")
    assert hours.timezone == "Asia/Shanghai" and set(hours.weekly) == {0, 1}


BAD_FILES = [
    ('[reporting]\ntimezon = "UTC"\n',
     "unknown key reporting.timezon; did you mean reporting.timezone? "
     "(known in [reporting]: small_sample, timezone)"),
    ("[slas]\nurgent = 30\n", "unknown key slas; did you mean sla?"),
    ('[sla]\nurgent = "fast"\n', 'sla.urgent = "fast": expected a number (the default is 60)'),
    ("[sla]\nurgent = -5\n", "sla.urgent = -5: expected a number above 0"),
    ("[windows]\nfcr_days = 7.5\n", "windows.fcr_days = 7.5: expected a whole number"),
    ("[reporting]\nsmall_sample = true\n", "reporting.small_sample = true: expected a whole number"),
    ("[staffing]\nservice_level = 80\n",
     "staffing.service_level = 80: expected a share above 0 and at most 1, e.g. 0.8"),
    ('[security]\ntags = "phishing"\n', 'security.tags = "phishing": expected a list of texts'),
    ("sla = 3\n", "sla = 3: expected a table ([sla])"),
    ("[support_hours.teams.zh]\ntimezone = 8\n",
     'support_hours.teams.zh.timezone = 8: expected a text in quotes, e.g. "UTC"'),
    ("[support_hours.teams.zh]\nopen = 8\n", "unknown key support_hours.teams.zh.open"),
    ('[reporting]\ntimezone = "Mars/Olympus"\n',
     "reporting.timezone: unknown time zone 'Mars/Olympus'; expected an IANA name"),
    ('[support_hours.default.weekly]\nmonday = ["09:00-18:00"]\n', "'monday' is not a weekday"),
    ('[support_hours.default.weekly]\nmon = ["9 to 5"]\n', "is not a range like \"09:00-18:00\""),
    ("[reporting\n", "not valid TOML"),
    ("[warehouse]\nfacts = 3\n", "warehouse.facts = 3: expected a text in quotes"),
    ('[warehouse]\npath = "wh.duckdb"\nfacts = "facts"\n',
     "warehouse.path = 'wh.duckdb' and warehouse.facts = 'facts': expected one of them"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "message"), BAD_FILES, ids=[m[:40] for _, m in BAD_FILES])
def test_a_bad_file_gets_one_line_naming_the_key_and_what_was_expected(tmp_path, text, message):
    path = settings_at(tmp_path, text)
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    line = str(caught.value)
    assert "\n" not in line
    assert line.startswith(f"{path}: ")
    assert message in line
