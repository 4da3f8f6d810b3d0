"""Nothing is wrong faster: every registered metric gives the same result from the facts the
loads built into the warehouse as from facts built in memory on first use (the path every
page took before), on the demo and on warehouses loaded from ../shared/real_data with the
shipped mappings. Each real-data warehouse is loaded file by file, so later files exercise
the incremental upkeep (or a whole rebuild, where they change most of a fact).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from facts_support import compare_every_metric

from metrics.core.settings import load_settings, settings_from_dict

SETTINGS = load_settings()
FRESHDESK = Path(__file__).parents[1] / "fixtures" / "freshdesk" / "tickets.csv"

# (name, [(kind, mapping, path under real_data, or an absolute path)]) in load order.
REAL_SETS = [
    (
        "zendesk",
        [
            ("tickets", "zendesk_tickets", "zendesk-fivetran-seeds/ticket_data.csv"),
            ("messages", "zendesk_comments", "zendesk-fivetran-seeds/ticket_comment_data.csv"),
            (
                "ticket_events",
                "zendesk_field_history",
                "zendesk-fivetran-seeds/ticket_field_history_data.csv",
            ),
            ("agents", "zendesk_users", "zendesk-fivetran-seeds/user_data.csv"),
        ],
    ),
    (
        "kaggle",
        [
            (
                "tickets",
                "kaggle_tickets",
                "kaggle-support-tickets/customer_support_tickets_iso.csv",
            ),
            (
                "surveys",
                "kaggle_surveys",
                "kaggle-support-tickets/customer_support_tickets_iso.csv",
            ),
        ],
    ),
    (
        "helpdesk",
        [
            ("tickets", "helpdesk_eventlog_tickets", "helpdesk-eventlog/helpdesk.csv"),
            ("ticket_events", "helpdesk_eventlog_events", "helpdesk-eventlog/helpdesk.csv"),
        ],
    ),
    ("ubuntu", [("messages", "ubuntu_dialogue", "ubuntu-dialogue/dialogueText_head9999.csv")]),
    ("abcd", [("messages", "abcd", "abcd/abcd_sample.json")]),
    (
        "multilingual",
        [
            (
                "tickets",
                "multilingual_tickets",
                "multilingual-tickets/dataset-tickets-multi-lang3-4k_truncated.csv",
            ),
            (
                "messages",
                "multilingual_messages",
                "multilingual-tickets/dataset-tickets-multi-lang3-4k_truncated.csv",
            ),
        ],
    ),
    ("freshdesk", [("tickets", "freshdesk_tickets", str(FRESHDESK))]),
]


@pytest.fixture(scope="module")
def real_warehouses(real_warehouses_shared) -> dict[str, Path]:
    """Each real-data set loaded file by file (facts refreshed by every load), the session's
    shared read-only copy (tests/conftest.py)."""
    built = {}
    for name, files in REAL_SETS:
        db, reports = real_warehouses_shared.load(files)
        for report in reports:
            assert report.facts.startswith("derived facts refreshed"), report.facts
        built[name] = db
    return built


def test_every_metric_is_the_same_from_stored_and_lazy_facts_on_the_demo(demo_db):
    assert compare_every_metric(demo_db, SETTINGS) == []


@pytest.mark.parametrize("name", [name for name, _ in REAL_SETS])
def test_every_metric_is_the_same_from_stored_and_lazy_facts_on_real_data(real_warehouses, name):
    # One breakdown: by week, the chat queue crosses every week of ubuntu's eight years with
    # every hour (minutes per call, on either path).
    assert compare_every_metric(real_warehouses[name], SETTINGS, ("channel",)) == []


BUSINESS_HOURS = settings_from_dict(
    {
        "reporting": {"timezone": "Asia/Shanghai"},
        "support_hours": {
            "default": {
                "timezone": "Europe/Madrid",
                "holiday_country": "ES",
                "weekly": {d: ["09:00-13:00", "14:00-18:00"] for d in ("mon", "tue", "wed")},
            },
            "teams": {
                "zh": {
                    "timezone": "Asia/Shanghai",
                    "weekly": {d: ["08:00-20:00"] for d in ("mon", "tue", "thu", "fri", "sat")},
                }
            },
        },
        "windows": {"fcr_days": 3, "repeat_days": 14},
    }
)


def test_with_business_hours_and_other_windows_the_facts_built_for_them_agree_too(
    small_demo_db, tmp_path
):
    # The demo at scale 0.1 (the same period and effects): the facts rebuilt for other
    # settings and the every-metric comparison cost about a fifth of the 0.5 demo's.
    from etl.facts import refresh_warehouse_facts

    db = tmp_path / "demo.duckdb"
    db.write_bytes(small_demo_db.read_bytes())
    report = refresh_warehouse_facts(db, BUSINESS_HOURS)
    # only the facts that depend on these settings are rebuilt; the others stay as they are
    modes = {o.name: o.mode for o in report.outcomes}
    assert modes["contacts"] == "full" and modes["agent_reply_gaps"] == "unchanged"
    assert compare_every_metric(db, BUSINESS_HOURS) == []


# The warehouse-wide counts as they were counted before the input-counts fact: scans of the
# tables themselves (the reference the fact's sums must equal).
DIRECT_COUNTS = {
    "tickets": "SELECT count(*) FROM tickets",
    "messages": "SELECT count(*) FROM messages",
    "agent_messages": "SELECT count(*) FROM messages"
    " WHERE sender_type = 'agent' AND sent_at IS NOT NULL",
    "agent_senders": "SELECT count(*) FROM messages"
    " WHERE sender_type = 'agent' AND sent_at IS NOT NULL AND sender_id IS NOT NULL",
    "customer_messages": "SELECT count(*) FROM messages"
    " WHERE sender_type = 'customer' AND sent_at IS NOT NULL",
    "customer_texts": "SELECT count(*) FROM messages WHERE sender_type = 'customer'",
    "scored_messages": "SELECT count(*) FROM messages"
    " WHERE sender_type = 'customer' AND sentiment IS NOT NULL",
    "scored_agent_messages": "SELECT count(*) FROM messages"
    " WHERE sender_type IN ('agent', 'bot') AND agent_sentiment IS NOT NULL",
    "bot": "SELECT (SELECT count(*) FROM messages WHERE sender_type = 'bot')"
    " + (SELECT count(*) FROM tickets WHERE via_bot)",
    "first_response_field": "SELECT count(first_response_at) FROM tickets",
    "solve_times": "SELECT (SELECT count(*) FROM tickets WHERE coalesce(solved_at, closed_at)"
    " IS NOT NULL) + (SELECT count(*) FROM ticket_events WHERE field = 'status'"
    " AND value IN ('solved', 'closed'))",
    "status_events": "SELECT count(*) FROM ticket_events WHERE field = 'status'",
    "reopens_field": "SELECT count(reopens) FROM tickets",
    "agent_replies_field": "SELECT count(agent_replies) FROM tickets",
    "ticket_customers": "SELECT count(customer_id) FROM tickets",
    "tags": "SELECT count(*) FROM tickets WHERE len(tags) > 0",
    "escalated": "SELECT count(escalated_at) FROM tickets",
    "surveys": "SELECT count(*) FROM surveys",
    "qa_scores": "SELECT count(*) FROM qa_scores",
    "qa_reviews": "SELECT count(*) FROM qa_reviews",
    "surveys_matched": "SELECT count(*) FROM surveys AS s WHERE EXISTS (SELECT 1 FROM tickets"
    " AS t WHERE t.source = s.source AND t.ticket_id = s.ticket_id) OR EXISTS (SELECT 1 FROM"
    " messages AS m WHERE m.source = s.source AND m.conversation_id = s.ticket_id)",
    "activity": "SELECT count(*) FROM customer_activity",
    "activity_matched": "SELECT count(DISTINCT a.customer_id) FROM customer_activity AS a"
    " WHERE a.customer_id IN (SELECT customer_id FROM tickets UNION ALL SELECT sender_id"
    " FROM messages WHERE sender_type = 'customer')",
    "trainings": "SELECT count(*) FROM trainings",
    "trainings_matched": "SELECT count(DISTINCT t.agent_id) FROM trainings AS t"
    " WHERE t.agent_id IN (SELECT agent_id FROM tickets UNION ALL SELECT sender_id"
    " FROM messages WHERE sender_type = 'agent')",
    "shifts": "SELECT count(*) FROM shifts",
    "agents": "SELECT count(*) FROM agents",
    "agents_with_team": "SELECT count(team) FROM agents",
    "agents_with_languages": "SELECT count(*) FROM agents WHERE len(languages) > 0",
}


# The conversations' settling lag as it was computed before: from the messages themselves.
DIRECT_CONVERSATION_LAG = """
    SELECT quantile_cont(minutes, $q) FROM (
        SELECT (epoch(max(sent_at)) - epoch(min(sent_at))) / 60.0 AS minutes
        FROM messages WHERE sent_at IS NOT NULL GROUP BY source, conversation_id
    ) AS conversations
