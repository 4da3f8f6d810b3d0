"""Choosing the shared thresholds: the polar rate, the fixture floors and the pick rule."""

from __future__ import annotations

import numpy as np

from etl.sentiment.choice import (
    Judged,
    candidate_probabilities,
    judge,
    keeps_fixture_floors,
    pick,
    polar_rate,
)
from etl.sentiment.decision import Thresholds
from etl.sentiment.train import Part

GOLD = ["negative"] * 20 + ["neutral"] * 20 + ["positive"] * 20


def test_polar_rate_counts_a_neutral_label_as_wrong():
    gold = ["negative", "negative", "positive", "positive", "neutral"]
    predicted = ["negative", "neutral", "positive", "negative", "negative"]
    # polar texts: 4; given their own label: the 1st and the 3rd -> 2 / 4; the neutral is ignored
    assert polar_rate(gold, predicted) == 0.5
    assert np.isnan(polar_rate(["neutral"], ["neutral"]))


def _predicted(neutral_wrong: int = 0, complaints_neutral: int = 0, positives_wrong: int = 0):
    out = list(GOLD)
    for i in range(complaints_neutral):
        out[i] = "neutral"
    for i in range(neutral_wrong):
        out[20 + i] = "positive"
    for i in range(positives_wrong):
        out[40 + i] = "negative"
    return out


def test_fixture_floors_keep_17_of_20_neutral_and_complaints_and_85_percent_accuracy():
    assert keeps_fixture_floors(GOLD, _predicted())
    # 3 neutral texts called positive: 17/20 = 0.85 kept, accuracy 57/60 = 0.95
    assert keeps_fixture_floors(GOLD, _predicted(neutral_wrong=3))
    assert not keeps_fixture_floors(GOLD, _predicted(neutral_wrong=4))  # 16/20 = 0.80
    # 3 complaints called neutral: 17/20 not neutral = 0.85; 4: 0.80
    assert keeps_fixture_floors(GOLD, _predicted(complaints_neutral=3))
    assert not keeps_fixture_floors(GOLD, _predicted(complaints_neutral=4))
    # 9 thanks called negative: accuracy 51/60 = 0.85 kept; 10: 50/60 = 0.833 below the floor
    assert keeps_fixture_floors(GOLD, _predicted(positives_wrong=9))
    assert not keeps_fixture_floors(GOLD, _predicted(positives_wrong=10))


A, B, C = Thresholds(0.3, 0.3), Thresholds(0.4, 0.4), Thresholds(0.5, 0.5)


def _j(ok: bool, polar: float, f1: float | None) -> Judged:
    return Judged(fixture_ok=ok, fixture_f1=0.9 if ok else 0.5, val_polar=polar, val_f1=f1)


def test_the_best_polar_rate_among_pairs_that_keep_the_floors_and_the_macro_f1():
    judged = {
        A: {"en": _j(False, 0.90, 0.66), "zh": _j(True, 0.90, None)},  # en fixture broken
        B: {"en": _j(True, 0.70, 0.63), "zh": _j(True, 0.80, None)},  # mean polar 0.75
        C: {"en": _j(True, 0.60, 0.65), "zh": _j(True, 0.70, None)},  # mean polar 0.65
    }
    # en's best F1 over the pairs that keep the floors: 0.65 (C); B's 0.63 is within 0.03
    assert pick(judged) == B
    # B's en F1 0.61 is 0.04 below C's: B is out, C is the only admissible pair
    judged[B]["en"] = _j(True, 0.70, 0.61)
    assert pick(judged) == C


def test_a_macro_f1_that_reaches_0_55_is_not_traded_below_it_for_polar_texts():
    judged = {
        B: {"es": _j(True, 0.70, 0.54), "zh": _j(True, 0.80, None)},  # mean polar 0.75
        C: {"es": _j(True, 0.60, 0.56), "zh": _j(True, 0.70, None)},  # mean polar 0.65
    }
    # es best 0.56: floor max(0.56 - 0.03, 0.55) = 0.55; B's 0.54 is below it
    assert pick(judged) == C
    # a best of 0.53 cannot reach 0.55: the plain slack, floor 0.53 - 0.03 = 0.50, keeps B's 0.51
    judged[B]["es"], judged[C]["es"] = _j(True, 0.70, 0.51), _j(True, 0.60, 0.53)
    assert pick(judged) == B
    # a language far above the target keeps the plain slack: 0.66 vs best 0.68 (floor 0.65)
    judged[B]["es"], judged[C]["es"] = _j(True, 0.70, 0.66), _j(True, 0.60, 0.68)
    assert pick(judged) == B


def test_without_a_pair_that_keeps_the_fixture_floors_the_best_fixture_macro_f1():
    judged = {
        A: {"en": Judged(False, 0.70, 0.9, 0.6)},
        B: {"en": Judged(False, 0.80, 0.5, 0.6)},
    }
    assert pick(judged) == B


class Stub:
    """A scorer whose probabilities are looked up by text."""

    def __init__(self, rows: dict[str, list[float]]):
        self.rows = rows

    def probabilities(self, texts: list[str]) -> np.ndarray:
        return np.asarray([self.rows[t] for t in texts], dtype=float).reshape(-1, 3)


