"""The app frame and the Data health page, run headless with Streamlit's AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import dashboard.demo
from metrics.core.settings import load_settings
from metrics.facts import all_facts
from metrics.reports.data_health import load_totals, quarantine_reasons
from warehouse.reader import ReadOnlyWarehouse
from warehouse.writer import open_for_write

APP = Path(__file__).resolve().parents[2] / "app.py"


DATA_HEALTH = "pages/data_health.py"


def run_app(page: str | None = DATA_HEALTH) -> AppTest:
    """Run the app straight at ``page`` (a path relative to app.py; None: the root URL)."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    if page:
        at.switch_page(page)
    return at.run()


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_data_health_shows_load_report_reasons_and_freshness(tiny_db):
    at = run_app()
    assert not at.exception
    assert at.title[0].value == "Data health"
    assert [h.value for h in at.header] == [
        "Redaction",
        "Freshness per table",
        "Load runs",
        "Quarantine",
        "Sentiment scoring",
        "What this warehouse can answer",
        "Derived facts",
    ]
    # the tiny warehouse's two loads record no rules version (as before schema 4): version 1
    redaction = at.warning[0].value
    assert redaction.startswith("2 load(s) stored texts under older redaction rules (version 1;")
    assert "Never scrubbed" in redaction and "python -m etl redact --db PATH" in redaction
    freshness, runs, reasons, examples, answers, facts = (d.value for d in at.dataframe)
    # 3 tickets (no replies) and a chat: FRT is answered by the chat; CSAT has no surveys
    statuses = dict(zip(answers["metric"], answers["status"], strict=True))
    assert statuses["csat"] == "⛔ not available" and statuses["frt"] == "✅ available"
    # the tiny warehouse was written without fact upkeep: every fact is built on first use
    assert set(facts["state"]) == {"built on first use: not stored"}
    count = len(all_facts(load_settings(None)))
    assert at.warning[1].value.startswith(f"{count} derived fact(s) (contacts, activity_span")
    assert freshness["table"].tolist()[:2] == ["tickets", "messages"]
    assert freshness["rows"].tolist()[:2] == [3, 2]
    assert runs["run_id"].tolist() == [2, 1]
    assert runs["check"].tolist() == ["✓", "✓"]
    assert reasons["count"].tolist() == [2, 1]
    assert reasons["example_file"].tolist() == ["tickets.csv", "tickets.csv"]
    # the first reason is picked: rows 2 and 5 of the tickets file
    assert examples["row_number"].tolist() == [2, 5]
    assert len(at.get("plotly_chart")) == 3


def test_shown_numbers_equal_the_metric_functions(tiny_db):
    at = run_app()
    wh = ReadOnlyWarehouse(tiny_db)
    try:
        totals = load_totals(wh).row(0, named=True)
        expected_counts = quarantine_reasons(wh)["count"].to_list()
    finally:
        wh.close()
    assert metric(at, "Quarantined") == str(totals["quarantined"]) == "3"
    assert metric(at, "Rows read") == str(totals["rows_read"]) == "8"
    assert at.dataframe[2].value["count"].tolist() == expected_counts


def test_picking_a_reason_shows_its_example_rows(tiny_db):
    at = run_app()
    status_reason = 'status "…" is not one of: new, open, pending, hold, solved, closed'
    at.selectbox(key="quarantine_reason").set_value(("tickets", status_reason)).run()
    examples = at.dataframe[3].value
    assert examples["row_number"].tolist() == [6]
    assert examples["file"].tolist() == ["tickets.csv"]
    assert examples["raw"].tolist() == ['{"id": "T10", "status": "wip"}']


def test_the_root_url_opens_the_first_page_of_the_menu_keeping_the_query(tiny_db):
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.query_params["channel"] = "chat"
    at.query_params["period"] = "all"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Overview"
    assert at.multiselect(key="flt_channel").value == ["chat"]
    assert at.query_params["channel"] == "chat"


def test_sidebar_names_the_warehouse_and_its_last_load(tiny_db):
    at = run_app()
    assert at.sidebar.code[0].value == str(tiny_db)
    assert "**Last load:** 2026-01-06 10:00 UTC" in [m.value for m in at.sidebar.markdown]


def test_sidebar_names_the_settings_file_in_use(tiny_db, clean_env, monkeypatch, tmp_path):
    # clean_env points SUPPORT_SETTINGS at an empty settings.toml in tmp_path
    at = run_app()
    assert at.sidebar.code[1].value == str((tmp_path / "settings.toml").resolve())
    assert "**Settings** (SUPPORT_SETTINGS)" in [m.value for m in at.sidebar.markdown]
    monkeypatch.delenv("SUPPORT_SETTINGS")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")  # no settings.toml there
    at = run_app()
    assert any(
        m.value.startswith("**Settings:** the built-in defaults") for m in at.sidebar.markdown
    )


def test_a_bad_settings_file_stops_the_page_with_one_line_naming_the_key(
    tiny_db, clean_env, tmp_path
):
    (tmp_path / "settings.toml").write_text('[sla]\nurgent = "fast"\n', encoding="utf-8")
    at = run_app("pages/overview.py")
    assert [e.value for e in at.error] == [
        f'The settings cannot be used: {tmp_path / "settings.toml"}: sla.urgent = "fast":'
        " expected a number (the default is 60)"
    ]


