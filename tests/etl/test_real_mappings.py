"""Every shipped mapping loaded from ../shared/real_data (and the hand-made Freshdesk export).

Each export is loaded once per module into a temporary warehouse, then loaded
again. The expected counts were computed independently of the ETL with awk or
plain Python's csv module over the same files; the commands are in the comments.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from etl.canonical import TABLES
from etl.mapping import SHIPPED_DIR, load_mapping, shipped_mappings
from etl.pipeline import load_files
from etl.upsert import LoadReport
from warehouse.reader import ReadOnlyWarehouse

FRESHDESK = Path(__file__).parents[1] / "fixtures" / "freshdesk" / "tickets.csv"
MULTILINGUAL = "multilingual-tickets/dataset-tickets-multi-lang3-4k_truncated.csv"


@dataclass
class Load:
    """One export loaded twice: both reports, and the table before and after the second load."""

    first: LoadReport
    again: LoadReport
    before: pl.DataFrame
    after: pl.DataFrame
    db: Path

    def query(self, sql: str) -> list[tuple]:
        return ReadOnlyWarehouse(self.db).query(sql).rows()


def _snapshot(db: Path, kind: str) -> pl.DataFrame:
    spec = TABLES[kind]
    return ReadOnlyWarehouse(db).query(f"SELECT * FROM {spec.table}").sort(list(spec.key))  # noqa: S608


def load_twice(db: Path, kind: str, mapping: str, path: Path) -> Load:
    (first,) = load_files(db, kind, [path], mapping)
    before = _snapshot(db, kind)
    (again,) = load_files(db, kind, [path], mapping)
    return Load(first, again, before, _snapshot(db, kind), db)


def counts(report: LoadReport) -> tuple[int, int, int, int, int]:
    return (report.rows_read, report.inserted, report.updated, report.unchanged, report.quarantined)


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory):
    """A fresh warehouse path per call."""
    return lambda name: tmp_path_factory.mktemp(name) / "warehouse.duckdb"


@pytest.fixture(scope="module")
def zendesk(warehouses, real_data):
    db = warehouses("zendesk")
    seeds = real_data / "zendesk-fivetran-seeds"
    return {
        "tickets": load_twice(db, "tickets", "zendesk_tickets", seeds / "ticket_data.csv"),
        "comments": load_twice(
            db, "messages", "zendesk_comments", seeds / "ticket_comment_data.csv"
        ),
        "history": load_twice(
            db, "ticket_events", "zendesk_field_history", seeds / "ticket_field_history_data.csv"
        ),
        "users": load_twice(db, "agents", "zendesk_users", seeds / "user_data.csv"),
    }


@pytest.fixture(scope="module")
def freshdesk(warehouses):
    return load_twice(warehouses("freshdesk"), "tickets", "freshdesk_tickets", FRESHDESK)


@pytest.fixture(scope="module")
def kaggle(warehouses, real_data):
    db = warehouses("kaggle")
    iso = real_data / "kaggle-support-tickets" / "customer_support_tickets_iso.csv"
    return {
        "tickets": load_twice(db, "tickets", "kaggle_tickets", iso),
        "surveys": load_twice(db, "surveys", "kaggle_surveys", iso),
    }


@pytest.fixture(scope="module")
def kaggle_dayfirst(warehouses, real_data):
    path = real_data / "kaggle-support-tickets" / "customer_support_tickets_excel_roundtrip.csv"
    return load_twice(warehouses("dayfirst"), "tickets", "kaggle_tickets_dayfirst", path)


@pytest.fixture(scope="module")
def helpdesk(warehouses, real_data):
    db = warehouses("helpdesk")
    log = real_data / "helpdesk-eventlog" / "helpdesk.csv"
    return {
        "events": load_twice(db, "ticket_events", "helpdesk_eventlog_events", log),
        "tickets": load_twice(db, "tickets", "helpdesk_eventlog_tickets", log),
    }


@pytest.fixture(scope="module")
def ubuntu(warehouses, real_data):
    path = real_data / "ubuntu-dialogue" / "dialogueText_head9999.csv"
    return load_twice(warehouses("ubuntu"), "messages", "ubuntu_dialogue", path)


@pytest.fixture(scope="module")
def abcd(warehouses, real_data):
    path = real_data / "abcd" / "abcd_sample.json"
    return load_twice(warehouses("abcd"), "messages", "abcd", path)


@pytest.fixture(scope="module")
def multilingual(warehouses, real_data):
    db = warehouses("multilingual")
    path = real_data / MULTILINGUAL
    return {
        "tickets": load_twice(db, "tickets", "multilingual_tickets", path),
        "messages": load_twice(db, "messages", "multilingual_messages", path),
    }


LOADS = [
    ("zendesk", "tickets"),
    ("zendesk", "comments"),
    ("zendesk", "history"),
    ("zendesk", "users"),
    ("freshdesk", None),
    ("kaggle", "tickets"),
    ("kaggle", "surveys"),
    ("kaggle_dayfirst", None),
    ("helpdesk", "events"),
    ("helpdesk", "tickets"),
    ("ubuntu", None),
    ("abcd", None),
    ("multilingual", "tickets"),
    ("multilingual", "messages"),
]


def test_every_shipped_mapping_parses_and_describes_itself():
    names = shipped_mappings()
    assert names == [
        "abcd",
        "freshdesk_tickets",
        "helpdesk_eventlog_events",
        "helpdesk_eventlog_tickets",
        "kaggle_surveys",
        "kaggle_tickets",
        "kaggle_tickets_dayfirst",
        "multilingual_messages",
        "multilingual_tickets",
        "ubuntu_dialogue",
        "zendesk_comments",
        "zendesk_field_history",
        "zendesk_qa",
        "zendesk_tickets",
        "zendesk_users",
    ]
    for name in names:
        data = tomllib.loads((SHIPPED_DIR / f"{name}.toml").read_text(encoding="utf-8"))
        assert data["description"].strip(), name
        load_mapping(name, data["kind"])


@pytest.mark.parametrize(("fixture", "part"), LOADS, ids=[f"{f}-{p or f}" for f, p in LOADS])
def test_every_load_balances_and_a_second_load_changes_nothing(request, fixture, part):
    loaded = request.getfixturevalue(fixture)
    load = loaded[part] if part else loaded
    assert load.first.balanced and load.again.balanced
    stored = load.first.inserted + load.first.updated + load.first.unchanged
    assert counts(load.again) == (load.first.rows_read, 0, 0, stored, load.first.quarantined)
    assert load.after.equals(load.before)


def test_zendesk_tickets_quarantine_the_deleted_ones(zendesk):
    # awk -F, 'NR>1{print $19}' ticket_data.csv | sort | uniq -c: 7 closed, 1 solved, 2 deleted
    load = zendesk["tickets"]
    assert counts(load.first) == (10, 8, 0, 0, 2)
    assert load.first.top_reasons == [
        ('status "…" is not one of: new, open, pending, hold, solved, closed', 2)
    ]
    assert load.query("SELECT status, count(*) FROM tickets GROUP BY 1 ORDER BY 1") == [
        ("closed", 7),
        ("solved", 1),
    ]


def test_zendesk_comments_load_but_join_no_ticket_and_no_known_author(zendesk):
    # awk -F, 'NR>1{print $9}' ticket_comment_data.csv | sort -u: 4 authors, none an id in
    # user_data.csv (whose only agent is 1111), so all 20 count as the customer's; the 7
    # ticket ids (awk ... {print $7}) are not in ticket_data.csv.
    load = zendesk["comments"]
    assert counts(load.first) == (20, 20, 0, 0, 0)
    assert load.query(
        "SELECT sender_type, count(*), count(DISTINCT conversation_id) FROM messages GROUP BY 1"
    ) == [("customer", 20, 7)]
    joined = "SELECT count(*) FROM messages m JOIN tickets t ON t.ticket_id = m.conversation_id"
    assert load.query(joined) == [(0,)]


def test_zendesk_field_history_keeps_tracked_fields_once(zendesk):
    # 38 changes: 1 of requester_id (not tracked); ticket 102's solve at 08:36:38 is there
    # 4 times. awk -F, 'NR>1 && $1!="requester_id"{print $2","$3","$1}' | sort -u | wc -l: 34
    load = zendesk["history"]
    assert counts(load.first) == (38, 34, 0, 0, 4)
    assert load.query(
        "SELECT field, value, count(*) FROM ticket_events WHERE ticket_id = '11071'"
        " GROUP BY ALL ORDER BY ALL"
    ) == [
        ("assignee", "1111", 1),
        ("priority", "high", 1),
        ("priority", "normal", 2),
        ("priority", "urgent", 1),
        ("status", "closed", 1),
        ("status", "hold", 3),
        ("status", "open", 4),
        ("status", "pending", 4),
        ("status", "solved", 1),
    ]


def test_zendesk_users_load_only_the_agents(zendesk):
    # awk -F, 'NR>1{print $1, $22}' user_data.csv: 1111 is the only agent, 9 end-users
    load = zendesk["users"]
    assert counts(load.first) == (1, 1, 0, 0, 0)
    assert load.query("SELECT agent_id, name, timezone FROM agents") == [
        ("1111", "Arthur Agent", "Pacific Time (US & Canada)")
    ]


def test_freshdesk_export_maps_names_statuses_and_sources(freshdesk):
    # 8 hand-made tickets; 107's first response (08:50) is before its creation (09:00)
    assert counts(freshdesk.first) == (8, 7, 0, 0, 1)
    assert freshdesk.query(
        "SELECT ticket_id, status, priority, channel, agent_id, agent_replies, tags"
        " FROM tickets ORDER BY ticket_id"
    ) == [
        ("101", "closed", "high", "email", "Ana Silva", 2, ["withdrawal", "wallet"]),
        ("102", "solved", "urgent", "web", "Jon Park", 1, ["phishing", "security"]),
        ("103", "pending", "normal", "chat", "Ana Silva", 1, ["refund"]),
        ("104", "open", "low", "app", None, 0, None),
        ("105", "pending", "normal", "phone", "Jon Park", 1, ["login", "account"]),
        ("106", "hold", "high", "web", "Ana Silva", 2, ["kyc"]),
        ("108", "open", "urgent", "chat", None, 0, ["withdrawal"]),
    ]
    assert freshdesk.query("SELECT row_number, reason FROM quarantine WHERE run_id = 1") == [
        (7, 'first_response_at "2024-03-07 08:50:00" is before created_at "2024-03-07 09:00:00"')
    ]


def test_freshdesk_times_are_read_in_the_zone_the_mapping_names(tmp_path):
    shipped = (SHIPPED_DIR / "freshdesk_tickets.toml").read_text(encoding="utf-8")
    assert '\ntimezone = "UTC"\n' in shipped
    mapping = tmp_path / "freshdesk_new_york.toml"
    mapping.write_text(shipped.replace('\ntimezone = "UTC"\n', '\ntimezone = "America/New_York"\n'))
    load_files(tmp_path / "w.duckdb", "tickets", [FRESHDESK], str(mapping))
    # 2024-03-04 10:15:32 EST (UTC-5) is 15:15:32 UTC
    created = ReadOnlyWarehouse(tmp_path / "w.duckdb").query(
        "SELECT strftime(created_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S') FROM tickets"
        " WHERE ticket_id = '101'"
    )
    assert created.item() == "2024-03-04 15:15:32"


def test_kaggle_tickets_store_no_creation_time_and_map_the_names(kaggle):
    # python csv: Ticket Status Open 2819, Pending Customer Response 2881, Closed 2769;
    # First Response Time filled on 5650 = 8469 - 2819 (empty for every Open ticket)
    load = kaggle["tickets"]
    assert counts(load.first) == (8469, 8469, 0, 0, 0)
    assert load.query(
        "SELECT status, count(*), count(created_at), count(first_response_at), count(solved_at)"
        " FROM tickets GROUP BY 1 ORDER BY 1"
    ) == [("closed", 2769, 0, 2769, 0), ("open", 2819, 0, 0, 0), ("pending", 2881, 0, 2881, 0)]
    assert load.query("SELECT DISTINCT priority FROM tickets ORDER BY 1") == [
        ("high",),
        ("low",),
        ("normal",),
        ("urgent",),
    ]
    assert load.query("SELECT DISTINCT channel FROM tickets ORDER BY 1") == [
        ("chat",),
        ("email",),
        ("phone",),
        ("social",),
    ]
    # e-mails identify customers: 8469 tickets - 288 on shared e-mails + 139 such e-mails
    assert load.query("SELECT count(DISTINCT customer_id) FROM tickets") == [(8320,)]


def test_kaggle_ratings_load_as_surveys_of_the_closed_tickets(kaggle):
    # Customer Satisfaction Rating: 2769 filled (3.0: 580, 1.0: 553, 2.0: 549, 5.0: 544, 4.0: 543)
    load = kaggle["surveys"]
    assert counts(load.first) == (2769, 2769, 0, 0, 0)
    assert load.query("SELECT score, count(*) FROM surveys GROUP BY 1 ORDER BY 1") == [
        (1, 553),
        (2, 549),
        (3, 580),
        (4, 543),
        (5, 544),
    ]
    assert load.query(
        "SELECT t.status, count(*) FROM surveys s JOIN tickets t USING (source, ticket_id)"
        " GROUP BY 1"
    ) == [("closed", 2769)]


def test_kaggle_spreadsheet_copy_reads_dates_day_first(kaggle_dayfirst):
    # ticket 1: "01-06-2023 12:15" is 1 June 2023 (the ISO copy says 2023-06-01 12:15:36)
    assert counts(kaggle_dayfirst.first) == (8469, 8469, 0, 0, 0)
    assert kaggle_dayfirst.query(
        "SELECT strftime(first_response_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M'),"
        " count(created_at) FROM tickets WHERE ticket_id = '1' GROUP BY 1"
    ) == [("2023-06-01 12:15", 0)]
    assert kaggle_dayfirst.query(
        "SELECT min(first_response_at AT TIME ZONE 'UTC')::DATE,"
        " max(first_response_at AT TIME ZONE 'UTC')::DATE FROM tickets"
    ) == [(date(2023, 5, 31), date(2023, 6, 2))]


def test_ubuntu_dialogues_become_conversations_with_the_opener_as_customer(ubuntu):
    # python csv, first sender per (folder, dialogueID) in file order: customer 5874, agent 4125;
    # 3333 dialogues, 45 of them with a single sender (no agent at all)
    assert counts(ubuntu.first) == (9999, 9999, 0, 0, 0)
    assert ubuntu.query(
        "SELECT sender_type, count(*), count(DISTINCT conversation_id) FROM messages"
        " GROUP BY 1 ORDER BY 1"
    ) == [("agent", 4125, 3288), ("customer", 5874, 3333)]
    assert ubuntu.query(
        "SELECT message_id, sender_type, sender_id FROM messages"
        " WHERE conversation_id = '3/112010.tsv' ORDER BY message_id"
    ) == [
        ("3/112010.tsv/0001", "customer", "Broadcom"),
        ("3/112010.tsv/0002", "agent", "Nostahl"),
        ("3/112010.tsv/0003", "customer", "Broadcom"),
    ]


def test_helpdesk_events_quarantine_exact_duplicates_and_bug_tracker_verdicts(helpdesk):
    # python csv: 127 exact duplicate rows; 8 rows are VERIFIED 3, RESOLVED 2, INVALID 2,
    # DUPLICATE 1; 21348 - 127 - 8 = 21213
    load = helpdesk["events"]
    assert counts(load.first) == (21348, 21213, 0, 0, 135)
    reasons = load.query(
        'SELECT reason LIKE \'ticket_id "%", changed_at "%", field "%" repeat row %\', count(*)'
        " FROM quarantine WHERE run_id = 1 GROUP BY 1 ORDER BY 1"
    )
    assert reasons == [(False, 8), (True, 127)]
    # 302 cases have 2+ distinct "Resolve ticket" events once duplicates are gone
    assert load.query(
        "SELECT count(*) FROM (SELECT ticket_id FROM ticket_events WHERE value = 'solved'"
        " GROUP BY 1 HAVING count(*) >= 2)"
    ) == [(302,)]


def test_helpdesk_tickets_aggregate_each_case(helpdesk):
    # 4580 cases; 302 with 2+ resolves; 11 never resolved; 295 never taken in charge;
    # python csv, resource of each case's first "Resolve ticket" (by time): 19 distinct
    load = helpdesk["tickets"]
    assert counts(load.first) == (4580, 4580, 0, 0, 0)
    assert load.query(
        "SELECT count(*), count(*) FILTER (reopens > 0), count(*) FILTER (solved_at IS NULL),"
        " count(*) FILTER (first_response_at IS NULL), count(DISTINCT agent_id) FROM tickets"
    ) == [(4580, 302, 11, 295, 19)]
    assert load.query(
        "SELECT strftime(created_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S'), reopens, agent_id,"
        " status FROM tickets WHERE ticket_id = 'Case3608'"
    ) == [("2010-01-13 08:40:25", 0, "Value 2", "closed")]
    # tickets and their events agree on reopens
    assert load.query(
        "SELECT count(*) FROM tickets t JOIN (SELECT ticket_id, count(*) - 1 AS n"
        " FROM ticket_events WHERE value = 'solved' GROUP BY 1) e USING (ticket_id)"
        " WHERE e.n <> t.reopens"
    ) == [(0,)]


def test_abcd_turns_become_messages_without_times(abcd):
    # json: convo 3592 has 29 turns (4 action), 9489 has 21 (2), 3695 has 22 (3)
    assert counts(abcd.first) == (72, 72, 0, 0, 0)
    assert abcd.query(
        "SELECT conversation_id, count(*), count(*) FILTER (sender_type = 'system'),"
        " count(sent_at) FROM messages GROUP BY 1 ORDER BY 1"
    ) == [("3592", 29, 4, 0), ("3695", 22, 3, 0), ("9489", 21, 2, 0)]
    assert abcd.query(
        "SELECT message_id, sender_type FROM messages ORDER BY message_id LIMIT 3"
    ) == [("3592/0001", "agent"), ("3592/0002", "agent"), ("3592/0003", "customer")]


def test_multilingual_tickets_load_all_but_the_cut_off_record(multilingual):
    # python csv: 1167 complete records (en 486, de 216, es 208, pt 144, fr 113), then the
    # record cut off in a quoted field ("Perturbations fréquentes des services cloud")
    load = multilingual["tickets"]
    assert counts(load.first) == (1168, 1167, 0, 0, 1)
    assert load.query("SELECT row_number, reason FROM quarantine WHERE run_id = 1") == [
        (1168, "the record is cut off: a quoted field is never closed before the end of the file")
    ]
    assert load.query("SELECT language, count(*) FROM tickets GROUP BY 1 ORDER BY 2 DESC") == [
        ("en", 486),
        ("de", 216),
        ("es", 208),
        ("pt", 144),
        ("fr", 113),
    ]
    assert load.query(
        "SELECT count(created_at), count(DISTINCT ticket_id), sum(len(tags)) FROM tickets"
    ) == [(0, 1167, 6651)]


def test_multilingual_messages_pair_each_body_with_its_answer(multilingual):
    # 1167 tickets x (body + answer; no answer is empty) = 2334, plus the cut-off record
    load = multilingual["messages"]
    assert counts(load.first) == (2335, 2334, 0, 0, 1)
    assert load.query(
        "SELECT sender_type, count(*), count(DISTINCT m.conversation_id) FROM messages m"
        " JOIN tickets t ON t.source = m.source AND t.ticket_id = m.conversation_id"
        " GROUP BY 1 ORDER BY 1"
    ) == [("agent", 1167, 1167), ("customer", 1167, 1167)]
