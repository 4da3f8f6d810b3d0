"""Staffing: how many agents an interval needs, by Erlang C.

Erlang C models one queue with ``N`` agents, Poisson arrivals and exponential
handle times; customers wait (never abandon) until an agent is free. The
traffic intensity ``A = arrivals x AHT / interval`` (in Erlangs) is the number
of agents that would be busy all the time; ``N`` must exceed it for the queue
to be stable. The probability of waiting is computed from the Erlang B
recursion ``B(k) = A B(k-1) / (k + A B(k-1))``, which stays within [0, 1] and
never forms a factorial, so it is exact and fast for thousands of agents.
"""

from __future__ import annotations

import math
from typing import Any

# Rounding guard for ceil(): 14 / (1 - 0.3) is 20.000000000000004 in floating point.
_CEIL_DIGITS = 9


def erlang_b(traffic: float, agents: int) -> float:
    """Erlang B blocking probability for ``traffic`` Erlangs offered to ``agents`` servers."""
    blocking = 1.0
    for k in range(1, agents + 1):
        blocking = traffic * blocking / (k + traffic * blocking)
    return blocking


def _erlang_c_from_b(traffic: float, agents: int, blocking: float) -> float:
    """Erlang C from Erlang B for the same traffic and agents (1.0 when N <= A: unstable)."""
    if agents <= traffic:
        return 1.0
    return agents * blocking / (agents - traffic * (1.0 - blocking))


def erlang_c_probability(traffic: float, agents: int) -> float:
    """Probability that a contact has to wait (Erlang C), in [0, 1]; 1.0 when ``agents <= traffic``."""
    if traffic <= 0:
        return 0.0
    return _erlang_c_from_b(traffic, agents, erlang_b(traffic, agents))


def _service_level(
    traffic: float, agents: int, wait_probability: float, target_seconds: float, aht_seconds: float
) -> float:
    """Share of contacts answered within the target: 1 - C e^{-(N - A) T / AHT}."""
    if agents <= traffic:
        return 0.0
    return 1.0 - wait_probability * math.exp(-(agents - traffic) * target_seconds / aht_seconds)


def _check(name: str, value: float, low: float, high: float, text: str) -> None:
    if not (math.isfinite(value) and low <= value <= high):
        raise ValueError(f"{name} must be {text}, got {value!r}")


def _validate(
    arrivals: float,
    interval_minutes: float,
    aht_minutes: float,
    target_seconds: float,
    service_level: float,
    shrinkage: float,
) -> None:
    _check("arrivals", arrivals, 0, math.inf, "a number of contacts >= 0")
    _check("interval_minutes", interval_minutes, 1e-9, math.inf, "> 0")
    _check("aht_minutes", aht_minutes, 1e-9, math.inf, "> 0")
    _check("target_seconds", target_seconds, 0, math.inf, ">= 0")
    _check("service_level", service_level, 1e-9, 1 - 1e-9, "a fraction between 0 and 1, e.g. 0.8")
    _check("shrinkage", shrinkage, 0, 1 - 1e-9, "a fraction in [0, 1), e.g. 0.3")


def erlang_c(
    arrivals: float,
    interval_minutes: float,
    aht_minutes: float,
    target_seconds: float,
    service_level: float,
    shrinkage: float = 0.0,
) -> dict[str, Any]:
    """Agents needed in one interval for ``service_level`` of contacts answered within the target.

    ``arrivals`` contacts arrive in ``interval_minutes`` and take ``aht_minutes`` each to handle.
    Returns traffic_erlangs, agents (the fewest agents on the phones meeting the service level),
    rostered_agents (agents / (1 - shrinkage), rounded up: the paid headcount), and at that
    number of agents: probability_waiting (fraction), service_level (achieved, fraction),
    asa_seconds (average speed of answer over all contacts) and occupancy (A / N, fraction).
    An interval without arrivals needs no agents. Raises ValueError for out-of-range inputs.
    """
    _validate(arrivals, interval_minutes, aht_minutes, target_seconds, service_level, shrinkage)
    traffic = arrivals * aht_minutes / interval_minutes
    aht_seconds = aht_minutes * 60.0
    agents, wait, achieved = 0, 0.0, 1.0
    if traffic > 0:
        agents = math.floor(traffic) + 1
        blocking = erlang_b(traffic, agents)
        while True:
            wait = _erlang_c_from_b(traffic, agents, blocking)
            achieved = _service_level(traffic, agents, wait, target_seconds, aht_seconds)
            if achieved >= service_level:
                break
            agents += 1
            blocking = traffic * blocking / (agents + traffic * blocking)
    asa = wait * aht_seconds / (agents - traffic) if agents else 0.0
    return {
        "arrivals": arrivals,
        "interval_minutes": interval_minutes,
        "aht_minutes": aht_minutes,
        "target_seconds": target_seconds,
        "service_level_target": service_level,
        "shrinkage": shrinkage,
        "traffic_erlangs": traffic,
        "agents": agents,
        "rostered_agents": math.ceil(round(agents / (1.0 - shrinkage), _CEIL_DIGITS)),
        "probability_waiting": wait,
        "service_level": achieved,
        "asa_seconds": asa,
        "occupancy": traffic / agents if agents else 0.0,
    }
