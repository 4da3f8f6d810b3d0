"""The global filters in the sidebar, kept in the URL so a view can be shared by link.

URL parameters (ISO dates, a repeated key per chosen value)::

    ?period=last_30&from=2026-10-02&to=2026-10-31&channel=chat&channel=email&agent=A7

``period`` names a preset (``last_7``, ``last_30``, ``last_90``, ``this_month``,
``previous_month``, ``all``) or ``custom``; presets count back from the data's last day,
not from today, so the demo looks alive. ``from``/``to`` are authoritative when present,
so a shared link shows exactly the same days later. The dimensions are ``channel``,
``language``, ``team``, ``agent``, ``priority``, ``category`` and ``source``.

The state is the manual query-params pattern (ECOSYSTEM 2.4): the URL is read when it
carries filters we did not write (an opened link), else the session's last state is used
(switching pages drops the query string), and the URL is rewritten after every change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from urllib.parse import urlencode

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard import data
from dashboard.settings_state import current_settings
from metrics.core import dimensions
from metrics.core.filters import DIMENSIONS, Filters

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
PARAMS: tuple[str, ...] = ("period", "from", "to", *DIMENSIONS)
Span = tuple[date | None, date | None]

_STATE, _WRITTEN, _DROPPED, _PAGE = "_flt_state", "_flt_url", "_flt_dropped", "_flt_page"


def _page_id() -> str:
    """The running page (widgets on another page are other widgets, even with the same key)."""
    ctx = get_script_run_ctx()
    return ctx.page_script_hash if ctx else ""


@dataclass(frozen=True)
class FilterState:
    """What the sidebar shows: a period name, its dates (None = open) and the choices."""

    period: str = DEFAULT_PERIOD
    date_from: date | None = None
    date_to: date | None = None
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

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


def _iso(values: list[str]) -> date | None:
    try:
        return date.fromisoformat(values[-1]) if values else None
    except ValueError:
        return None


def state_from_params(params: Mapping[str, list[str]], span: Span) -> FilterState:
    """Parse URL parameters; unknown periods and malformed dates are ignored."""
    period = (params.get("period") or [""])[-1]
    date_from, date_to = _iso(params.get("from", [])), _iso(params.get("to", []))
    if date_from or date_to:
        if date_from and date_to and date_from > date_to:
            date_from, date_to = date_to, date_from
        period = period_of(date_from, date_to, span)
    else:
        period = period if period in PERIODS and period != "custom" else DEFAULT_PERIOD
        date_from, date_to = preset_range(period, span)
    choices = {
        name: tuple(dict.fromkeys(v for v in params.get(name, []) if v))
        for name in DIMENSIONS
        if params.get(name)
    }
    return FilterState(period, date_from, date_to, choices)


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


def _url_params() -> dict[str, list[str]]:
    return {name: st.query_params.get_all(name) for name in PARAMS if name in st.query_params}


def options() -> dict[str, dict[str, str]]:
    """Per dimension, the values in the data and their labels (agents by name)."""
    settings = current_settings()
    frames = {name: data.cached(dimensions.dimension_values, settings, name) for name in DIMENSIONS}
    return {name: dict(frame.select("value", "label").rows()) for name, frame in frames.items()}


def _seed(state: FilterState, span: Span, options: dict[str, dict[str, str]]) -> None:
    """Put ``state`` into the widgets' session keys (before the widgets are created)."""
    shown = preset_range("all", span) if state.period == "all" else (state.date_from, state.date_to)
    st.session_state["flt_period"] = state.period
    st.session_state["flt_from"] = shown[0] or span[0]
    st.session_state["flt_to"] = shown[1] or span[1]
    dropped: list[str] = []
    for name in DIMENSIONS:
        wanted = state.choices.get(name, ())
        st.session_state[f"flt_{name}"] = [v for v in wanted if v in options[name]]
        dropped += [f"{name} {v}" for v in wanted if v not in options[name]]
    st.session_state[_DROPPED] = dropped


def _on_period() -> None:
    span = st.session_state.get("_flt_span", (None, None))
    period = st.session_state["flt_period"]
    if period != "custom":
        start, end = preset_range(period, span)
        st.session_state["flt_from"], st.session_state["flt_to"] = start or span[0], end or span[1]


def _on_dates() -> None:
    st.session_state["flt_period"] = "custom"


def _reset() -> None:
    st.session_state[_STATE] = FilterState("pending")


def _resolve(span: Span, options: dict[str, dict[str, str]]) -> None:
    url = _url_params()
    remembered: FilterState | None = st.session_state.get(_STATE)
    if remembered is not None and remembered.period == "pending":  # the reset button
        _seed(state_from_params({}, span), span, options)
    elif url and url != st.session_state.get(_WRITTEN):
        _seed(state_from_params(url, span), span, options)  # an opened or edited link
    elif remembered is None:
        _seed(state_from_params({}, span), span, options)
    elif st.session_state.get(_PAGE) != _page_id() or any(
        f"flt_{name}" not in st.session_state for name in ("period", *DIMENSIONS)
    ):
        _seed(remembered, span, options)  # another page: its widgets start empty


