"""The topic model behind ``metrics.voice.topics``: tokenisation, TF-IDF + NMF, top terms.

Languages written without spaces (zh, ja, th, lo, km, my) are cut into character 2- and
3-grams inside runs of letters; all others into words of two or more letters and word
pairs. The model is fitted on a fixed sample of a language's texts and every text is then
weighed with it (see ``fit_topics``).
"""

from __future__ import annotations

import itertools
import re
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl
from threadpoolctl import ThreadpoolController

if TYPE_CHECKING:  # scikit-learn loads on first use (with scipy): the first page needs neither
    from sklearn.feature_extraction.text import TfidfVectorizer

NO_SPACE_LANGUAGES = frozenset({"zh", "ja", "th", "lo", "km", "my"})
TOP_TERMS = 8
TEXTS_PER_TOPIC = 10
FIT_TEXTS = 1000  # a language's model is fitted on at most this many texts (see fit_topics)
_BLAS_LOCK = threading.Lock()
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_ASCII_WORD = re.compile(r"[a-z]+")


def letter_ngrams(text: str) -> list[str]:
    """Character 2- and 3-grams inside each run of letters; Latin words stay whole."""
    grams: list[str] = []
    for run in _LETTER_RUN.findall(text.lower()):
        if _ASCII_WORD.fullmatch(run):
            grams.extend([run] if len(run) > 1 else [])
            continue
        for size in (2, 3):
            grams.extend(run[i : i + size] for i in range(len(run) - size + 1))
    return grams


def vectorizer(language: str | None) -> TfidfVectorizer:
    """The TF-IDF vectoriser for ``language`` (see the module docstring)."""
    common: dict[str, Any] = {"min_df": 2, "sublinear_tf": True, "max_features": 20000}
    counted_once = _counting_each_text_once()
    if language in NO_SPACE_LANGUAGES:
        return counted_once(analyzer=letter_ngrams, max_df=0.5, **common)
    english = language == "en"
    return counted_once(
        token_pattern=r"(?u)\b[^\W\d_]{2,}\b",
        ngram_range=(1, 2),
        stop_words="english" if english else None,
        max_df=1.0 if english else 0.5,
        **common,
    )


@cache
def _counting_each_text_once() -> type[TfidfVectorizer]:
    """``TfidfVectorizer`` counting the terms of each distinct text once: a language's texts
    repeat (templates, pasted replies: 1,000 fitted texts are 30-170 distinct ones at scale
    33), and counting is a Python loop over every term of every text. The count matrix is
    the distinct texts' rows repeated in the texts' order, so everything after it (document
    frequencies, pruning, TF-IDF) is what the plain vectoriser computes: the vocabulary is
    numbered in order of first appearance, and a repeated text brings no new term."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    class CountingEachTextOnce(TfidfVectorizer):
        def _count_vocab(self, raw_documents: Any, fixed_vocab: bool) -> tuple[Any, Any]:
            texts = pl.Series(list(raw_documents), dtype=pl.String)
            distinct = texts.unique(maintain_order=True)
            if distinct.len() == texts.len() or texts.null_count():
                return super()._count_vocab(texts.to_list(), fixed_vocab)
            vocabulary, counts = super()._count_vocab(distinct.to_list(), fixed_vocab)
            return vocabulary, counts[_positions(texts, distinct)]

    return CountingEachTextOnce


def _positions(texts: pl.Series, distinct: pl.Series) -> np.ndarray:
    """Each text's position in ``distinct`` (its distinct values, in any order)."""
    return texts.cast(pl.Enum(distinct)).to_physical().to_numpy()


def distinct_texts(texts: pl.Series) -> tuple[list[str], np.ndarray]:
    """The distinct texts in order of first appearance, and each text's position among them
    (``texts`` has no nulls)."""
    distinct = texts.unique(maintain_order=True)
    return distinct.to_list(), _positions(texts, distinct)


def _each_text_once(vec: TfidfVectorizer) -> TfidfVectorizer:
    """``vec`` with its analyser's terms worked out once per distinct text: the texts repeat
    (templates, pasted replies) and the same text is cut again for the fit and for weighing
    every text. The terms, and so the matrices, are those of ``vec`` as it was."""
    # From a copy: the built analyser reads its vectoriser's options when it runs.
    from sklearn.base import clone

    analyse, seen = clone(vec).build_analyzer(), {}

    def terms(text: str) -> list[str]:
        found = seen.get(text)
        if found is None:
            found = seen[text] = analyse(text)
        return found

    # The other word options are the analyser's own: unset, so the counting does not warn.
    return vec.set_params(analyzer=terms, stop_words=None, token_pattern=None, ngram_range=(1, 1))


def tokenisation(language: str | None) -> str:
    """How ``language`` is cut into terms, in words."""
    if language in NO_SPACE_LANGUAGES:
        return "character 2-3-grams"
    if language == "en":
        return "words and word pairs, English stop words"
    return "words and word pairs, terms in over half of the texts dropped"


