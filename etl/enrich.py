"""Enrichment at load time: the language of each text (etl.language) and the sentiment of
customer messages, and of agents' and bots' messages in their own column (etl.sentiment).

Every distinct text is processed once (agents' macros and bot greetings repeat
thousands of times). Above ``parallel_threshold`` distinct texts the work is
spread over all cores with a process pool whose workers each build their own
model once (spawned, so a parent holding DuckDB or Polars threads is never forked).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import types
from collections.abc import Callable, Iterable, Iterator
from functools import cache

import polars as pl
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from etl.language import language_of
from etl.redact import MARKERS
from etl.sentiment_scorers import CANDIDATES, enabled_scorers

Progress = Callable[[int], None]

PARALLEL_THRESHOLD = 20_000
# fastText is fast enough that a pool pays off only for much larger batches.
LANGUAGE_PARALLEL_THRESHOLD = 100_000
CHUNK_SIZE = 5_000

_NOISE = "|".join(
    [
        r"(?i:https?://|www\.)\S+",
        r"\S+@\S+\.\w+",
        r"@\w+",  # @names (mostly Latin letters) in tweets and chats
        r"[0-9A-Za-z]{4,6}…[0-9A-Za-z]{4}",  # a wallet address shortened by redaction
        *(marker.replace("[", r"\[").replace("]", r"\]") for marker in MARKERS.values()),
    ]
)


@cache
def _analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def _vader(text: str) -> float:
    return float(_analyzer().polarity_scores(text)["compound"])


_TASKS: dict[str, Callable[[str], object]] = {
    "vader": _vader,
    "language": language_of,
    **{s.method: s.score for s in CANDIDATES},
}
_PREPARE: dict[str, Callable[[], object]] = {
    "vader": _analyzer,
    **{s.method: s.prepare for s in CANDIDATES},
}


@contextlib.contextmanager
def _no_main_script() -> Iterator[None]:
    """Hide the parent's ``__main__`` from spawned workers while the pool lives.

    A spawned worker re-imports its parent's main script. Inside Streamlit (a demo
    built on the dashboard's first start) or its AppTest, that script is the app
    itself, which must never run in a worker: it died there, and the pool kept
    replacing its workers forever. The workers need only this module.
    """
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


def _init_worker(tasks: tuple[str, ...]) -> None:
    """Pool initializer: build this worker's models (one per task) once."""
    from etl import sentiment  # scikit-learn and SciPy: imported only where a model scores

    for task in tasks:
        if task in _PREPARE:
            _PREPARE[task]()
        elif sentiment.is_model_method(task):
            sentiment.prepare(task)


def _run_chunk(job: tuple[str, list[str]]) -> list[object]:
    """One chunk of one task; a trained model scores the chunk at once (vectorised)."""
    task, chunk = job
    from etl import sentiment

    if sentiment.is_model_method(task):
        return list(sentiment.score_batch(task, chunk))
    fn = _TASKS[task]
    return [fn(text) for text in chunk]


def _map_tasks(
    batches: list[tuple[str, list[str]]],
    *,
    workers: int | None,
    parallel_threshold: int,
    chunk_size: int,
    progress: Progress | None,
) -> list[list[object]]:
    """Apply each batch's task to its items, in-process or over a pool of ``workers`` processes.

    One result list per batch, in order; ``progress`` gets the running count over all batches.
    """
    jobs = [
        (task, items[i : i + chunk_size])
        for task, items in batches
        for i in range(0, len(items), chunk_size)
    ]
    processes = workers or os.cpu_count() or 1
    results: dict[str, list[object]] = {task: [] for task, _ in batches}
    if sum(len(items) for _, items in batches) > parallel_threshold and processes > 1:
        context = multiprocessing.get_context("spawn")
        tasks = tuple(results)
        with (
            _no_main_script(),
            context.Pool(min(processes, len(jobs)), _init_worker, (tasks,)) as pool,
        ):
            _collect(jobs, pool.imap(_run_chunk, jobs), results, progress)
    else:
        _collect(jobs, map(_run_chunk, jobs), results, progress)
    return [results[task] for task, _ in batches]


