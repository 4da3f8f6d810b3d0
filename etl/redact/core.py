"""Remove secrets and personal data from free text before it is stored.

Seed phrases, private keys, e-mail addresses and phone numbers are replaced by
a marker; wallet addresses are kept but shortened to ``0x12ab…9f3c`` /
``bc1q…f3kx``. When a string could be a key or harmless, it is treated as a key:
a leaked key costs a customer their funds, an over-redacted message costs nothing.

Seed phrases (every BIP39 list of ``mnemonic``, SLIP-39 shares, Monero and old Electrum seeds)
are found by ``etl.redact.seeds``.

64-hex strings (with or without 0x) and 88-character base58 strings are keys
unless one of "tx", "txid", "hash", "transaction", "signature" (or 交易, 哈希,
транзакция, хеш) comes at most two words before them. The same holds for keys in other
layouts (a Solana keypair byte array, base64, colon-separated or grouped hex), found by
``etl.redact.layouts``.

Phone numbers: an international number, a number with an area code in brackets, groups of
digits with one separator, a trunk prefix (0, or 8/1 on its own: ``8-912-345-67-89``) followed by
groups with mixed separators (``0755-2345 6789``, ``07700 900123``), or 9-15 digits in a row;
with 9-15 digits in all, and not an amount, IP address, list of years or an id named as one
(``order 123456789``, ``UID is 987654321``, ``commande n° 987654321``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

import polars as pl

from etl.redact.gates import (
    ALL_STEPS,
    CANDIDATE,
    EMAIL,
    KEYS,
    PHONE,
    SEED,
    gate_columns,
    steps_for,
)
from etl.redact.layouts import key_spans
from etl.redact.prefilter import best_list_counts
from etl.redact.seeds import MIN_WORDS, seed_spans

REDACTION_KINDS = ("seed_phrase", "private_key", "email", "phone", "wallet_address")
MARKERS = {
    "seed_phrase": "[seed phrase removed]",
    "private_key": "[private key removed]",
    "email": "[email removed]",
    "phone": "[phone removed]",
}

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_CLASS = "[1-9A-HJ-NP-Za-km-z]"
_NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
_NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"


_TX_CONTEXT = re.compile(
    r"(?i)(?:(?<![a-z])(?:tx|txid|txn|txhash|hash|transaction|transacci[oó]n|signature|sig)"
    r"|交易|哈希|транзакци\w*|хеш|хэш)\W{0,3}(?:\w{1,12}\W{1,3}){0,2}$"
)
_HEX_KEY = re.compile(rf"{_NOT_ALNUM_BEFORE}(?:0[xX])?[0-9a-fA-F]{{64}}{_NOT_ALNUM_AFTER}")
_B58_SECRET = re.compile(
    rf"{_NOT_ALNUM_BEFORE}(?:5[HJK]{_B58_CLASS}{{49}}|[KL]{_B58_CLASS}{{51}}"
    rf"|[xyztuvYZUV]prv{_B58_CLASS}{{20,}}|{_B58_CLASS}{{86,88}}){_NOT_ALNUM_AFTER}"
)
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])"
)
_ETH = re.compile(rf"{_NOT_ALNUM_BEFORE}0x[0-9a-fA-F]{{40}}{_NOT_ALNUM_AFTER}")
_BECH32 = re.compile(
    rf"{_NOT_ALNUM_BEFORE}(?i:bc1|tb1)[02-9ac-hj-np-zAC-HJ-NP-Z]{{11,71}}{_NOT_ALNUM_AFTER}"
)
_B58_ADDRESS = re.compile(rf"{_NOT_ALNUM_BEFORE}{_B58_CLASS}{{26,44}}{_NOT_ALNUM_AFTER}")
_URL = re.compile(r"(?i)(?:https?://|www\.)[^\s<>\"'，。]+")
_PHONE = re.compile(
    r"(?<![0-9A-Za-z+$€¥£₽#/=.,-])(?<!\d[ .\-])(?:"
    r"\+\d{1,3}(?:[ .\-]?(?:\(\d{1,4}\)|\d{1,5})){1,6}"
    r"|(?:\d{1,2} ?)?\(\d{2,4}\)[ .\-]?\d{2,4}(?:[ .\-]?\d{2,4}){1,3}"
    r"|\d{2,4}(?P<sep>[ .\-])\d{2,4}(?:(?P=sep)\d{2,4}){1,4}"
    r"|[18](?P<trunk_sep>[ .\-])\d{3}(?:(?P=trunk_sep)\d{2,4}){2,4}"
    r"|0\d{2,4}[ .\-]\d{3,8}(?:[ .\-]\d{3,4})?"
    r"|\d{9,15})"
    r"(?![0-9A-Za-z]|[.,:/]\d)"
)
_ID_CONTEXT = re.compile(
    r"(?i)(?:order|uid|id|ticket|case|ref|reference|invoice|block|height|pedido|commande"
    r"|заказ\w*|订单号?|单号|工单号?|编号)\W{0,3}"
    r"(?:(?:is|was|number|no|nr|num|n|es|est|номер)\W{0,3})?$"
)
_UNIT_AFTER = re.compile(
    r"(?i)\s?(?:usdt|usdc|usd|eur|eth|btc|trx|sol|bnb|sats?|satoshis?|gwei|wei|rmb|cny|rub"
    r"|tokens?|coins?|руб|€|\$|₽|¥|元|块|%)"
)
_CN_MOBILE = re.compile(r"1[3-9]\d{9}")
_IP_LIKE = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_YEARS = re.compile(r"(?:(?:19|20)\d\d[ \-]){2,}(?:19|20)\d\d")


def _b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + _B58.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def _b58check(raw: bytes, versions: tuple[int, ...]) -> bool:
    digest = hashlib.sha256(hashlib.sha256(raw[:-4]).digest()).digest()
    return len(raw) == 25 and raw[0] in versions and digest[:4] == raw[-4:]


def _is_b58_address(text: str) -> bool:
    """Bitcoin legacy and Tron by their checksum; Solana by its 32-byte key and mixed case."""
    raw = _b58decode(text)
    if text[0] in "13" and _b58check(raw, (0x00, 0x05)):
        return True
    if text[0] == "T" and len(text) == 34 and _b58check(raw, (0x41,)):
        return True
    mixed = re.search(r"[A-Z]", text) and re.search(r"[a-z]", text) and re.search(r"\d", text)
    return len(raw) == 32 and len(text) >= 32 and bool(mixed)


def _shorten(address: str) -> str:
    head = 6 if address.startswith("0x") else 4
    return f"{address[:head]}…{address[-4:]}"


def _after_tx_word(text: str, start: int) -> bool:
    return _TX_CONTEXT.search(text, max(0, start - 40), start) is not None


def _is_tx_hash(m: re.Match[str]) -> bool:
    return _after_tx_word(m.string, m.start())


def _is_b58_secret(m: re.Match[str]) -> bool:
    if len(m.group()) < 86 or m.group()[1:4] == "prv":
        return True
    return len(_b58decode(m.group())) == 64 and not _is_tx_hash(m)


def _is_phone(m: re.Match[str]) -> bool:
    """Enough digits, and not an amount, IP address, list of years or an order/ticket id."""
    number = m.group()
    if not 9 <= sum(c.isdigit() for c in number) <= 15:
        return False
    if number[0] == "+" or "(" in number or _CN_MOBILE.fullmatch(number):
        return True
    groups = re.findall(r"\d+", number)
    if len(groups) > 1 and max(map(len, groups)) <= 2 and number[0] != "0":
        return False
    if len(groups[0]) == 1 and len(groups) > 2 and all(len(g) == 3 for g in groups[1:]):
        return False  # 1 234 567 890: thousands, not a trunk prefix
    return not (
        _IP_LIKE.fullmatch(number)
        or _YEARS.fullmatch(number)
        or _UNIT_AFTER.match(m.string, m.end())
        or _ID_CONTEXT.search(m.string, max(0, m.start() - 20), m.start())
    )


def _sub(
    pattern: re.Pattern[str],
    text: str,
    keep: Callable[[re.Match[str]], bool],
    new: Callable[[str], str],
) -> tuple[str, int]:
    """re.subn that only replaces matches accepted by ``keep``; ``new`` builds the replacement."""
    hits = 0

    def replace(m: re.Match[str]) -> str:
        nonlocal hits
        if not keep(m):
            return m.group()
        hits += 1
        return new(m.group())

    return pattern.sub(replace, text), hits


def _cut(text: str, spans: list[tuple[int, int]], marker: str) -> str:
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + marker + text[end:]
    return text


def _outside_urls(text: str, step: Callable[[str], tuple[str, int]]) -> tuple[str, int]:
    parts, hits, last = [], 0, 0
    for url in [*_URL.finditer(text), None]:
        segment, hit = step(text[last : url.start() if url else len(text)])
        parts.append(segment + (url.group() if url else ""))
        hits += hit
        last = url.end() if url else last
    return "".join(parts), hits


def redact_text(text: str, steps: frozenset[str] = ALL_STEPS) -> tuple[str, dict[str, int]]:
    """Text with secrets removed and the counts per kind (every kind of REDACTION_KINDS).

    ``steps`` may leave out steps a text cannot need (`etl.redact.gates`); the result is
    the same, only sooner.
    """
    counts = dict.fromkeys(REDACTION_KINDS, 0)
    key, seed, mail = (MARKERS[k] for k in ("private_key", "seed_phrase", "email"))
    if KEYS in steps:
        text, hex_keys = _sub(_HEX_KEY, text, lambda m: not _is_tx_hash(m), lambda _: key)
        text, b58_keys = _sub(_B58_SECRET, text, _is_b58_secret, lambda _: key)
        other_keys = [span for span in key_spans(text) if not _after_tx_word(text, span[0])]
        text = _cut(text, other_keys, key)
        counts["private_key"] = hex_keys + b58_keys + len(other_keys)
    spans = seed_spans(text) if SEED in steps else []
    text = _cut(text, spans, seed)
    counts["seed_phrase"] = len(spans)
    if EMAIL in steps:
        text, counts["email"] = _sub(_EMAIL, text, lambda m: True, lambda _: mail)
    if KEYS in steps:
        for pattern, keep in (
            (_ETH, lambda m: True),
            (_BECH32, lambda m: True),
            (_B58_ADDRESS, lambda m: _is_b58_address(m.group())),
        ):
            text, hits = _sub(pattern, text, keep, _shorten)
            counts["wallet_address"] += hits
    if PHONE in steps:
        text, counts["phone"] = _outside_urls(
            text, lambda part: _sub(_PHONE, part, _is_phone, lambda _: MARKERS["phone"])
        )
    return text, counts


def redact_series(texts: pl.Series) -> tuple[pl.Series, dict[str, int]]:
    """Redact a whole column; each distinct text is processed once, nulls stay null.

    Only texts matching `etl.redact.gates.CANDIDATE` reach Python, and only for the steps
    their gates call for. Counts are per occurrence: a text repeated on 3 rows with one
    e-mail counts 3 e-mails.
    """
    if texts.dtype != pl.String:
        texts = texts.cast(pl.String)
    distinct = texts.alias("text").drop_nulls().value_counts(name="rows")
    old, new, counts = redact_distinct(distinct)
    return (texts.replace(old, new) if old else texts), counts


def redact_distinct(distinct: pl.DataFrame) -> tuple[list[str], list[str], dict[str, int]]:
    """For distinct texts (columns ``text``, ``rows``: how often each occurs): the texts that
    change, what they become, and the counts per kind weighted by ``rows``."""
    counts = dict.fromkeys(REDACTION_KINDS, 0)
    candidates = distinct.filter(pl.col("text").str.contains(CANDIDATE)).with_columns(
        gate_columns("text")
    )
    if candidates.height:  # the seed step only where some list has enough words
        seeded = candidates.filter(pl.col(SEED))
        # ... or where the key step, which runs first, can change the words: a key glued to
        # a list word hides it from the count ("...vyTJвзнос" is one word until a marker
        # stands for the key), so a text that can hold a key keeps the seed step.
        best = (best_list_counts(seeded["text"]) >= MIN_WORDS) | seeded[KEYS]
        enough = candidates[SEED].clone().scatter(candidates[SEED].arg_true(), best)
        candidates = candidates.with_columns(enough.alias(SEED))
    old, new = [], []
    for row in candidates.iter_rows(named=True):
        text, rows = row.pop("text"), row.pop("rows")
        clean, found = redact_text(text, steps_for(row))
        for kind, hits in found.items():
            counts[kind] += hits * rows
        if clean != text:
            old.append(text)
            new.append(clean)
    return old, new, counts
