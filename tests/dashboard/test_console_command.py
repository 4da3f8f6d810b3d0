"""``support-dashboard``: the installed console command, its pass-through and settings commands."""

from __future__ import annotations

import argparse
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import dashboard.cli as cli
import etl.__main__ as etl_main
from metrics.core.settings import DEFAULTS_FILE

SCRIPT = Path(sys.executable).parent / "support-dashboard"


def test_the_package_installs_the_command_and_its_help_lists_both_tools():
    assert SCRIPT.exists(), "pip install -e . installs [project.scripts] support-dashboard"
    done = subprocess.run([SCRIPT, "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    listed = dict(
        line.strip().split(": ", 1) for line in done.stdout.splitlines() if line.startswith("  ")
        and line.strip().split(":")[0] in ("etl", "metrics")
    )  # fmt: skip
    assert {"load", "demo", "mappings", "redact"} <= set(listed["etl"].split(", "))
    assert {"summary", "list", "glossary", "show", "export", "staffing"} <= set(
        listed["metrics"].split(", ")
    )


def test_python_m_etl_and_metrics_commands_pass_through_with_and_without_prefix(capsys):
    assert cli.main(["mappings"]) == 0
    shipped = capsys.readouterr().out
    assert "zendesk_tickets" in shipped.splitlines()
    assert cli.main(["etl", "mappings"]) == 0
    assert capsys.readouterr().out == shipped
    assert cli.main(["metrics", "list", "--format", "json"]) == 0
    assert '"name": "status_time"' in capsys.readouterr().out


def test_a_command_added_to_python_m_etl_passes_through_with_no_list_to_update(monkeypatch):
    real = etl_main._parser

    def with_a_new_command() -> argparse.ArgumentParser:
        parser = real()
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        sub.add_parser("tomorrows-command")
        return parser

    calls: list[list[str]] = []
    monkeypatch.setattr(etl_main, "_parser", with_a_new_command)
    monkeypatch.setattr(cli, "_etl_main", lambda argv: calls.append(list(argv)) or 0)
    assert cli.main(["tomorrows-command", "--db", "x.duckdb"]) == 0
    assert calls == [["tomorrows-command", "--db", "x.duckdb"]]


def test_a_name_both_tools_use_must_be_prefixed(monkeypatch, capsys):
    real = etl_main._parser

    def with_list() -> argparse.ArgumentParser:
        parser = real()
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        sub.add_parser("list")
        return parser

    monkeypatch.setattr(etl_main, "_parser", with_list)
    assert cli.main(["list"]) == 2
    assert capsys.readouterr().err == (
        "error: 'list' is a command of both; use `support-dashboard etl list`"
        " or `support-dashboard metrics list`\n"
    )


def test_an_unknown_command_gets_one_line_and_exit_2(capsys):
    assert cli.main(["frobnicate"]) == 2
    assert capsys.readouterr().err == (
        "error: unknown command 'frobnicate' (see support-dashboard --help)\n"
    )


def test_run_starts_the_warmed_streamlit_server_on_localhost_with_extra_options(monkeypatch):
    commands: list[list[str]] = []
    monkeypatch.setattr(cli.subprocess, "call", lambda command: commands.append(command) or 0)
    assert cli.main(["run", "--server.port", "8600"]) == 0
    assert commands == [
        [sys.executable, "-m", "dashboard.serve",
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.port", "8600"]
    ]  # fmt: skip
    assert cli.APP.is_file()


def test_settings_init_writes_a_commented_file_that_path_and_check_then_name(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.delenv("SUPPORT_SETTINGS", raising=False)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["settings", "path"]) == 0
    assert "the built-in defaults" in capsys.readouterr().out
    assert cli.main(["settings", "init"]) == 0
    assert capsys.readouterr().out.startswith("wrote settings.toml: every setting")
    written = (tmp_path / "settings.toml").read_text(encoding="utf-8")
    assert tomllib.loads(written) == tomllib.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))
    assert written.count("\n#") > 30
    assert cli.main(["settings", "path"]) == 0
    assert capsys.readouterr().out == (
        f"{(tmp_path / 'settings.toml').resolve()} (settings.toml in this folder)\n"
    )
    assert cli.main(["settings", "check"]) == 0
    assert capsys.readouterr().out == f"{tmp_path / 'settings.toml'}: usable\n"


def test_settings_init_never_overwrites_unasked_and_check_names_the_bad_key(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.delenv("SUPPORT_SETTINGS", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "settings.toml").write_text("[windows]\nfcr_dayz = 3\n", encoding="utf-8")
    assert cli.main(["settings", "init"]) == 2
    assert "already exists (keep it, or pass --force" in capsys.readouterr().err
    assert cli.main(["settings", "check"]) == 2
    assert capsys.readouterr().err == (
        f"error: {tmp_path / 'settings.toml'}: unknown key windows.fcr_dayz;"
        " did you mean windows.fcr_days?"
        " (known in [windows]: fcr_days, repeat_days)\n"
    )
    assert cli.main(["settings", "init", "--force"]) == 0
    assert cli.main(["settings", "check"]) == 0


@pytest.mark.parametrize("argv", [["settings"], ["settings", "nope"]])
def test_a_settings_usage_error_is_one_line(argv, capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(argv)
    assert stopped.value.code == 2
    assert len(capsys.readouterr().err.splitlines()) == 1
