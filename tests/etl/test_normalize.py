"""Normalisation of export cells: text, enum synonyms and overrides, numbers, booleans, lists."""

from __future__ import annotations

import polars as pl
import pytest

from etl.canonical import CHANNELS, EVENT_FIELDS, PRIORITIES, SENDER_TYPES, STATUSES
from etl.normalize import (
    SYNONYMS,
    normalize_enum,
    normalize_text,
    parse_bool,
    parse_float,
    parse_int,
    parse_list,
)


def strings(*values: str | None) -> pl.Series:
    return pl.Series("col", values, dtype=pl.String)


def enum(field: str, *values: str | None, overrides: dict[str, str] | None = None) -> list:
    return normalize_enum(strings(*values), field, overrides or {}).to_list()


def test_normalize_text_strips_blanks_to_null_and_keeps_inner_newlines() -> None:
    assert normalize_text(strings("  hello \n", "line 1\nline 2", "", "   ", None)).to_list() == [
        "hello",
        "line 1\nline 2",
        None,
        None,
        None,
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("New", "new"),
        ("Open", "open"),
        ("in progress", "open"),
        ("Pending", "pending"),
        ("Pending Customer Response", "pending"),  # the Kaggle export
        ("Waiting on Customer", "pending"),
        ("on-hold", "hold"),
        ("On Hold", "hold"),
        ("hold", "hold"),
        ("Solved", "solved"),
        ("resolved", "solved"),
        ("Done", "solved"),
        ("Closed", "closed"),
    ],
)
def test_status_synonyms(raw: str, expected: str) -> None:
    assert enum("status", raw) == [expected]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Low", "low"),
        ("Medium", "normal"),
        ("normal", "normal"),
        ("High", "high"),
        ("Urgent", "urgent"),
        ("Critical", "urgent"),
        ("P1", "urgent"),
        ("p2", "high"),
        ("P3", "normal"),
        ("P4", "low"),
    ],
)
def test_priority_synonyms(raw: str, expected: str) -> None:
    assert enum("priority", raw) == [expected]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Email", "email"),
        ("E-mail", "email"),
        ("mail", "email"),
        ("Chat", "chat"),
        ("Live Chat", "chat"),
        ("messaging", "chat"),
        ("In-App Chat", "chat"),
        ("web", "web"),
        ("Web Form", "web"),
        ("webform", "web"),
        ("form", "web"),
        ("app", "app"),
        ("Mobile App", "app"),
        ("in-app", "app"),
        ("Social media", "social"),  # the Kaggle export
        ("social", "social"),
        ("Twitter", "social"),
        ("facebook", "social"),
        ("X", "social"),
        ("WeChat", "wechat"),
        ("weixin", "wechat"),
        ("微信", "wechat"),
        ("QQ", "qq"),
        ("Phone", "phone"),
        ("voice", "phone"),
        ("call", "phone"),
        ("bot", "bot"),
        ("Chatbot", "bot"),
    ],
)
def test_channel_synonyms(raw: str, expected: str) -> None:
    assert enum("channel", raw) == [expected]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("customer", "customer"),
        ("end-user", "customer"),  # Zendesk's user role
        ("end_user", "customer"),
        ("Requester", "customer"),
        ("user", "customer"),
        ("client", "customer"),
        ("agent", "agent"),
        ("admin", "agent"),
        ("staff", "agent"),
        ("support", "agent"),
        ("human", "agent"),
        ("bot", "bot"),
        ("chatbot", "bot"),
        ("automation", "bot"),
        ("AI", "bot"),
        ("system", "system"),
        ("action", "system"),  # the ABCD transcripts
        ("note", "system"),
    ],
)
def test_sender_type_synonyms(raw: str, expected: str) -> None:
    assert enum("sender_type", raw) == [expected]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("status", "status"),
        ("assignee", "assignee"),
        ("assignee_id", "assignee"),  # Zendesk field history
        ("priority", "priority"),
        ("group", "group"),
        ("group_id", "group"),
    ],
)
def test_event_field_synonyms(raw: str, expected: str) -> None:
    assert enum("field", raw) == [expected]


def test_synonyms_ignore_case_spaces_underscores_and_hyphens() -> None:
    # "ON_HOLD", " on - hold " and "OnHold" all fold to "onhold"
    assert enum("status", "ON_HOLD", " on - hold ", "OnHold") == ["hold", "hold", "hold"]


