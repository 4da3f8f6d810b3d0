"""Which texts can hold a seed phrase, decided for a whole column in polars.

A phrase needs `seeds.MIN_WORDS` words of one list. Each text's words are extracted in Rust
(the words of `words.word_runs`; Han characters in runs, since only a character standing
alone counts as a word of a separated phrase), each distinct word is looked up once in Python
(`wordlists.normalise`, so the decision is the detector's own), and a text whose best list has
fewer words than that cannot hold a phrase. A glued Chinese phrase is the other way in: 12 Han
characters or more after a boundary or a cue word (`seeds._glued_window`'s own conditions).
Counts are over the whole text, a superset of any run in it, so skipping is exact.
"""

from __future__ import annotations

import polars as pl

from etl.redact.seeds import MIN_WORDS, ZH_BEFORE, ZH_CUES
from etl.redact.wordlists import normalise, word_index, word_lists
from etl.redact.words import HAN, MARKS, RUST_LETTER

_TOKENS = rf"[{HAN}]+|{RUST_LETTER}(?:{RUST_LETTER}|[{MARKS}])*"
_GLUED = rf"(?:^|{ZH_BEFORE})[{HAN}]{{12,}}|(?:{ZH_CUES})[是为為]*[{HAN}]{{12,}}"


def best_list_counts(texts: pl.Series) -> pl.Series:
    """Per text (in order), the most words it has of any one list (0 for null; MIN_WORDS when
    it has a run of Han characters a glued phrase could be)."""
    frame = pl.DataFrame({"text": texts.cast(pl.String)}).with_row_index("at")
    tokens = (
        frame.select("at", pl.col("text").str.extract_all(_TOKENS).alias("word"))
        .explode("word")
        .drop_nulls("word")
    )
    index = word_index()
    distinct = tokens["word"].unique()
    masks = pl.DataFrame(
        {"word": distinct, "mask": [index.get(normalise(w), 0) for w in distinct.to_list()]},
        schema={"word": pl.String, "mask": pl.Int64},
    ).filter(pl.col("mask") != 0)
    listed = tokens.join(masks, on="word")
    bits = [wl.bit for wl in word_lists()]
    per_list = listed.group_by("at").agg(
        ((pl.col("mask") & bit) != 0).sum().alias(f"b{k}") for k, bit in enumerate(bits)
    )
    best = per_list.select("at", pl.max_horizontal(pl.exclude("at")).alias("best"))
    glued = frame.select("at", pl.col("text").str.contains(_GLUED).fill_null(False).alias("glued"))
    return (
        glued.join(best, on="at", how="left")
        .sort("at")
        .select(pl.when("glued").then(pl.lit(MIN_WORDS)).otherwise(pl.col("best").fill_null(0)))
        .to_series()
        .cast(pl.Int64)
        .alias("best")
    )
