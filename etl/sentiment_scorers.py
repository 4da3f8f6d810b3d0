"""Lexicon sentiment scorers, each giving a score in [-1, 1] read at +-0.05 (VADER's reading).

Since the trained models (``etl.sentiment``, docs/sentiment.md) score zh, en, es, ru and fr,
these serve three purposes: prior features of the Spanish and Russian models and the gate
of the Chinese one (``etl.sentiment.priors``), today's baseline in the model card, and the
scorer of a language without a model (Portuguese: LeIA). Each was checked on the
hand-labelled support messages in tests/fixtures/sentiment/labelled.toml (figures there).

| language | method | raw output -> score |
|---|---|---|
| fr | textblob-fr | textblob-fr PatternAnalyzer polarity, already in [-1, 1]: unchanged |
| pt | leia | LeIA (VADER adapted to Portuguese) compound, already in [-1, 1]: unchanged |
| ru, es, zh | lexicon-ru, lexicon-es, lexicon-zh | the word lists below, see ``lexicon_score`` |

Rejected (measured on the same sample): snownlp for zh (2p-1: clear 0.75, but 1 of 10
neutral kept neutral, and "谢谢客服 🙏" scores -0.81) and sentiment-analysis-spanish for
es (2p-1: clear 0.79, 1 of 10 neutral kept, "Ya me llegó, muchas gracias" scores -0.95);
both are review classifiers without a neutral class. cnsenti (zh): clear 0.67. German has
no working offline scorer (textblob-de fails to import), so it stays unscored.

The lexicons are ours: short, support-specific lists of evaluative words (thanks,
praise, anger, disappointment, accusations of fraud) and emoji. Plain problem reports
("not arrived", "doesn't work") are not in them, as in VADER, so they stay neutral.
"""

from __future__ import annotations

import importlib.util
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

# A lexicon score is s / sqrt(s^2 + ALPHA) for the summed hits s (+1 / -1 each): one hit
# gives +-0.58, two +-0.82, a positive and a negative hit cancel to 0 (neutral).
ALPHA = 2.0
NEGATION_WINDOW = 3  # words before a hit (characters for Chinese) that can negate it
_CLAUSE = re.compile(r"[.,;:!?¡¿…\n，。！？；：]+")

EMOJI = {
    "👍": 1,
    "🙏": 1,
    "😊": 1,
    "🙂": 1,
    "❤️": 1,
    "🎉": 1,
    "👎": -1,
    "😡": -1,
    "😠": -1,
    "🤬": -1,
}

# Entries ending in "*" match any word starting with them; others match whole words.
# Russian: ё is read as е. Spanish: accents are dropped before matching.
RU_POSITIVE = tuple(
    """спасиб* спс благодар* отличн* супер класс классн* молодц* прекрасн* замечательн*
доволен довольна довольны рад рада ура помогли помогло помог помогает помогаете решено
решена решили решился решилась понятно хорош* вежлив* оперативн* профессионал* идеальн*
круто здорово""".split()
)
RU_NEGATIVE = tuple(
    """ужас* отвратит* кошмар* плох* худш* разочаров* бешенств* бесит бесполезн*
недопустим* безобраз* возмут* мошен* обман* развод кидал* надоел* достали достало позор*
злюсь отстой хамств* игнорир* халтур* украл* украли украден* издевательств*
неприемлем* отвратн* жуть""".split()
)
RU_NEGATORS = frozenset({"не", "нет", "ни", "никто", "ничего", "никогда", "ничем", "без", "нельзя"})

ES_POSITIVE = tuple(
    """gracias agradec* excelente genial perfect* maravill* increible contento contenta
contentos feliz bien amable amables encant* estupend* fantastic* solucionado
solucionada soluciono resuelto resuelta resolvieron ayudaron ayudo eficaz* profesional*""".split()
)
ES_NEGATIVE = tuple(
    """pesim* horribl* terribl* malisim* peor fatal decepcion* furios* harto harta
hartos inaceptable ridicul* estafa* estafador* ladron* robaron robo inutil* verguenza asco mal
molest* enojad* enfadad* indignad* lamentable desastr* basura queja* abuso vergonzoso""".split()
)
ES_NEGATORS = frozenset({"no", "nunca", "nadie", "nada", "ni", "sin", "tampoco", "jamas"})

ZH_POSITIVE = tuple(
    """谢谢 感谢 多谢 谢了 好评 点赞 满意 太好了 很好 真好 不错 棒 厉害 专业 耐心 高效 效率高
辛苦了 解决了 已解决 搞定 给力 靠谱 开心 高兴 完美 及时 赞 明白了""".split()
)
ZH_NEGATIVE = tuple(
    """太差 很差 真差 差劲 差评 垃圾 骗子 骗人 诈骗 坑人 太坑 被坑 坑爹 失望 生气 气死 愤怒
恶心 烂 太慢 很慢 慢死 糟糕 糟透 无语 投诉 不满 没用 没人管 没人回复 没人处理 没解决 没有解决 未解决
黑心 敷衍 离谱 过分 崩溃 受不了 不行 恼火 无良""".split()
)
ZH_NEGATORS = ("不", "没", "别", "未", "无")


