"""Figures for the model card: accuracy, macro-F1 and the confusion matrix of a labelling."""

from __future__ import annotations

from collections.abc import Sequence

from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

from etl.sentiment.corpora import LABELS


def figures(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, object]:
    """Accuracy, macro-F1 and confusion matrix (rows gold, columns predicted, in LABELS order).

    Macro-F1 averages over the labels present in ``gold``: on a binary corpus a neutral
    prediction counts as a miss for the text's own label but neutral gets no F1 of its own.
    """
    present = [label for label in LABELS if label in set(gold)]
    return {
        "n": len(gold),
        "accuracy": round(float(accuracy_score(gold, predicted)), 4),
        "macro_f1": round(float(f1_score(gold, predicted, labels=present, average="macro")), 4),
        "confusion": confusion_matrix(gold, predicted, labels=list(LABELS)).tolist(),
    }
