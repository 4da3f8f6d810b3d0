"""Tell the text encoding of an export and decode it, without being told the encoding.

Exports arrive as UTF-8 (with or without a BOM), UTF-16 with a BOM (Excel's
"Unicode text"), and GB18030/GBK (Excel CSVs saved on Chinese Windows). A BOM
decides; otherwise UTF-8 is tried first because a strict UTF-8 decode almost
never succeeds by accident, and only then is charset-normalizer asked to guess.
"""

from __future__ import annotations

import codecs
import re

from etl.errors import UnusableInput

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# charset-normalizer names any of these for Chinese text; GB18030 decodes them all.
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz"}
_SAMPLE = 64 * 1024
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\ufffd]")


def detect_encoding(data: bytes, file_label: str = "the file") -> str:
    """Name of the text encoding of an export: a Python codec name such as 'utf-8'.

    'utf-8-sig', 'utf-16-le' and 'utf-16-be' mean the data starts with a BOM
    (`decode` drops it). Chinese text without a BOM is reported as 'gb18030',
    the superset of GBK and GB2312. Raises UnusableInput when nothing decodes
    to sensible text (e.g. random binary).
    """
    return _detect(data, file_label)[1]


def decode(data: bytes, file_label: str) -> tuple[str, str]:
    """The export's text (without any BOM) and the name of its encoding."""
    return _detect(data, file_label)


def _detect(data: bytes, label: str) -> tuple[str, str]:
    """Decode once and return (text, encoding name), so the data is not decoded twice."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            codec = name.removesuffix("-sig")
            return _checked(data[len(bom) :].decode(codec, errors="replace"), name, label)
    if b"\x00" in data[:_SAMPLE]:
        name = _utf16_without_bom(data[:_SAMPLE])
        if name is None:
            raise _unknown(label)
        return _checked(data.decode(name, errors="replace"), name, label)
    try:
        return _checked(data.decode("utf-8"), "utf-8", label)
    except UnicodeDecodeError as err:
        # A file cut off inside its last character is still UTF-8.
        if err.reason == "unexpected end of data" and err.start >= len(data) - 3:
            return _checked(data.decode("utf-8", errors="replace"), "utf-8", label)
    sample = _whole_lines(data[:_SAMPLE])
    name = "gb18030" if _reads_as_chinese(sample) else _guess(sample)
    if name is None:
        raise _unknown(label)
    try:
        return _checked(data.decode(name), name, label)
    except UnicodeDecodeError:
        raise _unknown(label) from None


def _utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when the zero bytes sit where ASCII text in UTF-16 puts them."""
    half = max(len(sample) // 2, 1)
    even, odd = sample[0::2].count(0) / half, sample[1::2].count(0) / half
    if odd > 0.3 and even < 0.02:
        return "utf-16-le"
    if even > 0.3 and odd < 0.02:
        return "utf-16-be"
    return None


def _whole_lines(sample: bytes) -> bytes:
    """The sample cut after its last newline, so no multi-byte character is split."""
    cut = sample.rfind(b"\n")
    return sample[: cut + 1] if cut > 0 else sample


def _reads_as_chinese(sample: bytes) -> bool:
    """True when GB18030 decodes the sample strictly into mostly Chinese characters.

    charset-normalizer alone sometimes names a Cyrillic code page for a short
    GB18030 spreadsheet export; text that decodes cleanly as GB18030 and is mostly
    CJK ideographs and full-width punctuation is Chinese, whatever else could map it.
    """
    try:
        text = sample.decode("gb18030")
    except UnicodeDecodeError:
        return False
    wide = [ch for ch in text if ord(ch) > 0x7F]
    if len(wide) < 4:
        return False
    chinese = sum(1 for ch in wide if _is_cjk(ch))
    return chinese / len(wide) >= 0.6


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return 0x4E00 <= code <= 0x9FFF or 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF


def _guess(sample: bytes) -> str | None:
    """charset-normalizer's best guess, preferring GB18030 for Chinese and cp1252 for Western text."""
    import charset_normalizer  # only files that are not UTF-8 get here

    matches = list(charset_normalizer.from_bytes(sample))
    if not matches:
        return None
    best = matches[0]
    if best.encoding in _GB_FAMILY:
        return "gb18030"
    western = next((m for m in matches if m.encoding == "cp1252"), None)
    if western is not None and western.chaos <= best.chaos + 0.1:
        return "cp1252"
    return codecs.lookup(best.encoding).name


def looks_like_text(text: str) -> bool:
    """False when the start of ``text`` is full of control characters, which means binary."""
    sample = text[:_SAMPLE]
    return "\x00" not in sample and len(_CONTROL.findall(sample)) <= 2 + len(sample) / 100


def _checked(text: str, name: str, label: str) -> tuple[str, str]:
    """(text, name), unless the text is full of control characters, which means binary."""
    if not looks_like_text(text):
        raise _unknown(label)
    return text, name


def _unknown(label: str) -> UnusableInput:
    return UnusableInput(
        f"{label}: cannot tell the text encoding; expected UTF-8, UTF-16 or GB18030"
    )
