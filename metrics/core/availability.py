"""What each metric needs, and whether the current warehouse and filters have it.

:data:`NEEDS` declares, for every registered metric (a test fails when one is missing), the
inputs it cannot do without (``required``), the ones that make it whole (``optional``: without
them the figure is *partial*, e.g. agents on shift inferred from message hours, business time
without a calendar) and how its figures settle after a contact (``settles``, the kind of lag
``metrics.core.provisional`` measures). The inputs and their rules are
``metrics.core.input_rules``; the counts they read are ``metrics.core.inputs``.

Public functions, for pages, the CLI, Data health and alerts (issue 17):

- :func:`availability` -> :class:`Availability` of one metric for a warehouse and filters;
- :func:`judge` -> the same from already counted :class:`~metrics.core.inputs.DataFacts`
  (count once with :func:`~metrics.core.inputs.data_facts`, judge many metrics);
- :func:`availability_table` -> every declared metric with its status, reasons and commands.

A figure whose status is ``not_available`` must be shown as "not available" with its
reasons and commands: never as 0, a small sample or a conclusion.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import polars as pl

from metrics.core.contacts import Warehouse
from metrics.core.filters import Filters
from metrics.core.input_rules import INPUTS, InputState
from metrics.core.inputs import DataFacts, data_facts
from metrics.core.settings import Settings

Status = Literal["available", "partial", "not_available"]
STATUS_WORDS: dict[str, str] = {
    "available": "available",
    "partial": "partial",
    "not_available": "not available",
}
SETTLE_KINDS = (
    "none", "first_reply", "resolution", "full_resolution", "fcr", "repeat", "csat",
    "conversation", "bot_return",
)  # fmt: skip


@dataclass(frozen=True)
class Needs:
    """A metric's inputs: ``required`` (absent: not available), ``optional`` (absent:
    partial) and ``settles``, how long its figures keep moving (a SETTLE_KINDS name)."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    settles: str = "none"


_TIMED = ("contacts", "creation_times")
_FRT = (*_TIMED, "first_replies")
_RESOLUTION = (*_TIMED, "solve_times")
_COVERAGE = (*_TIMED, "presence")
_SECURITY = (*_TIMED, "security_markers")
_RETENTION = (*_TIMED, "customer_ids", "customer_activity")
_TRAINING = (*_TIMED, "agent_ids", "trainings")

NEEDS: dict[str, Needs] = {
    "contacts": Needs(("contacts",)),
    "frt": Needs(_FRT, settles="first_reply"),
    "frt_business": Needs(_FRT, ("business_calendar",), "first_reply"),
    "frt_after_handover": Needs((*_FRT, "bot_messages", "transcripts"), settles="first_reply"),
    "reply_time": Needs((*_TIMED, "transcripts"), settles="conversation"),
    "requester_wait": Needs((*_TIMED, "transcripts"), settles="conversation"),
    "chat_queue_by_hour": Needs((*_TIMED, "transcripts"), settles="conversation"),
    "status_time": Needs((*_TIMED, "status_history"), settles="full_resolution"),
    "first_resolution_time": Needs(_RESOLUTION, settles="resolution"),
    "full_resolution_time": Needs(_RESOLUTION, settles="full_resolution"),
    "one_touch_rate": Needs((*_RESOLUTION, "reply_counts"), settles="full_resolution"),
    "reopen_rate": Needs((*_RESOLUTION, "reopen_counts"), settles="full_resolution"),
    "fcr_rate": Needs(
        (*_RESOLUTION, "reopen_counts", "customer_ids"), ("categories",), "fcr"
    ),
    "repeat_contact_rate": Needs((*_TIMED, "customer_ids"), settles="repeat"),
    "sla_attainment": Needs(_FRT, ("priorities", "business_calendar"), "first_reply"),
    "csat": Needs(("contacts", "surveys"), settles="csat"),
    # not a metric: CSAT per week or month (csat by a time bucket), which places each rating
    # by its contact's creation time
    "csat_trend": Needs(("contacts", "surveys", "timed_surveys"), settles="csat"),
    "sentiment": Needs(("contacts", "sentiment_scores"), settles="conversation"),
    "sentiment_change": Needs(
        ("contacts", "sentiment_scores", "transcripts"), settles="conversation"
    ),
    "sentiment_model": Needs(("contacts", "surveys", "sentiment_scores"), settles="csat"),
    "negative_topics": Needs(("contacts", "sentiment_scores"), settles="conversation"),
    "negative_followup": Needs(("contacts", "sentiment_scores", "transcripts"), settles="conversation"),
    "negative_unfollowed": Needs(("contacts", "sentiment_scores", "transcripts"), settles="conversation"),
    "retention": Needs(_RETENTION, settles="fcr"),
    "retention_cohorts": Needs(_RETENTION, settles="fcr"),
    "retention_gap": Needs(_RETENTION, settles="fcr"),
    "training_impact": Needs(_TRAINING, ("first_replies", "surveys", "sentiment_scores")),
    "training_agent_before_after": Needs(_TRAINING, ("first_replies", "surveys")),
    "agent_scorecard": Needs((*_TIMED, "agent_ids"), ("teams",), "first_reply"),
    "coverage_by_hour": Needs(_TIMED, ("presence",)),
    "after_hours": Needs((*_TIMED, "after_hours_rule"), settles="first_reply"),
    "language_gaps": Needs((*_COVERAGE, "contact_languages", "agent_languages")),
    "staffing_by_hour": Needs(_COVERAGE),
    "wait_estimates": Needs(_FRT, ("channels", "contact_languages"), "first_reply"),
    "peak_days": Needs(_TIMED),
    "volume_forecast": Needs(_TIMED),
    "security_incidents": Needs((*_SECURITY, "first_replies"), ("escalations",), "first_reply"),
    "security_breaches": Needs((*_SECURITY, "first_replies"), ("escalations",), "first_reply"),
    "bot_deflection": Needs((*_TIMED, "bot_messages"), settles="conversation"),
    "bot_handover": Needs((*_TIMED, "bot_messages"), settles="conversation"),
    "bot_false_resolution": Needs((*_TIMED, "bot_messages", "customer_ids"), settles="bot_return"),
    "backlog_over_time": Needs((*_TIMED, "ticket_status", "solve_times")),
    "backlog_by_age": Needs((*_TIMED, "ticket_status")),
    "channel_breakdown": Needs(_TIMED, ("channels",), "first_reply"),
    "agent_tone": Needs(("contacts", "agent_tone_scores"), settles="conversation"),
    "qa_auto_score": Needs(("contacts", "quality_scores"), settles="conversation"),
    "qa_category_scores": Needs(("contacts", "quality_scores"), settles="conversation"),
    "qa_failures": Needs(("contacts", "quality_scores"), settles="conversation"),
    "qa_internal_score": Needs(("contacts", "quality_reviews")),
    "qa_agreement": Needs(("contacts", "quality_reviews", "quality_scores")),
    "qa_disagreements": Needs(("contacts", "quality_reviews", "quality_scores")),
    "qa_calibration": Needs(("contacts", "quality_reviews")),
}  # fmt: skip


