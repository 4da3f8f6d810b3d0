"""Each mapping transform on a few hand-written raw rows, compared with the expected frame."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from etl.transforms import TRANSFORMS


def raw(rows: dict[str, list[str | None]]) -> pl.DataFrame:
    """A frame as the readers return it: string columns plus the 1-based ``__row``."""
    height = len(next(iter(rows.values())))
    columns = {name: pl.Series(name, values, dtype=pl.String) for name, values in rows.items()}
    return pl.DataFrame(columns).with_columns(
        pl.Series("__row", range(1, height + 1), dtype=pl.Int64)
    )


def test_keep_rows_keeps_listed_values_in_any_case_and_drops_the_rest():
    frame = raw({"id": ["1", "2", "3", "4"], "role": ["agent", "end-user", " Admin ", None]})
    out = TRANSFORMS["keep_rows"](frame, {"column": "role", "values": ["agent", "admin"]})
    assert out.select("id", "__row").to_dicts() == [
        {"id": "1", "__row": 1},
        {"id": "3", "__row": 3},
    ]


def test_keep_rows_without_values_keeps_rows_where_the_column_is_filled():
    frame = raw({"id": ["1", "2", "3"], "rating": ["4", None, " "]})
    out = TRANSFORMS["keep_rows"](frame, {"column": "rating"})
    assert out["id"].to_list() == ["1"]


def test_content_id_hashes_the_content_and_gathers_list_columns():
    frame = raw(
        {
            "subject": ["Card lost", None],
            "body": ["I lost my card", "Hallo"],
            "tag_1": ["Card", None],
            "tag_2": [None, None],
            "tag_3": ['Say "hi"', ""],
        }
    )
    options = {"id_from": ["subject", "body"], "lists": {"tags": ["tag_1", "tag_2", "tag_3"]}}
    out = TRANSFORMS["content_id"](frame, options)
    # sha256(json.dumps(["Card lost", "I lost my card"]))[:16] and of [null, "Hallo"]
    assert out.select("content_id", "tags", "__row").to_dicts() == [
        {"content_id": "11cc462c41119c45", "tags": '["Card","Say \\"hi\\""]', "__row": 1},
        {"content_id": "095b06e878bab14a", "tags": None, "__row": 2},
    ]


EVENT_OPTIONS = {
    "case": "case",
    "activity": "act",
    "time": "at",
    "resource": "who",
    "first_response": "Take",
    "solved": "Resolve",
    "closed": "Closed",
    "statuses": {"Insert": "new", "Take": "open", "Resolve": "solved", "Closed": "closed"},
}


def test_event_log_tickets_makes_one_ticket_per_case_with_reopens_from_distinct_solves():
    frame = raw(
        {
            "case": ["A", "A", "A", "A", "A", "A", "B", "B"],
            "act": [
                "Insert",
                "Take",
                "Resolve",
                "Resolve",
                "Resolve",
                "Closed",
                "Insert",
                "Verdict",
            ],
            "at": [
                "2024-01-01 09:00:00",
                "2024-01-01 10:00:00",
                "2024-01-02 10:00:00",
                "2024-01-02 10:00:00",  # an exact duplicate of the row above
                "2024-01-05 10:00:00",
                "2024-01-06 10:00:00",
                "2024-01-03 08:00:00",
                "2024-01-03 09:00:00",
            ],
            "who": ["V1", "V2", "V2", "V2", "V3", "V9", "V1", "V4"],
        }
    )
    out = TRANSFORMS["event_log_tickets"](frame, EVENT_OPTIONS)
    # A: two distinct solve times -> 1 reopen; solved_at is the last solve; agent of the first.
    # B: never taken or solved; "Verdict" is not a status, so the status stays "new".
    expected = pl.DataFrame(
        {
            "case": ["A", "B"],
            "__row": [1, 7],
            "created_at": ["2024-01-01 09:00:00", "2024-01-03 08:00:00"],
            "first_response_at": ["2024-01-01 10:00:00", None],
            "solved_at": ["2024-01-05 10:00:00", None],
            "closed_at": ["2024-01-06 10:00:00", None],
            "reopens": ["1", "0"],
            "agent_id": ["V2", None],
            "status": ["closed", "new"],
            "ticket_id": ["A", "B"],
        },
        schema_overrides={"__row": pl.Int64},
    )
    assert_frame_equal(out, expected)


def test_event_log_tickets_orders_events_by_time_not_by_file_order():
    frame = raw(
        {
            "case": ["A", "A", "A"],
            "act": ["Resolve", "Insert", "Take"],
            "at": ["2024-01-03 10:00:00", "2024-01-01 09:00:00", "2024-01-02 09:00:00"],
            "who": ["V2", "V1", "V1"],
        }
    )
    out = TRANSFORMS["event_log_tickets"](frame, EVENT_OPTIONS)
    assert out.select("created_at", "first_response_at", "status").row(0) == (
        "2024-01-01 09:00:00",
        "2024-01-02 09:00:00",
        "solved",
    )


def test_chat_first_sender_takes_roles_and_turns_from_file_order():
    frame = raw(
        {
            "folder": ["3", "3", "3", "3", "3"],
            "dialogueID": ["10.tsv", "10.tsv", "10.tsv", "11.tsv", "11.tsv"],
            "date": ["12:15", "12:12", "12:13", "09:00", "09:01"],
            "from": ["asker", "helper", "asker", "alone", "alone"],
        }
    )
    out = TRANSFORMS["chat_first_sender"](
        frame, {"conversation": ["folder", "dialogueID"], "sender": "from"}
    )
    # 3/10.tsv opens with "asker" although the helper's turn is stamped earlier;
    # 3/11.tsv has a single sender: all customer, no agent.
    assert out.select("conversation_id", "message_id", "date", "sender_role").rows() == [
        ("3/10.tsv", "3/10.tsv/0001", "12:15", "customer"),
        ("3/10.tsv", "3/10.tsv/0002", "12:12", "agent"),
        ("3/10.tsv", "3/10.tsv/0003", "12:13", "customer"),
        ("3/11.tsv", "3/11.tsv/0001", "09:00", "customer"),
        ("3/11.tsv", "3/11.tsv/0002", "09:01", "customer"),
    ]
    assert out["__row"].to_list() == [1, 2, 3, 4, 5]


def test_json_turns_makes_one_message_per_turn_and_keeps_a_broken_cell_as_one_empty_row():
    frame = raw(
        {
            "convo_id": ["7", "8", "9"],
            "original": [
                '[["agent", "Hi!"], ["customer", "My order"], ["action", "Order pulled up"]]',
                "not json",
                "[]",
            ],
        }
    )
    out = TRANSFORMS["json_turns"](frame, {"conversation": "convo_id", "turns": "original"})
    assert out.select("__row", "message_id", "turn", "speaker", "text").rows() == [
        (1, "7/0001", 1, "agent", "Hi!"),
        (1, "7/0002", 2, "customer", "My order"),
        (1, "7/0003", 3, "action", "Order pulled up"),
        (2, None, None, None, None),
        (3, None, None, None, None),
    ]


def test_question_answer_makes_the_customer_question_and_the_agent_answer():
    frame = raw(
        {
            "subject": ["Card lost", None],
            "body": ["I lost my card", "Hallo"],
            "answer": ["We blocked it.", None],
        }
    )
    options = {"id_from": ["subject", "body"], "question": "body", "answer": "answer"}
    out = TRANSFORMS["question_answer"](frame, options)
    # the conversation id is the ticket's content_id (see the content_id test)
    assert out.select("__row", "conversation_id", "message_id", "sender_role", "text").rows() == [
        (1, "11cc462c41119c45", "11cc462c41119c45/0001", "customer", "I lost my card"),
        (1, "11cc462c41119c45", "11cc462c41119c45/0002", "agent", "We blocked it."),
        (2, "095b06e878bab14a", "095b06e878bab14a/0001", "customer", "Hallo"),
    ]


@pytest.fixture
def zendesk_dir(tmp_path: Path) -> Path:
    (tmp_path / "users.csv").write_text(
        "id,name,role\n1,Arthur Agent,agent\n2,Ada Admin,admin\n3,Earnest End User,end-user\n",
        encoding="utf-8",
    )
    return tmp_path


COMMENTS = {
    "id": ["c1", "c2", "c3", "c4", "c5"],
    "user_id": ["3", "1", "2", "1", "99"],
    "public": ["TRUE", "TRUE", "true", "FALSE", "TRUE"],
}


def test_zendesk_comments_take_roles_from_the_users_file_and_keep_notes_as_system(zendesk_dir):
    options = {"users_file": "users.csv", "_export_dir": str(zendesk_dir)}
    out = TRANSFORMS["zendesk_comments"](raw(COMMENTS), options)
    # user 99 is not in the users file: counted as the customer, never as an agent reply
    assert out.select("id", "sender_role", "__row").rows() == [
        ("c1", "customer", 1),
        ("c2", "agent", 2),
        ("c3", "agent", 3),
        ("c4", "system", 4),
        ("c5", "customer", 5),
    ]


def test_zendesk_comments_can_skip_internal_notes(zendesk_dir):
    options = {"users_file": "users.csv", "internal_notes": "skip", "_export_dir": str(zendesk_dir)}
    out = TRANSFORMS["zendesk_comments"](raw(COMMENTS), options)
    assert out["id"].to_list() == ["c1", "c2", "c3", "c5"]


@pytest.mark.parametrize("name", ["../users.csv", "sub/users.csv", "..", "/etc/passwd"])
def test_zendesk_comments_refuse_a_users_file_outside_the_export_folder(zendesk_dir, name):
    options = {"users_file": name, "_export_dir": str(zendesk_dir)}
    with pytest.raises(ValueError, match="bare file name"):
        TRANSFORMS["zendesk_comments"](raw(COMMENTS), options)


def test_zendesk_comments_say_when_the_users_file_is_missing(tmp_path):
    options = {"users_file": "user_data.csv", "_export_dir": str(tmp_path)}
    with pytest.raises(ValueError, match="user_data.csv .* is not beside the export"):
        TRANSFORMS["zendesk_comments"](raw(COMMENTS), options)


def test_a_transform_names_the_column_it_misses():
    frame = raw({"id": ["1"]})
    with pytest.raises(ValueError, match="column 'role' is missing; columns found: id"):
        TRANSFORMS["keep_rows"](frame, {"column": "role"})
