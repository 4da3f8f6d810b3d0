"""Which texts can hold a seed phrase, decided for a whole column in polars.

A phrase needs `seeds.MIN_WORDS` words of one list. Each text's words are extracted in Rust
(the words of `words.word_runs`; Han characters in runs, since only a character standing
alone counts as a word of a separated phrase), each distinct word is looked up once in Python
(`wordlists.normalise`, so the decision is the detector's own), and a text whose best list has
fewer words than that, within a stretch a segment could span, cannot hold a phrase. A glued Chinese phrase is the other way in: 12 Han
characters or more after a boundary or a cue word (`seeds._glued_window`'s own conditions).
Counts are over the whole text, a superset of any run in it, so skipping is exact.
"""

from __future__ import annotations

import polars as pl

from etl.redact.seeds import MAX_TYPOS, MIN_WORDS, ZH_BEFORE, ZH_CUES
from etl.redact.wordlists import normalise, word_index, word_lists
from etl.redact.words import HAN, MARKS, RUST_LETTER

_TOKENS = rf"[{HAN}]+|{RUST_LETTER}(?:{RUST_LETTER}|[{MARKS}])*"
_GLUED = rf"(?:^|{ZH_BEFORE})[{HAN}]{{12,}}|(?:{ZH_CUES})[是为為]*[{HAN}]{{12,}}"


def best_list_counts(texts: pl.Series) -> pl.Series:
    """Per text (in order), the most words of one list it has in a stretch a segment could
    span (`_stretch_counts`); 0 for null; MIN_WORDS when it has a run of Han characters a
    glued phrase could be."""
    frame = pl.DataFrame({"text": texts.cast(pl.String)}).with_row_index("at")
    tokens = (
        frame.select("at", pl.col("text").str.extract_all(_TOKENS).alias("word"))
        .explode("word")
        .drop_nulls("word")
        .with_row_index("order")
    )
    index = word_index()
    distinct = tokens["word"].unique()
    masks = pl.DataFrame(
        {"word": distinct, "mask": [index.get(normalise(w), 0) for w in distinct.to_list()]},
        schema={"word": pl.String, "mask": pl.Int64},
    )
    tokens = tokens.join(masks, on="word", how="left").sort("order").select("at", "mask")
    best = _stretch_counts(tokens)
    glued = frame.select("at", pl.col("text").str.contains(_GLUED).fill_null(False).alias("glued"))
    return (
        glued.join(best, on="at", how="left")
        .sort("at")
        .select(pl.when("glued").then(pl.lit(MIN_WORDS)).otherwise(pl.col("best").fill_null(0)))
        .to_series()
        .cast(pl.Int64)
        .alias("best")
    )


def _stretch_counts(tokens: pl.DataFrame) -> pl.DataFrame:
    """Per text (``at``): the most list words of one list within MAX_TYPOS + 1 consecutive
    streaks of that list's words (a segment holds at most MAX_TYPOS other words, so no
    segment has more). Only lists with MIN_WORDS words in a text in all are looked at."""
    totals = (
        tokens.filter(pl.col("mask") != 0)
        .group_by("at")
        .agg(((pl.col("mask") & wl.bit) != 0).sum().alias(str(wl.bit)) for wl in word_lists())
    )
    found = [pl.DataFrame(schema={"at": pl.UInt32, "best": pl.Int64})]
    if totals.is_empty():
        return found[0]
    most = totals.drop("at").max().row(0, named=True)
    for wl in word_lists():
        if (most[str(wl.bit)] or 0) < MIN_WORDS:
            continue
        texts = totals.filter(pl.col(str(wl.bit)) >= MIN_WORDS)["at"]
        member = ((pl.col("mask") & wl.bit) != 0).alias("member")
        streaks = (
            tokens.filter(pl.col("at").is_in(texts.implode()))
            .with_columns(member)
            .with_columns((~pl.col("member")).cum_sum().over("at").alias("streak"))
            .group_by("at", "streak", maintain_order=True)
            .agg(pl.col("member").sum().cast(pl.Int64).alias("n"))
            .with_columns(pl.col("n").rolling_sum(MAX_TYPOS + 1, min_samples=1).over("at"))
        )
        found.append(streaks.group_by("at").agg(pl.col("n").max().alias("best")))
    return pl.concat(found).group_by("at").agg(pl.col("best").max())
