"""What tells prose from a pasted phrase, beside the checksum.

* Repetition: a random phrase rarely repeats a word (12 words from 2048: 3% have one pair),
  while "thank you. thank you. thank you." or "也 也 也" does little else.
* Everyday English words (``EVERYDAY``): English lists are full of them, and English prose can
  string 12 list words together ("please help you know what they want right now ...").
  A run is prose when it holds more everyday words than a random phrase of that list would
  in more than 1 in 10,000 draws (`everyday_limit`, a binomial tail per list).
* Chinese grammar characters (``ZH_GRAMMAR``): a phrase glued into Chinese text is accepted
  only with a valid checksum and at most one of them.
"""

from __future__ import annotations

from functools import cache
from math import comb

from etl.redact.wordlists import WordList, normalise

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
ZH_GRAMMAR = frozenset(
    "的了是我你他她们不在有这那个么吗呢吧啊就也都和要会到说请一下能可以怎什没为上"
)
MIN_DISTINCT = 0.75


def repetitive(forms: list[str]) -> bool:
    """True when under three quarters of the words are distinct."""
    return len(set(forms)) < MIN_DISTINCT * len(forms)


@cache
def _everyday_share(wl: WordList) -> float:
    return sum(normalise(w) in EVERYDAY for w in wl.words) / len(wl.words)


@cache
def everyday_limit(wl: WordList, size: int) -> int:
    """Most everyday words a ``size``-word phrase of ``wl`` has, but for 1 draw in 10,000."""
    share = _everyday_share(wl)
    if wl.language != "english" or share == 0:
        return size
    tail = 0.0
    for k in range(size, -1, -1):
        tail += comb(size, k) * share**k * (1 - share) ** (size - k)
        if tail > 1e-4:
            return k
    return size


def prose_like(wl: WordList, forms: list[str]) -> bool:
    """True when ``forms`` read like prose rather than a phrase drawn from ``wl``."""
    everyday = sum(f in EVERYDAY for f in forms)
    return repetitive(forms) or everyday > everyday_limit(wl, len(forms))
