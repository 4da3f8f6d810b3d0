"""Keys pasted in other layouts (byte array, base64, colon or grouped hex), phones with a trunk
prefix or mixed separators, and ids named as such: each pattern with a near miss that stays."""

from __future__ import annotations

import base64
import hashlib

import polars as pl
import pytest

from etl.redact import REDACTION_KINDS, redact_series, redact_text

# sha256(b"support-key") and sha256(b"support-pub"): made-up 32-byte values, no funds.
KEY = hashlib.sha256(b"support-key").digest()
PUB = hashlib.sha256(b"support-pub").digest()
HEX = KEY.hex()
REMOVED = "[private key removed]"


def counts(**found: int) -> dict[str, int]:
    return {kind: found.get(kind, 0) for kind in REDACTION_KINDS}


def kept(text: str) -> None:
    assert redact_text(text) == (text, counts())


def test_a_solana_keypair_json_byte_array_is_removed():
    array = "[" + ", ".join(str(b) for b in KEY + PUB) + "]"
    assert redact_text(f"my id.json: {array} help") == (
        f"my id.json: {REMOVED} help",
        counts(private_key=1),
    )


@pytest.mark.parametrize(
    "text",
    [
        "[" + ",".join(str(b) for b in KEY + PUB[:31]) + "]",  # 63 numbers
        "[" + ",".join(["256"] + [str(b) for b in KEY + PUB[1:]]) + "]",  # 256 is not a byte
    ],
    ids=["63-numbers", "number-over-255"],
)
def test_a_number_array_that_is_not_64_bytes_is_kept(text):
    kept(f"values {text}")


@pytest.mark.parametrize(
    "secret",
    [base64.b64encode(KEY).decode(), base64.b64encode(KEY + PUB).decode()],
    ids=["32-bytes", "64-bytes"],
)
def test_a_base64_key_is_removed(secret):
    assert redact_text(f"key: {secret} ok") == (f"key: {REMOVED} ok", counts(private_key=1))


def test_base64_that_decodes_to_another_length_is_kept():
    kept(f"token {base64.b64encode(KEY + b'!').decode()} expired")  # 33 bytes


def test_an_openssl_colon_hex_private_key_is_removed_across_its_line_breaks():
    pairs = [HEX[i : i + 2] for i in range(0, 64, 2)]
    block = ":\n    ".join(":".join(pairs[i : i + 15]) for i in range(0, 32, 15))
    assert redact_text(f"priv:\n    00:{block}\npub: ...") == (
        f"priv:\n    {REMOVED}\npub: ...",
        counts(private_key=1),
    )


def test_colon_hex_shorter_than_a_key_like_a_mac_address_or_md5_fingerprint_is_kept():
    md5 = ":".join(HEX[i : i + 2] for i in range(0, 32, 2))
    kept(f"wifi 3c:22:fb:a1:09:7e, MD5 fingerprint {md5}")


@pytest.mark.parametrize(
    ("layout", "expected"),
    [
        (" ".join(HEX[i : i + 8] for i in range(0, 64, 8)), f"key {REMOVED} help"),
        (f"{HEX[:32]}\n{HEX[32:]}", f"key {REMOVED} help"),
        (" ".join(HEX[i : i + 4] for i in range(0, 64, 4)).upper(), f"key {REMOVED} help"),
        (f"dead {HEX[:32]}\n{HEX[32:]}", f"key dead {REMOVED} help"),
    ],
    ids=["groups-of-8", "two-lines", "groups-of-4-upper", "after-a-hex-word"],
)
def test_64_hex_digits_in_groups_or_over_lines_are_removed(layout, expected):
    assert redact_text(f"key {layout} help") == (expected, counts(private_key=1))


@pytest.mark.parametrize(
    "text",
    [
        "codes " + " ".join(f"{n:04d}" for n in range(1000, 1016)),  # 64 digits, no letter
        "cafe face beef dead bead fade deaf cede abbe babe " * 2,  # hex words, no digit
        "parts " + " ".join(HEX[i : i + 8] for i in range(0, 56, 8)),  # 56 digits only
        f"txid:\n{HEX[:32]}\n{HEX[32:]}",  # a transaction hash stays public
        f"ids {HEX[:40]} {HEX[40:]}",  # unequal groups
    ],
    ids=["digits-only", "hex-words", "too-short", "txid", "unequal-groups"],
)
def test_grouped_hex_that_is_not_a_key_layout_is_kept(text):
    kept(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("打 0755-2345 6789 找我", "打 [phone removed] 找我"),
        ("mobile 07700 900123", "mobile [phone removed]"),
        ("тел. 8-912-345-67-89", "тел. [phone removed]"),
        ("call 1-415-555-0132 now", "call [phone removed] now"),
    ],
    ids=["mixed-separators", "two-groups", "trunk-8", "trunk-1"],
)
def test_phones_with_a_trunk_prefix_or_mixed_separators_are_removed(text, expected):
    assert redact_text(text) == (expected, counts(phone=1))


@pytest.mark.parametrize(
    "text",
    [
        "I lost 1 234 567 890 dollars",  # one digit then thousands
        "total 1-234-567-890",
        "sent 0.7700900123 ETH",
        "since 05.01.2026 10:30",
        "code 0755-23",  # too few digits
    ],
)
def test_amounts_and_dates_near_those_phone_layouts_are_kept(text):
    kept(text)


@pytest.mark.parametrize(
    "text",
    [
        "commande n° 987654321",
        "my UID is 987654321",
        "mi pedido es 123456789",
        "order number 4567890123",
    ],
)
def test_ids_named_as_such_with_a_linking_word_are_not_phones(text):
    kept(text)


def test_a_number_after_a_linking_word_without_an_id_word_is_still_a_phone():
    assert redact_text("my mobile is 612 345 678") == (
        "my mobile is [phone removed]",
        counts(phone=1),
    )


def test_redact_series_does_not_skip_the_new_layouts():
    texts = [
        "[" + ", ".join(str(b) for b in KEY + PUB) + "]",
        base64.b64encode(KEY).decode(),
        ":".join(HEX[i : i + 2] for i in range(0, 64, 2)),
        " ".join(HEX[i : i + 8] for i in range(0, 64, 8)),
        "mobile 07700 900123",
    ]
    cleaned, found = redact_series(pl.Series(texts))
    assert cleaned.to_list() == [redact_text(t)[0] for t in texts]
    assert found == counts(private_key=4, phone=1)