@dataclass(frozen=True)
class Scorer:
    """A sentiment scorer for one language: ``score(text)`` in [-1, 1], ``prepare()`` loads it."""

    language: str
    method: str
    score: Callable[[str], float]
    prepare: Callable[[], object]
    requires: tuple[str, ...] = ()

    def installed(self) -> bool:
        return all(importlib.util.find_spec(module) is not None for module in self.requires)


def _fold(text: str) -> str:
    """Lower case, ё -> е, accents removed ('pésimo' = 'pesimo'; й becomes и on both sides)."""
    text = unicodedata.normalize("NFKD", text.lower().replace("ё", "е"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _squash(total: float) -> float:
    return round(total / math.sqrt(total * total + ALPHA), 4) if total else 0.0


@cache
def _matcher(words: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    exact = frozenset(_fold(w) for w in words if not w.endswith("*"))
    return exact, tuple(_fold(w[:-1]) for w in words if w.endswith("*"))


def _polarity(word: str, lexicon: dict[int, tuple[frozenset[str], tuple[str, ...]]]) -> int:
    for sign, (exact, prefixes) in lexicon.items():
        if word in exact or word.startswith(prefixes):
            return sign
    return 0


def _emoji_total(text: str) -> int:
    return sum(sign * text.count(symbol) for symbol, sign in EMOJI.items())


def lexicon_score(
    text: str,
    positive: tuple[str, ...],
    negative: tuple[str, ...],
    negators: frozenset[str],
) -> float:
    """Word-list score of an alphabetic-script text in [-1, 1].

    Each word in ``positive`` adds 1 and each in ``negative`` subtracts 1, with the sign
    flipped when one of ``negators`` stands within NEGATION_WINDOW words before it in the
    same clause (clauses end at . , ; : ! ? and line breaks); each
    emoji in EMOJI adds its sign. The sum s becomes s / sqrt(s^2 + ALPHA); no hit gives 0.
    """
    lexicon = {1: _matcher(positive), -1: _matcher(negative)}
    total = _emoji_total(text)
    for clause in _CLAUSE.split(_fold(text)):
        words = re.findall(r"\w+", clause)
        for i, word in enumerate(words):
            sign = _polarity(word, lexicon)
            if sign and negators.intersection(words[max(0, i - NEGATION_WINDOW) : i]):
                sign = -sign
            total += sign
    return _squash(total)


@cache
def _zh_pattern() -> re.Pattern[str]:
    """Every Chinese entry, longest first, so a match at a position is the longest entry."""
    entries = sorted(ZH_POSITIVE + ZH_NEGATIVE, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, entries)))


def _zh_sign(word: str) -> int:
    return 1 if word in ZH_POSITIVE else -1


def chinese_lexicon_score(text: str) -> float:
    """Word-list score of a Chinese text in [-1, 1] (no segmentation needed).

    The text is scanned left to right for the longest entry of ZH_POSITIVE / ZH_NEGATIVE
    at each position (+1 / -1); an entry that does not itself start with a negator is
    flipped when 不/没/别/未/无 occurs in the NEGATION_WINDOW characters before it within the
    same clause. Emoji and the squashing are as in ``lexicon_score``.
    """
    total = _emoji_total(text)
    for hit in _zh_pattern().finditer(text):
        word, sign = hit.group(), _zh_sign(hit.group())
        before = _CLAUSE.split(text[max(0, hit.start() - NEGATION_WINDOW) : hit.start()])[-1]
        if not word.startswith(ZH_NEGATORS) and any(n in before for n in ZH_NEGATORS):
            sign = -sign
        total += sign
    return _squash(total)


def _ru(text: str) -> float:
    return lexicon_score(text, RU_POSITIVE, RU_NEGATIVE, RU_NEGATORS)


def _es(text: str) -> float:
    return lexicon_score(text, ES_POSITIVE, ES_NEGATIVE, ES_NEGATORS)


@cache
def _textblob_fr() -> Callable[[str], object]:
    from textblob import Blobber
    from textblob_fr import PatternAnalyzer, PatternTagger

    return Blobber(pos_tagger=PatternTagger(), analyzer=PatternAnalyzer())


def _fr(text: str) -> float:
    polarity = _textblob_fr()(text).sentiment[0]
    return round(max(-1.0, min(1.0, float(polarity))), 4)


@cache
def _leia() -> object:
    from LeIA import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _pt(text: str) -> float:
    return float(_leia().polarity_scores(text)["compound"])


def _nothing() -> None:
    return None


CANDIDATES = (
    Scorer("zh", "lexicon-zh", chinese_lexicon_score, _nothing),
    Scorer("es", "lexicon-es", _es, _nothing),
    Scorer("ru", "lexicon-ru", _ru, _nothing),
    Scorer("fr", "textblob-fr", _fr, _textblob_fr, ("textblob", "textblob_fr")),
    Scorer("pt", "leia", _pt, _leia, ("LeIA",)),
)


@cache
def enabled_scorers() -> dict[str, Scorer]:
    """The scorers whose packages are installed, by ISO 639-1 language."""
    return {s.language: s for s in CANDIDATES if s.installed()}
