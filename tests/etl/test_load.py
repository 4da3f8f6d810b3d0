"""The load pipeline end to end on tiny hand-written exports: accounting, upsert, idempotency."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from etl.enrich import sentiment_methods
from etl.pipeline import load_files
from warehouse.reader import ReadOnlyWarehouse

HEADER = "ticket_id,created_at,status,priority,channel,subject,updated_at,first_response_at\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_every_row_read_is_inserted_updated_unchanged_or_quarantined(tmp_path, db_path):
    export = write(
        tmp_path / "tickets.csv",
        HEADER
        + "T1,2026-01-05T09:00:00Z,Open,High,E-mail,Card lost,2026-01-05T09:00:00Z,\n"
        + "T2,2026-01-05T10:00:00Z,solved,low,chat,Gas fee,2026-01-05T11:00:00Z,2026-01-05T10:05:00Z\n"
        + "T3,not a date,open,low,chat,x,,\n"
        + "T4,2026-01-05T10:00:00Z,open,low,fax,x,,\n"
        + "T5,2026-01-05T10:00:00Z,open,low,chat,x,,2026-01-05T09:00:00Z\n"
        + ",2026-01-05T10:00:00Z,open,low,chat,x,,\n",
    )
    (report,) = load_files(db_path, "tickets", [export])
    # 6 rows: T1 and T2 valid; T3 bad date, T4 unknown channel, T5 reply before creation, row 6 no id
    assert (
        report.rows_read,
        report.inserted,
        report.updated,
        report.unchanged,
        report.quarantined,
    ) == (
        6,
        2,
        0,
        0,
        4,
    )
    assert report.balanced
    wh = ReadOnlyWarehouse(db_path)
    tickets = wh.query(
        "SELECT ticket_id, status, priority, channel FROM tickets ORDER BY ticket_id"
    )
    assert tickets.rows() == [("T1", "open", "high", "email"), ("T2", "solved", "low", "chat")]
    reasons = wh.query("SELECT row_number, reason FROM quarantine ORDER BY row_number").rows()
    assert reasons == [
        (3, 'created_at "not a date" is not a date-time (expected ISO 8601 or epoch seconds)'),
        (4, 'channel "fax" is not one of: email, chat, web, app, social, wechat, qq, phone, bot'),
        (5, 'first_response_at "2026-01-05T09:00:00Z" is before created_at "2026-01-05T10:00:00Z"'),
        (6, "ticket_id is empty"),
    ]
    run = wh.query("SELECT rows_read, inserted, quarantined, status FROM load_runs").rows()
    assert run == [(6, 2, 4, "ok with quarantine")]


def test_loading_the_same_file_twice_changes_nothing(tmp_path, db_path):
    export = write(
        tmp_path / "tickets.csv",
        HEADER + "T1,2026-01-05T09:00:00Z,open,high,email,Hello,2026-01-05T09:00:00Z,\n",
    )
    load_files(db_path, "tickets", [export])
    before = ReadOnlyWarehouse(db_path).query("SELECT * FROM tickets")
    (again,) = load_files(db_path, "tickets", [export])
    assert (again.inserted, again.updated, again.unchanged, again.quarantined) == (0, 0, 1, 0)
    after = ReadOnlyWarehouse(db_path).query("SELECT * FROM tickets")
    assert after.equals(before)


def test_a_newer_export_updates_and_an_older_one_does_not(tmp_path, db_path):
    first = write(
        tmp_path / "a.csv",
        HEADER + "T1,2026-01-05T09:00:00Z,open,high,email,Hello,2026-01-05T09:00:00Z,\n",
    )
    newer = write(
        tmp_path / "b.csv",
        HEADER + "T1,2026-01-05T09:00:00Z,solved,high,email,Hello,2026-01-06T09:00:00Z,\n",
    )
    older = write(
        tmp_path / "c.csv",
        HEADER + "T1,2026-01-05T09:00:00Z,pending,high,email,Hello,2026-01-04T09:00:00Z,\n",
    )
    load_files(db_path, "tickets", [first])
    (upd,) = load_files(db_path, "tickets", [newer])
    (old,) = load_files(db_path, "tickets", [older])
    assert (upd.updated, old.unchanged) == (1, 1)
    status = ReadOnlyWarehouse(db_path).scalar("SELECT status FROM tickets")
    assert status == "solved"


def test_columns_a_file_does_not_have_keep_their_stored_values(tmp_path, db_path):
    full = write(
        tmp_path / "full.csv",
        HEADER + "T1,2026-01-05T09:00:00Z,open,high,email,Hello,2026-01-05T09:00:00Z,\n",
    )
    partial = write(
        tmp_path / "partial.csv",
        "ticket_id,created_at,status,updated_at\nT1,2026-01-05T09:00:00Z,solved,2026-01-06T00:00:00Z\n",
    )
    load_files(db_path, "tickets", [full])
    (report,) = load_files(db_path, "tickets", [partial])
    assert report.updated == 1
    row = ReadOnlyWarehouse(db_path).query("SELECT status, priority, subject FROM tickets").row(0)
    assert row == ("solved", "high", "Hello")


def test_duplicate_keys_inside_one_file_keep_the_newest_row(tmp_path, db_path):
    export = write(
        tmp_path / "dups.csv",
        HEADER
        + "T1,2026-01-05T09:00:00Z,open,high,email,Hello,2026-01-05T12:00:00Z,\n"
        + "T1,2026-01-05T09:00:00Z,pending,high,email,Hello,2026-01-05T10:00:00Z,\n",
    )
    (report,) = load_files(db_path, "tickets", [export])
    # row 1 has the newer updated_at (12:00 > 10:00), so row 2 is the duplicate
    assert (report.inserted, report.quarantined) == (1, 1)
    wh = ReadOnlyWarehouse(db_path)
    assert wh.scalar("SELECT status FROM tickets") == "open"
    assert (
        wh.scalar("SELECT reason FROM quarantine") == 'ticket_id "T1" repeats row 1, which was kept'
    )


def test_timestamps_are_stored_in_utc_using_the_mappings_zone(tmp_path, db_path):
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        'kind = "tickets"\nsource = "zh-sheet"\ntimezone = "Asia/Shanghai"\n'
        'timestamp_format = "%Y/%m/%d %H:%M"\n'
        '[columns]\nticket_id = "编号"\ncreated_at = "创建时间"\nstatus = "状态"\n'
        '[values.status]\n"已解决" = "solved"\n',
        encoding="utf-8",
    )
    export = tmp_path / "zh.csv"
    export.write_bytes("编号,创建时间,状态\nZ1,2026/03/01 08:30,已解决\n".encode("gb18030"))
    (report,) = load_files(db_path, "tickets", [export], str(mapping))
    assert report.inserted == 1
    row = ReadOnlyWarehouse(db_path).query(
        "SELECT source, status, strftime(created_at, '%Y-%m-%d %H:%M') AS utc FROM tickets"
    )
    # 08:30 in Shanghai (UTC+8) is 00:30 UTC
    assert row.rows() == [("zh-sheet", "solved", "2026-03-01 00:30")]


def test_messages_are_redacted_and_english_customer_text_is_scored(tmp_path, db_path):
    seed = "abandon " * 11 + "about"
    frame = pl.DataFrame(
        {
            "message_id": ["M1", "M2", "M3"],
            "conversation_id": ["C1", "C1", "C1"],
            "sent_at": ["2026-01-05T09:00:00Z", "2026-01-05T09:01:00Z", "2026-01-05T09:02:00Z"],
            "sender_type": ["customer", "agent", "customer"],
            "body": [
                f"my words are {seed}. Why is my balance zero?",
                "Thanks for waiting!",
                "This is terrible",
            ],
        }
    )
    export = tmp_path / "messages.ndjson"
    frame.write_ndjson(export)
    (report,) = load_files(db_path, "messages", [export])
    assert report.redactions.get("seed_phrase") == 1
    rows = (
        ReadOnlyWarehouse(db_path)
        .query(
            "SELECT message_id, body, sentiment_method, sentiment < 0 AS negative,"
            " agent_sentiment > 0 AS agent_positive FROM messages ORDER BY 1"
        )
        .rows()
    )
    assert rows[0][1] == "my words are [seed phrase removed]. Why is my balance zero?"
    # the customer's "This is terrible" is negative; the agent's thanks are scored into
    # agent_sentiment only (its sentiment stays null)
    english = sentiment_methods()["en"]
    assert rows[2][2:] == (english, True, None)
    assert rows[1][2:] == (english, None, True)
