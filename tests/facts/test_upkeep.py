"""Fact upkeep by loads: what each load rebuilds, and that incremental equals whole.

Each test loads small hand-shaped files into a copy of the demo warehouse (scale 0.1, facts
built by its build) and checks the modes ``fact_builds`` records and that every stored fact
then holds exactly the rows a whole rebuild from the same data gives. Scale 0.1, not the
suite's 0.5: the same generator and effects, and neither what a load rebuilds nor that
incremental equals whole depends on the demo's size (each whole rebuild and every-metric
comparison here costs a fifth).
"""

from __future__ import annotations

import shutil
from datetime import datetime, time, timedelta
from pathlib import Path

import duckdb
import polars as pl
import pytest
from facts_support import compare_every_metric, fact_rows
from polars.testing import assert_frame_equal

from etl.facts import refresh_warehouse_facts
from etl.pipeline import load_files
from metrics.core.contacts import contacts_fact
from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.facts import all_facts, scopes
from metrics.operations.volume import contact_count
from warehouse.reader import ReadOnlyWarehouse
from warehouse.writer import open_for_write

SETTINGS = load_settings()


@pytest.fixture
def db(small_demo_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "demo.duckdb"
    shutil.copyfile(small_demo_db, copy)
    return copy


def query(db: Path, sql: str) -> pl.DataFrame:
    wh = ReadOnlyWarehouse(db)
    try:
        return wh.query(sql)
    finally:
        wh.close()


def load(db: Path, kind: str, frame: pl.DataFrame, folder: Path, name: str):
    """Load ``frame`` (canonical columns) as ``kind`` from source 'demo'; the one report."""
    path = folder / f"{name}.parquet"
    if "tags" in frame.columns:
        frame = frame.with_columns(pl.col("tags").list.join(","))
    frame.drop("source", strict=False).write_parquet(path)
    (report,) = load_files(db, kind, [path], source="demo", settings=SETTINGS)
    assert report.facts.startswith("derived facts refreshed"), report.facts
    return report


def modes(db: Path) -> dict[str, str]:
    rows = query(db, "SELECT name, mode FROM fact_builds").rows()
    return {name.removeprefix("fact_"): mode for name, mode in rows}


def assert_same_as_whole_rebuild(db: Path, folder: Path) -> None:
    whole = folder / "whole.duckdb"
    shutil.copyfile(db, whole)
    assert refresh_warehouse_facts(whole, SETTINGS, full=True).error is None
    # a full rebuild rewrites every fact: the file keeps none of the old facts' blocks
    free = "SELECT free_blocks FROM pragma_database_size() WHERE database_name = 'wh'"
    assert query(whole, free).item() == 0
    for fact in all_facts(SETTINGS):
        kept, rebuilt = fact_rows(db, fact.table), fact_rows(whole, fact.table)
        assert_frame_equal(kept, rebuilt, check_exact=False, rel_tol=1e-9), fact.name


def latest_tickets(db: Path, n: int) -> pl.DataFrame:
    return query(db, f"SELECT * FROM tickets ORDER BY created_at DESC, ticket_id LIMIT {n}")  # noqa: S608


def test_new_tickets_of_known_customers_reach_their_earlier_contacts(db, tmp_path):
    earlier = query(
        db,
        "SELECT ticket_id, customer_id, category, created_at FROM tickets"
        " WHERE status IN ('solved', 'closed') AND customer_id IS NOT NULL"
        " ORDER BY created_at DESC, ticket_id LIMIT 1",
    ).row(0, named=True)
    before = query(
        db,
        f"SELECT repeat_contact FROM fact_contacts WHERE contact_id = '{earlier['ticket_id']}'",  # noqa: S608
    ).item()
    assert before is False  # the newest solved ticket: nobody came back yet
    follow_up = latest_tickets(db, 30).with_columns(
        (pl.col("ticket_id") + "-new").alias("ticket_id"),
        pl.col("created_at") + timedelta(days=1),
    )
    follow_up = follow_up.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.lit(earlier["customer_id"]))
        .otherwise(pl.col("customer_id"))
        .alias("customer_id")
    )
    load(db, "tickets", follow_up, tmp_path, "follow_up")
    assert modes(db) == {
        "contacts": "incremental", "retention": "incremental", "negative_texts": "incremental",
        "customer_counts": "incremental", "activity_span": "unchanged",
        "sentiment_methods": "unchanged", "agent_reply_gaps": "unchanged",
        "coverage_presence_shifts": "unchanged", "coverage_presence_messages": "unchanged",
        "conversation_runs": "incremental", "conversation_contact_waits": "incremental",
        "status_spans": "unchanged", "backlog_spells": "incremental",
        "input_counts": "incremental", "contact_people": "incremental",
        "activity_customers": "unchanged",
        "agent_tone": "unchanged", "agent_tone_contacts": "incremental",
        "scoring_counts": "unchanged", "quality": "incremental",
    }  # fmt: skip
    # the customer came back within the repeat window: their earlier ticket is now a repeat
    after = query(
        db,
        f"SELECT repeat_contact FROM fact_contacts WHERE contact_id = '{earlier['ticket_id']}'",  # noqa: S608
    ).item()
    assert after is True
    assert_same_as_whole_rebuild(db, tmp_path)


