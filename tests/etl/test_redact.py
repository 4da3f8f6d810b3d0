"""Redaction of seed phrases, keys, e-mails and phones; wallet addresses shortened."""

from __future__ import annotations

import time

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mnemonic import Mnemonic

import etl.redact.core  # noqa: F401  (monkeypatched below)
from etl import redact
from etl.redact import REDACTION_KINDS, redact_series, redact_text

# Mnemonic("english").to_mnemonic(sha256(b"support-12").digest()[:16]) and [:32] for 24 words
SEED_12 = "crystal travel submit bicycle neither rigid question loop unique model clap hour"
SEED_24 = (
    "cricket volcano outside sad canvas vendor stomach science recipe sound wisdom process "
    "choice matrix voice enhance foster cheese ring search popular mechanic wealth web"
)
# Mnemonic("chinese_simplified").to_mnemonic(sha256(b"support-zh").digest()[:16])
SEED_ZH = "惜 苦 柄 固 耗 撞 晋 升 仲 怎 后 见"
# Well-known example keys (Bitcoin wiki, BIP32 test vector 1): no funds.
HEX_KEY = "0c28fca386c7a227600b2fe50b7cae11ec86d3bf1fbe471be89827e19d72aa1d"
WIF_UNCOMPRESSED = "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ"
WIF_COMPRESSED = "KwdMAjGmerYanjeui5SHS7JkmpZvVipYvB2LJGU1ZxJwYvP98617"
XPRV = (
    "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3"
    "TGtRBeJgk33yuGBxrMPHi"
)


def counts(**found: int) -> dict[str, int]:
    return {kind: found.get(kind, 0) for kind in REDACTION_KINDS}


def test_the_seed_phrases_used_here_are_genuine_checksummed_mnemonics():
    assert Mnemonic("english").check(SEED_12)
    assert Mnemonic("english").check(SEED_24)
    assert Mnemonic("chinese_simplified").check(SEED_ZH)


def test_a_12_word_seed_phrase_inside_a_sentence_is_removed():
    text = f"My recovery phrase is {SEED_12} please help"
    assert redact_text(text) == (
        "My recovery phrase is [seed phrase removed] please help",
        counts(seed_phrase=1),
    )


def test_a_24_word_seed_phrase_in_upper_case_is_removed():
    assert redact_text(f"words: {SEED_24.upper()}") == (
        "words: [seed phrase removed]",
        counts(seed_phrase=1),
    )


@pytest.mark.parametrize(
    "layout",
    ["{n}. {w}\n", "{n}) {w}\n", "{n} {w}\n", "{n}.{w} ", "{w}\n", "{w}, "],
    ids=["n-dot-lines", "n-paren-lines", "n-space-lines", "n-dot-inline", "lines", "commas"],
)
def test_seed_phrases_are_removed_in_every_list_layout(layout):
    words = SEED_12.split()
    listed = "".join(layout.format(n=i, w=w) for i, w in enumerate(words, 1)).strip(", \n")
    assert redact_text(f"Here it is:\n{listed}\nThanks") == (
        "Here it is:\n[seed phrase removed]\nThanks",
        counts(seed_phrase=1),
    )


def test_a_numbered_seed_phrase_with_a_misspelt_word_is_still_removed():
    words = SEED_12.split()
    words[4] = "nieter"  # "neither" typed from paper
    listed = "\n".join(f"{i}. {w}" for i, w in enumerate(words, 1))
    assert redact_text(listed) == ("[seed phrase removed]", counts(seed_phrase=1))


def test_a_seed_phrase_with_a_wrong_but_listed_word_fails_the_checksum_and_is_still_removed():
    words = SEED_12.split()
    words[4] = "abandon"
    assert not Mnemonic("english").check(" ".join(words))
    assert redact_text(" ".join(words)) == ("[seed phrase removed]", counts(seed_phrase=1))


