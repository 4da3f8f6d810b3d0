"""A seeded corpus of seed phrases as customers paste them, for measuring redaction recall.

Every phrase is a genuine one, made from seeded random entropy by the package that defines
its standard (``mnemonic`` for the 12 BIP39 lists, ``shamir-mnemonic`` for SLIP-39 shares,
``bip-utils`` for Monero and Electrum seeds), laid out as users do (spaces, full-width spaces,
commas, dashes, line breaks, numbering; Chinese also glued), in any case, often without its
accents, sometimes with a typo or a word missing, inside a support sentence in zh, en, es, ru
or fr.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from bip_utils import (
    ElectrumV1MnemonicEncoder,
    ElectrumV2MnemonicValidator,
    MoneroLanguages,
    MoneroMnemonicEncoder,
)
from mnemonic import Mnemonic
from shamir_mnemonic import generate_mnemonics

from etl.redact.wordlists import list_form

BIP39_LISTS = tuple(f"bip39:{lang}" for lang in sorted(Mnemonic.list_languages()))
OTHER_LISTS = (
    "slip39:english",
    "monero:english",
    "monero:spanish",
    "monero:russian",
    "monero:chinese_simplified",
    "electrum_v1:english",
    "electrum_v2:english",
)
LAYOUTS = (
    "spaces",
    "full-width spaces",
    "commas",
    "dashes",
    "line breaks",
    "numbered lines",
    "numbered inline",
)
GLUED = "glued (no separator)"
VARIANTS = ("exact", "one typo", "one word missing")
TEMPLATES = (
    "My recovery phrase is {p} please help, my funds are gone",
    "Hi, I restored the wallet with these words:\n{p}\nbut the balance is zero",
    "助记词是：{p}，请帮我看看为什么余额不见了",
    "我的钱包恢复不了 {p} 谢谢",
    "Hola, mi frase semilla es {p} y no puedo entrar, ayuda por favor",
    "Моя сид-фраза: {p}. Помогите восстановить кошелёк",
    "Bonjour, voici ma phrase de récupération : {p} merci de m'aider",
)


@dataclass(frozen=True)
class Case:
    """One generated message and the words of the phrase hidden in it."""

    word_list: str
    layout: str
    variant: str
    text: str
    words: tuple[str, ...]


@cache
def _bip39(language: str) -> Mnemonic:
    return Mnemonic(language)


def _phrase(word_list: str, rng: random.Random) -> list[str]:
    family, language = word_list.split(":")
    if family == "bip39":
        entropy = rng.randbytes(rng.choice((16, 20, 24, 28, 32)))
        return _bip39(language).to_mnemonic(entropy).replace("\u3000", " ").split(" ")
    if family == "slip39":
        secret = rng.randbytes(rng.choice((16, 32)))
        share = generate_mnemonics(1, [(1, 1)], secret, b"", True, 1)[0][0]
        return share.split(" ")
    if family == "monero":
        encoder = MoneroMnemonicEncoder(MoneroLanguages[language.upper()])
        return encoder.EncodeWithChecksum(rng.randbytes(32)).ToList()
    if family == "electrum_v1":
        return ElectrumV1MnemonicEncoder().Encode(rng.randbytes(16)).ToList()
    return _electrum_v2(rng)


def _electrum_v2(rng: random.Random) -> list[str]:
    """Random English BIP39 words until Electrum's version hash says "standard" (1 in 256).

    The hash is tested here directly (bip-utils' encoder also rejects valid BIP39 phrases
    first, 300 times slower); the result is confirmed by bip-utils' own validator.
    """
    words = _bip39("english").wordlist
    while True:
        phrase = " ".join(rng.choices(words, k=12))
        digest = hmac.new(b"Seed version", phrase.encode(), hashlib.sha512).hexdigest()
        if digest.startswith("01") and ElectrumV2MnemonicValidator().IsValid(phrase):
            return phrase.split(" ")


def _strip_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not 0x300 <= ord(c) < 0x370)
    )


def _typed(words: list[str], rng: random.Random) -> list[str]:
    """Case and accents as a user types them: lower, UPPER or Title; accents dropped half the time."""
    words = [unicodedata.normalize("NFC", list_form(w) if "\ufffd" in w else w) for w in words]
    if rng.random() < 0.5:
        words = [_strip_accents(w) for w in words]
    style = rng.choice((str.lower, str.upper, str.title))
    return [style(w) for w in words]


def _varied(words: list[str], variant: str, rng: random.Random) -> list[str]:
    words = list(words)
    if variant == "one word missing":
        del words[rng.randrange(len(words))]
    elif variant == "one typo":
        long = [i for i, w in enumerate(words) if len(w) >= 5] or [0]
        at = rng.choice(long)
        word = words[at]
        pos = rng.randrange(1, len(word))
        words[at] = (
            word[:pos] + word[pos + 1 :] if rng.random() < 0.5 else word[:pos] + "x" + word[pos:]
        )
    return words


def _laid_out(words: list[str], layout: str) -> str:
    numbered = enumerate(words, 1)
    return {
        "spaces": lambda: " ".join(words),
        "full-width spaces": lambda: "\u3000".join(words),
        "commas": lambda: ", ".join(words),
        "dashes": lambda: "-".join(words),
        "line breaks": lambda: "\n".join(words),
        "numbered lines": lambda: "\n".join(f"{n}. {w}" for n, w in numbered),
        "numbered inline": lambda: " ".join(f"{n}) {w}" for n, w in numbered),
        GLUED: lambda: "".join(words),
    }[layout]()


def layouts_for(word_list: str) -> tuple[str, ...]:
    """Every layout; Chinese lists also glued, as Chinese is written."""
    return LAYOUTS + ((GLUED,) if "chinese" in word_list else ())


def variants_for(word_list: str, layout: str) -> tuple[str, ...]:
    """Typos and a missing word only where words are separated and not single characters."""
    if layout == GLUED or "chinese" in word_list:
        return ("exact",)
    return VARIANTS


def cases(word_list: str, layout: str, variant: str, count: int, seed: int = 19) -> Iterator[Case]:
    """``count`` messages, the same for the same arguments (seeded)."""
    rng = random.Random(f"{seed}:{word_list}:{layout}:{variant}")
    for _ in range(count):
        words = _varied(_typed(_phrase(word_list, rng), rng), variant, rng)
        text = rng.choice(TEMPLATES).format(p=_laid_out(words, layout))
        yield Case(word_list, layout, variant, text, tuple(words))
