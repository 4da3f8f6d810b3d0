"""Text normalisation and hashed word + character n-gram features for the sentiment models.

Features are hashed (scikit-learn's ``HashingVectorizer``, MurmurHash3 with a fixed seed),
so a shipped model needs no vocabulary: the feature spec (a few numbers) and the learnt
arrays rebuild it exactly with any scikit-learn version. Each block (characters within
word boundaries, words) gets sublinear term frequency, an optional IDF weight learnt at
training time and its own L2 norm, and the blocks are joined side by side.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize

_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S+|\bhttp\b")
_MENTION = re.compile(r"@\w+")
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# The Chinese chat corpus is pre-tokenised with spaces (Jieba); customer texts are not.
_HAN_GAP = re.compile(rf"(?<=[{_HAN}])\s+(?=[{_HAN}])")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+(?=[!?.,;:…！？。，])")
_REPEAT = re.compile(r"(.)\1{3,}")
_SPACES = re.compile(r"\s+")
# Words, runs of ! or ?, and single symbols (emoji, punctuation) as tokens.
_TOKEN = r"(?u)\b\w+\b|[!?]+|[^\w\s]"
# Negation scope (FeatureSpec.negation): the up to three words after a negator, within its
# clause, get the prefix "neg_" in the word block ("no funciona bien" -> "no neg_funciona
# neg_bien"), so "funciona" and "no ... funciona" are different features (the character block
# keeps the plain text). Negators of en, es, fr and ru; a word ending in n't counts too.
_NEGATOR = (
    r"not|no|never|nothing|nobody|cannot|\w+n't|nunca|ni|tampoco|jam[aá]s|nada|nadie|sin"
    r"|ne|n'|pas|rien|personne|sans|не|нет|ни|никогда|ничего|никто|без"
)
_NEGATION_SCOPE = re.compile(rf"(?<!\w)({_NEGATOR})(?!\w)((?:\s+[^\W\d_][\w']*){{1,3}})")
_SCOPE_WORD = re.compile(r"(?<=\s)(?=[^\W\d_])")


def normalise(text: str) -> str:
    """Lower-cased text with links as 'http', @names as '@user', no spaces between Han
    characters or before punctuation ('bien ! !' -> 'bien!!'), runs of 4+ equal characters cut to 3.
    """
    text = _URL.sub(" http ", text.casefold().replace("ё", "е"))
    text = _MENTION.sub("@user", text)
    text = _HAN_GAP.sub("", text)
    text = _SPACE_BEFORE_PUNCT.sub("", text)
    text = _REPEAT.sub(r"\1\1\1", text)
    return _SPACES.sub(" ", text).strip()


def mark_negation(text: str) -> str:
    """Normalised ``text`` with the words in a negator's scope prefixed 'neg_' (see _NEGATOR)."""
    return _NEGATION_SCOPE.sub(lambda m: m.group(1) + _SCOPE_WORD.sub("neg_", m.group(2)), text)


@dataclass(frozen=True)
class FeatureSpec:
    """Hashing parameters: n-gram ranges and the number of hash buckets of each block."""

    char_ngrams: tuple[int, int] = (1, 4)
    char_analyzer: str = "char"  # "char_wb" (within word boundaries) was 1.8x slower, no better
    char_bits: int = 18
    word_ngrams: tuple[int, int] = (1, 2)
    word_bits: int = 17
    word_weight: float = 1.0
    negation: bool = False  # mark negation scope in the word block (mark_negation)

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, object]) -> FeatureSpec:
        return cls(
            char_ngrams=tuple(data["char_ngrams"]),  # type: ignore[arg-type]
            char_analyzer=str(data.get("char_analyzer", "char_wb")),
            char_bits=int(data["char_bits"]),  # type: ignore[arg-type]
            word_ngrams=tuple(data["word_ngrams"]),  # type: ignore[arg-type]
            word_bits=int(data["word_bits"]),  # type: ignore[arg-type]
            word_weight=float(data["word_weight"]),  # type: ignore[arg-type]
            negation=bool(data.get("negation", False)),
        )

    @property
    def n_features(self) -> int:
        return 2**self.char_bits + 2**self.word_bits


def _hasher(analyzer: str, ngrams: tuple[int, int], bits: int) -> HashingVectorizer:
    return HashingVectorizer(
        analyzer=analyzer,
        ngram_range=ngrams,
        n_features=2**bits,
        alternate_sign=False,
        norm=None,
        lowercase=False,
        token_pattern=_TOKEN if analyzer == "word" else None,
        dtype=np.float32,
    )


def counts(texts: list[str], spec: FeatureSpec) -> sp.csr_matrix:
    """Sublinear (1 + log) hashed counts of normalised texts: character block, then word block."""
    clean = [normalise(t) for t in texts]
    blocks = [
        _hasher(spec.char_analyzer, spec.char_ngrams, spec.char_bits).transform(clean),
        _hasher("word", spec.word_ngrams, spec.word_bits).transform(
            [mark_negation(t) for t in clean] if spec.negation else clean
        ),
    ]
    matrix = sp.hstack(blocks, format="csr", dtype=np.float32)
    matrix.data = 1.0 + np.log(matrix.data)
    return matrix


def idf_weights(matrix: sp.csr_matrix) -> np.ndarray:
    """Smoothed inverse document frequency of each hashed feature (as TfidfTransformer's)."""
    n_docs = matrix.shape[0]
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    return (np.log((1 + n_docs) / (1 + df)) + 1.0).astype(np.float32)


def weigh(matrix: sp.csr_matrix, idf: np.ndarray, spec: FeatureSpec) -> sp.csr_matrix:
    """IDF-weighted counts with each block L2-normalised, the word block scaled by its weight."""
    weighted = matrix @ sp.diags(idf, format="csr")
    cut = 2**spec.char_bits
    chars = normalize(weighted[:, :cut])
    words = normalize(weighted[:, cut:]) * spec.word_weight
    return sp.hstack([chars, words], format="csr", dtype=np.float32)