"""


def assert_counts_match_the_tables(db: Path) -> None:
    """table_counts and the settling lags from the stored input-counts fact, from the lazy
    one and from scans of the tables are the same numbers."""
    from facts_support import readers

    from metrics.core.inputs import INPUT_COUNTS, table_counts
    from metrics.core.provisional import settling

    stored, lazy = readers(db)
    try:
        assert stored.stored_fact(INPUT_COUNTS.table, INPUT_COUNTS.fingerprint), db
        direct = {name: int(stored.scalar(sql) or 0) for name, sql in DIRECT_COUNTS.items()}
        assert table_counts(stored) == direct
        assert table_counts(lazy) == direct
        minutes = stored.query(DIRECT_CONVERSATION_LAG, {"q": SETTINGS.provisional_share}).item()
        lags = settling(stored, SETTINGS)
        assert lags == settling(lazy, SETTINGS)
        # settling counts a lag of none (no timed messages) or below zero as zero
        expected = timedelta(minutes=minutes) if minutes and minutes > 0 else timedelta(0)
        assert lags.lags["conversation"] == expected
    finally:
        stored.close()
        lazy.close()


def test_the_warehouse_counts_from_the_input_counts_fact_equal_scans_on_the_demo(demo_db):
    assert_counts_match_the_tables(demo_db)


@pytest.mark.parametrize("name", [name for name, _ in REAL_SETS])
def test_the_warehouse_counts_from_the_input_counts_fact_equal_scans_on_real_data(
    real_warehouses, name
):
    # loaded file by file: later files kept the fact incrementally (or rebuilt it whole)
    assert_counts_match_the_tables(real_warehouses[name])


# The tone of agent messages as it was computed before its derived fact: from the messages.
DIRECT_TONE = """
    SELECT {group} AS grp, count(m.agent_sentiment) AS n, avg(m.agent_sentiment) AS mean,
        count(*) FILTER (WHERE m.agent_sentiment <= $negative) AS negative,
        count(*) AS messages
    FROM {table} AS c JOIN messages AS m ON m.source = c.source AND m.conversation_id = c.contact_id
    WHERE m.sender_type IN {senders} GROUP BY grp ORDER BY grp NULLS LAST
