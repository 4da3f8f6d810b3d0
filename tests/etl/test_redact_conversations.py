"""A seed phrase typed over consecutive messages of one sender is removed from each message."""

from __future__ import annotations

import polars as pl

from etl.pipeline import load_files
from etl.redact.conversations import edges, redact_split_phrases
from warehouse.reader import ReadOnlyWarehouse

# Mnemonic("english").to_mnemonic(sha256(b"support-12").digest()[:16]): no funds.
WORDS = "crystal travel submit bicycle neither rigid question loop unique model clap hour".split()
FIRST, SECOND = " ".join(WORDS[:6]), " ".join(WORDS[6:])
MARK = "[seed phrase removed]"


def chat(rows: list[tuple[str, str, int, str]]) -> pl.DataFrame:
    conversation, sender, minute, body = zip(*rows, strict=True)
    return pl.DataFrame(
        {
            "conversation_id": conversation,
            "sender_type": sender,
            "sent_at": [f"2026-01-05T09:{m:02d}:00Z" for m in minute],
            "body": body,
        }
    )


def test_six_words_then_six_are_removed_from_both_messages():
    frame = chat([("C1", "customer", 0, f"my words: {FIRST}"), ("C1", "customer", 1, SECOND)])
    cleaned, found = redact_split_phrases(frame)
    assert found == 1
    assert cleaned["body"].to_list() == [f"my words: {MARK}", MARK]


def test_an_agent_reply_between_the_parts_does_not_hide_the_phrase():
    frame = chat(
        [
            ("C1", "customer", 0, f"{FIRST},"),
            ("C1", "agent", 1, "Please never share your recovery phrase!"),
            ("C1", "customer", 2, f"{SECOND} thanks"),
        ]
    )
    cleaned, found = redact_split_phrases(frame)
    assert (found, cleaned["body"].to_list()) == (
        1,
        [MARK, "Please never share your recovery phrase!", f"{MARK} thanks"],
    )


def test_four_messages_of_three_words_are_one_phrase():
    parts = [" ".join(WORDS[i : i + 3]) for i in range(0, 12, 3)]
    frame = chat([("C1", "customer", m, p) for m, p in enumerate(parts)])
    cleaned, found = redact_split_phrases(frame)
    assert (found, cleaned["body"].to_list()) == (1, [MARK] * 4)


def test_messages_are_ordered_by_time_not_by_file_order():
    frame = chat([("C1", "customer", 5, SECOND), ("C1", "customer", 1, f"here: {FIRST}")])
    assert redact_split_phrases(frame)[0]["body"].to_list() == [MARK, f"here: {MARK}"]


def test_parts_in_other_conversations_or_from_other_senders_are_not_joined():
    frame = chat(
        [
            ("C1", "customer", 0, FIRST),
            ("C2", "customer", 1, SECOND),
            ("C3", "customer", 0, FIRST),
            ("C3", "agent", 1, SECOND),
        ]
    )
    cleaned, found = redact_split_phrases(frame)
    assert (found, cleaned["body"].to_list()) == (0, [FIRST, SECOND, FIRST, SECOND])


def test_ordinary_consecutive_messages_are_kept():
    frame = chat(
        [
            ("C1", "customer", 0, "hello, my wallet shows zero"),
            ("C1", "customer", 1, "after the update this morning"),
            ("C1", "customer", 2, "can you help me please"),
        ]
    )
    cleaned, found = redact_split_phrases(frame)
    assert found == 0 and cleaned.equals(frame)


def test_edges_count_list_words_at_each_end():
    # "my" and "are" are on no list; the six words end the text
    assert edges(f"my words are {FIRST}") == edges(f"my words are {FIRST}.")
    assert edges(FIRST).whole and edges(FIRST).lead == 6
    assert edges(f"{FIRST} ?!").trail == 6


def test_a_load_stores_neither_part(tmp_path):
    frame = chat([("C1", "customer", 0, f"words {FIRST}"), ("C1", "customer", 1, SECOND)])
    frame = frame.with_columns(message_id=pl.Series(["M1", "M2"]))
    export = tmp_path / "chat.csv"
    frame.write_csv(export)
    db = tmp_path / "wh.duckdb"
    (report,) = load_files(db, "messages", [export])
    assert report.redactions == {"seed_phrase": 1}
    bodies = ReadOnlyWarehouse(db).query("SELECT body FROM messages ORDER BY message_id").rows()
    assert bodies == [(f"words {MARK}",), (MARK,)]