def test_judge_reads_validation_with_the_candidate_best_on_the_fixture(tmp_path):
    fixture = tmp_path / "fixture.toml"
    fixture.write_text('[es]\nnegative = ["f-"]\nneutral = ["f0"]\npositive = ["f+"]\n', "utf-8")
    NEG, NEU, POS = [0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]
    right = {"f-": NEG, "f0": NEU, "f+": POS}
    wrong = {"f-": POS, "f0": NEG, "f+": NEU}
    tweets = Part("tweets", ["t-", "t0", "t+"], ["negative", "neutral", "positive"])
    reviews = Part("reviews", ["r-", "r+"], ["negative", "positive"])
    # the good candidate calls the tweets' negative text neutral and gets the reviews right
    good = Stub(right | {"t-": NEU, "t0": NEU, "t+": POS, "r-": NEG, "r+": POS})
    bad = Stub(wrong | {"t-": NEG, "t0": NEU, "t+": POS, "r-": NEG, "r+": POS})
    probs = candidate_probabilities([tweets, reviews], [bad, good], fixture, "es")
    j = judge(probs, Thresholds(0.5, 0.5))
    assert j.fixture_ok and j.fixture_f1 == 1.0
    # polar texts t-, t+, r-, r+: 3 of 4 given their own label by the good candidate
    assert j.val_polar == 0.75
    # macro-F1 on the tweets only (the part with a neutral class): negative 0 (its one text
    # called neutral), neutral 2*0.5*1/(1.5) = 0.667, positive 1 -> 1.667 / 3 = 0.5556
    assert j.val_f1 == 0.5556


def _cv(polar: float, val_f1: float, cv_f1: float | None) -> Judged:
    return Judged(fixture_ok=True, fixture_f1=0.9, val_polar=polar, val_f1=val_f1, cv_f1=cv_f1)


def test_the_macro_f1_floor_is_judged_on_the_cross_validated_figure_where_there_is_one():
    zh_b, zh_c = _j(True, 0.80, None), _j(True, 0.70, None)
    # Spanish validation macro-F1 (361 texts) at B 0.548, at C 0.556; over the folds 0.552, 0.553
    old = {
        B: {"es": _cv(0.70, 0.548, None), "zh": zh_b},
        C: {"es": _cv(0.60, 0.556, None), "zh": zh_c},
    }
    new = {
        B: {"es": _cv(0.70, 0.548, 0.552), "zh": zh_b},
        C: {"es": _cv(0.60, 0.556, 0.553), "zh": zh_c},
    }
    # val only (the rule before): best 0.556 >= 0.55, floor max(0.526, 0.55) = 0.55; B's 0.548
    # is below it, so C although B has the better mean polar rate (0.75 vs 0.65)
    assert pick(old) == C
    # cross-validated: best 0.553, floor 0.55; B's 0.552 holds it, so B
    assert pick(new) == B
    # the other way: validation 0.552 / 0.551 (both hold the floor: B), folds 0.546 / 0.556
    # (floor max(0.526, 0.55) = 0.55, B's 0.546 is below it: C)
    old[B]["es"], old[C]["es"] = _cv(0.70, 0.552, None), _cv(0.60, 0.551, None)
    new[B]["es"], new[C]["es"] = _cv(0.70, 0.552, 0.546), _cv(0.60, 0.551, 0.556)
    assert (pick(old), pick(new)) == (B, C)


def test_judge_reads_the_folds_with_the_candidate_best_on_the_fixture(tmp_path):
    from etl.sentiment.crossval import Folds

    fixture = tmp_path / "fixture.toml"
    fixture.write_text('[es]\nnegative = ["f-"]\nneutral = ["f0"]\npositive = ["f+"]\n', "utf-8")
    NEG, NEU, POS = [0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]
    good = Stub({"f-": NEG, "f0": NEU, "f+": POS, "v-": NEG, "v0": NEU})
    bad = Stub({"f-": POS, "f0": NEG, "f+": NEU, "v-": NEG, "v0": NEU})
    validation = [Part("tweets", ["v-", "v0"], ["negative", "neutral"])]
    gold = ["negative", "negative", "neutral", "positive"]
    # the good candidate's out-of-fold rows read negative, neutral, neutral, positive
    folds = Folds(gold, [np.asarray([POS, POS, POS, POS]), np.asarray([NEG, NEU, NEU, POS])])
    probs = candidate_probabilities(validation, [bad, good], fixture, "es", folds)
    j = judge(probs, Thresholds(0.5, 0.5))
    # negative: 1 of 2 found, no false alarm -> P 1, R 0.5, F1 0.667; neutral: 1 right, 1
    # wrong -> P 0.5, R 1, F1 0.667; positive 1 -> (0.667 + 0.667 + 1) / 3 = 0.7778
    assert j.cv_f1 == 0.7778 and j.floor_f1 == 0.7778
    assert j.val_f1 == 1.0  # the two validation texts, both right: the figure the folds replace
    assert (
        judge(
            candidate_probabilities(validation, [bad, good], fixture, "es"), Thresholds(0.5, 0.5)
        ).floor_f1
        == 1.0
    )
