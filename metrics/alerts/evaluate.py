"""Evaluate alert rules over a window of days: what fired, with its figure, baseline and link.

Honesty rules reused, never re-implemented: a rule whose metric is not available for the
warehouse and filters (``metrics.core.availability.judge``) is skipped with its reason; only
the days whose figures have settled (``metrics.core.provisional.settled_filters``) are judged,
so a provisional (still-moving) day never fires. The cool-down and "never twice for the same
day" come from the state file (``metrics.alerts.state``).
"""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from typing import Any

import polars as pl

from metrics.alerts.rules import Rule
from metrics.alerts.series import combine, rule_series
from metrics.alerts.state import NotifyState
from metrics.core.availability import judge
from metrics.core.compare import is_material
from metrics.core.contacts import Warehouse
from metrics.core.filters import Filters
from metrics.core.inputs import data_facts
from metrics.core.links import page_link
from metrics.core.provisional import Settling, settled_filters, settling
from metrics.core.settings import Settings


@dataclass(frozen=True)
class Alert:
    """One fired alert: the rule, the day and group, the figure, its baseline and a link."""

    rule: str
    metric: str
    label: str
    unit: str
    day: date
    value: float
    n: int
    condition: str
    explanation: str
    link: str
    group_by: str | None = None
    group: str | None = None
    baseline: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The cool-down key: the rule and its group."""
        return f"{self.rule}|{self.group_by}={self.group}" if self.group_by else self.rule

    def as_dict(self) -> dict[str, Any]:
        record = asdict(self)
        record["day"] = self.day.isoformat()
        return record


@dataclass
class Evaluation:
    """What fired, what the cool-down held back, and the rules or days not judged (why)."""

    fired: list[Alert] = field(default_factory=list)
    suppressed: list[Alert] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def format_figure(value: float, unit: str) -> str:
    """A figure in its unit: "412 contacts", "1 incident", "95.3 min", "23.1%"."""
    if unit == "share":
        return f"{value:.1%}"
    if unit == "minutes":
        return f"{value:.1f} min"
    count = f"{value:.0f}"
    return f"{count} {unit.removesuffix('s') if count == '1' else unit}"


def _baseline(rule: Rule, history: dict[date, float], day: date) -> dict[str, Any] | None:
    if rule.z is None:
        return {"threshold": rule.above if rule.above is not None else rule.below}
    values = [
        history[d] for k in range(1, rule.weeks + 1) if (d := day - timedelta(7 * k)) in history
    ]
    if len(values) < max(rule.min_history, 2):
        return None
    mean, sd = statistics.fmean(values), statistics.stdev(values)
    # A flat baseline (sd 0) would make any wobble infinite: 5% of the mean is the least spread.
    spread = max(sd, 0.05 * abs(mean), 1e-9)
    return {"mean": mean, "sd": sd, "z": (history[day] - mean) / spread, "weeks": len(values)}


def _fires(rule: Rule, value: float, baseline: dict[str, Any], settings: Settings) -> bool:
    if rule.z is not None:
        far = baseline["z"] >= rule.z if rule.direction == "up" else baseline["z"] <= -rule.z
        # Shares and durations must also move materially (the scorecard's rule), so a share
        # of 2% against a usual 0% is not an alert however "many deviations" it is.
        material = rule.unit not in ("share", "minutes") or is_material(
            value, baseline["mean"], rule.unit, settings
        )
        return far and material
    return value > rule.above if rule.above is not None else value < rule.below  # type: ignore[operator]


def _words(rule: Rule, day: date, value: float, n: int, group: str | None, base: dict) -> str:
    where = f" ({rule.by} {group})" if rule.by else ""
    text = f"{rule.label}{where} on {day:%a %Y-%m-%d}: {format_figure(value, rule.unit)} (n = {n})"
    if rule.z is not None:
        usual = format_figure(base["mean"], rule.unit)
        text += (
            f", against {usual} on average on the same weekday of the last {base['weeks']} "
            f"weeks (z = {base['z']:.1f}; the rule fires at {rule.z:g})"
        )
    else:
        text += f"; the rule fires {rule.condition_words()}"
    return text + (f". {rule.description}" if rule.description else "")


def _alerts_of(
    rule: Rule, series: pl.DataFrame, judged: Filters, settings: Settings
) -> list[Alert]:
    alerts = []
    for (group,), rows in series.group_by(["group"], maintain_order=True):
        history = dict(zip(rows["day"].to_list(), rows["value"].to_list(), strict=True))
        counts = dict(zip(rows["day"].to_list(), rows["n"].to_list(), strict=True))
        for day in sorted(d for d in history if judged.date_from <= d <= judged.date_to):
            value, n = history[day], counts[day]
            base = _baseline(rule, history, day)
            if n < rule.min_n or base is None or not _fires(rule, value, base, settings):
                continue
            scope = combine(rule.filters, replace(judged, date_from=day, date_to=day))
            scope = replace(scope, **{rule.by: (group,)}) if rule.by else scope
            alerts.append(Alert(
                rule.name, rule.metric, rule.label, rule.unit, day, value, n,
                rule.condition_words(), _words(rule, day, value, n, group, base),
                page_link(settings.digest_base_url, rule.page, scope), rule.by, group, base,
            ))  # fmt: skip
    return sorted(alerts, key=lambda a: (a.day, a.group or ""))


def _judged_window(
    rule: Rule, window: Filters, state: Settling, settings: Settings, notes: list[str]
) -> Filters | None:
    if rule.metric == "security_overdue":
        return window  # an incident past its target stays breached: nothing left to settle
    judged = settled_filters(window, state, rule.follows, settings)
    if judged is None:
        notes.append(f"{rule.name}: not judged: every day of the window is still moving")
    elif judged.date_to < window.date_to:
        notes.append(
            f"{rule.name}: days after {judged.date_to} not judged: still moving (provisional)"
        )
    return judged


def _cool_down(alerts: list[Alert], rule: Rule, memory: NotifyState, result: Evaluation) -> None:
    for alert in alerts:
        last = memory.last_fired(alert.key)
        if last is not None and (alert.day - last).days * 24 < rule.cooldown_hours:
            result.suppressed.append(alert)
            continue
        memory.record_fired(alert.key, alert.day)
        result.fired.append(alert)


def evaluate(
    wh: Warehouse, settings: Settings, rules: list[Rule], window: Filters, memory: NotifyState
) -> Evaluation:
    """Every rule over the days of ``window`` (dates set; its dimensions narrow every rule).
    Fired alerts are recorded in ``memory`` (save it once they are delivered)."""
    result, state = Evaluation(), settling(wh, settings)
    facts = data_facts(wh, settings, window)
    for rule in rules:
        available = judge(facts, rule.follows)
        if not available.shown:
            result.notes.append(f"{rule.name}: not available: {available.text()}")
            continue
        judged = _judged_window(rule, window, state, settings, result.notes)
        if judged is None:
            continue
        start = judged.date_from - timedelta(days=7 * rule.weeks if rule.z is not None else 0)
        series = rule_series(wh, settings, rule, replace(judged, date_from=start), state.as_of)
        _cool_down(_alerts_of(rule, series, judged, settings), rule, memory, result)
    result.fired.sort(key=lambda a: (a.day, a.rule, a.group or ""))
    return result
