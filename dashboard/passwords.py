"""Password hashes for the dashboard's password login, in the text form secrets.toml stores:
``scrypt$n$r$p$salt_b64$hash_b64`` (scrypt from the standard library, a 16-byte random salt
per hash, 32-byte digest, compared in constant time). No Streamlit here."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from functools import cache

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1  # 32 MiB and about 0.1 s per check


class HashFormatError(ValueError):
    """A stored value is not a usable scrypt hash; ``str(err)`` says why."""


def hash_password(password: str, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    """A salted scrypt hash of ``password``."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, n, r, p)
    b64 = base64.b64encode
    return f"scrypt${n}${r}${p}${b64(salt).decode()}${b64(digest).decode()}"


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    memory = 128 * r * (n + p + 2) + (1 << 20)
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=32, maxmem=memory)


def parse_hash(stored: str) -> tuple[int, int, int, bytes, bytes]:
    """(n, r, p, salt, digest) of a stored hash; HashFormatError when it is not one."""
    parts = stored.strip().split("$")
    try:
        if len(parts) != 6 or parts[0] != "scrypt":
            raise ValueError
        n, r, p = (int(x) for x in parts[1:4])
        salt = base64.b64decode(parts[4], validate=True)
        digest = base64.b64decode(parts[5], validate=True)
    except ValueError:
        raise HashFormatError(
            "not a scrypt$n$r$p$salt$hash value (make one with python -m dashboard.access hash)"
        ) from None
    if not (2 <= n <= 2**20 and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16 and digest):
        raise HashFormatError(f"scrypt parameters n={n} r={r} p={p} are out of range")
    return n, r, p, salt, digest


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches ``stored`` (compared in constant time)."""
    n, r, p, salt, digest = parse_hash(stored)
    return hmac.compare_digest(_scrypt(password, salt, n, r, p), digest)


@cache
def decoy_hash() -> str:
    """A hash of a random password, checked for unknown user names so that they take as
    long as a wrong password."""
    return hash_password(secrets.token_urlsafe(16))
