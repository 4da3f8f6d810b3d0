"""Seed phrases pasted into text, in any list of `etl.redact.wordlists`: where they are.

Per run of words (`etl.redact.words`) and per list with enough words in it, a *segment* is a
stretch of the list's words; up to `MAX_TYPOS` other words may sit inside it as typos when
they are one edit from a list word, or set apart by numbering or line breaks (``nieter`` for
``neither`` in a numbered list). A segment is a seed phrase when

* a 12/15/18/21/24-word window of it (25 or 13 for Monero, 20 or 33 for SLIP-39) has a valid
  checksum (`etl.redact.checksums`), as typed or with one typo corrected to a near list
  word; or
* it holds at least `MIN_WORDS` list words (11: a phrase with one word missing) and does not
  read like prose (`etl.redact.prose`: no heavy repetition, not too many everyday English
  words for the list).

Lists of single Han characters (Chinese) differ: characters written one by one (separated
by spaces, commas, numbering) follow the rules above; characters glued together, as Chinese
is written, count only with a valid checksum, standing alone (after a space, colon, quote or
bracket, before a space or punctuation) or right
after a word naming the phrase (助记词 ...), and not made of common characters
(`etl.redact.prose.han_prose_like`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.redact import checksums
from etl.redact.prose import EVERYDAY, han_prose_like, prose_like, repetitive
from etl.redact.wordlists import WordList, forms, near_forms, word_index, word_lists
from etl.redact.words import Token, word_runs

MIN_WORDS = 11
MAX_TYPOS = 2
_NUMBER_PREFIX = re.compile(r"(?<!\d)[(#]?\d{1,2}[.):\-]?[ \t]*$")
# Words naming the phrase, and what may stand before a glued phrase (shared with the
# polars prefilter, so both engines read them alike).
ZH_CUES = "助记词|助記詞|种子词|種子詞|恢复词|恢復詞|密语|密語|私钥|私鑰"
ZH_BEFORE = r"[\s:：\"'“「(（]"
_ZH_CUE = re.compile(rf"(?:{ZH_CUES})[是为為：:\s]*$")
_ZH_BOUNDARY_BEFORE = re.compile(rf"(?:^|{ZH_BEFORE})$")
_ZH_BOUNDARY_AFTER = re.compile(r"$|[\s,.;:!?。！？\"'”」)）]")


@dataclass
class Segment:
    """Consecutive tokens of one run taken for one list; ``typos`` are not on the list."""

    tokens: list[Token]
    typos: set[int]

    @property
    def members(self) -> int:
        """How many of the tokens are list words."""
        return len(self.tokens) - len(self.typos)


def seed_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every seed phrase in ``text``, merged, in text order."""
    index = word_index()
    found: list[tuple[int, int]] = []
    for run in word_runs(text, MIN_WORDS):
        masks = [index.get(t.form, 0) for t in run]
        present = 0
        for mask in masks:
            present |= mask
        for wl in word_lists():
            if present & wl.bit and sum(1 for m in masks if m & wl.bit) >= MIN_WORDS:
                found += _list_spans(text, run, masks, wl)
    return _merged(found)


def _list_spans(
    text: str, run: list[Token], masks: list[int], wl: WordList
) -> list[tuple[int, int]]:
    segments = [s for s in _segments(run, masks, wl, separated=wl.glued) if _is_seed(s, wl)]
    spans = [_span(text, _trimmed(s, wl)) for s in segments]
    return spans + (_glued_spans(text, run, masks, wl) if wl.glued else [])


def _segments(
    run: list[Token], masks: list[int], wl: WordList, separated: bool = False
) -> list[Segment]:
    """Stretches of list words with at most MAX_TYPOS typos between them (see module doc).

    ``separated``: for Han lists, only characters set apart from both neighbours count.
    """
    segments: list[Segment] = []
    current = Segment([], set())
    for i, token in enumerate(run):
        alone = not token.glued and (i + 1 == len(run) or not run[i + 1].glued)
        member = bool(masks[i] & wl.bit) and (alone or not separated)
        if member:
            current.tokens.append(token)
            continue
        if current.tokens and len(current.typos) < MAX_TYPOS and _typo(token, run, i, wl):
            current.typos.add(len(current.tokens))
            current.tokens.append(token)
            continue
        segments.append(current)
        current = Segment([], set())
    segments.append(current)
    for segment in segments:
        while segment.tokens and len(segment.tokens) - 1 in segment.typos:
            segment.typos.discard(len(segment.tokens) - 1)
            segment.tokens.pop()
    return [s for s in segments if s.members >= MIN_WORDS]


def _typo(token: Token, run: list[Token], i: int, wl: WordList) -> bool:
    if wl.glued:
        return token.gap not in ("", None) and len(token.form) == 1
    listed = token.listed_gap and (i + 1 == len(run) or run[i + 1].listed_gap)
    return listed or bool(near_forms(token.form, wl.bit))


