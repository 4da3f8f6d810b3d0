"""Topics of negative feedback: what customers are unhappy about, per language.

The texts are negative customer messages (scored at or below settings
``sentiment_negative``; only scored messages can be negative, so a language
without a scorer contributes its survey comments only) and the comments of
surveys scored 1-2, read from the derived fact ``metrics.voice.followup_facts``. Each
language with at least ``min_texts`` texts gets its own TF-IDF + NMF model
(scikit-learn, deterministic), fitted on at most ``fit_texts`` (default 1000)
of them: the first in a fixed md5 order, so the same texts every time. Every
text (up to ``max_texts``) is then weighed with that model and goes to the
topic it weighs most on, so sizes and trends count all of them.

Tokenisation: languages written without spaces (zh, ja, th, lo, km, my) use
character 2- and 3-grams inside runs of letters (no segmenter or download
needed; overlapping top n-grams are joined back into the phrase they come
from); all others use words of two or more letters and word pairs, English
with scikit-learn's English stop words, the others dropping terms that occur in
more than half of the texts instead (no stop-word list for them).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl

from metrics.core.contacts import Warehouse
from metrics.core.filters import Filters
from metrics.core.metric import metric
from metrics.core.settings import Settings
from metrics.voice.followup_facts import customer_counts_table, negative_texts_table
from metrics.voice.topic_model import FIT_TEXTS, distinct_texts, fit_topics, tokenisation

EXAMPLES = 3
NOT_ENOUGH = "not enough text"
NO_TERMS = "no usable terms"  # no term in two texts (and, outside English, in at most half)

# Which kinds of negative text each ``texts`` option models.
TEXT_KINDS = {"all": ["message", "comment"], "messages": ["message"], "comments": ["comment"]}
# A fixed sample: the first max_texts per language in md5 order of the text's key.
_TEXTS = """
    WITH texts AS (
        SELECT coalesce(c.message_language, c.language) AS language, c.kind, c.text,
            c.written_at, c.pick, c.pick_md5
        FROM {texts} AS c
        WHERE {where} AND list_contains(CAST($kinds AS VARCHAR[]), c.kind)
            AND c.written_at IS NOT NULL AND trim(coalesce(c.text, '')) <> ''
    ),
    cut AS (
        -- Each language's max_texts-th smallest pick: only texts up to it can be in the sample,
        -- so the ranking sorts those (a third of the texts at scale 33), not all of them.
        SELECT language, list_max(min(pick, $max_texts)) AS last_pick FROM texts GROUP BY language
    ),
    ranked AS (
        SELECT t.*,
            row_number() OVER (PARTITION BY t.language ORDER BY t.pick, t.pick_md5) AS pick_order
        FROM texts AS t JOIN cut AS c ON t.language IS NOT DISTINCT FROM c.language
        WHERE t.pick <= c.last_pick OR t.pick IS NULL
    ),
    counts AS (
        SELECT language, count(*) FILTER (WHERE kind = 'message') AS negative_messages,
            count(*) FILTER (WHERE kind = 'comment') AS low_score_comments
        FROM texts GROUP BY language
    ),
    span AS (SELECT min(written_at) AS first_at, max(written_at) AS last_at FROM texts)
    SELECT r.language, r.kind, r.text, r.written_at,
        date_trunc('week', (r.written_at AT TIME ZONE $timezone)::DATE)::DATE AS week,
        k.negative_messages, k.low_score_comments, s.first_at, s.last_at
    FROM ranked AS r
    JOIN counts AS k ON r.language IS NOT DISTINCT FROM k.language
    CROSS JOIN span AS s
    WHERE r.pick_order <= $max_texts ORDER BY r.language, r.pick_order
"""
_COVERAGE = """
    SELECT coalesce(c.message_language, c.language) AS language,
        sum(c.customer_messages)::BIGINT AS customer_messages,
        sum(c.scored_messages)::BIGINT AS scored_messages,
        string_agg(DISTINCT c.sentiment_method, '+' ORDER BY c.sentiment_method) AS method
    FROM {counts} AS c WHERE {where} GROUP BY ALL
