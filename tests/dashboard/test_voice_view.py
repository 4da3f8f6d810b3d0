"""The Customer voice page's note on how topics were fitted and how many texts fit none."""

from __future__ import annotations

import polars as pl

from dashboard.views.voice import topic_fit_note


def topics(n: int, fitted: int, unassigned: int, status: str = "ok") -> pl.DataFrame:
    # Two topic rows of one language: the per-language columns repeat on every row.
    return pl.DataFrame(
        {
            "language": ["ru", "ru"],
            "status": [status, status],
            "n": [n, n],
            "fitted": [fitted, fitted],
            "unassigned": [unassigned, unassigned],
        }
    )


def test_a_sampled_fit_and_unassigned_texts_are_both_said():
    note = topic_fit_note(topics(2619, 1000, 1305), "ru")
    assert note == (
        "In this language the model was fitted on a fixed sample of 1,000 of the 2,619 texts; "
        "1,305 of the 2,619 texts share no term with any topic."
    )


def test_only_what_applies_is_said():
    assert topic_fit_note(topics(400, 400, 12), "ru") == (
        "In this language 12 of the 400 texts share no term with any topic."
    )
    assert topic_fit_note(topics(5000, 1000, 0), "ru") == (
        "In this language the model was fitted on a fixed sample of 1,000 of the 5,000 texts."
    )


def test_nothing_is_said_when_every_text_was_fitted_and_assigned():
    assert topic_fit_note(topics(400, 400, 0), "ru") is None
    assert topic_fit_note(topics(400, 400, 0), "en") is None
    assert topic_fit_note(topics(30, 0, 0, status="not enough text"), "ru") is None