def test_every_synonym_targets_an_allowed_value_and_no_spellings_collide() -> None:
    allowed = {
        "status": STATUSES,
        "priority": PRIORITIES,
        "channel": CHANNELS,
        "sender_type": SENDER_TYPES,
        "field": EVENT_FIELDS,
    }
    assert set(SYNONYMS) == set(allowed)
    for field, table in SYNONYMS.items():
        assert set(table.values()) <= set(allowed[field]), field
        assert set(allowed[field]) <= set(table.values()), field  # every value has a spelling
        for spelling, value in table.items():
            # each spelling read on its own gives its own value, so no folded key is shared
            assert enum(field, spelling) == [value], (field, spelling)


def test_overrides_match_exactly_then_ignoring_case_and_beat_synonyms() -> None:
    overrides = {"True": "customer", "FALSE": "agent", "bot": "customer"}
    # "True" exact; "true" by case; "False" by case to "FALSE"; "bot" overrides the synonym
    assert enum("sender_type", "True", "true", "False", "bot", overrides=overrides) == [
        "customer",
        "customer",
        "agent",
        "customer",
    ]


def test_an_exact_override_wins_over_a_case_insensitive_one() -> None:
    overrides = {"open": "pending", "OPEN": "closed"}
    assert enum("status", "OPEN", "open", "Open") == ["open", "open", "open"]
    # exact hits first; "Open" matches both ignoring case, and the first listed wins
    assert enum("status", "OPEN", "open", "Open", overrides=overrides) == [
        "closed",
        "pending",
        "pending",
    ]


def test_an_unknown_enum_value_is_lower_cased_for_validation_to_reject() -> None:
    assert enum("status", " Deleted ") == ["deleted"]


def test_a_field_without_synonyms_is_only_stripped_after_overrides() -> None:
    assert enum("category", " Billing inquiry ", "tech", overrides={"tech": "Technical"}) == [
        "Billing inquiry",
        "Technical",
    ]


def test_parse_int_accepts_whole_numbers_written_as_floats_only() -> None:
    values = strings("3", " 3 ", "3.0", "-2", "+4", "3.5", "abc", "nan", "99999999999999999999")
    # 3.5 is not whole; the last overflows Int64, so both are unreadable like "abc"
    assert parse_int(values).to_list() == [3, 3, 3, -2, 4, None, None, None, None]
    assert parse_int(values).dtype == pl.Int64


def test_parse_float_reads_numbers_and_rejects_nan_and_infinity() -> None:
    assert parse_float(strings("0.5", " -1 ", "1e-3", "nan", "inf", "abc")).to_list() == [
        0.5,
        -1.0,
        0.001,
        None,
        None,
        None,
    ]


def test_parse_bool_reads_the_usual_spellings_in_any_case() -> None:
    values = strings("true", "FALSE", "Yes", "no", "1", "0", "T", "f", "maybe")
    assert parse_bool(values).to_list() == [
        True,
        False,
        True,
        False,
        True,
        False,
        True,
        False,
        None,
    ]


def test_parse_list_reads_json_arrays() -> None:
    # items are stripped, empty items dropped, numbers kept as their text, case kept
    assert parse_list(strings('["Billing", " VIP "]', "[]", '["a", ""]', "[1, 2]")).to_list() == [
        ["Billing", "VIP"],
        [],
        ["a"],
        ["1", "2"],
    ]


def test_parse_list_reads_separated_text() -> None:
    assert parse_list(strings("a, b", " a ,, B ", "solo")).to_list() == [
        ["a", "b"],
        ["a", "B"],
        ["solo"],
    ]


def test_parse_list_takes_another_separator() -> None:
    assert parse_list(strings("en|de", "fr"), separator="|").to_list() == [["en", "de"], ["fr"]]


def test_parse_list_falls_back_to_splitting_a_bracketed_list_that_is_not_json() -> None:
    # a Python repr and an unquoted list, in one column with valid JSON
    assert parse_list(strings("['x', 'y']", "[a, b]", '["c"]')).to_list() == [
        ["x", "y"],
        ["a", "b"],
        ["c"],
    ]


@pytest.mark.parametrize(
    ("parse", "dtype"),
    [
        (normalize_text, pl.String),
        (lambda s: normalize_enum(s, "status"), pl.String),
        (lambda s: normalize_enum(s, "language"), pl.String),
        (parse_int, pl.Int64),
        (parse_float, pl.Float64),
        (parse_bool, pl.Boolean),
        (parse_list, pl.List(pl.String)),
    ],
)
def test_nulls_pass_through_and_the_name_and_type_are_kept(parse, dtype) -> None:
    result = parse(strings(None, "", None))
    assert (result.name, result.dtype, result.to_list()) == ("col", dtype, [None, None, None])