"""


# Where a negative text counts: the filters, the kinds asked for, a time and some text.
_KEPT = """{where} AND list_contains(CAST($kinds AS VARCHAR[]), c.kind)
        AND c.written_at IS NOT NULL AND trim(coalesce(c.text, '')) <> ''"""
# Per language (``_TEXTS``'s language): its texts' counts, the first and last instant, and
# every text's pick, without the texts: the sample is chosen on the picks (``_cuts``).
_PICKS = """
    SELECT coalesce(c.message_language, c.language) AS language,
        count(*) FILTER (WHERE c.kind = 'message') AS negative_messages,
        count(*) FILTER (WHERE c.kind = 'comment') AS low_score_comments,
        min(c.written_at) AS first_at, max(c.written_at) AS last_at,
        count(*) - count(c.pick) AS unpicked, list(c.pick) AS picks
    FROM {texts} AS c WHERE {kept} GROUP BY ALL
"""
# The sampled texts, unordered: each language's (its place in $languages, ``slot``) texts up
# to its last pick, ``$cuts[slot]``.
_SAMPLE = """
    WITH texts AS (
        SELECT list_position(CAST($languages AS VARCHAR[]),
                coalesce(c.message_language, c.language)) AS slot,
            c.kind, c.text, c.written_at, c.pick
        FROM {texts} AS c WHERE {kept}
    )
    SELECT slot, kind, text, written_at,
        date_trunc('week', (written_at AT TIME ZONE $timezone)::DATE)::DATE AS week, pick
    FROM texts WHERE pick <= CAST($cuts AS BIGINT[])[slot]
"""


def _fetch(
    wh: Warehouse, settings: Settings, filters: Filters, kinds: str, max_texts: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The negative texts (sampled to ``max_texts`` per language, in sample order) and, per
    language, the customer messages, how many are scored and by which method."""
    tz = settings.reporting_timezone
    where, params = filters.where(tz)
    table, kept = negative_texts_table(wh, settings), _KEPT.format(where=where)
    text_params = params | {"kinds": TEXT_KINDS[kinds]}
    coverage = wh.query(
        _COVERAGE.format(counts=customer_counts_table(wh, settings), where=where), params
    )
    per_language = wh.query(_PICKS.format(texts=table, kept=kept), text_params)
    per_language = per_language.sort("language", nulls_last=True)
    cuts = _cuts(per_language, max_texts)
    if cuts is None:  # no text, or the stored order needs pick_md5: the ranked query
        ranked = _TEXTS.format(texts=table, where=where)
        ranked_params = text_params | {"timezone": tz, "max_texts": max_texts}
        return wh.query(ranked, ranked_params), coverage
    languages = per_language["language"].to_list()
    sample_params = text_params | {"languages": languages, "cuts": cuts, "timezone": tz}
    sample = wh.query(_SAMPLE.format(texts=table, kept=kept), sample_params)
    return _in_sample_order(sample, per_language), coverage


def _cuts(per_language: pl.DataFrame, max_texts: int) -> list[int] | None:
    """Each language's last pick in its sample (``per_language``: ``_PICKS``' rows): its
    ``max_texts``-th smallest, or its largest. None when there is no text, or when a text
    lacks a pick or two texts that could be in a language's sample share one: then only
    pick_md5 orders them (``_TEXTS``). Found by a partition of each language's picks and a
    sort of its sample's only."""
    if per_language.is_empty() or per_language["unpicked"].sum():
        return None
    cuts = []
    for picks in per_language["picks"]:
        values = picks.to_numpy()
        if len(values) > max_texts:
            values = values[values <= np.partition(values, max_texts - 1)[max_texts - 1]]
        values = np.sort(values)
        if (values[1:] == values[:-1]).any():
            return None
        cuts.append(int(values[-1]))
    return cuts


def _in_sample_order(sample: pl.DataFrame, per_language: pl.DataFrame) -> pl.DataFrame:
    """``_SAMPLE``'s rows as ``_TEXTS`` gives them: languages in ``per_language``'s order
    (null last), each in pick order, with the language's negative messages and low-score
    comments, and the first and last instant of every language's texts."""
    sample = sample.rechunk()  # a gather from one chunk is several times cheaper
    slots, picks = sample["slot"].to_numpy(), sample["pick"].to_numpy()
    by_slot = np.argsort(slots.astype(np.int16), kind="stable")  # a radix sort of small ints
    ends = np.searchsorted(slots[by_slot], np.arange(1, per_language.height + 1), side="right")
    order = np.concatenate(
        [own[np.argsort(picks[own])] for own in np.split(by_slot, ends[:-1])]
    )  # each language's rows by pick (none tie: ``_cuts``)
    taken, of_language = pl.Series(order), pl.Series(slots[order] - 1)
    first, last = per_language["first_at"].min(), per_language["last_at"].max()
    instants = per_language["first_at"].dtype
    # Column by column: a frame's gather works the columns in parallel, dearer on 2 busy cores.
    return pl.DataFrame(
        [per_language["language"].gather(of_language)]
        + [sample[name].gather(taken) for name in ("kind", "text", "written_at", "week")]
        + [
            per_language[name].gather(of_language)
            for name in ("negative_messages", "low_score_comments")
        ]
    ).with_columns(
        pl.lit(first, instants).alias("first_at"), pl.lit(last, instants).alias("last_at")
    )