def test_changed_tickets_moved_messages_and_new_replies_equal_a_whole_rebuild(db, tmp_path):
    changed = latest_tickets(db, 40).with_columns(
        pl.col("customer_id").reverse(), pl.lit("open").alias("status")
    )
    load(db, "tickets", changed, tmp_path, "changed")
    messages = query(
        db,
        "SELECT m.* FROM messages AS m JOIN (SELECT ticket_id FROM tickets ORDER BY created_at"
        " DESC, ticket_id LIMIT 40) AS t ON t.ticket_id = m.conversation_id",
    )
    moved = messages.filter(pl.col("sender_type") == "customer").head(10)
    moved = moved.with_columns(pl.col("conversation_id").reverse())  # to another conversation
    replies = messages.filter(pl.col("sender_type") == "agent").head(30)
    replies = replies.with_columns(
        (pl.col("message_id") + "-early").alias("message_id"),
        pl.col("sent_at") - timedelta(hours=5),  # before their agent's later messages
    )
    unhappy = (
        messages.filter(pl.col("sender_type") == "customer")
        .tail(10)
        .with_columns(
            (pl.col("message_id") + "-angry").alias("message_id"),
            pl.lit("This is terrible, I am furious and want my money back").alias("body"),
        )
    )
    columns = ["message_id", "conversation_id", "sent_at", "sender_type", "sender_id", "body"]
    frame = pl.concat([f.select(columns) for f in (moved, replies, unhappy)])
    load(db, "messages", frame, tmp_path, "messages")
    found = modes(db)
    assert found["agent_reply_gaps"] == "incremental"
    assert found["coverage_presence_messages"] == "incremental"
    assert found["sentiment_methods"] == "incremental"
    assert found["scoring_counts"] == "incremental"
    assert found["input_counts"] == "incremental"
    assert found["conversation_runs"] == "incremental"
    assert found["conversation_contact_waits"] == "incremental"
    assert found["quality"] == "incremental"  # the loaded conversations are scored again
    # the 40 tickets reopen an hour after their last status change, then 20 of them are solved
    events = query(
        db,
        "SELECT e.ticket_id, max(e.changed_at) AS last_at FROM ticket_events AS e"
        " JOIN (SELECT ticket_id FROM tickets ORDER BY created_at DESC, ticket_id LIMIT 40)"
        " AS t USING (ticket_id) WHERE e.field = 'status' GROUP BY e.ticket_id",
    )
    reopened = events.select(
        "ticket_id", (pl.col("last_at") + timedelta(hours=1)).alias("changed_at"),
        pl.lit("status").alias("field"), pl.lit("open").alias("value"),
    )  # fmt: skip
    solved = reopened.head(20).with_columns(
        pl.col("changed_at") + timedelta(hours=2), pl.lit("solved").alias("value")
    )
    load(db, "ticket_events", pl.concat([reopened, solved]), tmp_path, "events")
    found = modes(db)
    assert found["status_spans"] == "incremental"
    assert found["backlog_spells"] == "incremental"
    surveys = changed.head(5).select(
        "ticket_id", pl.lit(1).alias("score"), pl.lit("awful").alias("comment")
    )
    load(db, "surveys", surveys, tmp_path, "surveys")
    assert modes(db)["contacts"] == "incremental"
    assert_same_as_whole_rebuild(db, tmp_path)


def test_new_activity_moves_the_span_at_read_time_and_updates_its_customers(db, tmp_path):
    span = query(db, "SELECT max(active_on) AS hi FROM customer_activity").item()
    customers = query(db, "SELECT DISTINCT customer_id FROM customer_activity LIMIT 20")
    later = customers.with_columns(pl.lit(span + timedelta(days=40)).alias("active_on"))
    load(db, "activity", later, tmp_path, "activity")
    found = modes(db)
    assert (found["activity_span"], found["retention"]) == ("full", "incremental")
    assert found["contacts"] == "unchanged"
    assert_same_as_whole_rebuild(db, tmp_path)


