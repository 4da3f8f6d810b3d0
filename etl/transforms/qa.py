"""Zendesk QA (formerly Klaus) review exports as one row per rating (load kind qa_reviews).

The Export API (``GET /qa/api/export/reviews``, documented at
https://developer.zendesk.com/api-reference/qa/export/) returns pages of
``{"conversations": [...], "pagination": {...}}``; each conversation has ``externalId``
(the helpdesk's ticket or conversation id) and ``reviews``, each review a ``reviewer`` and
``reviewee`` (``email``, ``name``), ``createdISO``/``updatedISO``, a ``comment`` and
``ratings`` (``categoryName``, ``score``, ``weight``, ``critical`` ...). Saved as the API
returns them, one page per line (NDJSON), or as the ``conversations`` array alone.
"""

from __future__ import annotations

import json
from typing import Any

import polars as pl

from etl.readers import ROW

_OUT = (
    "conversation_id", "reviewer", "reviewee", "reviewed_at", "category", "score", "comment",
    "review_id",
)  # fmt: skip


def _number(value: Any) -> float | None:
    try:
        return None if value is None or value == "" else float(value)
    except (TypeError, ValueError):
        return None


def _person(value: Any) -> str | None:
    if isinstance(value, dict):
        return value.get("email") or value.get("name") or None
    return str(value) if value else None


def _scaled(score: Any, low: float, high: float) -> str | None:
    """The rating as a share of its scale; None (not applicable) for a missing score."""
    value = _number(score)
    if value is None:
        return None if score in (None, "") else str(score)  # kept: validation names it
    return f"{(value - low) / (high - low):.6g}"


def _rows(conversation: Any, row: int, low: float, high: float) -> list[dict[str, Any]]:
    if not isinstance(conversation, dict):
        return [{ROW: row}]
    out = []
    for review in conversation.get("reviews") or []:
        if not isinstance(review, dict):
            continue
        base = {
            ROW: row,
            "conversation_id": conversation.get("externalId"),
            "reviewer": _person(review.get("reviewer")),
            "reviewee": _person(review.get("reviewee")),
            "reviewed_at": review.get("updatedISO") or review.get("createdISO")
            or review.get("updated") or review.get("created"),
            "comment": review.get("comment") or None,
            "review_id": None if review.get("id") is None else str(review.get("id")),
        }  # fmt: skip
        for rating in review.get("ratings") or []:
            if isinstance(rating, dict):
                out.append(base | {"category": rating.get("categoryName"),
                                   "score": _scaled(rating.get("score"), low, high)})  # fmt: skip
    return out


def _conversations(frame: pl.DataFrame) -> list[tuple[int, Any]]:
    """(row, conversation object) for every conversation, from pages or from conversations."""
    items: list[tuple[int, Any]] = []
    if "conversations" in frame.columns:
        for row, cell in zip(frame[ROW], frame["conversations"], strict=True):
            value = json.loads(cell) if cell else None
            items += [(row, c) for c in value] if isinstance(value, list) else [(row, None)]
        return items
    if "externalId" not in frame.columns:
        raise ValueError("neither 'conversations' (an API page) nor 'externalId' is a column")
    for record in frame.iter_rows(named=True):
        reviews = record.get("reviews")
        items.append((record[ROW], record | {"reviews": json.loads(reviews) if reviews else []}))
    return items


def zendesk_qa_reviews(frame: pl.DataFrame, options: dict[str, Any]) -> pl.DataFrame:
    """One row per rating: conversation_id, reviewer, reviewee, reviewed_at, category,
    score ((score - score_min) / (score_max - score_min), options default 0 and 100),
    comment and review_id. A conversation without a review holds no rating and yields no
    row; an item that is not a conversation object yields one empty row, which validation
    quarantines (nothing read is lost)."""
    low = float(options.get("score_min", 0))
    high = float(options.get("score_max", 100))
    if high <= low:
        raise ValueError(f"score_max ({high}) must be above score_min ({low})")
    rows = [r for row, conv in _conversations(frame) for r in _rows(conv, row, low, high)]
    schema = {ROW: pl.Int64, **{name: pl.String for name in _OUT}}
    return pl.DataFrame(rows, schema=schema).with_columns(
        pl.col(name).cast(pl.String) for name in _OUT
    )