def test_random_12_and_24_word_mnemonics_are_always_removed():
    mnemo = Mnemonic("english")
    phrases = [mnemo.generate(128) for _ in range(150)] + [mnemo.generate(256) for _ in range(150)]
    kept = [
        p
        for p in phrases
        if redact_text(f"my phrase is {p} thanks")[0] != "my phrase is [seed phrase removed] thanks"
    ]
    assert kept == []


def test_prose_made_only_of_bip39_words_is_kept():
    text = "please help you know what they want right now because this time you still have only one way"
    wordlist = set(Mnemonic("english").wordlist)
    assert all(word in wordlist for word in text.split())  # 18 consecutive list words
    assert redact_text(text) == (text, counts())


def test_a_customer_sentence_with_scattered_bip39_words_is_kept():
    # please, help, can, find, update and balance are in the list, never 12 in a row
    text = "please help me I can not find my wallet after the update and the balance is gone"
    assert redact_text(text) == (text, counts())


def test_chinese_seed_phrases_are_removed_spaced_or_not():
    assert redact_text(f"助记词： {SEED_ZH}") == (
        "助记词： [seed phrase removed]",
        counts(seed_phrase=1),
    )
    unspaced = SEED_ZH.replace(" ", "")
    assert redact_text(f"助记词：{unspaced}") == (
        "助记词：[seed phrase removed]",
        counts(seed_phrase=1),
    )


def test_random_chinese_mnemonics_written_with_spaces_are_removed():
    mnemo = Mnemonic("chinese_simplified")
    phrases = [mnemo.generate(128) for _ in range(50)]
    assert [redact_text(f"我的助记词 {p}")[0] for p in phrases] == [
        "我的助记词 [seed phrase removed]"
    ] * 50


@pytest.mark.parametrize(
    "secret",
    [HEX_KEY, "0x" + HEX_KEY, HEX_KEY.upper(), WIF_UNCOMPRESSED, WIF_COMPRESSED, XPRV],
    ids=["hex", "0x-hex", "upper-hex", "wif", "wif-compressed", "xprv"],
)
def test_private_keys_are_removed(secret):
    assert redact_text(f"is this my key? {secret}.") == (
        "is this my key? [private key removed].",
        counts(private_key=1),
    )


@pytest.mark.parametrize(
    "text",
    [
        f"txid: {HEX_KEY}",
        f"Transaction hash is 0x{HEX_KEY}",
        f"TxHash 0x{HEX_KEY} still pending",
        f"https://etherscan.io/tx/0x{HEX_KEY}",
        f"交易哈希：{HEX_KEY}",
    ],
)
def test_transaction_hashes_named_as_such_are_kept(text):
    assert redact_text(text) == (text, counts())


def test_a_64_hex_string_without_a_transaction_word_is_taken_for_a_key():
    assert redact_text(f"I found this in my backup {HEX_KEY}") == (
        "I found this in my backup [private key removed]",
        counts(private_key=1),
    )