def test_agents_and_shifts_rebuild_what_reads_them_whole(db, tmp_path):
    agents = query(db, "SELECT * FROM agents ORDER BY agent_id LIMIT 3")
    load(db, "agents", agents.with_columns(pl.lit("fr").alias("team")), tmp_path, "agents")
    found = modes(db)
    assert found["contacts"] == "full" and found["retention"] == "full"
    assert found["coverage_presence_shifts"] == "full"
    assert found["agent_reply_gaps"] == "unchanged"  # it never reads the agents table
    shifts = query(db, "SELECT * FROM shifts ORDER BY starts_at DESC LIMIT 5")
    later = shifts.with_columns(pl.col("starts_at", "ends_at") + timedelta(days=7))
    load(db, "shifts", later, tmp_path, "shifts")
    found = modes(db)
    assert found["coverage_presence_shifts"] == "full" and found["contacts"] == "unchanged"
    assert_same_as_whole_rebuild(db, tmp_path)


def test_a_change_to_most_of_a_fact_rebuilds_it_whole(db, tmp_path, monkeypatch):
    monkeypatch.setattr(scopes, "MAX_SHARE", 0.001)
    monkeypatch.setattr(scopes, "MIN_UNITS", 10)
    load(db, "tickets", latest_tickets(db, 200).with_columns(pl.lit("open").alias("status")),
         tmp_path, "many")  # fmt: skip
    assert modes(db)["contacts"] == "full"
    assert_same_as_whole_rebuild(db, tmp_path)


def test_a_write_that_does_not_refresh_the_facts_leaves_them_unused(db):
    fingerprint = contacts_fact(SETTINGS).fingerprint
    with open_for_write(db) as con:
        con.execute(
            "INSERT INTO tickets (source, ticket_id, created_at) VALUES ('demo', 'X1', now())"
        )
    wh = ReadOnlyWarehouse(db)
    assert wh.stored_fact("fact_contacts", fingerprint) is None  # stale: built for older data
    counted = contact_count(wh, SETTINGS, Filters(include_merged=True))
    assert (
        counted
        == query(db, "SELECT count(*) FROM tickets").item()
        + query(
            db,
            "SELECT count(DISTINCT (source, conversation_id)) FROM messages AS m WHERE NOT EXISTS"
            " (SELECT 1 FROM tickets AS t WHERE t.source = m.source"
            " AND t.ticket_id = m.conversation_id)",
        ).item()
    )


def test_a_bulk_load_leaves_the_facts_to_its_last_file(db, tmp_path):
    path = tmp_path / "t.parquet"
    latest_tickets(db, 3).drop("source", "tags").write_parquet(path)
    load_files(db, "tickets", [path], source="demo", facts=False)
    assert (
        ReadOnlyWarehouse(db).stored_fact("fact_contacts", contacts_fact(SETTINGS).fingerprint)
        is None
    )
    load(db, "tickets", latest_tickets(db, 3), tmp_path, "last")
    assert set(modes(db).values()) == {"full"}  # not current before: rebuilt from all the data


def test_a_failing_upkeep_keeps_the_loaded_data_and_leaves_the_facts_to_readers(
    db, tmp_path, monkeypatch
):
    def broken(con, fact):
        raise duckdb.BinderException("simulated")

    monkeypatch.setattr(scopes, "update_contact_hub", broken)
    path = tmp_path / "t.parquet"
    new = latest_tickets(db, 2).with_columns((pl.col("ticket_id") + "-z").alias("ticket_id"))
    new.drop("source", "tags").write_parquet(path)
    (report,) = load_files(db, "tickets", [path], source="demo", settings=SETTINGS)
    assert report.inserted == 2
    assert report.facts.startswith("derived facts not refreshed (") and "simulated" in report.facts
    wh = ReadOnlyWarehouse(db)
    assert wh.stored_fact("fact_contacts", contacts_fact(SETTINGS).fingerprint) is None


def test_facts_built_for_other_settings_are_not_used_and_the_lazy_path_agrees(db, tmp_path):
    other = load_settings(None).__class__(fcr_days=2, repeat_days=30)
    report = refresh_warehouse_facts(db, other)
    assert {o.name: o.mode for o in report.outcomes}["contacts"] == "full"
    wh = ReadOnlyWarehouse(db)
    assert wh.stored_fact("fact_contacts", contacts_fact(SETTINGS).fingerprint) is None
    assert wh.stored_fact("fact_contacts", contacts_fact(other).fingerprint) == "fact_contacts"
    assert compare_every_metric(db, other) == []


