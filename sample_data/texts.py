"""Message bodies: pick a template per message and fill its placeholders, column-wise.

Values come from small pools gathered by index (tokens, networks, amounts,
transaction hashes) or from per-customer pools (wallet address, e-mail,
phone), so a customer quotes the same address every time.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from sample_data.config import LANGUAGES
from sample_data.content import Content

TOKENS = ("USDT", "ETH", "USDC", "BNB", "SOL", "TRX", "ARB", "TON", "POL", "BTC")
NETWORKS = ("Ethereum", "BNB Chain", "Tron", "Polygon", "Arbitrum", "Solana", "Base", "TON")
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
HEX = "0123456789abcdef"


def random_strings(
    rng: np.random.Generator, n: int, alphabet: str, length: int, prefix: str = ""
) -> pl.Series:
    """``n`` random strings of ``length`` characters from ``alphabet``, without a Python loop."""
    chars = np.array(list(alphabet), dtype="<U1")[rng.integers(0, len(alphabet), (n, length))]
    joined = pl.Series(np.ascontiguousarray(chars).view(f"<U{length}").ravel())
    return pl.select(pl.concat_str([pl.lit(prefix), joined])).to_series()


def _digits(rng: np.random.Generator, pattern: str, n: int) -> pl.Series:
    """Phone numbers: every '#' in ``pattern`` becomes a random digit."""
    out = pl.Series([pattern] * n)
    for _ in range(pattern.count("#")):
        out = out.str.replace("#", pl.Series(rng.integers(0, 10, n).astype(str)), literal=True)
    return out


class Pools:
    """Placeholder values: shared pools and one address, e-mail and phone per customer."""

    def __init__(
        self,
        rng: np.random.Generator,
        content: Content,
        n_customers: int,
        customer_lang: np.ndarray,
    ):
        n = n_customers
        eth = random_strings(rng, n, HEX, 40, "0x")
        tron = random_strings(rng, n, BASE58, 33, "T")
        use_tron = np.isin(customer_lang, (LANGUAGES.index("zh"), LANGUAGES.index("ru"))) & (
            rng.random(n) < 0.5
        )
        self.address = pl.select(pl.when(pl.Series(use_tron)).then(tron).otherwise(eth)).to_series()
        en = content.data["en"]["values"]
        handles = pl.Series(en["email_handles"]).gather(
            rng.integers(0, len(en["email_handles"]), n)
        )
        domains = pl.Series(en["email_domains"]).gather(
            rng.integers(0, len(en["email_domains"]), n)
        )
        numbers = pl.Series(rng.integers(1, 999, n).astype(str))
        self.email = pl.select(pl.concat_str([handles, numbers, pl.lit("@"), domains])).to_series()
        phones = [_digits(rng, content.pool(i, "phone_format"), n) for i in range(len(LANGUAGES))]
        self.phone = pl.select(
            pl.coalesce(
                pl.when(pl.Series(customer_lang) == i).then(p) for i, p in enumerate(phones)
            )
        ).to_series()
        self.tx = random_strings(rng, 4096, HEX, 64, "0x")
        amounts = np.round(np.exp(rng.normal(5.0, 1.8, 600)), 2)
        self.amount = pl.Series([f"{a:,.2f}".rstrip("0").rstrip(".") for a in amounts])
        self.version = pl.Series(
            [f"6.{minor}.{patch}" for minor in range(0, 9) for patch in range(0, 4)]
        )
        self.devices = [pl.Series(content.pool(i, "devices")) for i in range(len(LANGUAGES))]


def _gather(rng: np.random.Generator, pool: pl.Series, n: int) -> pl.Series:
    return pool.gather(rng.integers(0, len(pool), n))


def _values(
    name: str, rng: np.random.Generator, pools: Pools, lang: np.ndarray, customer: np.ndarray
) -> pl.Series:
    """Values of one placeholder for the rows that use it."""
    shared = {"token": pl.Series(TOKENS), "network": pl.Series(NETWORKS)}
    shared |= {"amount": pools.amount, "tx": pools.tx, "version": pools.version}
    if name in shared:
        return _gather(rng, shared[name], len(lang))
    if name == "device":
        choices = [_gather(rng, d, len(lang)) for d in pools.devices]
        return pl.select(
            pl.coalesce(pl.when(pl.Series(lang) == i).then(c) for i, c in enumerate(choices))
        ).to_series()
    return {"address": pools.address, "email": pools.email, "phone": pools.phone}[name].gather(
        customer
    )


PLACEHOLDERS = (
    "token",
    "network",
    "amount",
    "tx",
    "version",
    "device",
    "address",
    "email",
    "phone",
)


def fill(
    rng: np.random.Generator,
    content: Content,
    pools: Pools,
    cls: np.ndarray,
    lang: np.ndarray,
    cat: np.ndarray,
    customer: np.ndarray,
    extra: dict[str, pl.Series],
) -> pl.Series:
    """A body per row: a template of (class, language, category), placeholders filled.

    ``extra`` holds row-aligned values for further placeholders ({agent}, {secret}).
    Values are drawn only for the rows whose template uses the placeholder.
    """
    body = pl.Series("body", content.texts).gather(content.choose(rng, cls, lang, cat))
    for name in (*PLACEHOLDERS, *extra):
        mark = "{" + name + "}"
        rows = np.flatnonzero(body.str.contains(mark, literal=True).to_numpy())
        if not len(rows):
            continue
        if name in extra:
            values = extra[name].gather(rows)
        else:
            values = _values(name, rng, pools, lang[rows], customer[rows])
        parts = pl.DataFrame({"b": body.gather(rows), "v": values})
        filled = parts.select(pl.col("b").str.replace_all(mark, pl.col("v"), literal=True))
        body = body.scatter(rows, filled.to_series())
    return body
