"""Survey-trained or shipped sentiment model, per language: the one that predicts the team's
own survey ratings better on this warehouse.

Both are judged on the same rated conversations (survey 4-5 positive, 1-2 negative): the
survey model by its out-of-fold (cross-validated) balanced accuracy, the shipped model by the
balanced accuracy of its stored scores (a conversation whose customer messages average >= 0
predicts a good rating). The shipped model was never fitted on these conversations, so its
figure is already out-of-sample. The survey model is used only where it is strictly better.
"""

from __future__ import annotations

import polars as pl

SURVEY = "survey-model"
SHIPPED = "shipped"


def _balanced_accuracy(correct: pl.Expr, positive: pl.Expr, has: pl.Expr) -> pl.Expr:
    """Mean recall of the two labels over the rows where ``has``; null if a label is absent."""
    pos, neg = (positive & has).sum(), (~positive & has).sum()
    return (
        pl.when((pos > 0) & (neg > 0))
        .then(
            (correct & positive & has).sum() / pos / 2 + (correct & ~positive & has).sum() / neg / 2
        )
        .otherwise(None)
    )


def shipped_figures() -> list[pl.Expr]:
    """Aggregations over rated conversations (columns positive, stored_mean): shipped_n and
    shipped_balanced_accuracy of the stored scores."""
    has = pl.col("stored_mean").is_not_null()
    correct = (pl.col("stored_mean") >= 0) == pl.col("positive")
    return [
        has.sum().alias("shipped_n"),
        _balanced_accuracy(correct, pl.col("positive"), has).alias("shipped_balanced_accuracy"),
    ]


def choose(figures: pl.DataFrame) -> pl.DataFrame:
    """``figures`` (per language: cv_balanced_accuracy, shipped_balanced_accuracy, train_n,
    shipped_n) with ``used`` (SURVEY or SHIPPED) and ``why`` in words."""
    survey, shipped = pl.col("cv_balanced_accuracy"), pl.col("shipped_balanced_accuracy")
    survey_wins = survey.is_not_null() & (shipped.is_null() | (survey > shipped))
    return figures.with_columns(
        used=pl.when(survey_wins).then(pl.lit(SURVEY)).otherwise(pl.lit(SHIPPED)),
        why=pl.when(survey.is_null())
        .then(pl.lit("shipped model: too few rated conversations to train on this warehouse"))
        .when(survey_wins & shipped.is_null())
        .then(pl.format("survey model: the shipped model scored none of the {} rated "
                        "conversations (cross-validated balanced accuracy {})",
                        "train_n", survey.round(2)))
        .when(survey_wins)
        .then(pl.format("survey model: cross-validated balanced accuracy {} beats the shipped "
                        "model's {} on the same rated conversations", survey.round(2),
                        shipped.round(2)))
        .otherwise(pl.format("shipped model: its balanced accuracy {} on {} rated "
                             "conversations is not beaten by the survey model's "
                             "cross-validated {}", shipped.round(2), "shipped_n",
                             survey.round(2))),
    )  # fmt: skip
