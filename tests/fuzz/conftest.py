"""Hypothesis profiles for the fuzz tests.

``fuzz-ci`` (the default) is fast and deterministic: a fixed number of examples per test,
derandomised, no example database, no deadline (a load's first call warms the language
model). ``HYPOTHESIS_PROFILE=long`` runs far more random examples locally and keeps the
failures it finds in ``.hypothesis/`` so they replay on the next run.

The profiles are applied per test (``fuzz_support.FUZZ``), never loaded globally, so the
Hypothesis tests elsewhere in the suite keep their own settings.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

_SLOW_INPUTS = [
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.large_base_example,
    HealthCheck.function_scoped_fixture,
]

settings.register_profile(
    "fuzz-ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=_SLOW_INPUTS,
)
settings.register_profile(
    "long",
    max_examples=2_000,
    deadline=None,
    derandomize=False,
    print_blob=True,
    suppress_health_check=_SLOW_INPUTS,
)
