"""Data health metrics on a tiny hand-written warehouse."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from metrics.reports.data_health import (
    last_load_at,
    load_runs,
    load_totals,
    quarantine_examples,
    quarantine_reasons,
    schema_version,
    table_freshness,
)
from warehouse.reader import ReadOnlyWarehouse
from warehouse.schema import SCHEMA_VERSION
from warehouse.writer import open_for_write

NOW = datetime(2026, 1, 7, 12, 0, tzinfo=UTC)

RAW_T2 = '{"id": "T9", "created": "yesterday"}'
RAW_T4 = '{"id": "T10", "created": "soon"}'
RAW_T3 = '{"id": "T11", "created": ""}'
RAW_M3 = '{"id": "M4", "from": "robot"}'
EXPECTED = "(expected ISO 8601 or epoch seconds)"
REASON_T2 = f'created_at "yesterday" is not a date-time {EXPECTED}'
REASON_T4 = f'created_at "soon; later" is not a date-time {EXPECTED}'
REASON_T3 = f'created_at "3/4" is not a date-time {EXPECTED}; status "wip" is not one of: new, open'
CREATED_PATTERN = f'created_at "…" is not a date-time {EXPECTED}'


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def build_tiny(db: Path) -> None:
    """Three loads (two tickets files, one chat file), four quarantined rows, a few data rows."""
    with open_for_write(db) as con:
        con.execute(
            """
            INSERT INTO load_runs (run_id, kind, file, sha256, started_at, finished_at, rows_read,
                inserted, updated, unchanged, quarantined, status, message, source, mapping,
                redactions)
            VALUES
            (1, 'tickets', '/data/exports/tickets.csv', 'aa', '2026-01-05 09:00:00+00',
             '2026-01-05 09:00:02.5+00', 5, 3, 0, 0, 2, 'ok', NULL, 'zendesk', 'zendesk_tickets',
             NULL),
            (2, 'messages', 'chat.json', 'bb', '2026-01-06 09:59:58.5+00',
             '2026-01-06 10:00:00+00', 4, 3, 0, 0, 1, 'ok', NULL, 'chat', 'generic_chat',
             '{"email": 1}'),
            (3, 'tickets', '/data/exports/tickets-2.csv', 'cc', '2026-01-07 08:00:00+00',
             NULL, 3, 0, 1, 0, 1, 'failed', 'interrupted', 'zendesk', 'zendesk_tickets', NULL)
            """
        )
        con.execute(
            """
            INSERT INTO quarantine (run_id, row_number, kind, file, raw, reason) VALUES
            (1, 2, 'tickets', '/data/exports/tickets.csv', ?, ?),
            (1, 4, 'tickets', '/data/exports/tickets.csv', ?, ?),
            (3, 3, 'tickets', '/data/exports/tickets-2.csv', ?, ?),
            (2, 3, 'messages', 'chat.json', ?,
             'sender_type ''robot'' isn''t one of customer, agent, bot, system')
            """,
            [RAW_T2, REASON_T2, RAW_T4, REASON_T4, RAW_T3, REASON_T3, RAW_M3],
        )
        con.execute(
            """
            INSERT INTO tickets (source, ticket_id, created_at, updated_at) VALUES
            ('zendesk', 'T1', '2026-01-05 08:00:00+00', '2026-01-06 12:00:00+00'),
            ('zendesk', 'T2', '2026-01-05 09:30:00+00', NULL),
            ('zendesk', 'T3', '2026-01-07 07:00:00+00', NULL)
            """
        )
        con.execute(
            """
            INSERT INTO messages (source, message_id, conversation_id, sent_at, sender_type) VALUES
            ('chat', 'M1', 'C1', '2026-01-06 09:00:00+00', 'customer'),
            ('chat', 'M2', 'C1', '2026-01-06 09:45:00+00', 'agent'),
            ('chat', 'M3', 'C2', '2026-01-05 23:00:00+00', 'customer')
            """
        )
        con.execute("INSERT INTO customer_activity VALUES ('U1', DATE '2026-01-06')")


@pytest.fixture
def wh(db_path: Path) -> Iterator[ReadOnlyWarehouse]:
    build_tiny(db_path)
    warehouse = ReadOnlyWarehouse(db_path)
    yield warehouse
    warehouse.close()


@pytest.fixture
def empty_wh(db_path: Path) -> Iterator[ReadOnlyWarehouse]:
    with open_for_write(db_path):
        pass
    warehouse = ReadOnlyWarehouse(db_path)
    yield warehouse
    warehouse.close()


def test_load_runs_lists_newest_first_with_duration_and_accounting_check(wh):
    assert load_runs(wh).to_dicts() == [
        {
            "run_id": 3, "kind": "tickets", "file": "/data/exports/tickets-2.csv",
            "file_name": "tickets-2.csv", "source": "zendesk", "mapping": "zendesk_tickets",
            "started_at": ts("2026-01-07 08:00"), "duration_s": None, "rows_read": 3,
            "inserted": 0, "updated": 1, "unchanged": 0, "quarantined": 1,
            # 3 read but 0 + 1 + 0 + 1 = 2 accounted for
            "balanced": False, "status": "failed", "message": "interrupted", "redactions": None,
        },
        {
            "run_id": 2, "kind": "messages", "file": "chat.json", "file_name": "chat.json",
            "source": "chat", "mapping": "generic_chat",
            "started_at": ts("2026-01-06 09:59:58.500"), "duration_s": 1.5, "rows_read": 4,
            "inserted": 3, "updated": 0, "unchanged": 0, "quarantined": 1, "balanced": True,
            "status": "ok", "message": None, "redactions": '{"email": 1}',
        },
        {
            "run_id": 1, "kind": "tickets", "file": "/data/exports/tickets.csv",
            "file_name": "tickets.csv", "source": "zendesk", "mapping": "zendesk_tickets",
            "started_at": ts("2026-01-05 09:00"), "duration_s": 2.5, "rows_read": 5,
            "inserted": 3, "updated": 0, "unchanged": 0, "quarantined": 2, "balanced": True,
            "status": "ok", "message": None, "redactions": None,
        },
    ]  # fmt: skip


def test_load_runs_keeps_only_the_newest_limit(wh):
    assert load_runs(wh, limit=2)["run_id"].to_list() == [3, 2]


def test_load_totals_sum_every_run_and_count_unbalanced_ones(wh):
    # rows_read 5 + 4 + 3 = 12; inserted 3 + 3 + 0; quarantined 2 + 1 + 1; run 3 unbalanced
    assert load_totals(wh).to_dicts() == [
        {"runs": 3, "rows_read": 12, "inserted": 6, "updated": 1, "unchanged": 0,
         "quarantined": 4, "unbalanced_runs": 1}
    ]  # fmt: skip


def test_quarantine_reasons_group_values_per_problem_but_keep_the_column(wh):
    assert quarantine_reasons(wh).to_dicts() == [
        {
            # rows 1/2, 1/4 and 3/3; the "; " inside "soon; later" does not split it
            "kind": "tickets", "reason": CREATED_PATTERN, "count": 3, "runs": 2,
            "example_run_id": 3, "example_row_number": 3,
            "example_file": "/data/exports/tickets-2.csv", "example_reason": REASON_T3,
            "example_raw": RAW_T3,
        },
        {
            # the apostrophe in "isn't" is not a quote
            "kind": "messages", "reason": 'sender_type "…" isn\'t one of customer, agent, bot, system',
            "count": 1, "runs": 1, "example_run_id": 2, "example_row_number": 3,
            "example_file": "chat.json",
            "example_reason": "sender_type 'robot' isn't one of customer, agent, bot, system",
            "example_raw": RAW_M3,
        },
        {
            # row 3/3 has two problems and counts in both groups
            "kind": "tickets", "reason": 'status "…" is not one of: new, open', "count": 1,
            "runs": 1, "example_run_id": 3, "example_row_number": 3,
            "example_file": "/data/exports/tickets-2.csv", "example_reason": REASON_T3,
            "example_raw": RAW_T3,
        },
    ]  # fmt: skip


def test_reason_patterns_blank_row_numbers_and_positions_but_not_ranges(db_path):
    reasons = [
        (1, 5, "same ticket_id as row 3, which was kept"),
        (1, 14, "same ticket_id as row 12, which was kept"),
        (2, 1, "line is not valid JSON (Unterminated string at column 98)"),
        (2, 4, "line is not valid JSON (Unterminated string at column 7)"),
        (3, 2, "row has 12 fields, the header has 10"),
        (3, 3, 'field "satisfaction_score" is not one of: status, assignee'),
        (3, 4, 'score "7" is outside 1-5'),
    ]
    with open_for_write(db_path) as con:
        for run_id, row, reason in reasons:
            con.execute(
                "INSERT INTO quarantine VALUES (?, ?, 'tickets', 'f.csv', '{}', ?)",
                [run_id, row, reason],
            )
    wh = ReadOnlyWarehouse(db_path)
    try:
        assert quarantine_reasons(wh).select("reason", "count").rows() == [
            ("line is not valid JSON (Unterminated string at column …)", 2),
            ("same ticket_id as row …, which was kept", 2),
            ('field "…" is not one of: status, assignee', 1),
            ("row has … fields, the header has …", 1),
            ('score "…" is outside 1-5', 1),
        ]
    finally:
        wh.close()


def test_quarantine_examples_filter_by_problem_pattern_newest_run_first(wh):
    examples = quarantine_examples(wh, kind="tickets", reason=CREATED_PATTERN)
    assert examples.select("run_id", "row_number", "raw").rows() == [
        (3, 3, RAW_T3),
        (1, 2, RAW_T2),
        (1, 4, RAW_T4),
    ]
    assert quarantine_examples(wh, reason=CREATED_PATTERN, limit=1)["row_number"].to_list() == [3]
    assert quarantine_examples(wh, reason='status "…" is not one of: new, open').height == 1
    assert quarantine_examples(wh, kind="messages")["raw"].to_list() == [RAW_M3]
    assert quarantine_examples(wh).height == 4


def test_table_freshness_reports_rows_newest_data_and_last_load(wh):
    assert table_freshness(wh, now=NOW).to_dicts() == [
        # newest = max(created_at 01-07 07:00, updated_at 01-06 12:00); 12:00 - 07:00 = 5 h.
        # last load: run 3 started 01-07 08:00 (unfinished) -> 4 h
        {"table": "tickets", "kind": "tickets", "rows": 3, "time_column": "created_at/updated_at",
         "newest": ts("2026-01-07 07:00"), "last_load": ts("2026-01-07 08:00"),
         "age_hours": 5.0, "last_load_age_hours": 4.0},
        # 01-06 09:45 -> 01-07 12:00 = 26.25 h; run 2 finished 01-06 10:00 -> 26 h
        {"table": "messages", "kind": "messages", "rows": 3, "time_column": "sent_at",
         "newest": ts("2026-01-06 09:45"), "last_load": ts("2026-01-06 10:00"),
         "age_hours": 26.25, "last_load_age_hours": 26.0},
        {"table": "ticket_events", "kind": "ticket_events", "rows": 0,
         "time_column": "changed_at", "newest": None, "last_load": None, "age_hours": None,
         "last_load_age_hours": None},
        {"table": "surveys", "kind": "surveys", "rows": 0, "time_column": "responded_at",
         "newest": None, "last_load": None, "age_hours": None, "last_load_age_hours": None},
        {"table": "agents", "kind": "agents", "rows": 0, "time_column": None, "newest": None,
         "last_load": None, "age_hours": None, "last_load_age_hours": None},
        {"table": "trainings", "kind": "trainings", "rows": 0, "time_column": "completed_at",
         "newest": None, "last_load": None, "age_hours": None, "last_load_age_hours": None},
        {"table": "shifts", "kind": "shifts", "rows": 0, "time_column": "starts_at",
         "newest": None, "last_load": None, "age_hours": None, "last_load_age_hours": None},
        # a date counts from its midnight UTC: 01-06 00:00 -> 01-07 12:00 = 36 h
        {"table": "customer_activity", "kind": "activity", "rows": 1, "time_column": "active_on",
         "newest": ts("2026-01-06 00:00"), "last_load": None, "age_hours": 36.0,
         "last_load_age_hours": None},
    ]  # fmt: skip


def test_schema_version_and_last_load(wh):
    assert schema_version(wh) == SCHEMA_VERSION
    # run 3 is unfinished, so its start counts: 01-07 08:00
    assert last_load_at(wh) == ts("2026-01-07 08:00")


def test_an_empty_warehouse_gives_empty_frames_not_errors(empty_wh):
    assert load_runs(empty_wh).is_empty()
    assert quarantine_reasons(empty_wh).is_empty()
    assert quarantine_examples(empty_wh, reason="x").is_empty()
    assert load_totals(empty_wh).row(0) == (0, 0, 0, 0, 0, 0, 0)
    assert table_freshness(empty_wh, now=NOW)["rows"].to_list() == [0] * 8
    assert last_load_at(empty_wh) is None
