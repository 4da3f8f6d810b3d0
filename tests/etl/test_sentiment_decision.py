"""From calibrated probabilities to labels and scores (etl.sentiment.decision)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from etl.sentiment.decision import Thresholds, labels, scores

TH = Thresholds(negative=0.4, positive=0.5)


def test_labels_need_the_threshold_and_the_larger_side_wins():
    probs = np.array(
        [
            [0.40, 0.30, 0.30],  # P(neg) reaches 0.4 -> negative
            [0.39, 0.30, 0.31],  # neither side reaches its threshold -> neutral
            [0.10, 0.40, 0.50],  # P(pos) reaches 0.5 -> positive
            [0.45, 0.00, 0.55],  # both reach: the larger (positive) wins
            [0.50, 0.00, 0.50],  # both reach, equal: negative (a complaint is not missed)
        ]
    )
    assert labels(probs, TH).tolist() == ["negative", "neutral", "positive", "positive", "negative"]


def test_scores_keep_vaders_reading_and_grow_with_confidence():
    probs = np.array([[0.4, 0.3, 0.3], [1.0, 0.0, 0.0], [0.1, 0.4, 0.5], [0.2, 0.6, 0.2]])
    # negative at its threshold: -(0.05 + 0.95 * 0 / 0.6) = -0.05; certain: -(0.05 + 0.95) = -1
    # positive at its threshold: 0.05; neutral: 0.05 * 0.998 * (0.2 / 0.5 - 0.2 / 0.4) = -0.005
    assert scores(probs, TH).tolist() == [-0.05, -1.0, 0.05, -0.005]


probabilities = st.lists(st.floats(0.0, 1.0), min_size=3, max_size=3).filter(lambda v: sum(v) > 0)


@given(st.lists(probabilities, min_size=1, max_size=20), st.floats(0.2, 0.8), st.floats(0.2, 0.8))
def test_a_score_read_at_plus_minus_0_05_gives_the_label(rows, negative, positive):
    probs = np.asarray(rows) / np.asarray(rows).sum(axis=1, keepdims=True)
    th = Thresholds(negative, positive)
    values = scores(probs, th)
    read = np.where(values >= 0.05, "positive", np.where(values <= -0.05, "negative", "neutral"))
    assert read.tolist() == labels(probs, th).tolist()
    assert np.all(np.abs(values) <= 1.0)