def _overlaps(a: str, b: str, chars: bool) -> bool:
    """One term repeats the other (as text for n-grams, as a set of words otherwise)."""
    if chars:
        return a in b or b in a
    return set(a.split()) <= set(b.split()) or set(b.split()) <= set(a.split())


def _distinct(ranked: list[str], chars: bool, limit: int) -> list[str]:
    """The first ``limit`` terms that do not repeat an earlier one."""
    chosen: list[str] = []
    for term in ranked:
        if len(chosen) < limit and not any(_overlaps(term, t, chars) for t in chosen):
            chosen.append(term)
    return chosen


def _joined(terms: list[str], sample: str) -> list[str]:
    """Character n-grams that overlap end-to-start joined into the phrase they come from
    (only when that phrase occurs in ``sample``), e.g. 回复太 + 太慢了 -> 回复太慢了."""
    terms = list(terms)
    for a, b in itertools.permutations(terms, 2):
        for k in range(min(len(a), len(b)) - 1, 0, -1):
            if a[-k:] == b[:k] and a + b[k:] in sample:
                terms[terms.index(a)] = a + b[k:]
                terms.remove(b)
                return _joined(terms, sample)
    return terms


def _top_terms(row: np.ndarray, terms: np.ndarray, chars: bool, sample: str) -> list[str]:
    ranked = [str(terms[i]) for i in np.argsort(-row, kind="stable") if row[i] > 0]
    if not chars:
        return _distinct(ranked, False, TOP_TERMS)
    return _distinct(_joined(_distinct(ranked, True, 2 * TOP_TERMS), sample), True, TOP_TERMS)


@contextmanager
def _one_blas_thread() -> Iterator[None]:
    """BLAS on one thread while a model is fitted: its matrices are small, and a second thread
    waiting for a busy core costs more than it gives. The limit is process-wide, so one fit
    at a time sets and restores it."""
    with _BLAS_LOCK, _blas_controller().limit(limits=1, user_api="blas"):
        yield


@cache
def _blas_controller() -> ThreadpoolController:
    """The process's thread pools, found once (finding them reads every loaded library)."""
    return ThreadpoolController()


def _largest_first(values: np.ndarray, count: int) -> np.ndarray:
    """The indices of the ``count`` largest values, largest first, ties in index order: those
    of ``np.argsort(-values, kind="stable")[:count]``, without sorting every value."""
    if len(values) <= count or np.isnan(values).any():
        return np.argsort(-values, kind="stable")[:count]
    kth = np.partition(values, len(values) - count)[len(values) - count]  # count-th largest
    above = np.flatnonzero(values > kth)  # fewer than count
    tied = np.flatnonzero(values == kth)[: count - len(above)]
    chosen = np.concatenate([above, tied])  # each group in index order; no value in both
    return chosen[np.argsort(-values[chosen], kind="stable")]


def fit_topics(
    written: list[str],
    positions: np.ndarray,
    language: str | None,
    n_topics: int,
    fit_texts: int = FIT_TEXTS,
) -> tuple[np.ndarray, list[list[str]]] | None:
    """NMF weights (texts x topics) and each topic's top terms; None when no term occurs in
    two of the fitted texts. The texts are ``written[i] for i in positions`` (``written``:
    the distinct ones, see ``distinct_texts``), in the caller's fixed sample order. The model
    is fitted on the first ``fit_texts`` texts; beyond that, every text is weighed with it,
    each distinct text once. At most ``n_topics`` topics, and at most one per
    TEXTS_PER_TOPIC texts."""
    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning

    vec, fitted = _each_text_once(vectorizer(language)), positions[:fit_texts]
    try:
        matrix = vec.fit_transform([written[i] for i in fitted])
    except ValueError:  # an empty vocabulary after min_df / max_df
        return None
    k = max(1, min(n_topics, len(positions) // TEXTS_PER_TOPIC, matrix.shape[1]))
    model = NMF(n_components=k, init="nndsvda", random_state=0, max_iter=200)
    with _one_blas_thread(), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        # A near-exact fit makes the reported error sqrt(-0.0...): harmless.
        warnings.filterwarnings("ignore", "invalid value encountered in sqrt", RuntimeWarning)
        weights = model.fit_transform(matrix)
        if len(positions) > len(fitted):
            weights = model.transform(vec.transform(written))[positions]
    terms, chars = vec.get_feature_names_out(), language in NO_SPACE_LANGUAGES
    top = []
    for t, row in enumerate(model.components_):
        strongest = positions[_largest_first(weights[:, t], 50)].tolist()
        sample = "\n".join(written[i] for i in strongest).lower()
        top.append(_top_terms(row, terms, chars, sample))
    return weights, top