def _examples(
    topic: np.ndarray, weight: np.ndarray, positions: np.ndarray, gists: list[str]
) -> list[int]:
    """Up to EXAMPLES distinct texts (positions among the distinct ones) of the texts
    ``topic`` selects, largest ``weight`` first (ties in text order), distinct even when
    their numbers (amounts, hashes: ``gists``) are set aside."""
    ordered = positions[topic[np.argsort(-weight[topic], kind="stable")]]
    _, first = np.unique(ordered, return_index=True)
    shown: list[int] = []
    seen: set[str] = set()
    for text in ordered[np.sort(first)].tolist():
        if gists[text] not in seen:
            seen.add(gists[text])
            shown.append(text)
            if len(shown) == EXAMPLES:
                break
    return shown


def _language_topics(
    frame: pl.DataFrame, language: str | None, model: tuple[int, int], midpoint: datetime
) -> tuple[list[dict[str, Any]], np.ndarray] | None:
    """One row per non-empty topic (largest first, numbered from 1), and each text's topic
    (0: no weight on any). None when the language has no usable terms. ``model``:
    (n_topics, fit_texts) of ``fit_topics``."""
    written, positions = distinct_texts(frame["text"])
    fitted = fit_topics(written, positions, language, *model)
    if fitted is None:
        return None
    weights, top = fitted
    strongest = weights.max(axis=1)
    raw = np.where(strongest > 0, weights.argmax(axis=1), -1)
    if not (raw >= 0).any():  # every text weighs zero on every topic
        return None
    late = (frame["written_at"] >= midpoint).to_numpy()
    kind = frame["kind"]
    slots = weights.shape[1] + 1  # raw topics, and slot 0 for texts in none

    def per_topic(selected: np.ndarray) -> np.ndarray:
        return np.bincount(raw + 1, weights=selected, minlength=slots).astype(np.int64)[1:]

    sizes = np.bincount(raw + 1, minlength=slots)[1:]
    counts = {
        "size": sizes,
        "messages": per_topic((kind == "message").to_numpy()),
        "comments": per_topic((kind == "comment").to_numpy()),
        "first_half": per_topic(~late),
        "second_half": per_topic(late),
    }
    gists = pl.Series(written, dtype=pl.String).str.replace_all(r"\S*\d\S*", "").to_list()
    order = [t for t in np.lexsort((np.arange(len(sizes)), -sizes)).tolist() if sizes[t]]
    numbers = np.zeros(len(sizes) + 1, dtype=np.int64)  # raw + 1 -> topic (0: none)
    rows = []
    for number, t in enumerate(order, start=1):
        numbers[t + 1] = number
        shown = _examples(np.flatnonzero(raw == t), strongest, positions, gists)
        rows.append(
            {"top_terms": top[t]}
            | {name: int(values[t]) for name, values in counts.items()}
            | {"examples": [written[i] for i in shown], "topic": number}
        )
    return rows, numbers[raw + 1]


def _languages(texts: pl.DataFrame, coverage: pl.DataFrame) -> pl.DataFrame:
    """Per language: texts modelled (n), negative texts before sampling, scoring coverage;
    most texts first."""
    counts = texts.group_by("language").agg(
        pl.len().alias("n"), pl.col("negative_messages", "low_score_comments").first()
    )
    joined = coverage.join(counts, on="language", how="full", coalesce=True, nulls_equal=True)
    zero = ("n", "negative_messages", "low_score_comments", "customer_messages", "scored_messages")
    return joined.with_columns(pl.col(zero).fill_null(0).cast(pl.Int64)).sort(
        ["n", "language"], descending=[True, False], nulls_last=True
    )