def test_email_addresses_are_removed_also_next_to_chinese_text():
    text = "Write to john.doe+wallet@gmail.com or 我的邮箱zhang_san@qq.com谢谢"
    assert redact_text(text) == (
        "Write to [email removed] or 我的邮箱[email removed]谢谢",
        counts(email=2),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call me on +86 138 0013 8000 please", "Call me on [phone removed] please"),
        ("请打我电话13800138000，谢谢", "请打我电话[phone removed]，谢谢"),
        ("手机 138-0013-8000", "手机 [phone removed]"),
        ("Мой номер +7 (912) 345-67-89, после 18:00", "Мой номер [phone removed], после 18:00"),
        ("Мой номер 8 (912) 345-67-89", "Мой номер [phone removed]"),
        ("Mi teléfono es +34 612 34 56 78.", "Mi teléfono es [phone removed]."),
        ("mi móvil 612 345 678", "mi móvil [phone removed]"),
        ("Mon numéro : +33 6 12 34 56 78", "Mon numéro : [phone removed]"),
        ("Appelez-moi au 06 12 34 56 78", "Appelez-moi au [phone removed]"),
        ("Tel:+1 (415) 555-0132", "Tel:[phone removed]"),
        ("or (415) 555-0132 or 415-555-0132", "or [phone removed] or [phone removed]"),
    ],
)
def test_phone_numbers_in_the_five_languages_formats_are_removed(text, expected):
    assert redact_text(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "I sent 0.5 ETH and 1,234.56 USDT",
        "on 2024-01-05 10:30:15 and 05/01/2024 and 15.03.2024 в 10:45",
        "order 12345678 and order #123456789 and UID 123456789",
        "订单号 20240315123",
        "price 0.000012345678 BTC, 100000000 sats, 123 456 789 USDT, 1 234 567,89 €",
        "server 192.168.100.200 since 2019 2020 2021",
        "iOS 17.4.1, app version 3.2.0 build 4512",
    ],
)
def test_dates_times_amounts_and_order_numbers_are_not_phones(text):
    assert redact_text(text) == (text, counts())


@pytest.mark.parametrize(
    ("address", "short"),
    [
        ("0x52908400098527886E0F7030069857D2E4169EE7", "0x5290…9EE7"),
        ("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "bc1q…5mdq"),
        ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "1A1z…vfNa"),
        ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "3J98…WNLy"),
        ("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "TR7N…Lj6t"),
        ("9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM", "9WzD…AWWM"),
    ],
    ids=["ethereum", "bech32", "btc-legacy", "btc-p2sh", "tron", "solana"],
)
def test_wallet_addresses_are_shortened_to_their_first_and_last_four(address, short):
    assert redact_text(f"send to {address}, thanks") == (
        f"send to {short}, thanks",
        counts(wallet_address=1),
    )


def test_base58_look_alikes_with_a_bad_checksum_are_not_taken_for_addresses():
    text = "ref 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb and TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u"
    assert redact_text(text) == (text, counts())


@pytest.mark.parametrize(
    "text",
    [
        "Hi, I sent 0.5 ETH on 2024-03-15 at 14:32 and it still hasn't arrived.",
        "My withdrawal of 1,234.56 USDT (order 48213377) is pending, see "
        "https://help.example.com/hc/en-us/articles/360012345678-Withdrawals",
        "The app crashes every time I open the Swap tab on iOS 17.4.1, version 3.2.0.",
        "Fee was $4.99 instead of $1.50, can you refund the difference? Thanks!",
        "你好，我昨天转了500 USDT到交易所，到现在还没到账，订单号是20240315。",
        "我的钱包余额不见了，请帮我看一下怎么回事，谢谢！",
        "2024年3月15日下午3点，我在应用里兑换了0.25个ETH，手续费太高了。",
        "请问怎么备份助记词？官网 https://www.example.com/zh/help 上没有说明。",
        "Hola, envié 150,75 EUR el 15/03/2024 y todavía no aparece en mi cuenta.",
        "No puedo iniciar sesión desde la actualización 3.2.0, ¿me pueden ayudar?",
        "Здравствуйте! 15.03.2024 в 10:45 я отправил 2 500 руб., перевод не пришёл.",
        "Приложение закрывается при открытии кошелька, версия 3.2.0, заказ № 1234567.",
        "Bonjour, j'ai envoyé 1 234,56 € le 15/03/2024 à 10h30 et rien n'est arrivé.",
        "Merci pour votre aide, le problème est résolu depuis la mise à jour du 2 avril.",
    ],
)
def test_ordinary_support_sentences_in_five_languages_come_out_byte_identical(text):
    assert redact_text(text) == (text, counts())