def _collect(
    jobs: list[tuple[str, list[str]]],
    outputs: Iterable[list[object]],
    results: dict[str, list[object]],
    progress: Progress | None,
) -> None:
    done = 0
    for (task, _), output in zip(jobs, outputs, strict=True):
        results[task].extend(output)
        done += len(output)
        if progress is not None:
            progress(done)


def _map_distinct(
    task: str,
    items: list[str],
    *,
    workers: int | None,
    parallel_threshold: int,
    chunk_size: int,
    progress: Progress | None,
) -> list[object]:
    """Apply one task to every item (see ``_map_tasks``)."""
    return _map_tasks(
        [(task, items)],
        workers=workers,
        parallel_threshold=parallel_threshold,
        chunk_size=chunk_size,
        progress=progress,
    )[0]


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
    etl.language.MIN_LANGUAGE_SCORE. ``progress`` is called with the number of distinct texts done.
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


def sentiment_methods() -> dict[str, str]:
    """Scoring method per language: the shipped production methods (etl.sentiment), then the
    enabled lexicon scorers for languages without a trained model (e.g. Portuguese)."""
    from etl import sentiment

    legacy = {lang: s.method for lang, s in enabled_scorers().items()}
    return legacy | sentiment.production_methods()


SCORED_SENDERS = ("customer", "agent", "bot")


def _to_score(
    texts: pl.Series, languages: pl.Series, sender_types: pl.Series | None
) -> pl.DataFrame:
    """Columns text, method (the language's method), customer and scored (a customer, agent
    or bot text that is not blank in a language with a method)."""
    senders = (
        pl.Series(["customer"] * len(texts))
        if sender_types is None
        else sender_types.cast(pl.String)
    )
    frame = pl.DataFrame(
        {
            "text": texts.cast(pl.String),
            "method": languages.cast(pl.String).replace_strict(
                sentiment_methods(), default=None, return_dtype=pl.String
            ),
            "customer": senders == "customer",
            "sender": senders,
        }
    )
    scored = (
        pl.col("method").is_not_null()
        & (pl.col("text").str.strip_chars() != "")
        & pl.col("sender").is_in(SCORED_SENDERS)
    ).fill_null(False)
    return frame.with_columns(scored.alias("scored"))


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
    """Columns sentiment, agent_sentiment (Float64 in [-1, 1]) and sentiment_method.

    A customer's text (every row when ``sender_types`` is None) is scored into
    ``sentiment``, an agent's or bot's into ``agent_sentiment`` (tone coaching; never mixed
    into customer figures); system messages are not scored. The method is the language's
    from ``sentiment_methods()``, e.g. 'model-zh@2026.12.06' or 'leia'; a row in a language
    without one gets null in all three columns, never 0.0. Each distinct (text, method) is
    scored once; above ``parallel_threshold`` of them over ``workers`` processes (default:
    all cores) in chunks of ``chunk_size``. ``progress`` gets the count of distinct texts done.
    """
    if len(languages) != len(texts) or (
        sender_types is not None and len(sender_types) != len(texts)
    ):
        raise ValueError("texts, languages and sender_types must have the same length")
    frame = _to_score(texts, languages, sender_types)
    distinct = frame.filter("scored").unique(["method", "text"], maintain_order=True)
    batches = [
        (method, distinct.filter(pl.col("method") == method)["text"].to_list())
        for method in distinct["method"].unique(maintain_order=True)
    ]
    values = _map_tasks(
        batches,
        workers=workers,
        parallel_threshold=parallel_threshold,
        chunk_size=chunk_size,
        progress=progress,
    )
    lookup = pl.DataFrame(
        {
            "method": [method for method, items in batches for _ in items],
            "text": [text for _, items in batches for text in items],
            "score": [value for batch in values for value in batch],
        },
        schema={"method": pl.String, "text": pl.String, "score": pl.Float64},
    )
    joined = frame.join(lookup, on=["method", "text"], how="left", maintain_order="left")
    return joined.select(
        pl.when(pl.col("scored") & pl.col("customer")).then("score").alias("sentiment"),
        pl.when(pl.col("scored") & ~pl.col("customer")).then("score").alias("agent_sentiment"),
        pl.when("scored").then("method").alias("sentiment_method"),
    )