def test_a_chat_known_only_by_its_sender_reaches_the_customers_earlier_contacts(db, tmp_path):
    # A conversation-only chat names its customer by the sender of its first message, which
    # no note says: the upkeep learns it from a first computation, then adds the customer's
    # other contacts and computes again.
    earlier = query(
        db,
        "SELECT ticket_id, customer_id, created_at FROM tickets WHERE customer_id IS NOT NULL"
        " ORDER BY created_at DESC, ticket_id LIMIT 1",
    ).row(0, named=True)
    assert (
        query(
            db,
            f"SELECT repeat_contact FROM fact_contacts WHERE contact_id = '{earlier['ticket_id']}'",  # noqa: S608
        ).item()
        is False
    )
    chat = pl.DataFrame(
        {
            "message_id": ["chat-1", "chat-2"],
            "conversation_id": ["chat-new", "chat-new"],
            "sent_at": [earlier["created_at"] + timedelta(hours=h) for h in (2, 3)],
            "sender_type": ["customer", "agent"],
            "sender_id": [earlier["customer_id"], "some-agent"],
            "body": ["it happened again", "looking into it"],
        }
    )
    load(db, "messages", chat, tmp_path, "chat")
    assert (
        query(
            db,
            f"SELECT repeat_contact FROM fact_contacts WHERE contact_id = '{earlier['ticket_id']}'",  # noqa: S608
        ).item()
        is True
    )
    assert modes(db)["contacts"] == "incremental"
    assert_same_as_whole_rebuild(db, tmp_path)


def test_facts_reading_the_contact_fact_follow_only_the_contact_rows_that_changed(
    db, tmp_path, monkeypatch
):
    # A customer with several earlier tickets writes again a day after their latest one, in
    # the same category. The contact fact is computed over all the customer's contacts (the
    # next-contact windows), but only two rows come out different: the new ticket's, and the
    # latest earlier ticket's (its next contact, repeat and FCR now see the new one); the
    # facts reading the contact fact are computed for those two contacts alone, and the
    # earlier ticket's rows in them (quality carries the contact row) are updated.
    customer = query(
        db,
        "SELECT customer_id FROM tickets WHERE customer_id IS NOT NULL GROUP BY customer_id"
        " HAVING count(*) >= 4 ORDER BY count(*) DESC, customer_id LIMIT 1",
    ).item()
    theirs = query(
        db,
        f"SELECT * FROM tickets WHERE customer_id = '{customer}'"  # noqa: S608
        " ORDER BY created_at DESC, ticket_id",
    )
    latest = theirs.row(0, named=True)
    new = theirs.head(1).select(
        (pl.col("ticket_id") + "-again").alias("ticket_id"),
        pl.col("created_at") + timedelta(days=1),
        "customer_id", "channel", "priority", "category", pl.lit("open").alias("status"),
    )  # fmt: skip
    computed: dict[str, int] = {}
    run_scoped = scopes.run_scoped

    def counting(con, fact, views):
        computed[fact.name] = con.execute(f"SELECT count(*) FROM {scopes.UNITS}").fetchone()[0]  # noqa: S608
        run_scoped(con, fact, views)

    monkeypatch.setattr(scopes, "run_scoped", counting)
    load(db, "tickets", new, tmp_path, "again")
    contacts_of_customer = query(
        db,
        f"SELECT count(*) FROM fact_contacts WHERE customer_id = '{customer}'",  # noqa: S608
    ).item()
    assert computed["contacts"] == contacts_of_customer == theirs.height + 1
    # the new ticket and the latest earlier one: 2 of the customer's contacts
    for fact in (
        "retention", "quality", "negative_texts", "conversation_runs",
        "conversation_contact_waits", "backlog_spells",
    ):  # fmt: skip
        assert computed[fact] == 2, fact
    assert computed["input_counts"] == 1  # it does not read the contact fact: the new ticket
    repeat = query(
        db,
        f"SELECT repeat_contact FROM fact_quality WHERE contact_id = '{latest['ticket_id']}'",  # noqa: S608
    ).item()
    assert repeat is True  # back within a day: the earlier ticket's quality row says so too
    assert_same_as_whole_rebuild(db, tmp_path)


