"""Split a text into runs of words that could be one pasted seed phrase.

A word is a run of letters (Latin, Cyrillic, Hangul, kana ...) or one Han character (the
Chinese lists hold single characters, often written without spaces). Consecutive words
belong to one run while the gap between them looks like a phrase's separator: spaces
(also U+3000), commas, dashes, line breaks, numbering (``1.``, ``(2)``, ``#3``) and the
like, at most `MAX_GAP` characters. Any other character (``?``, ``@``, a quote mark, an
emoji) ends the run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.redact.wordlists import normalise

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
MARKS = "\u0300-\u036f\u3099\u309a"  # combining accents, kana voicing marks
_HAN, _MARKS = HAN, MARKS
_LETTER = rf"[^\W\d_{_HAN}]"
_WORD = re.compile(rf"[{_HAN}]|{_LETTER}(?:{_LETTER}|[{_MARKS}])*")
# The same words for Rust's regex (polars): letters are \p{L} there, a subset of Python's
# [^\W\d_] that differs only by numeric signs (², Ⅷ) no list word holds.
RUST_LETTER = rf"[\p{{L}}--[{_HAN}]]"
RUST_WORD = rf"[{_HAN}]|{RUST_LETTER}(?:{RUST_LETTER}|[{_MARKS}])*"
# A character class read the same by Python's re and Rust's regex (`etl.redact.gates`).
SEPARATOR_CLASS = r"[\s\d,;:.()#*•·|/\\\-–—_、，；：．。（）【】'\"«»“”‘’]"
MAX_GAP = 14
_SEPARATOR = re.compile(f"{SEPARATOR_CLASS}*")


@dataclass(frozen=True)
class Token:
    """One word: where it is, its normal form, and the gap before it (None at a run start)."""

    start: int
    end: int
    form: str
    gap: str | None

    @property
    def glued(self) -> bool:
        """True when nothing separates this word from the one before it (Han characters)."""
        return self.gap == ""

    @property
    def listed_gap(self) -> bool:
        """True when the gap before this word marks a list: a number, line break, comma, dash,
        full-width space or tab (plain prose has only single spaces)."""
        gap = self.gap or ""
        return gap != "" and (gap.strip(" ") != "" or len(gap) > 1)


def word_runs(text: str, min_words: int = 11) -> list[list[Token]]:
    """Runs of at least ``min_words`` words, in text order."""
    runs: list[list[Token]] = []
    run: list[Token] = []
    last_end = None
    for m in _WORD.finditer(text):
        gap = None if last_end is None else text[last_end : m.start()]
        if gap is not None and (len(gap) > MAX_GAP or not _SEPARATOR.fullmatch(gap)):
            if len(run) >= min_words:
                runs.append(run)
            run, gap = [], None
        run.append(Token(m.start(), m.end(), normalise(m.group()), gap))
        last_end = m.end()
    if len(run) >= min_words:
        runs.append(run)
    return runs


def word_tokens(text: str) -> list[str]:
    """The normal forms of every word of ``text``, in order."""
    return [normalise(m.group()) for m in _WORD.finditer(text)]
