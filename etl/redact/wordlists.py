"""Every seed-phrase word list we detect, from the packages that ship them, in one index.

* BIP39: the 12 lists of ``mnemonic`` (english, chinese_simplified, chinese_traditional,
  czech, french, italian, japanese, korean, portuguese, russian, spanish, turkish);
* SLIP-39 (Trezor's Shamir shares): the 1024-word list of ``shamir-mnemonic``;
* Monero 25-word seeds: the 10 lists of ``bip-utils`` (its ``mnemonic_legacy`` lists);
* old Electrum (1.x) seeds: the 1626-word list of ``bip-utils``. New Electrum seeds use the
  English BIP39 list, so they are found as English words.

Words are compared in a normal form (`normalise`): NFKD, case-folded, Latin/Cyrillic
diacritics dropped (users type ``ecole`` for ``école``, ``ежик`` for ``ёжик``), so one
index serves the text as typed. Each normal form maps to a bit mask of the lists holding it:
a word may be on several (French and English share ``abandon``; simplified and traditional
Chinese share most characters).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from mnemonic import Mnemonic

_FOLD = {c: None for c in (*range(0x300, 0x370), 0x3099, 0x309A)} | {ord("ı"): "i"}
# mnemonic 0.21 ships the Russian word "снова" with two bytes lost (U+FFFD twice); customers
# type the word their wallet shows, so it is matched as "снова" (checked as shipped).
_REPAIRED = {"сно\ufffd\ufffdа": "снова"}


def normalise(word: str) -> str:
    """The form words are compared in: NFKD, case-folded, without Latin/Cyrillic accents or
    kana voicing marks (a dropped ゛ is one typo, not two), and Turkish dotless ı as i
    (upper-cased ``ı`` and ``i`` are both ``I``)."""
    return unicodedata.normalize("NFKD", word.casefold()).translate(_FOLD)


def list_form(word: str) -> str:
    """`normalise` for a word of a list (with the repairs above)."""
    return normalise(_REPAIRED.get(word, word))


@dataclass(frozen=True)
class WordList:
    """One word list: ``family`` (bip39, slip39, monero, electrum_v1) and ``language``."""

    family: str
    language: str
    words: tuple[str, ...]
    bit: int
    glued: bool  # single Han characters, which users write without separators

    @property
    def name(self) -> str:
        """E.g. ``bip39:french``."""
        return f"{self.family}:{self.language}"


def _package_words(package: str, path: str) -> list[str]:
    text = resources.files(package).joinpath(path).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


_MONERO_LANGUAGES = (
    "chinese_simplified",
    "dutch",
    "english",
    "french",
    "german",
    "italian",
    "japanese",
    "portuguese",
    "russian",
    "spanish",
)


def _sources() -> list[tuple[str, str, list[str]]]:
    lists = [
        ("bip39", language, Mnemonic(language).wordlist)
        for language in sorted(Mnemonic.list_languages())
    ]
    lists.append(("slip39", "english", _package_words("shamir_mnemonic", "wordlist.txt")))
    lists += [
        ("monero", lang, _package_words("bip_utils.monero.mnemonic_legacy", f"wordlist/{lang}.txt"))
        for lang in _MONERO_LANGUAGES
    ]
    lists.append(
        (
            "electrum_v1",
            "english",
            _package_words("bip_utils.electrum.mnemonic_v1", "wordlist/english.txt"),
        )
    )
    return lists


@cache
def word_lists() -> tuple[WordList, ...]:
    """Every list, each with its own bit (1 << position)."""
    return tuple(
        WordList(family, language, tuple(words), 1 << i, all(len(w) == 1 for w in words))
        for i, (family, language, words) in enumerate(_sources())
    )


@cache
def word_index() -> dict[str, int]:
    """Normal form of a word -> bit mask of the lists holding it."""
    index: dict[str, int] = {}
    for wl in word_lists():
        for word in wl.words:
            key = list_form(word)
            index[key] = index.get(key, 0) | wl.bit
    return index


@cache
def forms(bit: int) -> dict[str, tuple[str, ...]]:
    """For the list with ``bit``: normal form -> its words (two words may share one form)."""
    (wl,) = [w for w in word_lists() if w.bit == bit]
    found: dict[str, tuple[str, ...]] = {}
    for word in wl.words:
        key = list_form(word)
        found[key] = (*found.get(key, ()), word)
    return found


@cache
def deletions(bit: int) -> dict[str, frozenset[str]]:
    """For the list with ``bit``: each form with one letter deleted -> the forms it came from.

    Two words are one edit apart (a letter wrong, missing, extra or two swapped) exactly when
    they are equal, one is a deletion of the other, or they share a deletion.
    """
    index: dict[str, set[str]] = {}
    for form in forms(bit):
        for i in range(len(form)):
            index.setdefault(form[:i] + form[i + 1 :], set()).add(form)
    return {k: frozenset(v) for k, v in index.items()}


def near_forms(token: str, bit: int) -> frozenset[str]:
    """Forms of the list ``bit`` one edit away from ``token`` (a normal form); for typos."""
    if len(token) < 4:
        return frozenset()
    known, dels = forms(bit), deletions(bit)
    found: set[str] = set(dels.get(token, ()))
    for i in range(len(token)):
        shorter = token[:i] + token[i + 1 :]
        if shorter in known:
            found.add(shorter)
        found.update(dels.get(shorter, ()))
    found.discard(token)
    return frozenset(found)
