"""Seed phrases in every word list we know of are removed, however they are typed; prose made
of list words is kept. Phrases are genuine: made from fixed SHA-256 digests (no funds)."""

from __future__ import annotations

import hashlib
import unicodedata

import pytest
from bip_utils import (
    ElectrumV1MnemonicEncoder,
    MoneroLanguages,
    MoneroMnemonicEncoder,
    MoneroMnemonicValidator,
)
from mnemonic import Mnemonic
from shamir_mnemonic import generate_mnemonics

from etl.redact import redact_text
from etl.redact.wordlists import list_form

LANGUAGES = sorted(Mnemonic.list_languages())
MARK = "[seed phrase removed]"


def phrase(language: str, size: int = 16, label: str = "issue-19") -> list[str]:
    entropy = hashlib.sha256(f"{label}:{language}".encode()).digest()[:size]
    words = Mnemonic(language).to_mnemonic(entropy).replace("\u3000", " ").split(" ")
    return [list_form(w) if "\ufffd" in w else w for w in words]


def removed(text: str, before: str = "Hi, my words are ", after: str = " please help") -> bool:
    cleaned, counts = redact_text(f"{before}{text}{after}")
    return cleaned == f"{before}{MARK}{after}" and counts["seed_phrase"] == 1


def test_every_list_of_mnemonic_is_covered():
    assert len(LANGUAGES) == 12


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "joiner",
    [" ", "\u3000", ", ", "-", "\n"],
    ids=["spaces", "ideographic", "commas", "dashes", "lines"],
)
def test_a_12_word_phrase_of_every_list_is_removed_in_every_separator(language, joiner):
    assert removed(joiner.join(phrase(language)))


@pytest.mark.parametrize("language", LANGUAGES)
def test_24_numbered_words_in_upper_case_are_removed(language):
    words = phrase(language, size=32)
    listed = "\n".join(f"{n}. {w.upper()}" for n, w in enumerate(words, 1))
    assert removed(listed, before="words:\n", after="\nthanks")


@pytest.mark.parametrize("language", ["french", "spanish", "portuguese", "czech", "italian"])
def test_a_phrase_typed_without_its_accents_is_removed(language):
    stripped = [
        "".join(c for c in unicodedata.normalize("NFKD", w) if not unicodedata.combining(c))
        for w in phrase(language, label="accents")
    ]
    assert removed(" ".join(stripped))


def test_korean_and_japanese_in_composed_or_decomposed_form_are_removed():
    for language in ("korean", "japanese"):
        for form in ("NFC", "NFKD"):
            words = [unicodedata.normalize(form, w) for w in phrase(language)]
            assert removed("\u3000".join(words)), (language, form)


@pytest.mark.parametrize("language", ["chinese_simplified", "chinese_traditional"])
def test_chinese_phrases_are_removed_spaced_or_glued(language):
    words = phrase(language)
    assert removed(" ".join(words), before="助记词：", after="，谢谢")
    assert removed("".join(words), before="助记词是", after="请帮我")
    assert removed("".join(words), before="我的钱包 ", after=" 谢谢")


def test_a_typo_or_a_missing_word_still_counts_as_the_phrase():
    words = phrase("spanish")
    typo = words[:3] + [words[3][:-1] + "x"] + words[4:]
    assert removed(" ".join(typo))
    assert removed(" ".join(words[:5] + words[6:]))


def test_a_slip39_share_is_removed():
    share = generate_mnemonics(1, [(1, 1)], hashlib.sha256(b"slip").digest()[:16], b"", True, 1)
    assert removed(share[0][0])


@pytest.mark.parametrize("language", ["ENGLISH", "SPANISH", "RUSSIAN", "CHINESE_SIMPLIFIED"])
def test_a_monero_25_word_seed_is_removed(language):
    encoder = MoneroMnemonicEncoder(MoneroLanguages[language])
    seed = encoder.EncodeWithChecksum(hashlib.sha256(b"monero").digest()).ToStr()
    assert MoneroMnemonicValidator(MoneroLanguages[language]).IsValid(seed)
    assert removed(seed)


def test_an_old_electrum_seed_is_removed_with_list_words_next_to_it():
    seed = ElectrumV1MnemonicEncoder().Encode(hashlib.sha256(b"electrum").digest()[:16]).ToStr()
    assert removed(seed, after=" merci")
    # "please" and "help" are on the old Electrum list, which has no checksum to say where the
    # seed ends: they go with it (over-redaction rather than a leaked word).
    assert redact_text(f"words: {seed} please help")[0] == f"words: {MARK}"


@pytest.mark.parametrize(
    "text",
    [
        "Hola, quiero saber por qué mi cuenta sigue bloqueada desde ayer por la tarde, gracias",
        "Bonjour, je ne retrouve pas mon argent sur le compte depuis la mise à jour de l'application",
        "Olá, a minha carteira mostra saldo zero depois da atualização, podem ajudar por favor",
        "Ciao, il mio portafoglio non mostra più il saldo dopo l'aggiornamento di ieri sera",
        "Здравствуйте, после обновления приложения мой баланс показывает ноль, помогите пожалуйста",
        "thank you. thank you. thank you. thank you. thank you. thank you. thank you.",
        "好 好 好 好 好 好 好 好 好 好 好 好 好 好",
        "我为什么喜欢在京东买东西，因为今天买明天就可以送到。",
    ],
)
def test_ordinary_sentences_and_repetitions_are_kept(text):
    assert redact_text(text)[1]["seed_phrase"] == 0
