"""`python -m metrics`: every command run as a subprocess, and every unusable input.

(Named test_metrics_cli.py, not test_cli.py: tests/etl/test_cli.py has that basename and
pytest's default import mode needs test module names that are unique across folders.)
"""

from __future__ import annotations

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


def test_summary_json_is_exactly_the_overview_headline(db, wh):
    printed = json.loads(ok("summary", "--db", db, "--format", "json"))
    assert printed == jsonable(headline(wh, SETTINGS, Filters()))
    assert printed["frt_minutes"] == {"n": 6, "median": 15.0, "p90": 40.0}


def test_summary_filters_are_repeatable_options(db):
    printed = json.loads(
        ok("summary", "--db", db, "--from", "2025-03-04", "--to", "2025-03-05",
           "--priority", "low", "--priority", "normal", "--format", "json")
    )  # fmt: skip
    # 4-5 March with priority low or normal: T4 (low), T5 and T6 (normal); not T3 (urgent), K1
    assert printed["period"] == {"from": "2025-03-04", "to": "2025-03-05", "timezone": "UTC"}
    assert (printed["contacts"], printed["tickets"]) == (3, 3)


def test_summary_as_csv_is_one_flattened_row_and_as_table_one_line_per_figure(db):
    frame = pl.read_csv(ok("summary", "--db", db, "--format", "csv").encode())
    assert frame.height == 1
    assert frame.row(0, named=True)["frt_minutes.median"] == 15.0
    assert frame.row(0, named=True)["csat.responses"] == 3
    table = ok("summary", "--db", db).splitlines()
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


def test_list_names_every_metric_with_label_unit_and_definition():
    listed = json.loads(ok("list", "--format", "json"))
    assert {"frt", "frt_business", "frt_after_handover"} <= {m["name"] for m in listed}
    assert all(m["label"] and m["unit"] and m["definition"] for m in listed)
    text = ok("list")
    assert "frt  First response time [minutes]" in text


def test_glossary_prints_a_markdown_row_per_metric():
    lines = ok("glossary").splitlines()
    assert lines[0] == "| name | label | unit | definition | variant | exclusions |"
    names = {m["name"] for m in json.loads(ok("list", "--format", "json"))}
    assert len(lines) == 2 + len(names)
    assert any(line.startswith("| `frt` | First response time | minutes |") for line in lines)


def test_show_prints_a_metric_and_its_breakdown_as_the_function_returns_it(db, wh):
    printed = json.loads(ok("show", "frt", "--db", db, "--by", "day", "--format", "json"))
    assert printed == jsonable(first_response_time(wh, SETTINGS, Filters(), by="day").to_dicts())
    # 3 March: T1 30, T2 10 -> median 20
    assert printed[0] == {"day": "2025-03-03", "n": 2, "unanswered": 0, "bot_only": 0,
                          "outbound": 0, "median": 20.0, "p90": 28.0}  # fmt: skip
    chat = pl.read_csv(
        ok("show", "frt", "--db", db, "--channel", "chat", "--format", "csv").encode()
    )
    assert chat.select("n", "median").to_dicts() == [{"n": 1, "median": 5.0}]  # K1


def test_show_passes_metric_options(db):
    printed = json.loads(
        ok("show", "csat", "--db", db, "--option", "attribution=last_replier", "--format", "json")
    )
    # scores 5, 2, 4: 2 of 3 satisfied (see test_summary)
    assert [(row["n"], row["satisfied"]) for row in printed] == [(3, 2)]


def test_export_contacts_writes_csv_and_parquet(db, tmp_path):
    for name in ("contacts.csv", "contacts.parquet"):
        out = tmp_path / name
        assert ok("export", "contacts", "--db", db, "--out", out) == f"wrote 7 contacts to {out}\n"
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
    defaults = json.loads(ok("staffing", "--arrivals", "100", "--interval-minutes", "30",
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
]  # fmt: skip


@pytest.fixture(scope="module")
def error_runs(db, unusable) -> dict[int, subprocess.CompletedProcess]:
    """Every error case run once, four processes at a time (each start costs ~0.5 s)."""
    values = {"db": str(db), "folder": str(unusable["folder"])}
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {
            i: pool.submit(run, *(arg.format(**values) for arg in args))
            for i, (args, _) in enumerate(ERRORS)
        }
        return {i: future.result() for i, future in futures.items()}


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
