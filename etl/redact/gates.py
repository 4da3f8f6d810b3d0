"""Which steps of `etl.redact.redact_text` a text can need, decided for a whole column at once.

Python's regular expressions cost about 0.2 µs per character and step, and redact_text has
nine steps; polars (Rust) tests a million texts against a pattern in milliseconds. Each gate
below is a Rust-regex superset of what its steps can match, so a text that fails a gate
would come through those steps unchanged, and the steps are skipped for it.

Skipping is exact, not approximate, because a step only ever replaces what it matched with
a marker or a shortened address: markers hold no digit, no ``@``, no Han character and no
run of 26 letters, and they separate rather than join their neighbours, so a later step's
gate cannot start to hold after an earlier step ran. The markers' words ("private key
removed") sit inside brackets, which end a run of words (`etl.redact.words`), so they cannot
lengthen a run of seed-phrase words either. `etl.redact.prefilter` narrows the seed gate
further, by counting list words in polars.
"""

from __future__ import annotations

import polars as pl

from etl.redact.words import MAX_GAP
from etl.redact.words import SEPARATOR_CLASS as _SEP

KEYS = "keys"  # hex and base58 keys, the other key layouts, wallet addresses
SEED = "seed"
EMAIL = "email"
PHONE = "phone"
ALL_STEPS = frozenset({KEYS, SEED, EMAIL, PHONE})

# The alternatives of CANDIDATE that the key and address steps need. The last two cover the
# shortest matches of _BECH32 (bc1 + 11) and _B58_SECRET (xprv + 20), shorter than 26.
_KEY_PARTS = (
    r"[0-9A-Za-z]{26,}",
    r"(?:\d{1,3}\s*,\s*){63}\d",
    r"[0-9A-Za-z+/]{43}=",
    r"(?:[0-9A-Fa-f]{2}:\s*){31}[0-9A-Fa-f]{2}",
    r"[0-9A-Fa-f]{4,32}\s+[0-9A-Fa-f]{4,32}",
)
_KEY_SHORT = (r"(?i:bc1|tb1)[0-9A-Za-z]{11}", r"[xyztuvYZUV]prv[0-9A-Za-z]{20}")
_NON_HAN = r"[\p{L}\p{M}--\p{Han}]"
_GATES = {
    KEYS: "|".join(_KEY_PARTS + _KEY_SHORT),
    # words.word_runs with 11 words: a word is a Han character or a run of other letters
    # (marks included); words of other letters need a separator between them. Counting a
    # letter run glued to a Han character as one word undercounts only words that cannot
    # both be list words of one seed phrase (see etl.redact.words).
    SEED: rf"(?:{_NON_HAN}+{_SEP}{{1,{MAX_GAP}}}|{_NON_HAN}*\p{{Han}}{_SEP}{{0,{MAX_GAP}}}){{10}}"
    r"[\p{L}\p{M}]",
    EMAIL: "@",
    # A phone is 9-15 digits from first to last joined by spaces, dots, dashes or brackets.
    PHONE: r"\d[\d\s().\-]{7,}\d",
}
# What any step can change; a text matching none of it skips Python entirely.
CANDIDATE = "|".join([_GATES[EMAIL], _GATES[PHONE], _GATES[SEED], _GATES[KEYS]])


def gate_columns(text: str) -> list[pl.Expr]:
    """One boolean column per step (named after it): whether column ``text`` can need it."""
    return [pl.col(text).str.contains(pattern).alias(step) for step, pattern in _GATES.items()]


def steps_for(gates: dict[str, bool]) -> frozenset[str]:
    """The steps to run for a text whose gates are ``gates``."""
    return frozenset(step for step, needed in gates.items() if needed)


def seed_gate() -> str:
    """The Rust regex every text holding a seed phrase matches (11 words in one run)."""
    return _GATES[SEED]