TOPIC_SCHEMA: dict[str, Any] = {
    "language": pl.String, "status": pl.String, "topic": pl.Int64,
    "top_terms": pl.List(pl.String), "size": pl.Int64, "share": pl.Float64,
    "messages": pl.Int64, "comments": pl.Int64, "first_half": pl.Int64,
    "second_half": pl.Int64, "change": pl.Float64, "examples": pl.List(pl.String),
    "n": pl.Int64, "negative_messages": pl.Int64, "low_score_comments": pl.Int64,
    "sampled": pl.Boolean, "fitted": pl.Int64, "unassigned": pl.Int64, "customer_messages": pl.Int64,
    "scored_messages": pl.Int64, "coverage": pl.Float64, "method": pl.String,
    "tokenisation": pl.String,
}  # fmt: skip
WEEK_SCHEMA: dict[str, Any] = {
    "language": pl.String, "topic": pl.Int64, "week": pl.Date, "texts": pl.Int64,
}  # fmt: skip


def _language_row(info: dict[str, Any], status: str, unassigned: int | None) -> dict[str, Any]:
    """The per-language columns every row of that language repeats."""
    customer, scored = info["customer_messages"], info["scored_messages"]
    return {
        "language": info["language"], "status": status, "n": info["n"],
        "negative_messages": info["negative_messages"],
        "low_score_comments": info["low_score_comments"],
        "sampled": info["n"] < info["negative_messages"] + info["low_score_comments"],
        "fitted": info.get("fitted"),
        "unassigned": unassigned, "customer_messages": customer, "scored_messages": scored,
        "coverage": scored / customer if customer else None, "method": info["method"],
        "tokenisation": tokenisation(info["language"]),
    }  # fmt: skip


def _weekly(
    frame: pl.DataFrame, topics: np.ndarray, language: str | None, period: tuple[date, date]
) -> pl.DataFrame:
    """Texts per topic (``topics``: each text's, 0 for none) and local week (weeks start on
    Monday), zero weeks included."""
    assigned = pl.DataFrame({"topic": topics, "week": frame["week"]}).filter(pl.col("topic") > 0)
    counts = assigned.group_by("topic", "week").agg(pl.len().alias("texts"))
    first = min(period[0], counts["week"].min() or period[0])
    first -= timedelta(days=first.weekday())
    last = max(period[1], counts["week"].max() or period[1])
    weeks = [first + timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]
    grid = counts.select(pl.col("topic").unique().sort()).join(
        pl.DataFrame({"week": weeks}, schema={"week": pl.Date}), how="cross"
    )
    weekly = grid.join(counts, on=["topic", "week"], how="left").with_columns(
        pl.col("texts").fill_null(0), pl.lit(language, pl.String).alias("language")
    )
    return weekly.select(list(WEEK_SCHEMA)).cast(WEEK_SCHEMA).sort("topic", "week")


def _period(texts: pl.DataFrame, filters: Filters, timezone: str) -> tuple[datetime, datetime]:
    """The period the trend halves split: the filters' days, else the texts' first and last."""
    start, end = filters.bounds(timezone)
    if texts.height:
        start, end = start or texts["first_at"][0], end or texts["last_at"][0]
    epoch = datetime(1970, 1, 1, tzinfo=ZoneInfo("UTC"))
    return start or end or epoch, end or start or epoch


def _model_language(
    texts: pl.DataFrame, info: dict[str, Any], model: tuple[int, int], midpoint: datetime
) -> tuple[list[dict[str, Any]], np.ndarray | None]:
    """Topic rows of one language, and each of its texts' topic (0: none)."""
    info = info | {"fitted": min(texts.height, model[1])}
    result = _language_topics(texts, info["language"], model, midpoint)
    if result is None:
        return [_language_row(info, NO_TERMS, None)], None
    topics, assigned = result
    base = _language_row(info, "ok", int((assigned == 0).sum()))
    rows = []
    for topic in topics:
        first, second = topic["first_half"], topic["second_half"]
        change = second / first - 1 if first else None
        rows.append(base | topic | {"share": topic["size"] / info["n"], "change": change})
    return rows, assigned