def test_a_load_swapped_in_shows_up_on_the_next_run(tiny_db):
    at = run_app()
    assert metric(at, "Load runs") == "2"
    with open_for_write(tiny_db) as con:
        con.execute(
            "INSERT INTO load_runs (run_id, kind, file, started_at, finished_at, rows_read,"
            " inserted, updated, unchanged, quarantined, status) VALUES (3, 'tickets',"
            " 'again.csv', '2026-01-08 09:00+00', '2026-01-08 09:00:01+00', 3, 0, 0, 3, 0, 'ok')"
        )
    at.run()
    assert not at.exception
    assert metric(at, "Load runs") == "3"
    assert metric(at, "Unchanged") == "3"
    assert at.dataframe[1].value["run_id"].tolist() == [3, 2, 1]


def test_an_empty_warehouse_says_so_in_plain_words(clean_env, tmp_path, monkeypatch):
    db = tmp_path / "empty.duckdb"
    with open_for_write(db):
        pass
    monkeypatch.setenv("SUPPORT_DB", str(db))
    at = run_app()
    assert not at.exception
    # nothing loaded: no success message drawn from absent data (redaction, quarantine)
    assert [i.value for i in at.info] == [
        "Nothing loaded yet; loads redact with rules version 2.",
        "No loads yet: load an export with `python -m etl load tickets FILE --db PATH`",
        "No message is scored for sentiment yet (no messages, or none in a scored language).",
    ]
    assert [s.value for s in at.success] == []
    assert "Nothing loaded yet, so nothing quarantined." in [c.value for c in at.caption]


def test_missing_support_db_is_reported_and_the_demo_built_on_request(
    clean_env, tmp_path, monkeypatch, fake_demo
):
    db = tmp_path / "missing" / "wh.duckdb"
    monkeypatch.setenv("SUPPORT_DB", str(db))
    monkeypatch.setenv("SUPPORT_DEMO_SCALE", "0.05")
    calls = fake_demo
    at = run_app(None)
    assert not at.exception
    assert "does not exist" in at.error[0].value
    assert not at.dataframe and not calls
    at.button[0].click().run()
    assert calls == [(db, 0.05)]
    assert not at.exception
    assert metric(at, "Contacts") == "4"  # the root opens Overview: 3 tickets and 1 chat


def test_first_start_builds_the_demo_in_the_per_user_folder(clean_env, fake_demo):
    at = run_app()
    expected = clean_env / "support-quality-dashboard" / "demo.duckdb"
    assert fake_demo == [(expected, 1.0)]
    assert not at.exception
    assert metric(at, "Load runs") == "2"
    fake_demo.clear()
    at.run()
    assert fake_demo == []  # built once


def _build_demo_script() -> None:
    import os
    from pathlib import Path

    from dashboard.demo import build_with_progress

    build_with_progress(Path(os.environ["DEMO_TARGET"]))


def test_the_demo_build_shows_its_steps_in_a_progress_bar_and_in_the_terminal(
    clean_env, tmp_path, monkeypatch, fake_demo, capsys
):
    monkeypatch.setenv("DEMO_TARGET", str(tmp_path / "demo.duckdb"))
    at = AppTest.from_function(_build_demo_script, default_timeout=30).run()
    assert capsys.readouterr().err.splitlines()[-2:] == [
        "demo warehouse: [ 40%] Generating tickets",
        "demo warehouse: [100%] Writing the warehouse",
    ]
    assert not at.exception
    assert at.status[0].label == "Demo warehouse ready"
    assert at.status[0].state == "complete"
    # the bar shows the builder's last step
    assert at.get("progress")[0].proto.text == "Writing the warehouse"
    assert at.get("progress")[0].proto.value == 100


def test_a_failing_demo_build_is_an_error_message_not_a_traceback(clean_env, monkeypatch):
    def broken(db, seed=7, scale=1.0, progress=None):
        raise RuntimeError("disk full")

    monkeypatch.setattr(dashboard.demo, "_demo_builder", lambda: broken)
    at = run_app()
    assert not at.exception
    assert any("disk full" in e.value for e in at.error)
    assert at.status[0].label == "Building the demo warehouse failed"


def test_a_missing_demo_builder_is_explained(clean_env, monkeypatch):
    def unavailable():
        raise ImportError("cannot import name 'build_demo'")

    monkeypatch.setattr(dashboard.demo, "_demo_builder", unavailable)
    at = run_app()
    assert not at.exception
    assert "sample_data.build_demo" in at.error[0].value


@pytest.mark.parametrize("scale", ["abc", "0", "-1"])
def test_a_bad_demo_scale_is_explained(clean_env, monkeypatch, fake_demo, scale):
    monkeypatch.setenv("SUPPORT_DEMO_SCALE", scale)
    at = run_app()
    assert not at.exception
    assert "SUPPORT_DEMO_SCALE" in at.error[0].value


def test_data_health_says_when_messages_were_scored_by_an_older_model(
    clean_env, tmp_path, monkeypatch
):
    db = tmp_path / "old.duckdb"
    with open_for_write(db) as con:
        con.execute(
            "INSERT INTO messages (source, message_id, conversation_id, sent_at, sender_type,"
            " body, language, sentiment, sentiment_method) VALUES ('t', 'm1', 'c1',"
            " TIMESTAMPTZ '2026-01-05 09:00:00+00', 'customer', 'terrible', 'en', -0.48, 'vader')"
        )
    monkeypatch.setenv("SUPPORT_DB", str(db))
    at = run_app()
    assert not at.exception
    assert "older sentiment model or scorer (vader)" in at.warning[0].value
    assert "python -m etl rescore --db PATH" in at.warning[0].value
    table = next(d.value for d in at.dataframe if "status" in d.value.columns)
    assert table[["method", "customer_messages", "status"]].values.tolist() == [
        ["vader", 1, "older model: re-score"]
    ]
