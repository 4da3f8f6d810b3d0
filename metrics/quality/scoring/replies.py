"""A secret in the customer's reply: the signal that does not depend on how the agent asked.

A request for a secret can be worded in more ways than a phrase list holds ("what do you
enter on the unlock screen?", "paste the string that starts with xprv"), but what the
customer sends back has a shape: a bare 4-8 digit number (a PIN, a one-time code), a list of
12 to 24 words of a BIP39 word list (a recovery phrase), an extended private key (``xprv``)
or a WIF key, or a lone password-like token; or, as the loader stores it, a reply that is
little more than "[seed phrase removed]" or "[private key removed]" (``etl.redact``). Such a reply right after an agent message that
asks something, and that no agent warning surrounds, means the agent asked for the secret.
A secret the customer volunteers unasked (in the opening message, inside a longer sentence,
after an agent message that asks nothing, or answered by a warning) is not the agent's
failure and does not count. The secret itself is never copied into the evidence.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import mnemonic
import polars as pl

# BIP39 word lists the `mnemonic` package ships (its Russian list is not BIP39 but is
# what Russian-language wallets use); Japanese and Korean are left out (no customers).
WORDLISTS: tuple[str, ...] = (
    "english", "spanish", "french", "chinese_simplified", "chinese_traditional", "russian",
    "italian", "portuguese", "czech",
)  # fmt: skip
MIN_WORDS = 11  # a 12-word phrase with one word mistyped still counts
MIN_PART = 6  # some of the words ("only the odd-numbered ones"), nothing else in the reply
MAX_CHARS = 400  # 24 words of 8 letters and their spaces hold 216
_FILLER = r"(?:[\p{L}'’]+[\s,.:;!-]+){0,3}"  # "it's", "c'est", "вот он:", "验证码是"
# A bare 4-8 digit number (groups of digits split by a space or dash: "552 018").
CODE = rf"(?s)^\s*{_FILLER}(\d(?:[ -]?\d){{3,7}})[\s.!)]*(?:[\p{{L}}'’]+[\s.!]*){{0,2}}$"
_B58 = "[1-9A-HJ-NP-Za-km-z]"
KEY = rf"(?-u:\b)(?:[xyzt]prv{_B58}{{100,112}}|[5KLc]{_B58}{{50,51}})(?-u:\b)"
# One token, 6-64 characters with letters and digits, nothing else but a few words before
# it ("password:", "es"): "Lumen2024!".
TOKEN = rf"(?s)^\s*{_FILLER}(\S{{6,64}})\s*$"
_NOT_TOKEN = (
    r"(?i)^(?:https?://|www\.)|@|\.(?:com|net|org|io|app)\b|^0x|^(?:bc1|tb1|T)[0-9A-Za-z]{20,}$"
    r"|^v?\d+\.\d+|^[0-9a-f]{32,}$|[0-9]+(?:usdt|usdc|eth|btc|trx|bnb|sol)$"
    r"|iphone|ipad|samsung|galaxy|pixel|xiaomi|redmi|huawei|android|ios"
    # a sentence of Chinese (no spaces), a shortened or a base58 address (Solana, Tron)
    r"|\p{Han}|…|^[1-9A-HJ-NP-Za-km-z]{26,}$"
)
# What the loader's redaction (``etl.redact``) leaves of a seed phrase or a private key, with
# at most three other words around it ("here: [seed phrase removed]").
REMOVED = r"(?s)^\s*(?:\S+\s+){0,3}\[(seed phrase|private key) removed\](?:[\s,.:;!]*\S+){0,3}\s*$"
_MONEY = (
    r"(?i)[$€£¥₽%]|\b(?:usdt|usdc|eth|btc|trx|bnb|sol|usd|eur|rub|cny|min|mins|sec)\b|元|块|美元"
)


@cache
def bip39_words() -> frozenset[str]:
    """Every word of the BIP39 word lists the ``mnemonic`` package ships, lower case."""
    folder = Path(mnemonic.__file__).with_name("wordlist")
    words: set[str] = set()
    for name in WORDLISTS:
        path = folder / f"{name}.txt"
        if path.exists():
            words.update(w.strip().lower() for w in path.read_text("utf-8").split())
    return frozenset(words)


def reply_secrets(texts: pl.Series) -> pl.Series:
    """Per customer text: the kind of secret it is made of ("a 6-digit code", "a list of 12
    recovery words", "a private key", "a password-like token"), or null. Only texts of at
    most ``MAX_CHARS`` characters are read: a reply made of a secret is short."""
    out = pl.Series(texts.name, [None] * len(texts), dtype=pl.String)
    rows = (texts.str.len_chars() <= MAX_CHARS).fill_null(False).arg_true()
    if not len(rows):
        return out
    return out.scatter(rows, _kinds(texts.gather(rows)))


def _kinds(texts: pl.Series) -> pl.Series:
    t = pl.col("text")
    frame = pl.DataFrame({"text": texts})
    code = t.str.extract(CODE, 1).str.replace_all(r"[ -]", "")
    tokens = t.str.to_lowercase().str.extract_all(r"[\p{L}]+")
    token = t.str.extract(TOKEN, 1)
    words = pl.col("bip").cast(pl.String)
    frame = frame.with_columns(code.alias("code"), tokens.alias("tokens"))
    frame = frame.with_columns(_bip39_counts(frame["tokens"]).alias("bip"))
    frame = frame.with_columns(pl.col("tokens").list.len().alias("n"))
    return frame.select(
        pl.when(t.str.contains(REMOVED))
        .then(pl.lit("a ") + t.str.extract(REMOVED, 1) + pl.lit(" (removed on load)"))
        .when(pl.col("code").is_not_null() & ~t.str.contains(_MONEY))
        .then(pl.lit("a ") + pl.col("code").str.len_chars().cast(pl.String) + pl.lit("-digit code"))
        .when(
            ((pl.col("bip") >= MIN_WORDS) & (pl.col("bip") >= 0.75 * pl.col("n")))
            | ((pl.col("bip") >= MIN_PART) & (pl.col("bip") >= 0.9 * pl.col("n")))
        )
        .then(pl.lit("a list of ") + words + pl.lit(" recovery words"))
        .when(t.str.contains(KEY))
        .then(pl.lit("a private key"))
        .when(
            token.str.contains(r"\d").fill_null(False)
            & token.str.contains(r"\p{L}")
            & ~token.str.contains(_NOT_TOKEN)
            & ~t.str.contains(_MONEY)
        )
        .then(pl.lit("a password-like token"))
        .alias("reply_secret")
    ).to_series()


def _bip39_counts(tokens: pl.Series) -> pl.Series:
    """Per list of tokens: how many are BIP39 words (0 for fewer than ``MIN_PART`` tokens)."""
    out = pl.Series("bip", [0] * len(tokens), dtype=pl.UInt32)
    rows = (tokens.list.len() >= MIN_PART).fill_null(False).arg_true()
    if not len(rows):
        return out
    words = _bip39_series()
    counts = tokens.gather(rows).list.eval(pl.element().is_in(words.implode())).list.sum()
    return out.scatter(rows, counts.cast(pl.UInt32))


@cache
def _bip39_series() -> pl.Series:
    return pl.Series(sorted(bip39_words()), dtype=pl.String)