"""


@pytest.mark.parametrize("by", [None, "agent", "channel"])
def test_agent_tone_from_its_fact_equals_the_messages_on_the_demo(demo_db, by):
    from facts_support import readers
    from polars.testing import assert_frame_equal

    from metrics.agents.tone import agent_tone
    from metrics.core.contacts import contacts_table
    from metrics.core.filters import Filters

    stored, lazy = readers(demo_db)
    try:
        group, senders = {
            None: ("NULL", "('agent', 'bot')"),
            "agent": ("m.sender_id", "('agent')"),
            "channel": ("c.channel", "('agent', 'bot')"),
        }[by]
        sql = DIRECT_TONE.format(group=group, senders=senders, table=contacts_table(lazy, SETTINGS))
        direct = lazy.query(sql, {"negative": SETTINGS.sentiment_negative})
        assert direct.height and direct["n"].sum() > 0
        for wh in (stored, lazy):
            frame = agent_tone(wh, SETTINGS, Filters(), by=by)
            got = frame.select(*([by] if by else []), "n", "mean", "negative", "messages")
            assert_frame_equal(
                got,
                direct.drop("grp") if by is None else direct.rename({"grp": by}),
                check_exact=False,
                rel_tol=1e-9,
            )
    finally:
        stored.close()
        lazy.close()


# The scored messages per language and method as Data health counted them before the
# scoring_counts fact: a scan of the messages.
DIRECT_SCORING = """
    SELECT language, sentiment_method AS method,
        CAST(count(*) FILTER (WHERE sentiment IS NOT NULL) AS BIGINT) AS customer_messages,
        CAST(count(*) FILTER (WHERE agent_sentiment IS NOT NULL) AS BIGINT) AS agent_messages
    FROM messages WHERE sentiment_method IS NOT NULL
    GROUP BY ALL ORDER BY language NULLS LAST, method
"""


def assert_scoring_methods_match_the_messages(db: Path) -> None:
    from facts_support import readers

    from metrics.reports.data_health import SCORING_COUNTS, scoring_methods

    stored, lazy = readers(db)
    try:
        assert stored.stored_fact(SCORING_COUNTS.table, SCORING_COUNTS.fingerprint), db
        assert scoring_methods(stored).equals(stored.query(DIRECT_SCORING))
        assert scoring_methods(lazy).equals(stored.query(DIRECT_SCORING))
    finally:
        stored.close()
        lazy.close()


def test_scoring_methods_from_their_fact_equal_the_messages_on_the_demo(demo_db):
    assert_scoring_methods_match_the_messages(demo_db)


@pytest.mark.parametrize("name", ["zendesk", "ubuntu", "abcd", "multilingual"])
def test_scoring_methods_from_their_fact_equal_the_messages_on_real_data(real_warehouses, name):
    # the message sets, loaded file by file: later files kept the fact incrementally
    assert_scoring_methods_match_the_messages(real_warehouses[name])