# Declared figures that are not registered metrics, with their labels.
FIGURE_LABELS: dict[str, str] = {"contacts": "Contacts", "csat_trend": "CSAT over time"}


@dataclass(frozen=True)
class Availability:
    """Whether one metric can be shown, and why not (or why only partly)."""

    metric: str
    status: Status
    states: tuple[InputState, ...]
    optional: tuple[str, ...] = ()

    @property
    def shown(self) -> bool:
        """False when the figure must be replaced by "not available"."""
        return self.status != "not_available"

    @property
    def gaps(self) -> tuple[InputState, ...]:
        """The inputs that make the figure not available (required, absent) or partial."""
        if self.status == "not_available":
            return tuple(
                s for s in self.states if s.level == "none" and s.input not in self.optional
            )
        return tuple(s for s in self.states if s.level != "full")

    def lacks(self, name: str) -> bool:
        """True when input ``name`` is absent (``none``) for these filters."""
        return any(s.input == name and s.level == "none" for s in self.states)

    @property
    def reasons(self) -> list[str]:
        """Why, in words, one per input that is absent or partial."""
        return list(dict.fromkeys(s.reason for s in self.gaps if s.reason))

    @property
    def commands(self) -> list[str]:
        """What would load the missing inputs (empty when nothing can be loaded)."""
        return list(dict.fromkeys(s.command for s in self.gaps if s.command))

    def text(self) -> str:
        """One line: "not available: no survey responses are loaded (load: python -m ...)"."""
        if self.status == "available":
            return "available"
        line = f"{STATUS_WORDS[self.status]}: {'; '.join(self.reasons)}"
        return line + (f" (to fix: {'; '.join(self.commands)})" if self.commands else "")

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: status, reasons, commands."""
        return {"status": self.status, "reasons": self.reasons, "commands": self.commands}


def judge(facts: DataFacts, metric: str) -> Availability:
    """The availability of ``metric`` (a NEEDS key) from counted facts."""
    try:
        needs = NEEDS[metric]
    except KeyError:
        raise KeyError(
            f"metric {metric!r} declares no inputs: add it to NEEDS in metrics/core/availability.py"
        ) from None
    states = tuple(INPUTS[name].state(facts) for name in (*needs.required, *needs.optional))
    required = states[: len(needs.required)]
    if any(s.level == "none" for s in required):
        return Availability(metric, "not_available", states, needs.optional)
    status: Status = "partial" if any(s.level != "full" for s in states) else "available"
    return Availability(metric, status, states, needs.optional)


def availability(wh: Warehouse, settings: Settings, filters: Filters, metric: str) -> Availability:
    """Whether ``metric`` can be computed for ``filters`` on this warehouse, and why not."""
    return judge(data_facts(wh, settings, filters), metric)


def availability_table(wh: Warehouse, settings: Settings, filters: Filters) -> pl.DataFrame:
    """Every declared metric: metric, status (available / partial / not_available),
    reasons and commands (joined with "; "), in NEEDS order."""
    facts = data_facts(wh, settings, filters)
    rows = []
    for name in NEEDS:
        item = judge(facts, name)
        rows.append({"metric": name, "status": item.status,
                     "reasons": "; ".join(item.reasons), "commands": "; ".join(item.commands)})  # fmt: skip
    return pl.DataFrame(rows, schema={"metric": pl.String, "status": pl.String,
                                      "reasons": pl.String, "commands": pl.String})  # fmt: skip
