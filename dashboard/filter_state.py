"""The filter state behind the sidebar and the URL, as plain values: the period presets,
parsing URL parameters (naming what a link asked for that cannot be used) and writing them.

No widgets here: ``dashboard.filters`` renders the sidebar from these values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from metrics.core.filters import DIMENSIONS, Filters

Span = tuple[date | None, date | None]

PERIODS: dict[str, str] = {
    "last_7": "Last 7 days",
    "last_30": "Last 30 days",
    "last_90": "Last 90 days",
    "this_month": "This month",
    "previous_month": "Previous month",
    "all": "All data",
    "custom": "Custom range",
}
DEFAULT_PERIOD = "last_30"
DIMENSION_LABELS: dict[str, str] = {
    "channel": "Channel", "language": "Language", "team": "Team", "agent": "Agent",
    "priority": "Priority", "category": "Category", "source": "Source",
}  # fmt: skip


@dataclass(frozen=True)
class FilterState:
    """What the sidebar shows: a period name, its dates (None = open) and the choices."""

    period: str = DEFAULT_PERIOD
    date_from: date | None = None
    date_to: date | None = None
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    problems: tuple[str, ...] = ()  # what a link asked for that cannot be used, in words

    def filters(self) -> Filters:
        """The metrics' Filters for this state."""
        picked = {name: tuple(self.choices.get(name, ())) for name in DIMENSIONS}
        return Filters(self.date_from, self.date_to, **picked)


def preset_range(period: str, span: Span) -> tuple[date | None, date | None]:
    """The days of preset ``period`` counted back from the data's last day (open for "all")."""
    last = span[1]
    if last is None or period in ("all", "custom"):
        return None, None
    if period.startswith("last_"):
        return last - timedelta(days=int(period.removeprefix("last_")) - 1), last
    month_start = last.replace(day=1)
    if period == "this_month":
        return month_start, last
    previous_end = month_start - timedelta(days=1)
    return previous_end.replace(day=1), previous_end


def period_of(date_from: date | None, date_to: date | None, span: Span) -> str:
    """The preset whose days these are, else "custom" ("all" for an open range)."""
    if date_from is None and date_to is None:
        return "all"
    for name in PERIODS:
        if name not in ("all", "custom") and preset_range(name, span) == (date_from, date_to):
            return name
    return "custom"


def _iso(values: list[str], name: str, problems: list[str]) -> date | None:
    try:
        return date.fromisoformat(values[-1]) if values else None
    except ValueError:
        problems.append(f"the {name} date “{values[-1]}” is not a date (expected YYYY-MM-DD)")
        return None


def state_from_params(params: Mapping[str, list[str]], span: Span) -> FilterState:
    """Parse URL parameters; what cannot be used (a malformed date, an unknown period) is
    left out and named in ``problems``, so the page can say so instead of silently showing
    something else."""
    problems: list[str] = []
    period = (params.get("period") or [""])[-1]
    date_from = _iso(params.get("from", []), "from", problems)
    date_to = _iso(params.get("to", []), "to", problems)
    if date_from or date_to:
        if date_from and date_to and date_from > date_to:
            problems.append(f"the from date {date_from} is after the to date {date_to}: swapped")
            date_from, date_to = date_to, date_from
        period = period_of(date_from, date_to, span)
    else:
        if period and period not in PERIODS:
            problems.append(f"the period “{period}” is unknown")
        period = period if period in PERIODS and period != "custom" else DEFAULT_PERIOD
        date_from, date_to = preset_range(period, span)
    choices = {
        name: tuple(dict.fromkeys(v for v in params.get(name, []) if v))
        for name in DIMENSIONS
        if params.get(name)
    }
    if problems:
        shown = (
            PERIODS[period]
            if period != "custom"
            else f"{date_from or 'the first day'} to {date_to or 'the last day'}"
        )
        problems = [f"{p}; showing {shown.lower()} instead" for p in problems]
    return FilterState(period, date_from, date_to, choices, tuple(problems))


def state_to_params(state: FilterState) -> dict[str, list[str]]:
    """URL parameters for ``state`` (dates always spelled out, so a link is exact)."""
    params: dict[str, list[str]] = {"period": [state.period]}
    if state.date_from:
        params["from"] = [state.date_from.isoformat()]
    if state.date_to:
        params["to"] = [state.date_to.isoformat()]
    for name in DIMENSIONS:
        if state.choices.get(name):
            params[name] = list(state.choices[name])
    return params


def query_string(filters: Filters, **extra: str) -> str:
    """``?…`` that opens the current page with ``filters`` (and ``extra`` parameters)."""
    state = FilterState(
        "custom" if filters.date_from or filters.date_to else "all",
        filters.date_from,
        filters.date_to,
        {name: getattr(filters, name) for name in DIMENSIONS},
    )
    return "?" + urlencode({**state_to_params(state), **extra}, doseq=True)