def test_a_ticket_change_the_contact_fact_does_not_show_reaches_only_what_reads_tickets(
    db, tmp_path, monkeypatch
):
    # New tags on a ticket: the contact fact reads tags only to mark security contacts, and
    # "vip-followup" is no security tag, so its row comes out the same. The facts that read
    # the contact fact and messages (not tickets) then have no contact to compute; those
    # reading tickets compute the one ticket.
    ticket = latest_tickets(db, 1).with_columns(pl.lit(["vip-followup"]).alias("tags"))
    assert "vip-followup" not in SETTINGS.security_tags
    before = query(db, "SELECT * FROM fact_negative_texts ORDER BY ALL")
    computed: dict[str, int] = {}
    run_scoped = scopes.run_scoped

    def counting(con, fact, views):
        computed[fact.name] = con.execute(f"SELECT count(*) FROM {scopes.UNITS}").fetchone()[0]  # noqa: S608
        run_scoped(con, fact, views)

    monkeypatch.setattr(scopes, "run_scoped", counting)
    load(db, "tickets", ticket, tmp_path, "tags")
    assert modes(db)["contacts"] == "incremental"
    for fact in (
        "negative_texts",
        "customer_counts",
        "conversation_runs",
        "conversation_contact_waits",
    ):
        assert computed[fact] == 0, fact  # messages unchanged, the contact row unchanged
    assert computed["input_counts"] == 1  # reads tickets: the changed ticket
    assert computed["backlog_spells"] == 1  # reads tickets too
    assert_frame_equal(query(db, "SELECT * FROM fact_negative_texts ORDER BY ALL"), before)
    assert_same_as_whole_rebuild(db, tmp_path)


def test_retention_reads_only_the_activity_its_new_contacts_reach(db, tmp_path, monkeypatch):
    # Three new tickets, on a ticket load (no activity changes): customer "early" writes 10
    # days before their first active day (that day is 10 days after: window 1-30 active),
    # customer "late" 5 days after their last active day (has activity, but none after:
    # every window inactive), and a customer with no activity at all. Retention's upkeep
    # copies only the activity dated within 1-90 days of the new contacts' creation days,
    # plus a dateless row per customer with any activity; the rows equal a whole rebuild.
    early, first_day = query(
        db,
        "SELECT customer_id, min(active_on) FROM customer_activity GROUP BY customer_id"
        " ORDER BY min(active_on) DESC, customer_id LIMIT 1",
    ).row(0)
    late, last_day = query(
        db,
        "SELECT customer_id, max(active_on) FROM customer_activity"
        f" WHERE customer_id <> '{early}' GROUP BY customer_id"  # noqa: S608
        " ORDER BY max(active_on), customer_id LIMIT 1",
    ).row(0)
    noon = timedelta(hours=12)
    when = {
        "early": datetime.combine(first_day - timedelta(days=10), time()) + noon,
        "late": datetime.combine(last_day + timedelta(days=5), time()) + noon,
        "none": datetime.combine(last_day, time()) + noon,
    }
    new = latest_tickets(db, 3).with_columns(
        pl.Series("ticket_id", [f"reach-{k}" for k in when]),
        pl.Series("customer_id", [early, late, "nobody-active"]),
        pl.Series("created_at", list(when.values())).dt.replace_time_zone("UTC"),
    )
    ready: list[int] = []
    in_reach = scopes._activity_in_reach

    def counting(con, fact, hub):
        table = in_reach(con, fact, hub)
        ready.append(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608
        return table

    monkeypatch.setattr(scopes, "_activity_in_reach", counting)
    load(db, "tickets", new, tmp_path, "reach")
    assert modes(db)["retention"] == "incremental" and len(ready) == 1
    reachable = query(
        db,
        "SELECT count(*) FROM customer_activity a JOIN (SELECT DISTINCT r.customer_id"
        " FROM fact_retention f JOIN fact_contacts r USING (source, contact_id)"
        " WHERE f.contact_id LIKE 'reach-%') c USING (customer_id)",
    ).item()
    assert ready[0] < reachable  # fewer rows than all of the customers' activity
    rows = query(
        db,
        "SELECT contact_id, has_activity, active_1_30, active_31_60, active_61_90"
        " FROM fact_retention WHERE contact_id LIKE 'reach-%' ORDER BY contact_id",
    ).rows()
    assert rows[0][:3] == ("reach-early", True, True)  # active 10 days later: window 1-30
    assert rows[1] == ("reach-late", True, False, False, False)  # activity, none after it
    assert rows[2] == ("reach-none", False, False, False, False)
    assert_same_as_whole_rebuild(db, tmp_path)