def _widgets(span: Span, options: dict[str, dict[str, str]]) -> FilterState:
    st.session_state["_flt_span"] = span
    st.selectbox(
        "Period", list(PERIODS), format_func=PERIODS.get, key="flt_period", on_change=_on_period
    )
    # No min/max: a preset may start before the data does (the first weeks of a warehouse).
    bounds = {"format": "YYYY-MM-DD", "on_change": _on_dates}
    start = st.date_input("From", key="flt_from", **bounds)
    end = st.date_input("To", key="flt_to", **bounds)
    choices: dict[str, tuple[str, ...]] = {}
    for name in DIMENSIONS:
        labels = options[name]
        picked = st.multiselect(
            DIMENSION_LABELS[name], list(labels), format_func=lambda v, m=labels: m.get(v, v),
            key=f"flt_{name}", placeholder="All",
        )  # fmt: skip
        if picked:
            choices[name] = tuple(picked)
    period = st.session_state["flt_period"]
    if period == "all" or span[1] is None:
        return FilterState("all", None, None, choices)
    if period != "custom":
        start, end = preset_range(period, span)
    elif start and end and start > end:
        start, end = end, start
    return FilterState(period, start, end, choices)


def current() -> Filters:
    """Render the sidebar filters, keep them in the URL, and return them as ``Filters``."""
    settings = current_settings()
    span = data.cached(dimensions.data_span, settings)
    choices = options()
    _resolve(span, choices)
    with st.sidebar:
        st.subheader("Filters")
        state = _widgets(span, choices)
        st.button("Reset filters", on_click=_reset, width="stretch")
        st.caption(f"Days are counted in {settings.reporting_timezone}.")
        for item in st.session_state.get(_DROPPED, []):
            st.warning(f"Ignored a filter value from the link that is not in the data: {item}")
    st.session_state[_STATE] = state
    st.session_state[_PAGE] = _page_id()
    _write_url(state_to_params(state))
    return state.filters()


def _write_url(params: dict[str, list[str]]) -> None:
    st.session_state[_WRITTEN] = params
    if _url_params() == params:
        return
    for name in PARAMS:
        if name in params:
            st.query_params[name] = params[name]
        elif name in st.query_params:
            del st.query_params[name]


def widen(filters: Filters, days: int, span: Span) -> Filters:
    """The same filters over ``days`` days up to the period's end (for trends that need
    history before the period, e.g. training dates), never before the data's first day."""
    end = filters.date_to or span[1]
    if end is None:
        return filters
    start = end - timedelta(days=days - 1)
    return replace(filters, date_from=max(start, span[0]) if span[0] else start, date_to=end)


def describe(filters: Filters, labels: Mapping[str, str] | None = None) -> str:
    """The active dimension choices in words ("channel: chat, email · agent: A7"), or
    "no other filters"."""
    parts = [
        f"{name}: {', '.join((labels or {}).get(v, v) for v in getattr(filters, name))}"
        for name in DIMENSIONS
        if getattr(filters, name)
    ]
    return " · ".join(parts) or "no other filters"


def stop_if_empty(contacts: int, filters: Filters) -> None:
    """When no contact matches, say so in plain words (with a way out) and end the run."""
    if contacts:
        return
    settings = current_settings()
    if data.cached(dimensions.data_span, settings)[1] is None:
        st.info(
            "This warehouse has no contacts yet. Load an export with "
            "`python -m etl load tickets FILE --db PATH` (or point SUPPORT_DB at a warehouse)."
        )
    else:
        days = f"{filters.date_from} to {filters.date_to}" if filters.date_from else "all dates"
        st.info(
            f"No contacts match these filters ({days}; {describe(filters)}). "
            "Widen the period or remove a filter in the sidebar."
        )
        st.button("Reset filters", on_click=_reset, key="flt_reset_empty")
    st.stop()


def url_choice(
    label: str, choices: list[str], param: str, format_func: Callable[[str], str] = str
) -> str | None:
    """A selectbox for one of ``choices`` kept in URL parameter ``param`` (page-level state,
    e.g. the scorecard's agent): an opened link picks its value; None when there are no
    choices."""
    if not choices:
        return None
    key, memory = f"url_{param}", f"_url_{param}"
    linked = st.query_params.get(param)
    if linked and linked != st.session_state.get(memory) and linked in choices:
        st.session_state[key] = linked
    elif st.session_state.get(key) not in choices:
        remembered = st.session_state.get(memory)
        st.session_state[key] = remembered if remembered in choices else choices[0]
    value = st.selectbox(label, choices, format_func=format_func, key=key)
    st.session_state[memory] = value
    if st.query_params.get(param) != value:
        st.query_params[param] = value
    return value


def default_bucket(filters: Filters, span: Span) -> str:
    """ "day" for periods up to about two months, else "week" (readable trend bars)."""
    start, end = filters.date_from or span[0], filters.date_to or span[1]
    return "day" if start and end and (end - start).days <= 62 else "week"
