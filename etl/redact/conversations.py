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
from etl.redact.wordlists import normalise, word_index
from etl.redact.words import RUST_WORD, Token, word_runs

MARKER = "[seed phrase removed]"


@dataclass(frozen=True)
class Edges:
    """Words of one list at a body's start (``lead``, lists ``lead_lists``) and end
    (``trail``, ``trail_lists``); ``whole`` when the body is one run of such words (then it
    can sit inside a chain). Lists are bit masks (`etl.redact.wordlists`)."""

    lead: int
    lead_lists: int
    trail: int
    trail_lists: int
    whole: bool


_NONE = Edges(0, 0, 0, 0, False)
_BEFORE = " \t\n\r,;:.-—–()#*•·、，；：。\u3000"
_AFTER = " \t\n\r,;:.!?-—–()#*•·、，；：。！？\u3000"
# The same characters for Rust's regex (\s is wider than the four spaces: a superset).
_RUST_BEFORE = r"[\s,;:.\-—–()#*•·、，；：。]"
_RUST_AFTER = r"[\s,;:.!?\-—–()#*•·、，；：。！？]"


def edges(body: str) -> Edges:
    """How many words that share a list start and end ``body``, separators aside."""
    runs = word_runs(body, min_words=1)
    if not runs:
        return _NONE
    first, last = runs[0], runs[-1]
    starts = not body[: first[0].start].strip(_BEFORE)
    ends = not body[last[-1].end :].strip(_AFTER)
    lead, lead_lists = _shared(_masks(first)) if starts else (0, 0)
    trail, trail_lists = _shared(_masks(last)[::-1]) if ends else (0, 0)
    whole = len(runs) == 1 and lead == len(first) and trail == lead
    return Edges(lead, lead_lists, trail, trail_lists, whole)


def _masks(run: list[Token]) -> list[int]:
    """Each token's lists; none for a Han character glued to a neighbour: glued characters
    count only as a whole checksummed phrase, which a line break between messages splits."""
    index = word_index()
    return [
        0 if t.glued or (i + 1 < len(run) and run[i + 1].glued) else index.get(t.form, 0)
        for i, t in enumerate(run)
    ]


def _shared(masks: list[int]) -> tuple[int, int]:
    """How many tokens in a row are on at least one common list, and those lists."""
    count, lists = 0, -1
    for mask in masks:
        narrowed = lists & mask
        if not narrowed:
            break
        count, lists = count + 1, narrowed
    return count, (lists if count else 0)


def _listed_at_an_end(bodies: pl.Series) -> list[str]:
    """The bodies whose first or last word is on a list (polars picks the words, each distinct
    word is looked up once): only they can start or end a split phrase (`edges`)."""
    ends = pl.DataFrame({"body": bodies}).with_columns(
        first=pl.col("body").str.extract(rf"^{_RUST_BEFORE}*({RUST_WORD})", 1),
        last=pl.col("body").str.extract(rf"({RUST_WORD}){_RUST_AFTER}*$", 1),
    )
    words = pl.concat([ends["first"], ends["last"]]).drop_nulls().unique().to_list()
    index = word_index()
    listed = [w for w in words if index.get(normalise(w))]
    keep = pl.col("first").is_in(listed) | pl.col("last").is_in(listed)
    return ends.filter(keep)["body"].to_list()


def _chains(rows: list[tuple[int, int, tuple, Edges]]) -> list[list[int]]:
    """Runs of consecutive messages (``pos`` following on) of one stream linked by words of
    one list, with enough of them in all (`seeds.MIN_WORDS`); each chain is row indexes."""
    chains: list[list[int]] = []
    chain: list[int] = []
    lists = count = 0
    last = (None, -2)
    for k, (_, pos, key, e) in enumerate(rows):
        common = lists & e.lead_lists if chain and last == (key, pos - 1) else 0
        last = (key, pos)
        if common:
            chain.append(k)
            lists, count = common, count + e.lead
            if e.whole:
                continue
        if len(chain) > 1 and count >= MIN_WORDS:
            chains.append(chain)
        chain = [k] if e.trail else []
        lists, count = e.trail_lists, e.trail
    if len(chain) > 1 and count >= MIN_WORDS:
        chains.append(chain)
    return chains


def _linked(frame: pl.DataFrame, found: dict[str, Edges]) -> pl.DataFrame:
    """The messages that share a list with the end of the one before or the start of the one
    after in their stream (at, pos, conversation_id, sender, body): only they can chain."""
    if not found:
        return frame.clear().select("at", "pos", "conversation_id", "sender", "body")
    ends = pl.DataFrame(
        [(b, e.lead_lists, e.trail_lists) for b, e in found.items()],
        schema={"body": pl.String, "lead_lists": pl.Int64, "trail_lists": pl.Int64},
        orient="row",
    )
    stream = [pl.col("conversation_id"), pl.col("sender")]
    linked_back = (
        (pl.col("trail_lists").shift(1).over(stream) & pl.col("lead_lists")) != 0
    ).fill_null(False)
    return (
        frame.join(ends, on="body", how="left")
        .sort("pos")
        .with_columns(pl.col("lead_lists", "trail_lists").fill_null(0))
        .with_columns(linked_back.alias("back"))
        .filter(pl.col("back") | pl.col("back").shift(-1).fill_null(False))
        .select("at", "pos", "conversation_id", "sender", "body")
    )


def _cut_chain(texts: list[str]) -> tuple[list[str], int]:
    """``texts`` with phrases crossing their boundaries removed, and how many."""
    texts = list(texts)
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
    return texts, found


def redact_split_phrases(messages: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """``messages`` with phrases split over consecutive messages removed, and their count.

    Needs ``conversation_id``, ``body`` and ``sender_type`` or ``sender_id``; other frames
    come back unchanged.
    """
    sender = [c for c in ("sender_id", "sender_type") if c in messages.columns]
    if not {"conversation_id", "body"} <= set(messages.columns) or not sender:
        return messages, 0
    timed = ["sent_at"] if "sent_at" in messages.columns else []
    frame = (
        messages.select(
            "conversation_id",
            "body",
            *timed,
            pl.coalesce([pl.col(c).cast(pl.String) for c in sender]).alias("sender"),
        )
        .with_row_index("at")
        .filter(pl.col("body").is_not_null())
        .sort(["conversation_id", "sender", *timed, "at"], nulls_last=True)
        .with_row_index("pos")
    )
    found_edges = {b: edges(b) for b in _listed_at_an_end(frame["body"].unique())}
    rows = [
        (at, pos, (conversation, who), found_edges[body])
        for at, pos, conversation, who, body in _linked(frame, found_edges).iter_rows()
    ]
    body = messages["body"].to_list()
    found = 0
    for chain in _chains(rows):
        ats = [rows[k][0] for k in chain]
        cleaned, hits = _cut_chain([body[at] for at in ats])
        found += hits
        for at, text in zip(ats, cleaned, strict=True):
            body[at] = text
    if not found:
        return messages, 0
    return messages.with_columns(pl.Series("body", body, dtype=pl.String)), found