def test_counts_are_given_per_kind_for_a_message_with_everything():
    text = (
        f"seed {SEED_12} key {HEX_KEY} mail a@b.io and c@d.io "
        "phone +34 612 34 56 78 wallet 0x52908400098527886E0F7030069857D2E4169EE7"
    )
    assert redact_text(text) == (
        "seed [seed phrase removed] key [private key removed] mail [email removed] and "
        "[email removed] phone [phone removed] wallet 0x5290…9EE7",
        {"seed_phrase": 1, "private_key": 1, "email": 2, "phone": 1, "wallet_address": 1},
    )


def test_redact_series_processes_each_distinct_text_once_and_counts_every_row(monkeypatch):
    seen: list[str] = []

    def spy(text: str, steps: frozenset[str]) -> tuple[str, dict[str, int]]:
        seen.append(text)
        return redact_text(text, steps)

    monkeypatch.setattr(redact.core, "redact_text", spy)
    texts = pl.Series(
        "body",
        ["mail a@b.io"] * 1000 + [None, "no secrets here", "call +34 612 34 56 78"] * 2,
    )
    cleaned, found = redact_series(texts)
    assert sorted(seen) == ["call +34 612 34 56 78", "mail a@b.io"]
    assert found == counts(email=1000, phone=2)
    assert cleaned.name == "body"
    assert (
        cleaned.to_list()
        == ["mail [email removed]"] * 1000
        + [
            None,
            "no secrets here",
            "call [phone removed]",
        ]
        * 2
    )


def test_redact_series_gives_the_same_text_as_redact_text_row_by_row():
    texts = [
        f"seed {SEED_24}",
        "nothing to see",
        None,
        "我的钱包余额不见了",
        f"1. {SEED_12}",
        "",
        "wallet bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
    ]
    cleaned, _ = redact_series(pl.Series(texts))
    assert cleaned.to_list() == [None if t is None else redact_text(t)[0] for t in texts]


def test_redact_series_accepts_an_empty_or_all_null_column():
    cleaned, found = redact_series(pl.Series([], dtype=pl.String))
    assert (cleaned.dtype, cleaned.to_list(), found) == (pl.String, [], counts())
    cleaned, found = redact_series(pl.Series([None, None]))
    assert (cleaned.dtype, cleaned.to_list(), found) == (pl.String, [None, None], counts())


def test_300000_messages_of_repeated_macros_redact_within_seconds():
    macros = [
        "Thank you for contacting us! We will reply within 24 hours.",
        "Please never share your recovery phrase with anyone, including our staff.",
        "Your withdrawal to 0x52908400098527886E0F7030069857D2E4169EE7 is being processed.",
    ]
    texts = [macros[i % 3] for i in range(297_000)] + [f"mail me: u{i}@x.io" for i in range(3_000)]
    started = time.perf_counter()
    cleaned, found = redact_series(pl.Series(texts))
    assert time.perf_counter() - started < 10  # a few seconds even on a busy 2-core machine
    assert found == counts(email=3_000, wallet_address=99_000)
    assert cleaned[2] == "Your withdrawal to 0x5290…9EE7 is being processed."


def test_real_support_chats_contain_no_false_positives(real_data):
    frame = pl.read_csv(
        real_data / "ubuntu-dialogue" / "dialogueText_head9999.csv", infer_schema=False
    )
    cleaned, found = redact_series(frame["text"])
    assert found == counts()
    assert cleaned.equals(frame["text"])


def test_redacting_an_already_redacted_text_changes_nothing():
    text = (
        f"seed {SEED_12}\nkey {WIF_COMPRESSED}\nmail a@b.io phone +7 (912) 345-67-89 "
        "to bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq and 0x52908400098527886E0F7030069857D2E4169EE7"
    )
    once, _ = redact_text(text)
    assert redact_text(once) == (once, counts())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789 +-().,:/\nabcdefxKL5@#…的天 "), max_size=200))
def test_any_text_gives_a_string_and_a_count_for_every_kind(text):
    cleaned, found = redact_text(text)
    assert isinstance(cleaned, str)
    assert list(found) == list(REDACTION_KINDS)
    assert all(n >= 0 for n in found.values())
