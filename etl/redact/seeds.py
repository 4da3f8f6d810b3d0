"""Seed phrases pasted into text: where they are, as (start, end) spans.

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
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from mnemonic import Mnemonic

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


def english_seed_spans(text: str) -> list[tuple[int, int]]:
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


def chinese_seed_spans(text: str) -> list[tuple[int, int]]:
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
