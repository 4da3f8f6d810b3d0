"""From calibrated probabilities to a label and a score in [-1, 1].

A text is negative when P(negative) reaches the negative threshold, positive when
P(positive) reaches the positive one (the larger wins when both do), else neutral. The
thresholds are the same in every language (chosen on the support fixture, stored in the
manifest), so a negative label means the same confidence in every language.

The stored score keeps VADER's reading, which the metrics' settings use (<= -0.05 negative,
>= +0.05 positive): a negative text scores -(0.05 + 0.95 (p - t) / (1 - t)) with p its
P(negative) and t the threshold, from -0.05 at the threshold to -1 at certainty; positive
mirrors it; a neutral text scores 0.05 (P(pos)/t_pos - P(neg)/t_neg) * 0.998, strictly between.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

EDGE = 0.05  # the settings' default thresholds (VADER's), which the scores keep


@dataclass(frozen=True)
class Thresholds:
    """Minimum calibrated probability for a negative and for a positive label."""

    negative: float
    positive: float


def _sides(probs: np.ndarray, th: Thresholds) -> tuple[np.ndarray, np.ndarray]:
    neg, pos = probs[:, 0], probs[:, 2]
    is_neg = (neg >= th.negative) & ((neg >= pos) | (pos < th.positive))
    is_pos = (pos >= th.positive) & ~is_neg
    return is_neg, is_pos


def labels(probs: np.ndarray, th: Thresholds) -> np.ndarray:
    """'negative', 'neutral' or 'positive' per row of (n, 3) probabilities."""
    is_neg, is_pos = _sides(probs, th)
    return np.where(is_neg, "negative", np.where(is_pos, "positive", "neutral"))


def scores(probs: np.ndarray, th: Thresholds) -> np.ndarray:
    """Scores in [-1, 1] whose sign at +-EDGE gives the same labels as ``labels``."""
    is_neg, is_pos = _sides(probs, th)
    neg, pos = probs[:, 0], probs[:, 2]
    negative = -(EDGE + (1 - EDGE) * (neg - th.negative) / (1 - th.negative))
    positive = EDGE + (1 - EDGE) * (pos - th.positive) / (1 - th.positive)
    neutral = EDGE * 0.998 * np.clip(pos / th.positive - neg / th.negative, -1, 1)
    out = np.where(is_neg, negative, np.where(is_pos, positive, neutral))
    return np.round(np.clip(out, -1, 1), 4)
