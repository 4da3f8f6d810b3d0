"""`python -m metrics`: every command run as a subprocess, and every unusable input.

(Named test_metrics_cli.py, not test_cli.py: tests/etl/test_cli.py has that basename and
pytest's default import mode needs test module names that are unique across folders.)
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl
import pytest
from builders import build_warehouse
from test_summary import summary_tables

import metrics.voice.csat  # noqa: F401  (registers csat for the in-process option tests)
import metrics.voice.sentiment  # noqa: F401
from metrics.__main__ import main, metric_options
from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.registry import get_metric
from metrics.reports.cli_format import jsonable
from metrics.reports.summary import headline
from metrics.response.first_response import first_response_time
from warehouse.reader import ReadOnlyWarehouse

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = load_settings()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The warehouse of test_summary (six tickets and a chat, 3-5 March 2025)."""
    path = tmp_path_factory.mktemp("cli") / "support.duckdb"
    build_warehouse(path, summary_tables()).close()
    return path


@pytest.fixture
def wh(db: Path) -> Iterator[ReadOnlyWarehouse]:
    warehouse = ReadOnlyWarehouse(db)
    yield warehouse
    warehouse.close()


def run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("SUPPORT_DB", "SUPPORT_SETTINGS")}
    return subprocess.run(
        [sys.executable, "-m", "metrics", *map(str, args)],
        cwd=ROOT,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


def ok(*args: str | Path, env: dict[str, str] | None = None) -> str:
    done = run(*args, env=env)
    assert (done.returncode, done.stderr) == (0, "")
    return done.stdout


def ok_here(*args: str | Path) -> str:
    """``ok`` in this process (``run_here``), for a command another test runs as a process."""
    done = run_here(*map(str, args))
    assert (done.returncode, done.stderr) == (0, "")
    return done.stdout


def test_summary_json_is_exactly_the_overview_headline(db, wh):
    printed = json.loads(ok("summary", "--db", db, "--format", "json"))
    assert printed.pop("settings_file") is None  # no settings file: the built-in defaults
    assert printed == jsonable(headline(wh, SETTINGS, Filters()))
    assert printed["frt_minutes"] == {"n": 6, "median": 15.0, "p90": 40.0}


def test_summary_filters_are_repeatable_options(db):
    printed = json.loads(
        ok_here("summary", "--db", db, "--from", "2025-03-04", "--to", "2025-03-05",
           "--priority", "low", "--priority", "normal", "--format", "json")
    )  # fmt: skip
    # 4-5 March with priority low or normal: T4 (low), T5 and T6 (normal); not T3 (urgent), K1
    assert printed["period"] == {"from": "2025-03-04", "to": "2025-03-05", "timezone": "UTC"}
    assert (printed["contacts"], printed["tickets"]) == (3, 3)


def test_summary_as_csv_is_one_flattened_row_and_as_table_one_line_per_figure(db):
    frame = pl.read_csv(ok_here("summary", "--db", db, "--format", "csv").encode())
    assert frame.height == 1
    assert frame.row(0, named=True)["frt_minutes.median"] == 15.0
    assert frame.row(0, named=True)["csat.responses"] == 3
    table = ok_here("summary", "--db", db).splitlines()
    assert table[0].split() == ["figure", "value"]
    assert "frt_minutes.median 15".split() in [line.split() for line in table]


def test_the_settings_come_from_the_flag_else_the_environment(db, tmp_path):
    shanghai = tmp_path / "shanghai.toml"
    shanghai.write_text('[reporting]\ntimezone = "Asia/Shanghai"\n', encoding="utf-8")
    utc = tmp_path / "utc.toml"
    utc.write_text('[reporting]\ntimezone = "UTC"\n', encoding="utf-8")
    env = {"SUPPORT_SETTINGS": str(shanghai), "SUPPORT_DB": str(db)}
    from_env = json.loads(ok("summary", "--format", "json", env=env))
    assert from_env["period"]["timezone"] == "Asia/Shanghai"
    from_flag = json.loads(ok("summary", "--settings", utc, "--format", "json", env=env))
    assert from_flag["period"]["timezone"] == "UTC"


def test_summary_names_the_settings_file_in_use(db, tmp_path):
    own = tmp_path / "team.toml"
    own.write_text('[reporting]\ntimezone = "Europe/Madrid"\n', encoding="utf-8")
    printed = json.loads(ok_here("summary", "--db", db, "--settings", own, "--format", "json"))
    assert printed["settings_file"] == str(own.resolve())
    table = ok_here("summary", "--db", db).splitlines()
    assert ["settings_file", "(none:", "the", "built-in", "defaults)"] in [
        line.split() for line in table
    ]


def test_settings_toml_in_the_working_folder_is_read_and_its_warehouse_path_is_relative_to_it(
    db, tmp_path
):
    folder = tmp_path / "team"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "support.duckdb").write_bytes(db.read_bytes())
    (folder / "settings.toml").write_text(
        '[warehouse]\npath = "data/support.duckdb"\n[reporting]\ntimezone = "Asia/Shanghai"\n',
        encoding="utf-8",
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "metrics", "summary", "--format", "json"],
        cwd=folder,
        env={k: v for k, v in os.environ.items() if k not in ("SUPPORT_DB", "SUPPORT_SETTINGS")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (0, "")
    printed = json.loads(done.stdout)
    assert printed["period"]["timezone"] == "Asia/Shanghai"
    assert printed["settings_file"] == str((folder / "settings.toml").resolve())
    # the same file named from another folder still finds the warehouse beside it
    env = {"SUPPORT_SETTINGS": str(folder / "settings.toml")}
    assert json.loads(ok("summary", "--format", "json", env=env))["contacts"] == printed["contacts"]


def test_status_time_takes_as_of_from_the_command_line(db):
    # the summary warehouse has no status events: the option is accepted and typed, and the
    # figure is "not available" (issue 14), not a table of zeros
    state = json.loads(
        ok_here("show", "status_time", "--db", db, "--option", "as_of=2025-03-06T00:00",
           "--format", "json")
    )  # fmt: skip
    assert state["metric"] == "status_time" and state["status"] == "not_available"
    assert any("status" in reason for reason in state["reasons"])


def test_list_names_every_metric_with_label_unit_and_definition():
    listed = json.loads(ok("list", "--format", "json"))
    assert {"frt", "frt_business", "frt_after_handover"} <= {m["name"] for m in listed}
    assert all(m["label"] and m["unit"] and m["definition"] for m in listed)
    text = ok("list")
    assert "frt  First response time [minutes]" in text


def test_glossary_prints_docs_metrics_md_with_an_index_row_and_a_section_per_metric():
    printed = ok("glossary")
    assert printed == (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")
    names = {m["name"] for m in json.loads(ok("list", "--format", "json"))}
    lines = printed.splitlines()
    assert lines[0] == "# Metric glossary"
    assert sum(line.startswith("| [`") for line in lines) == len(names)
    assert "| [`frt`](#frt) | First response time | minutes | response |" in lines
    assert sum(line.startswith("### `") for line in lines) == len(names)


def test_show_prints_a_metric_and_its_breakdown_as_the_function_returns_it(db, wh):
    printed = json.loads(ok("show", "frt", "--db", db, "--by", "day", "--format", "json"))
    assert printed == jsonable(first_response_time(wh, SETTINGS, Filters(), by="day").to_dicts())
    # 3 March: T1 30, T2 10 -> median 20
    assert printed[0] == {"day": "2025-03-03", "n": 2, "unanswered": 0, "bot_only": 0,
                          "outbound": 0, "median": 20.0, "p90": 28.0}  # fmt: skip
    chat = pl.read_csv(
        ok_here("show", "frt", "--db", db, "--channel", "chat", "--format", "csv").encode()
    )
    assert chat.select("n", "median").to_dicts() == [{"n": 1, "median": 5.0}]  # K1


def test_show_passes_metric_options(db):
    printed = json.loads(
        ok_here(
            "show", "csat", "--db", db, "--option", "attribution=last_replier", "--format", "json"
        )
    )
    # scores 5, 2, 4: 2 of 3 satisfied (see test_summary)
    assert [(row["n"], row["satisfied"]) for row in printed] == [(3, 2)]


def test_export_contacts_writes_csv_and_parquet(db, tmp_path):
    for name, command in (("contacts.csv", ok), ("contacts.parquet", ok_here)):
        out = tmp_path / name
        assert command("export", "contacts", "--db", db, "--out", out) == (
            f"wrote 7 contacts to {out}\n"
        )
    assert pl.read_csv(tmp_path / "contacts.csv")["contact_id"].to_list() == (
        pl.read_parquet(tmp_path / "contacts.parquet")["contact_id"].to_list()
    )


def test_staffing_prints_erlang_c_for_one_interval():
    printed = json.loads(
        ok("staffing", "--arrivals", "100", "--interval-minutes", "30", "--aht-minutes", "3",
           "--target-seconds", "20", "--service-level", "0.8", "--shrinkage", "0.3",
           "--format", "json")
    )  # fmt: skip
    # A = 10 Erlangs -> 14 agents (see test_staffing); 14 / (1 - 0.3) = 20 rostered
    assert (printed["agents"], printed["rostered_agents"], printed["arrivals"]) == (14, 20, 100)
    defaults = json.loads(ok_here("staffing", "--arrivals", "100", "--interval-minutes", "30",
                             "--format", "json"))  # fmt: skip
    # settings defaults: AHT 6 min, 80% within 60 s, shrinkage 0.3
    assert (defaults["aht_minutes"], defaults["target_seconds"], defaults["shrinkage"]) == (
        6, 60, 0.3
    )  # fmt: skip


@pytest.fixture(scope="module")
def unusable(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("unusable")
    (folder / "zero.duckdb").write_bytes(b"")
    (folder / "text.duckdb").write_text("not a database\n", encoding="utf-8")
    build_warehouse(folder / "empty.duckdb", {}).close()
    (folder / "typo.toml").write_text('[reporting]\ntimezon = "UTC"\n', encoding="utf-8")
    (folder / "word.toml").write_text('[sla]\nurgent = "fast"\n', encoding="utf-8")
    return {"folder": folder}


ERRORS = [
    (["show", "nope", "--db", "{db}"], "unknown metric 'nope'"),
    (["show", "frt", "--db", "{db}", "--by", "planet"], "unknown breakdown 'planet'"),
    (["summary", "--db", "{db}", "--from", "2025-02-30"], "not a date: '2025-02-30'"),
    (["summary", "--db", "{db}", "--from", "2025-03-05", "--to", "2025-03-01"], "is after --to"),
    (["summary", "--db", "{folder}/missing.duckdb"], "no warehouse file here"),
    (["summary", "--db", "{folder}"], "no warehouse file here"),
    (["summary", "--db", "{folder}/zero.duckdb"], "cannot open the warehouse"),
    (["show", "frt", "--db", "{folder}/text.duckdb"], "cannot open the warehouse"),
    (["export", "contacts", "--db", "{folder}/empty.duckdb", "--out", "{folder}/x.csv"],
     "the warehouse is empty"),
    (["summary"], "no warehouse given"),
    (["show", "frt", "--db", "{db}", "--option", "per=run"], "has no option 'per'"),
    (["show", "frt", "--db", "{db}", "--option", "per"], "expected KEY=VALUE"),
    (["export", "contacts", "--db", "{db}", "--out", "{folder}/x.xlsx"], "must be one of .csv"),
    (["export", "contacts", "--db", "{db}", "--out", "{folder}/no/x.csv"], "no such folder"),
    (["summary", "--db", "{db}", "--settings", "{folder}/none.toml"], "settings file not found"),
    (["staffing", "--arrivals", "100", "--interval-minutes", "30", "--service-level", "80"],
     "service_level must be a fraction"),
    (["staffing", "--arrivals", "many", "--interval-minutes", "30"], "not a number: 'many'"),
    (["forecast"], "invalid choice: 'forecast'"),
    (["show", "status_time", "--db", "{db}", "--option", "as_of=yesterday"],
     "option as_of='yesterday': 'yesterday' is not a date-time; expected an ISO date-time"),
    (["show", "security_incidents", "--db", "{db}", "--option", "as_of=2025-13-01"],
     "is not a date-time"),
    (["summary", "--db", "{db}", "--settings", "{folder}/typo.toml"],
     "typo.toml: unknown key reporting.timezon; did you mean reporting.timezone?"),
    (["summary", "--db", "{db}", "--settings", "{folder}/word.toml"],
     'word.toml: sla.urgent = "fast": expected a number (the default is 60)'),
]  # fmt: skip


# The cases run as real processes: one per command, and argparse's own refusal. The others
# call the same ``main`` in this process with the same environment, working folder and
# streams (a process start costs more than the command; ``--durations`` showed 22 of them).
AS_PROCESSES = {0, 2, 8, 15, 17}


def run_here(*args: str) -> subprocess.CompletedProcess:
    """``run`` without the process: ``main`` in this process, ``SUPPORT_DB`` and
    ``SUPPORT_SETTINGS`` unset, the repo root as working folder, stdout and stderr captured."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SUPPORT_DB", raising=False)
        patch.delenv("SUPPORT_SETTINGS", raising=False)
        patch.chdir(ROOT)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as done:  # argparse's refusals exit
                code = done.code
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def error_runs(db, unusable) -> dict[int, subprocess.CompletedProcess]:
    """Every error case run once: those of AS_PROCESSES as processes, four at a time (each
    start costs ~0.5 s), the others in this process."""
    values = {"db": str(db), "folder": str(unusable["folder"])}
    argv = {i: [arg.format(**values) for arg in args] for i, (args, _) in enumerate(ERRORS)}
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {i: pool.submit(run, *argv[i]) for i in sorted(AS_PROCESSES)}
        done = {i: run_here(*args) for i, args in argv.items() if i not in AS_PROCESSES}
        done |= {i: future.result() for i, future in futures.items()}
    return done


def test_the_process_cases_cover_every_command_with_an_error_case():
    commands = {args[0] for args, _ in ERRORS}
    assert {ERRORS[i][0][0] for i in AS_PROCESSES} == commands


@pytest.mark.parametrize("case", range(len(ERRORS)), ids=[m for _, m in ERRORS])
def test_unusable_input_gets_one_line_and_exit_2(error_runs, case):
    done, message = error_runs[case], ERRORS[case][1]
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith("error: ")
    assert message in done.stderr


def test_metric_options_are_typed_by_the_registry(db, capsys):
    assert metric_options(get_metric("csat"), ["attribution=Last_Replier"]) == {
        "attribution": "last_replier"
    }
    assert metric_options(get_metric("sentiment"), ["per-method=false"]) == {"per_method": False}
    assert main(["show", "csat", "--db", str(db), "--by", "agent", "--format", "json",
                 "--option", "attribution=last_replier"]) == 0  # fmt: skip
    rows = json.loads(capsys.readouterr().out)
    # no ticket names an agent and only K1's agent message has a sender (A2, unrated chat):
    # all 3 ratings have no agent
    assert [(row["agent"], row["n"]) for row in rows] == [("A2", 0), (None, 3)]


def test_a_value_outside_an_options_choices_is_refused(db, capsys):
    code = main(["show", "csat", "--db", str(db), "--option", "attribution=boss"])
    err = capsys.readouterr().err
    assert code == 2
    assert err == "error: option attribution='boss': expected one of assignee, last_replier\n"


def test_show_says_not_available_with_the_command_instead_of_zeros(tmp_path):
    db = tmp_path / "tickets_only.duckdb"
    build_warehouse(db, {"tickets": [{"source": "t", "ticket_id": "T1",
                                      "created_at": "2025-03-03 09:00:00+00"}]}).close()  # fmt: skip
    assert ok("show", "csat", "--db", db) == (
        "csat: not available: no survey responses are loaded\n"
        "  to fix: python -m etl load surveys FILE --db PATH\n"
    )
    printed = json.loads(ok_here("show", "staffing_by_hour", "--db", db, "--format", "json"))
    assert printed["status"] == "not_available"
    assert printed["commands"] == ["python -m etl load shifts FILE --db PATH"]
    table = ok_here("summary", "--db", db)
    rows = {line.split("  ")[0]: line for line in table.splitlines()}
    assert rows["csat"].endswith("not available: no survey responses are loaded")
    assert "csat.value" not in rows


def test_availability_lists_every_metric_with_its_status(db):
    printed = json.loads(ok("availability", "--db", db, "--format", "json"))
    statuses = {row["metric"]: row["status"] for row in printed}
    assert statuses["csat"] == "available"
    assert statuses["staffing_by_hour"] == "partial"  # agents on shift inferred from messages
    assert statuses["training_impact"] == "not_available"
    assert "frt" in statuses and "backlog_by_age" in statuses
