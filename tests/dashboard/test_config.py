"""Where the dashboard looks for its warehouse, and how big a demo it builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.config import (
    ConfigError,
    WarehouseLocation,
    default_demo_path,
    demo_scale,
    resolve_warehouse,
)


def test_support_db_wins_over_settings_and_default(tmp_path):
    (tmp_path / "settings.toml").write_text('[warehouse]\npath = "other.duckdb"\n')
    env = {"SUPPORT_DB": "~/wh.duckdb", "HOME": "/home/ana"}
    assert resolve_warehouse(env, cwd=tmp_path) == WarehouseLocation(
        Path.home() / "wh.duckdb", "env", "SUPPORT_DB"
    )


def test_settings_path_is_relative_to_the_settings_file(tmp_path):
    settings = tmp_path / "conf" / "support.toml"
    settings.parent.mkdir()
    settings.write_text('[warehouse]\npath = "data/wh.duckdb"\n')
    location = resolve_warehouse({"SUPPORT_SETTINGS": str(settings)}, cwd=tmp_path)
    assert location == WarehouseLocation(
        tmp_path / "conf" / "data" / "wh.duckdb", "settings", f"[warehouse] path in {settings}"
    )


def test_settings_toml_in_the_working_folder_is_used_when_present(tmp_path):
    (tmp_path / "settings.toml").write_text('[warehouse]\npath = "/srv/wh.duckdb"\n')
    assert resolve_warehouse({}, cwd=tmp_path).path == Path("/srv/wh.duckdb")


def facts_folder(path: Path) -> Path:
    """A folder the reader takes for prebuilt facts: it holds the facts manifest."""
    path.mkdir(parents=True)
    (path / "_facts.json").write_text("{}")
    return path


def test_settings_facts_folder_is_relative_to_the_settings_file(tmp_path):
    facts = facts_folder(tmp_path / "conf" / "facts")
    settings = tmp_path / "conf" / "support.toml"
    settings.write_text('[warehouse]\nfacts = "facts"\n')
    location = resolve_warehouse({"SUPPORT_SETTINGS": str(settings)}, cwd=tmp_path)
    assert location == WarehouseLocation(
        facts, "settings", f"[warehouse] facts in {settings} (prebuilt facts)"
    )


def test_support_facts_and_support_db_win_over_the_settings_facts_folder(tmp_path):
    # the settings' folder is not even checked when a variable names the warehouse
    (tmp_path / "settings.toml").write_text('[warehouse]\nfacts = "missing"\n')
    facts = facts_folder(tmp_path / "built")
    assert resolve_warehouse({"SUPPORT_FACTS": str(facts)}, cwd=tmp_path).path == facts
    env = {"SUPPORT_DB": "/srv/wh.duckdb", "SUPPORT_FACTS": str(facts)}
    assert resolve_warehouse(env, cwd=tmp_path).path == Path("/srv/wh.duckdb")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('facts = "missing"', "warehouse.facts names .*missing: expected a folder of prebuilt"),
        ("facts = 7", r"\[warehouse\] facts must be a string, got 7"),
        ('path = "a.duckdb"\nfacts = "f"', r"\[warehouse\] path and facts are both set"),
    ],
)
def test_a_bad_settings_facts_folder_is_one_line_naming_the_key(tmp_path, text, message):
    (tmp_path / "settings.toml").write_text(f"[warehouse]\n{text}\n")
    with pytest.raises(ConfigError, match=message) as caught:
        resolve_warehouse({}, cwd=tmp_path)
    assert "\n" not in str(caught.value)


def test_support_facts_without_a_facts_manifest_is_an_error_not_a_demo(tmp_path):
    # a folder of something else, or no folder: never a demo built there
    (tmp_path / "lake").mkdir()
    for folder in (tmp_path / "lake", tmp_path / "nowhere"):
        with pytest.raises(ConfigError, match="SUPPORT_FACTS names .*: expected a folder"):
            resolve_warehouse({"SUPPORT_FACTS": str(folder)}, cwd=tmp_path)


def test_without_configuration_the_per_user_demo_path_is_used(tmp_path):
    env = {"XDG_DATA_HOME": "/data/ana"}
    location = resolve_warehouse(env, cwd=tmp_path)
    assert location.path == Path("/data/ana/support-quality-dashboard/demo.duckdb")
    assert location.is_default


def test_settings_without_a_warehouse_section_fall_back_to_the_default(tmp_path):
    (tmp_path / "settings.toml").write_text("[sla]\nurgent_minutes = 60\n")
    assert resolve_warehouse({"XDG_DATA_HOME": "/x"}, cwd=tmp_path).origin == "default"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"XDG_DATA_HOME": "/xdg", "HOME": "/home/ana"}, "/xdg"),
        ({"XDG_DATA_HOME": "relative/ignored", "HOME": "/home/ana"}, "/home/ana/.local/share"),
        ({"XDG_DATA_HOME": "", "HOME": "/home/ana"}, "/home/ana/.local/share"),
    ],
)
def test_default_demo_path_follows_the_xdg_spec(env, expected):
    assert default_demo_path(env) == Path(expected) / "support-quality-dashboard" / "demo.duckdb"


def test_a_missing_support_settings_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="SUPPORT_SETTINGS names .* not a file"):
        resolve_warehouse({"SUPPORT_SETTINGS": str(tmp_path / "nope.toml")}, cwd=tmp_path)


def test_a_broken_settings_file_is_an_error_naming_it(tmp_path):
    (tmp_path / "settings.toml").write_text("[warehouse\n")
    with pytest.raises(ConfigError, match="settings.toml: cannot read the settings file"):
        resolve_warehouse({}, cwd=tmp_path)


@pytest.mark.parametrize(("text", "scale"), [("", 1.0), ("0.05", 0.05), (" 2 ", 2.0)])
def test_demo_scale_reads_support_demo_scale(text, scale):
    assert demo_scale({"SUPPORT_DEMO_SCALE": text}) == scale


@pytest.mark.parametrize("text", ["abc", "0", "-1", "nan", "inf"])
def test_demo_scale_rejects_non_positive_or_non_numbers(text):
    with pytest.raises(ConfigError, match="SUPPORT_DEMO_SCALE"):
        demo_scale({"SUPPORT_DEMO_SCALE": text})
