"""Seed phrases split over consecutive messages of one sender ("six words, then six").

Per text redaction cannot see such a phrase: each part is too short. Here each conversation's
messages are grouped by sender (``sender_id``, else ``sender_type``) and ordered by
``sent_at`` (then by their order in the file). Each body's list words at its start and end
are counted once per distinct body; consecutive messages whose end and start both hold list
words are chained, and a chain with enough of them in all (`seeds.MIN_WORDS`) is joined with
line breaks and searched as one text. Every part of a phrase found across messages is
replaced by the marker in its own message.

The pass sees the messages it is given: one loaded file at a time, or the whole stored table
when ``python -m etl redact`` scrubs a warehouse (which catches a phrase split between two
files loaded separately).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from etl.redact.seeds import MIN_WORDS, seed_spans
from etl.redact.wordlists import word_index
from etl.redact.words import word_runs

MARKER = "[seed phrase removed]"


@dataclass(frozen=True)
class Edges:
    """List words at a body's start (``lead``) and end (``trail``); ``whole`` when every
    word of the body is a list word in one run (then it can sit inside a chain)."""

    lead: int
    trail: int
    whole: bool


def edges(body: str) -> Edges:
    """How many list words (of any list) start and end ``body``, separators aside."""
    runs = word_runs(body, min_words=1)
    if not runs:
        return Edges(0, 0, False)
    index = word_index()
    first, last = runs[0], runs[-1]
    starts = not body[: first[0].start].strip(" \t\n\r,;:.-—–()#*•·、，；：。\u3000")
    ends = not body[last[-1].end :].strip(" \t\n\r,;:.!?-—–()#*•·、，；：。！？\u3000")
    lead = _count_listed(first, index) if starts else 0
    trail = _count_listed(reversed(last), index) if ends else 0
    whole = len(runs) == 1 and starts and ends and lead == len(first)
    return Edges(lead, trail, whole)


def _count_listed(tokens, index: dict[str, int]) -> int:  # noqa: ANN001 (an iterable of tokens)
    count = 0
    for token in tokens:
        if not index.get(token.form):
            break
        count += 1
    return count


def _chains(rows: list[dict]) -> list[list[dict]]:
    """Runs of consecutive messages of one stream linked by list words, long enough in all."""
    chains: list[list[dict]] = []
    chain: list[dict] = []
    for row in rows:
        e: Edges = row["edges"]
        linked = chain and chain[-1]["stream"] == row["stream"] and e.lead > 0
        if linked and (len(chain) == 1 or chain[-1]["edges"].whole):
            chain.append(row)
            if not e.whole:
                chains.append(chain)
                chain = [row] if e.trail else []
            continue
        if len(chain) > 1:
            chains.append(chain)
        chain = [row] if e.trail else []
    if len(chain) > 1:
        chains.append(chain)
    return [c for c in chains if _listed_words(c) >= MIN_WORDS]


def _listed_words(chain: list[dict]) -> int:
    first, *middle, last = (row["edges"] for row in chain)
    return first.trail + sum(e.lead for e in middle) + last.lead


def _cut_chain(chain: list[dict], bodies: dict[int, str]) -> int:
    """Remove phrases crossing the chain's message boundaries; return how many."""
    texts = [bodies[row["at"]] for row in chain]
    offsets = [0]
    for text in texts[:-1]:
        offsets.append(offsets[-1] + len(text) + 1)
    found = 0
    for start, end in seed_spans("\n".join(texts)):
        parts = [
            (k, max(start, o) - o, min(end, o + len(t)) - o)
            for k, (o, t) in enumerate(zip(offsets, texts, strict=True))
            if start < o + len(t) and end > o
        ]
        if len(parts) < 2:
            continue  # inside one message: per-text redaction already judged it
        found += 1
        for k, a, b in reversed(parts):
            texts[k] = texts[k][:a] + MARKER + texts[k][b:]
    for row, text in zip(chain, texts, strict=True):
        bodies[row["at"]] = text
    return found


def redact_split_phrases(messages: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """``messages`` with phrases split over consecutive messages removed, and their count.

    Needs ``conversation_id``, ``body`` and ``sender_type`` or ``sender_id``; other frames
    come back unchanged.
    """
    sender = [c for c in ("sender_id", "sender_type") if c in messages.columns]
    if not {"conversation_id", "body"} <= set(messages.columns) or not sender:
        return messages, 0
    order = ["conversation_id", "__sender", *(["sent_at"] if "sent_at" in messages.columns else [])]
    frame = (
        messages.select("conversation_id", "body", *order[2:], *sender)
        .with_row_index("at")
        .with_columns(pl.coalesce(sender).alias("__sender"))
        .filter(pl.col("body").is_not_null())
        .sort([*order, "at"], nulls_last=True)
    )
    if frame.height < 2:
        return messages, 0
    distinct = {b: edges(b) for b in frame["body"].unique().to_list()}
    rows = [
        {"at": at, "stream": (conv, who), "edges": distinct[body]}
        for at, conv, who, body in frame.select(
            "at", "conversation_id", "__sender", "body"
        ).iter_rows()
    ]
    chains = _chains(rows)
    if not chains:
        return messages, 0
    bodies = dict(zip(frame["at"].to_list(), frame["body"].to_list(), strict=True))
    found = sum(_cut_chain(chain, bodies) for chain in chains)
    if not found:
        return messages, 0
    body = messages["body"].to_list()
    for at, text in bodies.items():
        body[at] = text
    return messages.with_columns(pl.Series("body", body, dtype=pl.String)), found
