"""Cell means shared by a KPI's DiD and its pre-trend check."""

from __future__ import annotations

import numpy as np

from metrics.training.stats import AFTER, BEFORE, PRE, cell_means, did_levels


def test_cell_means_by_hand_and_zero_without_contacts():
    n = np.array([[2.0, 0.0, 4.0]])
    s = np.array([[5.0, 3.0, 2.0]])
    # 5 / 2 = 2.5; no contact -> 0 (never a division by zero); 2 / 4 = 0.5
    assert cell_means(n, s).tolist() == [[2.5, 0.0, 0.5]]


def test_levels_from_shared_means_equal_levels_computed_alone():
    # one draw, two units, side x period: unit 0 has every cell, unit 1 lacks control pre
    n = np.zeros((1, 2, 2, 3))
    n[0, 0] = [[1, 2, 2], [1, 1, 3]]
    n[0, 1] = [[0, 1, 1], [2, 2, 2]]
    s = n * 3.0
    s[0, 0, 1, 2] = 12.0  # unit 0, trained after: mean 12 / 3 = 4
    means = cell_means(n, s)
    for periods in ((BEFORE, AFTER), (PRE, BEFORE)):
        assert np.array_equal(did_levels(n, s, periods, means), did_levels(n, s, periods))
    # before/after: both units complete, weighted by trained-after contacts (3 and 2):
    # trained after = (3 * 4 + 2 * 3) / 5 = 3.6, every other cell mean 3
    levels = did_levels(n, s, (BEFORE, AFTER), means)
    assert np.allclose(levels[0], [[3.0, 3.0], [3.0, 3.6]])
    # pre/before: unit 1 has no control pre contact, so unit 0 alone (weight 1): all 3
    assert np.allclose(did_levels(n, s, (PRE, BEFORE), means)[0], [[3.0, 3.0], [3.0, 3.0]])
