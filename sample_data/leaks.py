"""Secrets customers paste into support: seed phrases and private keys the ETL must redact.

About 400 customer messages per 30,000 tickets carry one: 60% a valid BIP39
seed phrase (12 or 24 English words, written spaced, numbered or one per
line), 40% a 64-hex private key. E-mails, phone numbers and wallet addresses
appear through the templates themselves.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from mnemonic import Mnemonic

from sample_data.config import CATEGORIES
from sample_data.content import CODE
from sample_data.texts import HEX, random_strings
from sample_data.threads import CUSTOMER

LEAKS_PER_SCALE = 400
SEED_SHARE = 0.6
LONG_SEED_SHARE = 0.3
LEAK_CATEGORIES = ("security", "seed_phrase_lost", "account", "transfer_stuck", "token_missing")


def _layout(words: list[str], style: int) -> str:
    """A phrase as customers type it: spaced, numbered, or one word per line."""
    if style == 1:
        return " ".join(f"{i}.{w}" for i, w in enumerate(words, start=1))
    if style == 2:
        return "\n".join(words)
    return " ".join(words)


def seed_phrases(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` valid English BIP39 phrases (checksums correct), 30% of them 24 words."""
    wordlist = Mnemonic("english")
    long = rng.random(n) < LONG_SEED_SHARE
    styles = rng.choice(3, size=n, p=(0.6, 0.2, 0.2))
    return [
        _layout(wordlist.to_mnemonic(rng.bytes(32 if is_long else 16)).split(), int(style))
        for is_long, style in zip(long, styles, strict=True)
    ]


def plant(
    rng: np.random.Generator,
    role: np.ndarray,
    cls: np.ndarray,
    cat: np.ndarray,
    in_ticket: np.ndarray,
    scale: float,
) -> tuple[np.ndarray, pl.Series]:
    """Turn some customer messages into pastes of a secret.

    Returns the new template classes and the {secret} value of every message ("" for most).
    """
    leak_cats = np.array([CATEGORIES.index(c) for c in LEAK_CATEGORIES])
    usable = (role == CUSTOMER) & np.isin(cls, (CODE["customer.open"], CODE["customer.reply"]))
    candidates = np.flatnonzero(usable & np.isin(cat, leak_cats) & in_ticket)
    n = min(len(candidates), round(LEAKS_PER_SCALE * scale))
    chosen = np.sort(rng.choice(candidates, size=n, replace=False))
    is_seed = rng.random(n) < SEED_SHARE
    cls = cls.copy()
    cls[chosen] = np.where(is_seed, CODE["customer.seed"], CODE["customer.key"])
    keys = random_strings(rng, n, HEX, 64)
    prefix = np.where(rng.random(n) < 0.5, "0x", "")
    values = np.array([""] * n, dtype=object)
    values[is_seed] = seed_phrases(rng, int(is_seed.sum()))
    values[~is_seed] = [
        p + k for p, k in zip(prefix[~is_seed], keys.filter(pl.Series(~is_seed)), strict=True)
    ]
    secret = pl.repeat("", len(cls), dtype=pl.String, eager=True)
    return cls, secret.scatter(chosen, pl.Series(values, dtype=pl.String))
