"""Settings every metric takes as an argument: calendars, targets, windows, thresholds.

They come from a TOML file (``metrics/default_settings.toml`` documents every key
and its default). Nothing in ``metrics/`` reads the environment: callers (the
dashboard, the CLI) decide which file to load and pass the result in.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

DEFAULTS_FILE = Path(__file__).with_name("default_settings.toml")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class SettingsError(ValueError):
    """A settings file that cannot be used; the message names the key and what was expected."""


@dataclass(frozen=True)
class SupportHours:
    """A support-hours calendar: open ranges per weekday (0 = Monday) in a zone, minus holidays."""

    timezone: str = "UTC"
    weekly: dict[int, tuple[tuple[time, time], ...]] = field(default_factory=dict)
    holidays: tuple[date, ...] = ()
    holiday_country: str = ""

    @property
    def always_open(self) -> bool:
        """True for a 24x7 calendar, where business time equals calendar time."""
        return not self.weekly and not self.holidays and not self.holiday_country


@dataclass(frozen=True)
class Settings:
    """Everything a metric needs to know that is not in the data."""

    reporting_timezone: str = "UTC"
    small_sample: int = 30
    default_hours: SupportHours = field(default_factory=SupportHours)
    team_hours: dict[str, SupportHours] = field(default_factory=dict)
    sla_minutes: dict[str, float] = field(
        default_factory=lambda: {"urgent": 60.0, "high": 240.0, "normal": 480.0, "low": 1440.0}
    )
    sla_default_minutes: float = 480.0
    security_categories: tuple[str, ...] = ("security",)
    security_tags: tuple[str, ...] = ("stolen_funds", "phishing", "hacked")
    security_first_response_minutes: float = 15.0
    security_escalation_minutes: float = 60.0
    fcr_days: int = 7
    repeat_days: int = 7
    sentiment_negative: float = -0.05
    sentiment_positive: float = 0.05
    wait_estimate_weeks: int = 4
    staffing_service_level: float = 0.8
    staffing_target_seconds: float = 60.0
    staffing_shrinkage: float = 0.3
    default_aht_minutes: float = 6.0
    warehouse_path: str = ""

    def hours_for(self, team: str | None) -> SupportHours:
        """The calendar of ``team``, else the default calendar."""
        return self.team_hours.get(team or "", self.default_hours)


def load_settings(path: str | Path | None = None) -> Settings:
    """Defaults, overridden by the TOML file at ``path`` when given."""
    data = _read(DEFAULTS_FILE)
    if path is not None:
        _merge(data, _read(Path(path)))
    return settings_from_dict(data, str(path or DEFAULTS_FILE))


def settings_from_dict(data: dict[str, Any], label: str = "settings") -> Settings:
    """Build Settings from parsed TOML (all sections optional)."""
    reporting = data.get("reporting", {})
    hours = data.get("support_hours", {})
    sla = dict(data.get("sla", {}))
    security = data.get("security", {})
    windows = data.get("windows", {})
    sentiment = data.get("sentiment", {})
    staffing = data.get("staffing", {})
    tz = str(reporting.get("timezone", "UTC"))
    _check_zone(tz, f"{label}: reporting.timezone")
    return Settings(
        reporting_timezone=tz,
        small_sample=int(reporting.get("small_sample", 30)),
        default_hours=_hours(hours.get("default", {}), f"{label}: support_hours.default"),
        team_hours={
            team: _hours(spec, f"{label}: support_hours.teams.{team}")
            for team, spec in hours.get("teams", {}).items()
        },
        sla_default_minutes=float(sla.pop("default", 480)),
        sla_minutes={str(k): float(v) for k, v in sla.items()},
        security_categories=tuple(security.get("categories", ("security",))),
        security_tags=tuple(security.get("tags", ("stolen_funds", "phishing", "hacked"))),
        security_first_response_minutes=float(security.get("first_response_minutes", 15)),
        security_escalation_minutes=float(security.get("escalation_minutes", 60)),
        fcr_days=int(windows.get("fcr_days", 7)),
        repeat_days=int(windows.get("repeat_days", 7)),
        sentiment_negative=float(sentiment.get("negative", -0.05)),
        sentiment_positive=float(sentiment.get("positive", 0.05)),
        wait_estimate_weeks=int(data.get("wait_estimates", {}).get("weeks", 4)),
        staffing_service_level=float(staffing.get("service_level", 0.8)),
        staffing_target_seconds=float(staffing.get("target_seconds", 60)),
        staffing_shrinkage=float(staffing.get("shrinkage", 0.3)),
        default_aht_minutes=float(staffing.get("default_aht_minutes", 6)),
        warehouse_path=str(data.get("warehouse", {}).get("path", "")),
    )


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"{path}: settings file not found") from None
    except tomllib.TOMLDecodeError as err:
        raise SettingsError(f"{path}: not valid TOML ({err})") from None


def _merge(base: dict[str, Any], override: dict[str, Any]) -> None:
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value


def _hours(spec: dict[str, Any], label: str) -> SupportHours:
    tz = str(spec.get("timezone", "UTC"))
    _check_zone(tz, f"{label}.timezone")
    weekly: dict[int, tuple[tuple[time, time], ...]] = {}
    for day, ranges in spec.get("weekly", {}).items():
        if day not in WEEKDAYS:
            raise SettingsError(
                f"{label}.weekly: {day!r} is not a weekday; expected one of {WEEKDAYS}"
            )
        weekly[WEEKDAYS.index(day)] = tuple(_range(r, f"{label}.weekly.{day}") for r in ranges)
    try:
        extra = tuple(date.fromisoformat(str(d)) for d in spec.get("holidays", ()))
    except ValueError as err:
        raise SettingsError(f"{label}.holidays: {err}; expected dates as YYYY-MM-DD") from None
    return SupportHours(tz, weekly, extra, str(spec.get("holiday_country", "")))


def _range(text: str, label: str) -> tuple[time, time]:
    try:
        start, end = (part.strip() for part in str(text).split("-"))
        opens = time.fromisoformat(start)
        closes = time(0, 0) if end in ("24:00", "24") else time.fromisoformat(end)
    except ValueError:
        raise SettingsError(f'{label}: {text!r} is not a range like "09:00-18:00"') from None
    if closes != time(0, 0) and closes <= opens:
        raise SettingsError(f"{label}: {text!r} closes before it opens")
    return opens, closes


def _check_zone(name: str, label: str) -> None:
    try:
        ZoneInfo(name)
    except Exception:
        raise SettingsError(f"{label}: unknown time zone {name!r}; expected an IANA name") from None
