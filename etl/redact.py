"""Remove secrets and personal data from free text before it is stored.

Seed phrases, private keys, e-mail addresses and phone numbers are replaced by
a marker; wallet addresses are kept but shortened to ``0x12ab…9f3c`` /
``bc1q…f3kx``. When a string could be a key or harmless, it is treated as a key:
a leaked key costs a customer their funds, an over-redacted message costs nothing.

Seed-phrase rule (English BIP39 list from ``mnemonic``): a run of at least 12
consecutive list words, separated by spaces, commas, newlines or numbering, is
removed when

* it is laid out as a list (at least 80% of the gaps hold a number or a
  newline); up to two non-list words are then tolerated as typos, or
* it does not read like prose: fewer than a third of its words are everyday
  English words (``_EVERYDAY``), or fewer than two thirds when a 12/15/18/21/24
  word window of it carries a valid BIP39 checksum.

Random mnemonics have 8% everyday words on average (a third or more in 1% of
12-word phrases, two thirds in well under one in a million), while prose long
enough to form such a run is made almost entirely of them. Chinese phrases are
removed when 12+ list characters are written one by one (spaced or numbered),
or when a stand-alone unspaced run of exactly 12-24 characters has a valid
checksum and at most one grammatical character (``_ZH_GRAMMAR``).

64-hex strings (with or without 0x) and 88-character base58 strings are keys
unless one of "tx", "txid", "hash", "transaction", "signature" (or 交易, 哈希,
транзакция, хеш) comes at most two words before them. The same holds for keys in other
layouts (a Solana keypair byte array, base64, colon-separated or grouped hex), found by
``etl.redact_patterns``.

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
from functools import cache

import polars as pl
from mnemonic import Mnemonic

from etl.redact_gates import (
    ALL_STEPS,
    CANDIDATE,
    CHINESE_SEED,
    EMAIL,
    ENGLISH_SEED,
    KEYS,
    PHONE,
    gate_columns,
    steps_for,
)
from etl.redact_patterns import key_spans

REDACTION_KINDS = ("seed_phrase", "private_key", "email", "phone", "wallet_address")
MARKERS = {
    "seed_phrase": "[seed phrase removed]",
    "private_key": "[private key removed]",
    "email": "[email removed]",
    "phone": "[phone removed]",
}

_EVERYDAY = frozenset(
    """about above across actually add after again against ago all almost alone along already
    also although always among another any anyone anything are area around ask away back bad
    because before begin behind below best better between both bring but call came can cannot
    come could day did does done down during each early either else end enough even ever every
    few find first found from get give goes going gone good got great had happen has have her
    here his hold home how into its just keep kind know last late later leave left less let
    like little long look lot made make many may maybe mean more most move much must need never
    new next none nothing now off often okay old once one only open other our out over own
    people please put quite rather real really reason right said same say see seem shall
    should show since some soon still such sure take tell than thank thanks that the their them
    then there these they thing think this those though through time today together too try
    turn twice two under until upon use very wait want was way well were what when where which
    while who why will wish with without would wrong year yes yet you your account address
    answer arrive balance card case change check coin deposit email empty exchange fee fund
    hello help issue lost message money number option order password phone problem question
    receive refund reply report request send sent service solve support system team ticket
    token transfer update user wallet week withdraw zero seed phrase key private word secret
    mail code copy screen""".split()
)
_ZH_GRAMMAR = frozenset(
    "的了是我你他她们不在有这那个么吗呢吧啊就也都和要会到说请一下能可以怎什没为上"
)
_STANDARD_LENGTHS = (12, 15, 18, 21, 24)

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_CLASS = "[1-9A-HJ-NP-Za-km-z]"
_NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
_NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"

_SEP = r"[\s,;|/*•·\-]"
_NUMBER = r"\(?\d{1,2}[.):\-]?"
_EN_CHAIN = re.compile(
    rf"(?<![A-Za-z])[A-Za-z]{{3,8}}(?>(?>{_SEP}+(?:{_NUMBER}{_SEP}*)?)[A-Za-z]{{3,8}}){{11,}}"
    r"(?![A-Za-z])"
)
_NUMBER_PREFIX = re.compile(rf"(?<!\d){_NUMBER}[ \t]*$")
_ZH_SEP = r"[\s,，、;；]"
_ZH_CHAIN = re.compile(
    rf"[\u4e00-\u9fff](?>(?>{_ZH_SEP}*(?:\d{{1,2}}[.)．、]?{_ZH_SEP}*)?)[\u4e00-\u9fff]){{11,}}"
)
_ZH_LEFT_OK = re.compile(r"(?:^|[\s:：\"'“「])$")
_ZH_RIGHT_OK = re.compile(r"$|[\s\"'”」。.!！]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
Token = tuple[int, int, str, str]  # start, end, lower-case word, gap before it

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


@cache
def _wordlist(language: str) -> tuple[Mnemonic, frozenset[str]]:
    mnemo = Mnemonic(language)
    return mnemo, frozenset(mnemo.wordlist)


def _is_list_gap(gap: str) -> bool:
    return "\n" in gap or any(c.isdigit() for c in gap)


def _valid_windows(words: list[str], language: str) -> list[tuple[int, int]]:
    """(start, end) of every 12/15/18/21/24-word window with a valid checksum, longest first."""
    mnemo, _ = _wordlist(language)
    if len(words) > 48:
        return []
    return [
        (i, i + size)
        for size in reversed(_STANDARD_LENGTHS)
        for i in range(len(words) - size + 1)
        if mnemo.check(" ".join(words[i : i + size]))
    ]


def _split_runs(text: str, chain: re.Match[str], vocab: frozenset[str]) -> list[list[Token]]:
    """Runs of list words in a chain; a non-list word between list gaps joins as a typo."""
    runs: list[list[Token]] = [[]]
    for m in _LATIN_WORD.finditer(text, chain.start(), chain.end()):
        run = runs[-1]
        gap = text[run[-1][1] : m.start()] if run else ""
        token = (m.start(), m.end(), m.group().lower(), gap)
        if token[2] in vocab or (run and _is_list_gap(gap) and run[-1][2] in vocab):
            run.append(token)
        else:
            runs.append([])
    for run in runs:
        while run and run[-1][2] not in vocab:
            run.pop()
    return [r for r in runs if len(r) >= 12]


def _seed_part(run: list[Token], vocab: frozenset[str]) -> list[Token]:
    """The part of a run to remove as a seed phrase (empty when the run is not one)."""
    words = [t[2] for t in run]
    misfits = sum(w not in vocab for w in words)
    if sum(_is_list_gap(t[3]) for t in run[1:]) >= 0.8 * (len(run) - 1):
        return run if misfits <= 2 and len(words) - misfits >= 10 else []
    if misfits:
        pieces = [[]]
        for token in run:
            if token[2] in vocab:
                pieces[-1].append(token)
            else:
                pieces.append([])
        return max((_seed_part(p, vocab) for p in pieces if len(p) >= 12), key=len, default=[])
    windows = _valid_windows(words, "english")
    everyday = sum(w in _EVERYDAY for w in words) / len(words)
    if everyday >= (2 / 3 if windows else 1 / 3):
        return []
    for start, end in windows:  # keep "please help" around a checksummed phrase
        if all(w in _EVERYDAY for w in words[:start] + words[end:]):
            return run[start:end]
    return run


def _english_seed_spans(text: str) -> list[tuple[int, int]]:
    _, vocab = _wordlist("english")
    spans = []
    for chain in _EN_CHAIN.finditer(text):
        for run in _split_runs(text, chain, vocab):
            part = _seed_part(run, vocab)
            if part:
                prefix = _NUMBER_PREFIX.search(text, max(0, part[0][0] - 8), part[0][0])
                spans.append((prefix.start() if prefix else part[0][0], part[-1][1]))
    return spans


def _groups(size: int, keep: Callable[[int], bool], linked: Callable[[int], bool]) -> list[range]:
    """Maximal ranges of kept indices in which each index is linked to the previous one."""
    groups, start = [], None
    for i in range(size + 1):
        if i < size and keep(i) and start is not None and linked(i):
            continue
        if start is not None:
            groups.append(range(start, i))
        start = i if i < size and keep(i) else None
    return groups


def _chinese_seed_spans(text: str) -> list[tuple[int, int]]:
    """Chinese list characters written one by one (12+), or a stand-alone checksummed run."""
    mnemo, vocab = _wordlist("chinese_simplified")
    spans = []
    for chain in _ZH_CHAIN.finditer(text):
        chars = list(_HAN.finditer(text, chain.start(), chain.end()))
        glued = [False] + [a.end() == b.start() for a, b in zip(chars, chars[1:], strict=False)]
        glued.append(False)
        listed = [m.group() in vocab for m in chars]
        alone = [listed[i] and not glued[i] and not glued[i + 1] for i in range(len(chars))]
        for group in _groups(len(chars), alone.__getitem__, lambda i: True):
            if len(group) >= 12:
                spans.append((chars[group[0]].start(), chars[group[-1]].end()))
        for group in _groups(len(chars), listed.__getitem__, glued.__getitem__):
            start, end = chars[group[0]].start(), chars[group[-1]].end()
            word = text[start:end]
            if (
                len(word) in _STANDARD_LENGTHS
                and _ZH_LEFT_OK.search(text, max(0, start - 1), start)
                and _ZH_RIGHT_OK.match(text, end)
                and sum(c in _ZH_GRAMMAR for c in word) <= 1
                and mnemo.check(" ".join(word))
            ):
                spans.append((start, end))
    return spans


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

    ``steps`` may leave out steps a text cannot need (`etl.redact_gates`); the result is
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
    spans = _english_seed_spans(text) if ENGLISH_SEED in steps else []
    text = _cut(text, spans, seed)
    zh_spans = _chinese_seed_spans(text) if CHINESE_SEED in steps else []
    text = _cut(text, zh_spans, seed)
    counts["seed_phrase"] = len(spans) + len(zh_spans)
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

    Only texts matching `etl.redact_gates.CANDIDATE` reach Python, and only for the steps
    their gates call for. Counts are per occurrence: a text repeated on 3 rows with one
    e-mail counts 3 e-mails.
    """
    counts = dict.fromkeys(REDACTION_KINDS, 0)
    if texts.dtype != pl.String:
        texts = texts.cast(pl.String)
    distinct = (
        texts.alias("text")
        .drop_nulls()
        .value_counts(name="rows")
        .filter(pl.col("text").str.contains(CANDIDATE))
        .with_columns(gate_columns("text"))
    )
    old, new = [], []
    for row in distinct.iter_rows(named=True):
        text, rows = row.pop("text"), row.pop("rows")
        clean, found = redact_text(text, steps_for(row))
        for kind, hits in found.items():
            counts[kind] += hits * rows
        if clean != text:
            old.append(text)
            new.append(clean)
    return (texts.replace(old, new) if old else texts), counts
