"""Private keys pasted in a layout other than one unbroken hex or base58 string.

``key_spans`` finds, as (start, end) spans:

* a Solana keypair file (``id.json``): a JSON array of exactly 64 numbers 0-255;
* a 32- or 64-byte key in base64 with its ``=`` padding (43 + ``=`` or 86 + ``==``
  characters, mixing upper case, lower case and digits);
* 32 or 33 bytes as colon-separated hex pairs, as ``openssl ec -text`` prints them
  (lines may break after a colon);
* 64 hex digits cut into equal groups by spaces or line breaks (``1a10b256 ef046f8c …``,
  two lines of 32), the last group possibly shorter, with at least one digit and one
  letter a-f, so that runs of numbers or of words like "face" are not taken for one.

Deciding that a span is public (a transaction hash) is left to the caller.
"""

from __future__ import annotations

import base64
import binascii
import re

_BYTE_ARRAY = re.compile(r"\[\s*(?:\d{1,3}\s*,\s*){63}\d{1,3}\s*\]")
_BASE64_KEY = re.compile(
    r"(?<![A-Za-z0-9+/])(?:[A-Za-z0-9+/]{43}=|[A-Za-z0-9+/]{86}==)(?![A-Za-z0-9+/=])"
)
_COLON_HEX = re.compile(
    r"(?<![0-9A-Za-z:])[0-9a-fA-F]{2}(?::[ \t]*\n?[ \t]*[0-9a-fA-F]{2}){31,32}(?![0-9A-Za-z:])"
)
_HEX_RUN = re.compile(r"(?<![0-9A-Za-z])[0-9a-fA-F]{4,32}(?:\s+[0-9a-fA-F]{4,32})+(?![0-9A-Za-z])")
_HEX_GROUP = re.compile(r"[0-9a-fA-F]+")


def _byte_array_spans(text: str) -> list[tuple[int, int]]:
    return [
        m.span()
        for m in _BYTE_ARRAY.finditer(text)
        if all(int(n) <= 255 for n in re.findall(r"\d+", m.group()))
    ]


def _base64_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _BASE64_KEY.finditer(text):
        body = m.group()
        if not (re.search(r"[A-Z]", body) and re.search(r"[a-z]", body) and re.search(r"\d", body)):
            continue
        try:
            raw = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            continue
        if len(raw) in (32, 64):
            spans.append(m.span())
    return spans


def _is_key_layout(groups: list[str]) -> bool:
    """64 hex digits in groups of one size (the last may be shorter), digits and letters."""
    joined = "".join(groups)
    size = len(groups[0])
    return (
        len(joined) == 64
        and all(len(g) == size for g in groups[:-1])
        and len(groups[-1]) <= size
        and re.search(r"\d", joined) is not None
        and re.search(r"[a-fA-F]", joined) is not None
    )


def _hex_group_spans(text: str) -> list[tuple[int, int]]:
    """Runs of consecutive hex groups adding up to a key; stray words around it are left."""
    spans = []
    for run in _HEX_RUN.finditer(text):
        groups = list(_HEX_GROUP.finditer(text, run.start(), run.end()))
        i = 0
        while i < len(groups):
            total, j = 0, i
            while j < len(groups) and total < 64:
                total += len(groups[j].group())
                j += 1
            if _is_key_layout([g.group() for g in groups[i:j]]):
                spans.append((groups[i].start(), groups[j - 1].end()))
                i = j
            else:
                i += 1
    return spans


def key_spans(text: str) -> list[tuple[int, int]]:
    """Non-overlapping spans of keys in the layouts above, in text order."""
    found = sorted(
        _byte_array_spans(text)
        + _base64_spans(text)
        + [m.span() for m in _COLON_HEX.finditer(text)]
        + _hex_group_spans(text)
    )
    spans: list[tuple[int, int]] = []
    for start, end in found:
        if spans and start < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans
