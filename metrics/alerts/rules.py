"""Alert rules: what each one watches, over which contacts, and when it fires.

Rules live in settings (``[alerts.rules.NAME]``, see ``default_settings.toml``). A rule is a
metric (one of :data:`METRICS`), an optional breakdown ``by`` (one alert per value), optional
filters, a condition (``above`` / ``below`` a threshold, or ``z``: a deviation from the same
weekday over the last ``weeks`` weeks), a minimum n and a cool-down. :func:`parse_rules`
checks them and raises ``SettingsError`` with one line naming the rule and the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from metrics.core.filters import DIMENSIONS, Filters
from metrics.core.settings import Settings, SettingsError

# Alert metric -> (label, unit, the registered metric whose availability and settling rules
# it follows, the page its link opens).
METRICS: dict[str, tuple[str, str, str, str]] = {
    "contacts": ("Contacts per day", "contacts", "peak_days", "overview"),
    "frt_median": ("Median first response time", "minutes", "frt", "overview"),
    "negative_share": ("Share of negative customer messages", "share", "sentiment", "voice"),
    "uncovered_contacts": (
        "Contacts in a language nobody on shift speaks",
        "contacts",
        "language_gaps",
        "coverage",
    ),
    "security_overdue": (
        "Security incidents past their target",
        "incidents",
        "security_breaches",
        "bot_security",
    ),
}
BREAKDOWNS = ("language", "channel", "team")
KEYS = {
    "metric", "by", "filters", "above", "below", "z", "direction", "weeks", "min_n",
    "min_history", "cooldown_hours", "enabled", "description",
}  # fmt: skip


@dataclass(frozen=True)
class Rule:
    """One alert rule, checked. Exactly one of ``above``, ``below`` and ``z`` is set."""

    name: str
    metric: str
    by: str | None = None
    filters: Filters = field(default_factory=Filters)
    above: float | None = None
    below: float | None = None
    z: float | None = None
    direction: str = "up"
    weeks: int = 8
    min_history: int = 4
    min_n: int = 1
    cooldown_hours: float = 24.0
    description: str = ""

    @property
    def label(self) -> str:
        return METRICS[self.metric][0]

    @property
    def unit(self) -> str:
        return METRICS[self.metric][1]

    @property
    def follows(self) -> str:
        """The registered metric whose availability and settling rules this rule follows."""
        return METRICS[self.metric][2]

    @property
    def page(self) -> str:
        return METRICS[self.metric][3]

    def condition_words(self) -> str:
        """The firing condition in words."""
        if self.z is not None:
            side = "above" if self.direction == "up" else "below"
            return f"{self.z:g} standard deviations {side} the same weekday of the last {self.weeks} weeks"
        if self.above is not None:
            return f"above {self.above:g}"
        return f"below {self.below:g}"


def _number(name: str, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SettingsError(f"alerts.rules.{name}.{key} = {value!r}: expected a number")
    return float(value)


def _filters(name: str, raw: Any) -> Filters:
    if not isinstance(raw, dict):
        raise SettingsError(f"alerts.rules.{name}.filters: expected a table of lists")
    choices: dict[str, tuple[str, ...]] = {}
    for key, values in raw.items():
        if key not in DIMENSIONS:
            known = ", ".join(DIMENSIONS)
            raise SettingsError(f"alerts.rules.{name}.filters.{key}: unknown (known: {known})")
        values = [values] if isinstance(values, str) else values
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise SettingsError(f"alerts.rules.{name}.filters.{key}: expected a list of texts")
        choices[key] = tuple(values)
    return Filters(**choices)


def parse_rule(name: str, raw: dict[str, Any]) -> Rule:
    """One rule from its settings table; SettingsError names the first problem."""
    unknown = sorted(set(raw) - KEYS)
    if unknown:
        raise SettingsError(
            f"alerts.rules.{name}: unknown key {unknown[0]} (known: {', '.join(sorted(KEYS))})"
        )
    metric = raw.get("metric")
    if metric not in METRICS:
        raise SettingsError(
            f"alerts.rules.{name}.metric = {metric!r}: expected one of {', '.join(METRICS)}"
        )
    by = raw.get("by") or None
    if by is not None and by not in BREAKDOWNS:
        raise SettingsError(
            f"alerts.rules.{name}.by = {by!r}: expected one of {', '.join(BREAKDOWNS)}"
        )
    conditions = [key for key in ("above", "below", "z") if key in raw]
    if len(conditions) != 1:
        raise SettingsError(f"alerts.rules.{name}: give exactly one of above, below or z")
    direction = str(raw.get("direction", "up"))
    if direction not in ("up", "down"):
        raise SettingsError(f"alerts.rules.{name}.direction = {direction!r}: expected up or down")
    values = {key: _number(name, key, raw[key]) for key in conditions}
    return Rule(
        name=name, metric=metric, by=by, filters=_filters(name, raw.get("filters", {})),
        direction=direction, weeks=int(_number(name, "weeks", raw.get("weeks", 8))),
        min_history=int(_number(name, "min_history", raw.get("min_history", 4))),
        min_n=int(_number(name, "min_n", raw.get("min_n", 1))),
        cooldown_hours=_number(name, "cooldown_hours", raw.get("cooldown_hours", 24)),
        description=str(raw.get("description", "")), **values,
    )  # fmt: skip


def parse_rules(settings: Settings) -> list[Rule]:
    """Every enabled rule of ``settings``, in name order."""
    rules = []
    for name, raw in sorted(settings.alert_rules.items()):
        if not isinstance(raw, dict):
            raise SettingsError(f"alerts.rules.{name}: expected a table")
        if raw.get("enabled", True) is False:
            continue
        rules.append(parse_rule(name, raw))
    return rules
