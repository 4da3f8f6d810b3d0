"""Transforms that turn chat and comment exports into one row per message with a sender role.

Each output row keeps the ``__row`` of the record it came from. The role
columns hold canonical sender types (customer/agent/system); the mapping then
names them as ``sender_type``.
"""

from __future__ import annotations

import json
from typing import Any

import polars as pl

from etl.readers import ROW
from etl.transforms.common import (
    companion_file,
    content_hash,
    list_option,
    require,
    text_option,
    turn_id,
)

_AGENT_ROLES = ("agent", "admin")
_FALSE = ("false", "0", "no", "f", "n")


def chat_first_sender(frame: pl.DataFrame, options: dict[str, Any]) -> pl.DataFrame:
    """Chat rows with no role column: the sender of a conversation's first turn is the customer.

    Adds ``conversation_id`` (the ``conversation`` columns joined by "/"),
    ``turn`` (1-based, in file order), ``message_id`` (conversation/turn, so ids
    sort in turn order) and ``sender_role``: customer for the opener's sender,
    agent for everyone else. File order is the turn order: a transcript's times
    may disagree with it (the Ubuntu corpus opens 36 dialogues with a question
    stamped after its answer), and the recorded times are kept, never reordered.
    """
    parts = list_option(options, "conversation", ["conversation_id"])
    sender = text_option(options, "sender", "sender")
    require(frame, *parts, sender)
    conversation = pl.concat_str([pl.col(p).fill_null("") for p in parts], separator="/")
    out = frame.sort(ROW).with_columns(conversation.alias("conversation_id"))
    out = out.with_columns(pl.int_range(1, pl.len() + 1).over("conversation_id").alias("turn"))
    opener = pl.col(sender).first().over("conversation_id")
    role = (
        pl.when(pl.col(sender).is_null() | opener.is_null())
        .then(None)
        .when(pl.col(sender) == opener)
        .then(pl.lit("customer"))
        .otherwise(pl.lit("agent"))
    )
    return out.with_columns(
        turn_id(pl.col("conversation_id"), pl.col("turn")).alias("message_id"),
        role.alias("sender_role"),
    )


def json_turns(frame: pl.DataFrame, options: dict[str, Any]) -> pl.DataFrame:
    """One row per turn of a JSON transcript cell: ``[[speaker, text], ...]`` (ABCD's ``original``).

    Adds ``conversation_id``, ``turn`` (1-based), ``message_id``
    (conversation/turn), ``speaker`` and ``text``. A cell that is not such a
    list yields one row with no turn, which validation quarantines.
    """
    conversation = text_option(options, "conversation", "conversation_id")
    turns = text_option(options, "turns", "turns")
    require(frame, conversation, turns)
    pairs = pl.Series("__turns", [_pairs(cell) for cell in frame[turns]])
    pairs = pairs.cast(pl.List(pl.List(pl.String)))
    out = frame.with_columns(pairs, pl.col(conversation).alias("conversation_id"))
    out = out.with_columns(
        pl.when(pl.col("__turns").list.len() > 0)
        .then(pl.int_ranges(1, pl.col("__turns").list.len() + 1))
        .alias("turn")
    )
    out = out.explode("__turns", "turn")
    return out.with_columns(
        pl.col("__turns").list.get(0, null_on_oob=True).alias("speaker"),
        pl.col("__turns").list.get(1, null_on_oob=True).alias("text"),
        turn_id(pl.col("conversation_id"), pl.col("turn")).alias("message_id"),
    ).drop("__turns")


def _pairs(cell: str | None) -> list[list[str | None]] | None:
    """The [speaker, text] pairs of one cell, or None when it is not a non-empty list of them."""
    try:
        value = json.loads(cell) if cell else None
    except json.JSONDecodeError:
        return None
    if not isinstance(value, list) or not value:
        return None
    pairs = []
    for item in value:
        if not (isinstance(item, list) and len(item) == 2):
            return None
        pairs.append([None if v is None else str(v) for v in item])
    return pairs


def question_answer(frame: pl.DataFrame, options: dict[str, Any]) -> pl.DataFrame:
    """A ticket's question and answer cells as two messages: customer, then agent.

    ``conversation_id`` is the content id of the ``id_from`` columns (the same
    id the ticket mapping gives the ticket); ``message_id`` is conversation/1
    and conversation/2. A record with no answer yields only the question.
    """
    question = text_option(options, "question", "body")
    answer = text_option(options, "answer", "answer")
    id_from = list_option(options, "id_from")
    require(frame, question, answer)
    base = frame.with_columns(
        content_hash(frame, id_from, int(options.get("id_length", 16))).alias("conversation_id")
    )
    asked = base.with_columns(
        pl.lit(1).alias("turn"),
        pl.lit("customer").alias("sender_role"),
        pl.col(question).alias("text"),
    )
    answered = base.filter(pl.col(answer).is_not_null()).with_columns(
        pl.lit(2).alias("turn"), pl.lit("agent").alias("sender_role"), pl.col(answer).alias("text")
    )
    out = pl.concat([asked, answered]).sort(ROW, "turn")
    return out.with_columns(turn_id(pl.col("conversation_id"), pl.col("turn")).alias("message_id"))


def zendesk_comments(frame: pl.DataFrame, options: dict[str, Any]) -> pl.DataFrame:
    """Zendesk ticket comments with ``sender_role`` taken from the users table's ``role``.

    Authors with role agent/admin are agents, end-users are customers; an
    author missing from the users file gets ``unknown_users`` (a reply is only
    counted as an agent's when the users file says so). Private comments
    (``public`` false) are internal notes: ``internal_notes = "system"`` keeps
    them as system messages (never a reply, never customer sentiment), "skip"
    drops them.
    """
    user = text_option(options, "user_column", "user_id")
    public = text_option(options, "public_column", "public")
    notes = text_option(options, "internal_notes", "system")
    unknown = text_option(options, "unknown_users", "customer")
    if notes not in ("system", "skip"):
        raise ValueError(f"transform option 'internal_notes' must be system or skip, got {notes!r}")
    require(frame, user, public)
    roles = _user_roles(companion_file(options, "users_file"))
    key = pl.col(user).str.strip_chars()
    out = frame.join(roles, left_on=key, right_on="__user", how="left", maintain_order="left")
    private = pl.col(public).str.strip_chars().str.to_lowercase().is_in(_FALSE)
    if notes == "skip":
        out = out.filter(~private.fill_null(False))
    role = pl.when(private).then(pl.lit("system")).otherwise(pl.col("__role").fill_null(unknown))
    return out.with_columns(role.alias("sender_role")).drop("__role")


def _user_roles(users: pl.DataFrame) -> pl.DataFrame:
    """``__user`` -> ``__role`` (agent or customer) from a Zendesk users export."""
    require(users, "id", "role")
    role = pl.col("role").str.strip_chars().str.to_lowercase()
    return users.select(
        pl.col("id").str.strip_chars().alias("__user"),
        pl.when(role.is_in(_AGENT_ROLES))
        .then(pl.lit("agent"))
        .when(role == "end-user")
        .then(pl.lit("customer"))
        .alias("__role"),
    ).unique("__user", keep="first", maintain_order=True)
