"""What tells prose from a pasted phrase, beside the checksum.

* Repetition: a random phrase rarely repeats a word (12 words from 2048: 3% have one pair),
  while "thank you. thank you. thank you." or "也 也 也" does little else.
* Everyday English words (``EVERYDAY``): English lists are full of them, and English prose can
  string 12 list words together ("please help you know what they want right now ...").
  A run is prose when it holds more everyday words than a random phrase of that list would
  in more than 1 in a million draws (`everyday_limit`, a binomial tail per list).
* Common Chinese characters: the Chinese lists are ordered by frequency (的 一 是 在 ...), so
  a random phrase draws one character in eight from the first 256, while Chinese prose is
  mostly made of them. Characters glued together count as a phrase only with a valid
  checksum, no more common characters than a random phrase has but for 1 draw in 10,000, and
  a mean log-rank no lower than 1 random phrase in 10,000 has (`han_prose_like`).
"""

from __future__ import annotations

import math
from functools import cache
from math import comb

import numpy as np

from etl.redact.wordlists import WordList, normalise, word_lists

EVERYDAY = frozenset(
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
COMMON_HAN = 256  # the first characters of a frequency-ordered Chinese list
MIN_DISTINCT = 0.75


def repetitive(forms: list[str]) -> bool:
    """True when under three quarters of the words are distinct."""
    return len(set(forms)) < MIN_DISTINCT * len(forms)


@cache
def _everyday_share(wl: WordList) -> float:
    return sum(normalise(w) in EVERYDAY for w in wl.words) / len(wl.words)


def _upper_tail_limit(size: int, share: float, tail_at: float) -> int:
    """Most hits in ``size`` draws of chance ``share``, exceeded in at most ``tail_at``."""
    tail = 0.0
    for k in range(size, -1, -1):
        tail += comb(size, k) * share**k * (1 - share) ** (size - k)
        if tail > tail_at:
            return k
    return size


@cache
def everyday_limit(wl: WordList, size: int) -> int:
    """Most everyday words a ``size``-word phrase of ``wl`` has, but for 1 draw in a million
    (English prose long enough to matter is nearly all everyday words, so the bar can be high)."""
    share = _everyday_share(wl)
    if wl.language != "english" or share == 0:
        return size
    return _upper_tail_limit(size, share, 1e-6)


@cache
def _common_han() -> frozenset[str]:
    lists = [w for w in word_lists() if w.family == "bip39" and w.glued]
    return frozenset(c for wl in lists for c in wl.words[:COMMON_HAN])


@cache
def _common_han_limit(wl: WordList, size: int) -> int:
    share = sum(w in _common_han() for w in wl.words) / len(wl.words)
    return _upper_tail_limit(size, share, 1e-4)


@cache
def _han_rank() -> dict[str, float]:
    """log2(1 + rank) of each character in the frequency-ordered simplified/traditional lists."""
    lists = [w for w in word_lists() if w.family == "bip39" and w.glued]
    ranks: dict[str, float] = {}
    for wl in lists:
        for rank, char in enumerate(wl.words):
            ranks[char] = min(ranks.get(char, 99.0), math.log2(1 + rank))
    return ranks


@cache
def _low_rank_limit(wl: WordList, size: int) -> float:
    """The mean log-rank that random ``size``-character phrases of ``wl`` fall below in 1 draw
    of 10,000 (100,000 seeded draws; prose sits far lower, made of the commonest characters)."""
    ranks = _han_rank()
    values = np.array([ranks.get(c, math.log2(len(ranks))) for c in wl.words])
    draws = np.random.default_rng(39).integers(0, len(values), size=(100_000, size))
    return float(np.quantile(values[draws].mean(axis=1), 1e-4))


def han_prose_like(wl: WordList, chars: list[str]) -> bool:
    """True when glued characters are repetitive or too common for a phrase of ``wl``."""
    common = sum(c in _common_han() for c in chars)
    if repetitive(chars) or common > _common_han_limit(wl, len(chars)):
        return True
    ranks = _han_rank()
    mean_rank = sum(ranks.get(c, 11.0) for c in chars) / len(chars)
    return mean_rank < _low_rank_limit(wl, len(chars))


def prose_like(wl: WordList, forms: list[str]) -> bool:
    """True when ``forms`` read like prose rather than a phrase drawn from ``wl``."""
    everyday = sum(f in EVERYDAY for f in forms)
    return repetitive(forms) or everyday > everyday_limit(wl, len(forms))
