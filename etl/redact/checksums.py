"""Is a sequence of list words a valid seed, by the checksum of its own standard?

Each check is the dependency's own: ``mnemonic`` for BIP39 (and ``bip-utils`` for new-style
Electrum seeds, which use the English BIP39 words with a version hash instead), ``bip-utils``
for Monero's checksum word, ``shamir-mnemonic`` for SLIP-39's RS1024 checksum. Old Electrum
seeds carry no checksum. A valid checksum is strong evidence: a random BIP39 phrase passes
with probability 1/16 (12 words) to 1/256 (24), a random SLIP-39 share with about 1 in 10^9.
"""

from __future__ import annotations

import contextlib
import unicodedata
from functools import cache

from bip_utils import (
    ElectrumV2MnemonicValidator,
    MoneroLanguages,
    MoneroMnemonicValidator,
)
from mnemonic import Mnemonic
from shamir_mnemonic.share import Share
from shamir_mnemonic.utils import MnemonicError

from etl.redact.wordlists import WordList

BIP39_LENGTHS = (12, 15, 18, 21, 24)
MONERO_LENGTHS = (25, 13)
SLIP39_LENGTHS = (20, 33)


class _IndexedWords(list):
    """A word list whose ``index`` is a dict look-up: mnemonic's check calls it per word."""

    def __init__(self, words: list[str]) -> None:
        super().__init__(words)
        self._at = {w: i for i, w in enumerate(words)}

    def index(self, word: str, *args: object) -> int:  # type: ignore[override]
        """Position of ``word``; ValueError when absent, as list.index."""
        try:
            return self._at[word]
        except KeyError:
            raise ValueError(word) from None


@cache
def _bip39(language: str) -> Mnemonic:
    # mnemonic's check compares NFKD words with the list as shipped; the Russian and Turkish
    # lists ship in NFC, so the list is given to it in NFKD.
    words = Mnemonic(language).wordlist
    return Mnemonic(language, _IndexedWords([unicodedata.normalize("NFKD", w) for w in words]))


def lengths(wl: WordList) -> tuple[int, ...]:
    """The phrase lengths the list's standard allows (none for old Electrum: no checksum)."""
    return {
        "bip39": BIP39_LENGTHS,
        "monero": MONERO_LENGTHS,
        "slip39": SLIP39_LENGTHS,
    }.get(wl.family, ())


def is_valid(wl: WordList, words: list[str]) -> bool:
    """Whether ``words`` (the list's own spelling) form a seed with a valid checksum."""
    if wl.family == "bip39":
        phrase = " ".join(words)
        if _bip39(wl.language).check(phrase):
            return True
        return wl.language == "english" and len(words) in (12, 13) and _electrum_v2(phrase)
    if wl.family == "monero":
        with contextlib.suppress(Exception):
            language = MoneroLanguages[wl.language.upper()]
            return bool(MoneroMnemonicValidator(language).IsValid(" ".join(words)))
        return False
    if wl.family == "slip39":
        try:
            Share.from_mnemonic(" ".join(words))
        except (MnemonicError, ValueError, KeyError):
            return False
        return True
    return False


def _electrum_v2(phrase: str) -> bool:
    try:
        return bool(ElectrumV2MnemonicValidator().IsValid(phrase))
    except Exception:  # bip-utils raises its own errors for words off the list
        return False