@metric(
    "negative_topics",
    label="Topics of negative feedback",
    unit="texts",
    family="topics",
    definition=(
        "Themes of negative feedback per language: customer messages scored at or below the "
        "negative sentiment threshold (only scored messages can be negative: coverage and "
        "method say which languages are scored) and comments of surveys scored 1-2. TF-IDF + "
        "NMF (scikit-learn, fixed seed) per language with at least min_texts texts, fitted on "
        "at most fit_texts (default 1000) of them, a fixed md5-ordered sample; every text is "
        "then weighed with that model and counts in the topic it weighs most on. Per topic: top terms, size and share of the "
        "language's texts, texts in the first and second half of the period (change = second "
        "/ first - 1), and the 3 distinct texts that weigh most on it, as stored (redacted)."
    ),
    variant=(
        "n_topics (default 6) per language, at most one per 10 texts, empty ones dropped; "
        "max_texts (default 20000) per language, a fixed hash-ordered sample beyond it; "
        "fit_texts (default 1000): the model's sample, the first of those (column fitted); "
        "per='week': texts per topic and local week; texts='messages'|'comments' narrows"
    ),
    exclusions=(
        "unscored customer messages (never treated as neutral), customer messages above the "
        "threshold, surveys scored 3-5 or without a comment, languages below min_texts (one "
        "'not enough text' row; 'no usable terms' when no term is shared), texts with no term "
        "of the model (unassigned), merged duplicates"
    ),
    options={"texts": tuple(TEXT_KINDS), "per": ("topic", "week")},
)
def negative_topics(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    min_texts: int = 50,
    n_topics: int = 6,
    max_texts: int = 20000,
    texts: str = "all",
    per: str = "topic",
    fit_texts: int = FIT_TEXTS,
) -> pl.DataFrame:
    """Topics of negative texts per language: TOPIC_SCHEMA rows (per='topic'; a language below
    ``min_texts`` gets one 'not enough text' row, one whose texts share no term one 'no usable
    terms' row) or WEEK_SCHEMA rows (per='week', texts per topic and local week). Each model
    is fitted on the language's first ``fit_texts`` texts in md5 order (column fitted), then
    every text is weighed with it."""
    _check(min(min_texts, n_topics, max_texts, fit_texts), texts, per)
    # The topics and their weekly counts come from one modelling of the period's texts,
    # which a page asks for twice (per topic, per week): it is remembered for the second.
    key = ("negative_topics", repr(settings), filters, min_texts, n_topics, max_texts, texts)
    rows, weekly = wh.remember(
        (*key, fit_texts),
        lambda: _model_period(
            wh, settings, filters, (min_texts, n_topics, fit_texts), texts, max_texts
        ),
    )
    return weekly if per == "week" else rows


def _model_period(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    sizes: tuple[int, int, int],
    texts: str,
    max_texts: int,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Every language's topic rows and weekly counts; ``sizes``: (min_texts, n_topics,
    fit_texts)."""
    min_texts, n_topics, fit_texts = sizes
    tz = settings.reporting_timezone
    frame, coverage = _fetch(wh, settings, filters, texts, max_texts)
    start, end = _period(frame, filters, tz)
    zone, before_end = ZoneInfo(tz), max(start, end - timedelta(microseconds=1))
    local = (start.astimezone(zone).date(), before_end.astimezone(zone).date())
    rows: list[dict[str, Any]] = []
    weekly = [pl.DataFrame(schema=WEEK_SCHEMA)]
    languages = frame.partition_by("language", maintain_order=True, as_dict=True)
    for info in _languages(frame, coverage).iter_rows(named=True):
        own = languages.get((info["language"],), frame.clear())
        if own.height < min_texts:
            rows.append(_language_row(info, NOT_ENOUGH, None))
            continue
        midpoint = start + (end - start) / 2
        topic_rows, assigned = _model_language(own, info, (n_topics, fit_texts), midpoint)
        rows.extend(topic_rows)
        if assigned is not None:
            weekly.append(_weekly(own, assigned, info["language"], local))
    return pl.DataFrame(rows, schema=TOPIC_SCHEMA), pl.concat(weekly)


def _check(smallest: int, texts: str, per: str) -> None:
    if texts not in TEXT_KINDS:
        raise ValueError(f"texts must be one of {', '.join(TEXT_KINDS)}, got {texts!r}")
    if per not in ("topic", "week"):
        raise ValueError(f"per must be 'topic' or 'week', got {per!r}")
    if smallest < 1:
        raise ValueError("min_texts, n_topics, max_texts and fit_texts must be at least 1")
