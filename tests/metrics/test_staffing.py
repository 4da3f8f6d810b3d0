"""Erlang C for one interval, checked against the textbook example and the closed formula."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from metrics.coverage.erlang import erlang_c, erlang_c_probability


def closed_form_erlang_c(traffic: int, agents: int) -> float:
    """The textbook formula with exact factorials (fine for small N; the module never uses it):
    C = (A^N / N!) (N / (N - A)) / (sum_{k<N} A^k / k! + (A^N / N!) (N / (N - A)))."""
    top = Fraction(traffic**agents, math.factorial(agents)) * Fraction(agents, agents - traffic)
    rest = sum(Fraction(traffic**k, math.factorial(k)) for k in range(agents))
    return float(top / (rest + top))


def test_textbook_interval_needs_14_agents():
    # A = 100 contacts x 3 min / 30 min = 10 Erlangs; target 80% within 20 s (AHT 180 s).
    # Computed independently with the closed formula (exact factorials, see above):
    #   N = 13: C = 0.285270, SL = 1 - 0.285270 x e^(-(13 - 10) x 20 / 180) = 0.795595 < 0.8
    #   N = 14: C = 0.174132, SL = 1 - 0.174132 x e^(-(14 - 10) x 20 / 180) = 0.888350 >= 0.8
    #   ASA(14) = 0.174132 x 180 / (14 - 10) = 7.835937 s; occupancy 10 / 14 = 0.714286
    result = erlang_c(100, 30, 3, 20, 0.8)
    assert {k: round(v, 6) if isinstance(v, float) else v for k, v in result.items()} == {
        "arrivals": 100,
        "interval_minutes": 30,
        "aht_minutes": 3,
        "target_seconds": 20,
        "service_level_target": 0.8,
        "shrinkage": 0.0,
        "traffic_erlangs": 10.0,
        "agents": 14,
        "rostered_agents": 14,
        "probability_waiting": 0.174132,
        "service_level": 0.88835,
        "asa_seconds": 7.835937,
        "occupancy": 0.714286,
    }


@pytest.mark.parametrize("agents", [11, 12, 13, 14, 20, 40])
def test_the_recursion_equals_the_closed_formula(agents):
    assert erlang_c_probability(10, agents) == pytest.approx(
        closed_form_erlang_c(10, agents), rel=1e-12
    )


def test_a_service_level_just_above_13_agents_needs_14():
    # 13 agents reach 0.795595 (see the textbook test): asking for 0.79 is met by 13
    assert erlang_c(100, 30, 3, 20, 0.79)["agents"] == 13
    assert erlang_c(100, 30, 3, 20, 0.7956)["agents"] == 14


def test_rostered_agents_add_shrinkage_and_round_up():
    # 14 / (1 - 0.3) = 20 exactly (floating point says 20.000000000000004: must not become 21)
    assert erlang_c(100, 30, 3, 20, 0.8, shrinkage=0.3)["rostered_agents"] == 20
    # 14 / (1 - 0.25) = 18.67 -> 19
    assert erlang_c(100, 30, 3, 20, 0.8, shrinkage=0.25)["rostered_agents"] == 19


def test_thousands_of_agents_do_not_overflow():
    # A = 60,000 x 3 / 30 = 6,000 Erlangs: a factorial formula would overflow a float at 171!
    result = erlang_c(60_000, 30, 3, 20, 0.8)
    assert 6_000 < result["agents"] < 6_100
    assert 0.8 <= result["service_level"] < 1
    assert 0 < result["probability_waiting"] < 1
    assert result["occupancy"] == pytest.approx(6_000 / result["agents"])
    one_fewer = erlang_c_probability(6_000, result["agents"] - 1)
    assert one_fewer > result["probability_waiting"]


def test_an_interval_without_contacts_needs_nobody():
    result = erlang_c(0, 60, 6, 60, 0.8, shrinkage=0.3)
    assert (result["agents"], result["rostered_agents"], result["service_level"]) == (0, 0, 1.0)
    assert (result["probability_waiting"], result["asa_seconds"], result["occupancy"]) == (
        0.0,
        0.0,
        0.0,
    )


def test_fewer_agents_than_the_traffic_always_wait():
    assert erlang_c_probability(10, 10) == 1.0
    assert erlang_c_probability(10, 3) == 1.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"service_level": 80}, "service_level must be a fraction"),
        ({"service_level": 1.0}, "service_level must be a fraction"),
        ({"shrinkage": 1.0}, "shrinkage must be a fraction"),
        ({"interval_minutes": 0}, "interval_minutes must be > 0"),
        ({"aht_minutes": -1}, "aht_minutes must be > 0"),
        ({"arrivals": -5}, "arrivals must be"),
        ({"arrivals": float("nan")}, "arrivals must be"),
    ],
)
def test_out_of_range_inputs_are_refused(kwargs, message):
    args = {"arrivals": 100, "interval_minutes": 30, "aht_minutes": 3, "target_seconds": 20,
            "service_level": 0.8, **kwargs}  # fmt: skip
    with pytest.raises(ValueError, match=message):
        erlang_c(**args)
