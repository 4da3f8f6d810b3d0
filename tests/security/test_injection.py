"""SQL and script text at every entry point has no effect beyond matching nothing (or one clear
error): filter values, the metrics and etl command lines, mapping files, export file names and
the dashboard's URL query parameters. The warehouse's content is compared before and after."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
import streamlit as st
from security_support import PAYLOADS, build_warehouse, digest, one_clear_line, run_main
from streamlit.testing.v1 import AppTest

from etl.__main__ import main as etl_main
from metrics.__main__ import main as metrics_main
from metrics.core.contacts import contacts
from metrics.core.filters import DIMENSIONS, Filters
from metrics.core.settings import load_settings
from metrics.operations.volume import contact_count
from metrics.reports.summary import headline
from warehouse.reader import ReadOnlyWarehouse

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = load_settings()
REAL = {"channel": "email", "language": "en", "team": "en", "agent": "A1", "priority": "normal",
        "category": "security", "source": "default"}  # fmt: skip


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("injection") / "warehouse.duckdb")


@pytest.fixture(scope="module")
def untouched(warehouse: Path) -> dict[str, str]:
    return digest(warehouse)


@pytest.fixture
def wh(warehouse: Path):
    reader = ReadOnlyWarehouse(warehouse)
    yield reader
    reader.close()


# --- metrics.core.filters.Filters ------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("dimension", list(DIMENSIONS))
def test_a_hostile_filter_value_matches_nothing_and_widens_nothing(wh, dimension, payload):
    alone = Filters(**{dimension: (payload,)})
    assert contact_count(wh, SETTINGS, alone) == 0
    real = Filters(**{dimension: (REAL[dimension],)})
    beside = Filters(**{dimension: (REAL[dimension], payload)})
    assert contact_count(wh, SETTINGS, beside) == contact_count(wh, SETTINGS, real) > 0


def test_hostile_values_in_every_filter_give_empty_headline_kpis_and_exports(
    wh, warehouse, untouched
):
    hostile = Filters(**{name: PAYLOADS for name in DIMENSIONS})
    kpis = headline(wh, SETTINGS, hostile)
    assert (kpis["contacts"], kpis["tickets"], kpis["conversations"]) == (0, 0, 0)
    assert contacts(wh, SETTINGS, hostile).height == 0
    assert digest(warehouse) == untouched


@pytest.mark.parametrize("search", PAYLOADS + ("_", "' OR 1=1 --", "\\"))
def test_the_explore_search_text_is_matched_literally(wh, search):
    assert contact_count(wh, SETTINGS, Filters(), search) == 0
    assert contact_count(wh, SETTINGS, replace(Filters(), include_merged=True), search) == 0


# --- python -m metrics ------------------------------------------------------------------


def filter_args(payload: str) -> list[str]:
    return [arg for name in DIMENSIONS for arg in (f"--{name}", payload)]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_metrics_summary_with_hostile_filter_options_counts_nothing(warehouse, untouched, payload):
    code, out, err = run_main(
        metrics_main, "summary", "--db", str(warehouse), *filter_args(payload), "--format", "json"
    )
    assert code == 0, err
    kpis = json.loads(out)
    assert (kpis["contacts"], kpis["tickets"], kpis["conversations"]) == (0, 0, 0)
    assert digest(warehouse) == untouched


@pytest.mark.parametrize("name", ["frt", "csat", "reopen_rate", "security_incidents"])
def test_metrics_show_with_hostile_filter_options_shows_no_rows(warehouse, untouched, name):
    code, out, err = run_main(
        metrics_main, "show", name, "--db", str(warehouse), "--channel", PAYLOADS[0],
        "--agent", PAYLOADS[1], "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    rows = json.loads(out)
    assert all(row.get("n", 0) in (0, None) for row in rows), rows
    assert digest(warehouse) == untouched


@pytest.mark.parametrize(
    "extra",
    [
        ["frt", "--by", PAYLOADS[1]],
        ["frt", "--by", "agent; DROP TABLE tickets"],
        ["frt", "--option", f"{PAYLOADS[0]}=1"],
        ["csat", "--option", f"attribution={PAYLOADS[1]}"],
        ["status_time", "--option", f"as_of={PAYLOADS[0]}"],
        [PAYLOADS[1]],
        ["frt", "--from", PAYLOADS[0]],
    ],
    ids=["by", "by-sql", "option-key", "option-choice", "option-instant", "metric-name", "date"],
)
def test_metrics_show_with_a_hostile_breakdown_option_or_name_is_one_clear_line(
    warehouse, untouched, extra
):
    code, _, err = run_main(metrics_main, "show", *extra, "--db", str(warehouse))
    one_clear_line(code, err)
    assert digest(warehouse) == untouched


@pytest.mark.parametrize(
    "name", ["x'; DROP TABLE tickets; --.csv", "<img src=x onerror=alert(1)>.csv", "=1+1.parquet"]
)
def test_an_export_file_name_with_sql_or_script_text_is_only_a_file_name(
    warehouse, untouched, tmp_path, name
):
    out = tmp_path / name
    code, printed, err = run_main(
        metrics_main, "export", "contacts", "--db", str(warehouse), "--out", str(out),
        "--channel", PAYLOADS[0],
    )  # fmt: skip
    assert code == 0, err
    assert printed.startswith("wrote 0 contacts")
    assert [p.name for p in tmp_path.iterdir()] == [name]
    assert digest(warehouse) == untouched


# --- python -m etl ----------------------------------------------------------------------


@pytest.fixture
def scratch(warehouse: Path, tmp_path: Path) -> Path:
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(warehouse, db)
    return db


def new_ticket_file(
    folder: Path, name: str = "extra.csv", header: str = "ticket_id,created_at"
) -> Path:
    path = folder / name
    path.write_text(f"{header}\nX1,2026-01-09T09:00:00Z\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["tickets; DROP TABLE tickets", "tickets' --", "<script>"])
def test_a_hostile_kind_is_one_clear_line_and_changes_nothing(scratch, untouched, tmp_path, kind):
    code, _, err = run_main(
        etl_main, "load", kind, str(new_ticket_file(tmp_path)), "--db", str(scratch)
    )
    assert "unknown kind" in one_clear_line(code, err)
    assert digest(scratch) == untouched


@pytest.mark.parametrize("mapping", ["'; DROP TABLE tickets; --", "x' OR '1'='1"])
def test_a_hostile_mapping_name_is_one_clear_line_and_changes_nothing(
    scratch, untouched, tmp_path, mapping
):
    path = new_ticket_file(tmp_path)
    code, _, err = run_main(
        etl_main, "load", "tickets", str(path), "--db", str(scratch), "--mapping", mapping
    )
    assert "no such mapping" in one_clear_line(code, err)
    assert digest(scratch) == untouched


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_source_and_file_name_are_stored_as_text(scratch, untouched, tmp_path, payload):
    path = new_ticket_file(tmp_path, name=f"{payload.replace('/', '_')}.csv")
    code, _, err = run_main(
        etl_main, "load", "tickets", str(path), "--db", str(scratch), "--source", payload, "--quiet"
    )
    assert code == 0, err
    reader = ReadOnlyWarehouse(scratch)
    try:
        stored = reader.query("SELECT source, ticket_id FROM tickets WHERE source = ?", [payload])
        runs = reader.query("SELECT file FROM load_runs WHERE file = ?", [str(path)])
        assert stored.rows() == [(payload, "X1")] and runs.height == 1
        assert reader.scalar("SELECT count(*) FROM tickets") == 5
    finally:
        reader.close()
    after = digest(scratch)
    for table in ("messages", "surveys", "agents", "(tables)"):
        assert after[table] == untouched[table]


def test_a_warehouse_path_with_quotes_is_only_a_path(untouched, tmp_path):
    db = tmp_path / 'it\'s a "db"; DROP TABLE x.duckdb'
    code, _, err = run_main(
        etl_main, "load", "tickets", str(new_ticket_file(tmp_path)), "--db", str(db), "--quiet"
    )
    assert code == 0, err
    code, out, err = run_main(metrics_main, "summary", "--db", str(db), "--format", "json")
    assert code == 0 and json.loads(out)["tickets"] == 1, err


# --- mapping files ----------------------------------------------------------------------

EXPORT_HEADER = 'id,"created""; DROP TABLE tickets; --",state,team'
EXPORT_ROWS = (
    "X1,2026-01-09T09:00:00Z,Open,en\nX2,2026-01-09T10:00:00Z,<script>alert(1)</script>,zh\n"
)


def load_with_mapping(db: Path, folder: Path, toml: str) -> tuple[int, str, str]:
    export = folder / "hostile.csv"
    export.write_text(f"{EXPORT_HEADER}\n{EXPORT_ROWS}", encoding="utf-8")
    mapping = folder / "hostile.toml"
    mapping.write_text(toml, encoding="utf-8")
    return run_main(
        etl_main,
        "load",
        "tickets",
        str(export),
        "--db",
        str(db),
        "--mapping",
        str(mapping),
        "--quiet",
    )


BASE = 'kind = "tickets"\n[columns]\nticket_id = "id"\ncreated_at = "created\\"; DROP TABLE tickets; --"\n'


@pytest.mark.parametrize(
    "extra",
    [
        'status = "state"\n[values.status]\n"Open" = "open\' OR \'1\'=\'1"\n"<script>alert(1)</script>" = "solved"\n',
        'team = "team"\n[constants]\ncategory = "\'); DROP TABLE tickets; --"\n',
        'team = "team"\n[values.team]\n"en" = "x\' OR \'1\'=\'1"\n',
    ],
    ids=["value-map", "constant", "value-to-sql"],
)
def test_sql_and_script_text_in_mapping_contents_is_stored_as_data(
    scratch, untouched, tmp_path, extra
):
    code, _, err = load_with_mapping(scratch, tmp_path, BASE + extra)
    assert code == 0, err
    after = digest(scratch)
    for table in ("messages", "surveys", "agents", "(tables)"):
        assert after[table] == untouched[table]
    reader = ReadOnlyWarehouse(scratch)
    try:
        assert reader.scalar("SELECT count(*) FROM tickets") in (4, 5, 6)
        assert reader.scalar("SELECT count(*) FROM tickets WHERE ticket_id LIKE 'T%'") == 4
    finally:
        reader.close()


@pytest.mark.parametrize(
    "top",
    [
        'source = "x\'); DROP TABLE tickets; --"\n',
        'timestamp_format = "\'; DROP TABLE tickets; --"\n',
        'transform = "keep_rows; DROP TABLE tickets"\n',
        "transform = \"__import__('os').system('id')\"\n",
        "null_values = [\"' OR '1'='1\"]\n",
        'list_separator = "\'; --"\n',
    ],
    ids=[
        "source",
        "timestamp-format",
        "transform-sql",
        "transform-code",
        "null-values",
        "list-separator",
    ],
)
def test_sql_or_code_in_mapping_settings_loads_as_text_or_is_one_clear_line(
    scratch, untouched, tmp_path, top
):
    code, _, err = load_with_mapping(scratch, tmp_path, top + BASE)
    if code != 0:
        one_clear_line(code, err)
        assert digest(scratch) == untouched
    after = digest(scratch)
    for table in ("messages", "surveys", "agents", "(tables)"):
        assert after[table] == untouched[table]


def test_sql_text_as_the_mapping_time_zone_is_one_clear_line(scratch, untouched, tmp_path):
    code, _, err = load_with_mapping(
        scratch, tmp_path, 'timezone = "UTC\'; DROP TABLE tickets; --"\n' + BASE
    )
    one_clear_line(code, err)
    assert digest(scratch) == untouched


# --- the dashboard's URL query parameters -------------------------------------------------

URL_DIMENSIONS = {name: PAYLOADS[i % len(PAYLOADS)] for i, name in enumerate(DIMENSIONS)}


@pytest.fixture
def served(warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The dashboard pointed at a copy of the warehouse, with no settings from the machine."""
    db = tmp_path / "served.duckdb"
    shutil.copyfile(warehouse, db)
    settings = tmp_path / "settings.toml"
    settings.write_text("# defaults\n")
    monkeypatch.setenv("SUPPORT_DB", str(db))
    monkeypatch.setenv("SUPPORT_SETTINGS", str(settings))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield db
    st.cache_data.clear()
    st.cache_resource.clear()


