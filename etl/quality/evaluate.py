"""Precision and recall of each automatic judge per language, on the hand-labelled set.

The positive class is the failure ("no"): what a trainer acts on, and for security
hygiene the error that costs a customer their funds. Per category, language and split:
conversations, labelled failures, predicted failures, both, precision = both / predicted,
recall = both / labelled, and agreement = share of conversations whose yes/no/n-a verdict
equals the label. ``scored`` applies the aims of issue 16 to the held-out figures.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from etl.quality.labelled import FIXTURES, REAL_DATA, load_labelled, source_rubrics
from metrics.quality.scoring import score_conversations

MIN_PRECISION = 0.9
MIN_RECALL = 0.8
MIN_RECALL_CRITICAL = 1.0


def predictions(
    fixtures: Path = FIXTURES, real_data: Path = REAL_DATA, with_real: bool = True
) -> pl.DataFrame:
    """One row per labelled conversation and category: label, prediction and the evidence.

    Scored as found, before the "not scored" table applies: the figures decide that table.
    """
    labelled = load_labelled(fixtures, real_data, with_real)
    rubrics = source_rubrics(fixtures)
    parts = []
    for source, rubric in rubrics.items():
        messages = labelled.messages.filter(pl.col("source") == source)
        if messages.is_empty():
            continue
        scored = score_conversations(messages, rubric, labelled.conversations, trust_all=True)
        parts.append(scored.verdicts)
    verdicts = pl.concat(parts).select(
        "conversation_id", "category", "verdict", "message_id", "matched", "evidence"
    )
    return labelled.labels.join(
        verdicts, on=["conversation_id", "category"], how="left"
    ).with_columns(pl.col("verdict").fill_null("missing"))


def figures(
    pred: pl.DataFrame, by: tuple[str, ...] = ("split", "language", "category")
) -> pl.DataFrame:
    """Counts, precision, recall and agreement of the failure verdict per group."""
    labelled = pl.col("label") == "no"
    predicted = pl.col("verdict") == "no"
    grouped = pred.group_by(list(by)).agg(
        pl.len().alias("n"),
        labelled.sum().alias("failures"),
        predicted.sum().alias("flagged"),
        (labelled & predicted).sum().alias("caught"),
        (pl.col("label") == pl.col("verdict")).mean().alias("agreement"),
    )
    return grouped.with_columns(
        pl.when(pl.col("flagged") > 0)
        .then(pl.col("caught") / pl.col("flagged"))
        .alias("precision"),
        pl.when(pl.col("failures") > 0).then(pl.col("caught") / pl.col("failures")).alias("recall"),
    ).sort(list(by))


def meets_aims(category: str, precision: float | None, recall: float | None) -> bool:
    """The aims of issue 16: precision >= 0.9 and recall >= 0.8 (security: recall 1.0)."""
    least = MIN_RECALL_CRITICAL if category == "security" else MIN_RECALL
    return (
        precision is not None
        and recall is not None
        and precision >= MIN_PRECISION
        and recall >= least
    )
