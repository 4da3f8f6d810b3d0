"""One contact's messages and its row of the contact fact."""

from __future__ import annotations

import pytest
from builders import msg, ticket

from metrics.core.settings import load_settings
from metrics.reports.transcripts import ContactKey, contact_record, transcript

SETTINGS = load_settings()


@pytest.fixture
def wh(make_wh):
    return make_wh({
        "tickets": [ticket("T1", "2026-01-05 09:00", subject="Swap failed", agent_id="A1"),
                    ticket("T2", "2026-01-05 10:00")],
        "messages": [
            msg("T1", "agent", "2026-01-05 09:10", sender_id="A1", body="Hello, looking now."),
            msg("T1", "customer", "2026-01-05 09:00", sender_id="K1",
                body="My seed is [REDACTED seed phrase]", sentiment=-0.4, sentiment_method="vader"),
            msg("T1", "bot", "2026-01-05 09:01", body="A human will answer soon."),
            msg("C7", "customer", "2026-01-06 08:00", body="hi"),
        ],
        "surveys": [{"source": "t", "ticket_id": "T1", "score": 2, "comment": "slow"}],
    })  # fmt: skip


def test_a_reference_is_source_colon_id_and_the_id_may_hold_colons():
    assert ContactKey.parse("zendesk:T1") == ContactKey("zendesk", "T1")
    assert ContactKey.parse("chat:room:42") == ContactKey("chat", "room:42")
    assert str(ContactKey("chat", "room:42")) == "chat:room:42"
    for bad in ("T1", ":T1", "zendesk:", ""):
        with pytest.raises(ValueError, match="expected SOURCE:ID"):
            ContactKey.parse(bad)


def test_messages_come_in_the_order_sent_with_bodies_as_stored(wh):
    rows = transcript(wh, ContactKey("t", "T1")).select(
        "sender_type", "sender_id", "body", "sentiment"
    )
    assert rows.to_dicts() == [
        {"sender_type": "customer", "sender_id": "K1",
         "body": "My seed is [REDACTED seed phrase]", "sentiment": -0.4},
        {"sender_type": "bot", "sender_id": None, "body": "A human will answer soon.",
         "sentiment": None},
        {"sender_type": "agent", "sender_id": "A1", "body": "Hello, looking now.",
         "sentiment": None},
    ]  # fmt: skip


def test_a_ticket_without_messages_has_an_empty_transcript(wh):
    assert transcript(wh, ContactKey("t", "T2")).is_empty()


def test_the_record_has_the_contacts_figures_subject_and_comment(wh):
    record = contact_record(wh, SETTINGS, ContactKey("t", "T1"))
    # created 09:00, first human reply 09:10 (the bot at 09:01 does not count): 10 minutes
    assert record["frt_minutes"] == 10.0
    assert (record["subject"], record["csat_score"], record["csat_comment"]) == (
        "Swap failed",
        2,
        "slow",
    )
    assert record["contact_type"] == "ticket"


def test_a_chat_without_ticket_has_a_record_and_an_unknown_contact_none(wh):
    assert contact_record(wh, SETTINGS, ContactKey("t", "C7"))["contact_type"] == "conversation"
    assert contact_record(wh, SETTINGS, ContactKey("t", "nope")) is None