def open_page(page: str, params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    return at.run()


def test_hostile_filter_parameters_in_the_url_are_ignored_with_a_warning(served, untouched):
    at = open_page("pages/explore.py", {"period": "all", **URL_DIMENSIONS})
    assert not at.exception
    for name, payload in URL_DIMENSIONS.items():
        assert at.multiselect(key=f"flt_{name}").value == []
        assert any(payload in w.value and name in w.value for w in at.warning), name
    assert digest(served) == untouched


@pytest.mark.parametrize("param", ["period", "from", "to"])
def test_a_hostile_period_or_date_in_the_url_falls_back_to_the_default(served, untouched, param):
    at = open_page("pages/overview.py", {param: PAYLOADS[1]})
    assert not at.exception
    assert at.selectbox(key="flt_period").value in ("last_30", "all")
    assert digest(served) == untouched


@pytest.mark.parametrize(
    "reference", [PAYLOADS[0], f"default:{PAYLOADS[1]}", "<script>alert(1)</script>:T1"]
)
def test_a_hostile_contact_reference_in_the_url_opens_no_transcript(served, untouched, reference):
    at = open_page("pages/explore.py", {"period": "all", "contact": reference})
    assert not at.exception
    assert at.warning and not at.chat_message
    assert digest(served) == untouched


def test_a_hostile_agent_in_the_scorecard_url_picks_a_real_agent(served, untouched):
    at = open_page("pages/agent_scorecards.py", {"period": "all", "scorecard_agent": PAYLOADS[1]})
    assert not at.exception
    assert at.selectbox(key="url_scorecard_agent").value in ("A1", "A2")
    assert digest(served) == untouched
