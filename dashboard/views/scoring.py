"""Which sentiment method scored each language, and how good it measured (the model card).

Used by Customer voice (sentiment per language with its method and measured accuracy) and
Data health (which methods a warehouse was scored with, and whether they are outdated).
"""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from dashboard.views.analytics import language_name
from etl.sentiment.quality import method_quality, outdated_methods

RESCORE_HINT = "python -m etl rescore --db PATH"
QUALITY_COLUMNS = {"fixture_accuracy": pl.Float64, "corpus_macro_f1": pl.Float64}


def with_quality(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` (columns language, method) with the method's model-card figures: accuracy on
    the support fixture and lowest macro-F1 on the public corpora's test splits (in %)."""
    rows = []
    for language, method in frame.select("language", "method").iter_rows():
        quality = method_quality(method, language) if language and method else None
        rows.append(
            {
                "fixture_accuracy": quality and quality.fixture_accuracy * 100,
                "corpus_macro_f1": quality and quality.corpus_macro_f1_min * 100,
            }
        )
    return pl.concat([frame, pl.DataFrame(rows, schema=QUALITY_COLUMNS)], how="horizontal")


LANGUAGE_CONFIG: dict[str, Any] = {
    "language_name": "Language",
    "method": "Method",
    "n": st.column_config.NumberColumn("Scored messages", format="localized"),
    "negative_share": st.column_config.NumberColumn("Negative", format="%.1f%%"),
    "positive_share": st.column_config.NumberColumn("Positive", format="%.1f%%"),
    "fixture_accuracy": st.column_config.NumberColumn(
        "Accuracy (support test set)",
        format="%.0f%%",
        help="Share of the 60 hand-labelled support messages of this language that the method "
        "labels right (docs/sentiment.md)",
    ),
    "corpus_macro_f1": st.column_config.NumberColumn(
        "Macro-F1 (public texts, lowest)",
        format="%.0f%%",
        help="Lowest macro-F1 over the public tweet and review test sets of this language "
        "(docs/sentiment.md)",
    ),
}


def language_method_table(by_language: pl.DataFrame) -> pl.DataFrame:
    """Sentiment per language and method for display, with each method's measured accuracy."""
    scored = by_language.filter(pl.col("n") > 0).with_columns(
        pl.col("negative_share") * 100,
        pl.col("positive_share") * 100,
        language_name=pl.col("language")
        .fill_null("")
        .map_elements(language_name, return_dtype=pl.String),
    )
    return with_quality(scored).select(*LANGUAGE_CONFIG)


SCORING_CONFIG: dict[str, Any] = {
    "language_name": "Language",
    "method": "Method",
    "customer_messages": st.column_config.NumberColumn("Customer messages", format="localized"),
    "agent_messages": st.column_config.NumberColumn("Agent and bot messages", format="localized"),
    "status": "Status",
}


def scoring_table(methods: pl.DataFrame) -> pl.DataFrame:
    """The stored methods per language, each marked current or outdated (re-score)."""
    old = set(outdated_methods(methods["method"].to_list()))
    return methods.with_columns(
        language_name=pl.col("language")
        .fill_null("")
        .map_elements(language_name, return_dtype=pl.String),
        status=pl.when(pl.col("method").is_in(list(old)))
        .then(pl.lit("older model: re-score"))
        .otherwise(pl.lit("current")),
    ).select(*SCORING_CONFIG)


def outdated(methods: pl.DataFrame) -> list[str]:
    """The stored methods that the shipped models have replaced."""
    return outdated_methods(methods["method"].to_list())
