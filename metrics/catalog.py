"""Imports every metric family so that the registry is complete."""

from __future__ import annotations

from metrics import (  # noqa: F401
    bot,
    chat_queue,
    conversation,
    coverage,
    coverage_staffing,
    csat,
    followup,
    forecast,
    peaks,
    resolution,
    response,
    retention,
    scorecard,
    security,
    sentiment,
    sentiment_model,
    status_time,
    topics,
    training,
    wait_estimates,
)