def _is_seed(segment: Segment, wl: WordList) -> bool:
    words = [t.form for t in segment.tokens]
    if repetitive(words):  # prose ("thank you. thank you.") unless it is one checksummed phrase
        window = None if wl.glued else _valid_window(segment, wl)
        return window == (0, len(words))
    if segment.members >= MIN_WORDS and not _prose(segment, wl, words):
        return True
    return _valid_window(segment, wl) is not None


def _prose(segment: Segment, wl: WordList, words: list[str]) -> bool:
    """Chinese characters set apart one by one are prose when too common for any Chinese list
    (spaced-out Chinese sentences exist: 请 问 怎 么 ...; Monero's list is made of commoner
    characters than BIP39's, so its own bar alone is low); other lists by `prose_like`."""
    if wl.glued:
        chars = [w for i, w in enumerate(words) if i not in segment.typos]
        return any(han_prose_like(other, chars) for other in word_lists() if other.glued)
    return prose_like(wl, words)


def _valid_window(segment: Segment, wl: WordList) -> tuple[int, int] | None:
    """(start, end) of the longest window with a valid checksum (one typo corrected)."""
    tokens = segment.tokens
    for size in sorted(checksums.lengths(wl), reverse=True):
        for start in range(len(tokens) - size + 1):
            typos = [i - start for i in segment.typos if start <= i < start + size]
            if len(typos) <= 1 and _checks(
                wl, [t.form for t in tokens[start : start + size]], typos
            ):
                return start, start + size
    return None


def _checks(wl: WordList, window: list[str], typos: list[int]) -> bool:
    spelled = forms(wl.bit)
    choices = [list(spelled.get(f, ())) for f in window]
    for at in typos:
        choices[at] = [w for near in near_forms(window[at], wl.bit) for w in spelled[near]]
    if any(not c for c in choices) or sum(len(c) - 1 for c in choices) > 6:
        return False
    return any(_checks_one(wl, choices, at) for at in typos or [None])


def _checks_one(wl: WordList, choices: list[list[str]], at: int | None) -> bool:
    base = [c[0] for c in choices]
    if at is None:
        return checksums.is_valid(wl, base)
    return any(checksums.is_valid(wl, base[:at] + [w] + base[at + 1 :]) for w in choices[at])


def _trimmed(segment: Segment, wl: WordList) -> list[Token]:
    """The segment without everyday English words at its ends when a checksummed window is
    inside it ("please help" around a phrase stays readable)."""
    tokens = segment.tokens
    if tokens[0].form not in EVERYDAY and tokens[-1].form not in EVERYDAY:
        return tokens
    window = _valid_window(segment, wl)
    if window is None:
        return tokens
    start, end = window
    if all(t.form in EVERYDAY for t in tokens[:start] + tokens[end:]):
        return tokens[start:end]
    return tokens


def _glued_spans(
    text: str, run: list[Token], masks: list[int], wl: WordList
) -> list[tuple[int, int]]:
    """Han characters glued together: a checksummed window standing alone or after a cue."""
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(run):
        if not masks[i] & wl.bit:
            i += 1
            continue
        j = i + 1
        while j < len(run) and run[j].glued and masks[j] & wl.bit:
            j += 1
        if j - i >= min(checksums.lengths(wl)):
            window = _glued_window(text, run[i:j], wl)
            if window:
                spans.append(window)
        i = j
    return spans


def _glued_window(text: str, stretch: list[Token], wl: WordList) -> tuple[int, int] | None:
    """The longest checksummed window that starts the stretch (standing alone, then ending
    it too) or follows a cue word naming the phrase (then it may run on into the text)."""
    for k, first in enumerate(stretch):
        cue = _ZH_CUE.search(text, max(0, first.start - 8), first.start) is not None
        if not cue and (k > 0 or not _ZH_BOUNDARY_BEFORE.search(text, 0, first.start)):
            continue
        for size in sorted(checksums.lengths(wl), reverse=True):
            window = stretch[k : k + size]
            if len(window) < size or (not cue and k + size < len(stretch)):
                continue
            if not cue and not _ZH_BOUNDARY_AFTER.match(text, window[-1].end):
                continue
            chars = [t.form for t in window]
            if not han_prose_like(wl, chars) and checksums.is_valid(wl, chars):
                return window[0].start, window[-1].end
    return None


def _span(text: str, tokens: list[Token]) -> tuple[int, int]:
    """From the first to the last token, with a number written before the first (``1.``)."""
    start = tokens[0].start
    prefix = _NUMBER_PREFIX.search(text, max(0, start - 8), start)
    return (prefix.start() if prefix else start), tokens[-1].end


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
