"""Settings every metric takes as an argument: calendars, targets, windows, thresholds.

They come from a TOML file (``metrics/core/default_settings.toml`` documents every key and
its default; ``support-dashboard settings init`` writes a commented copy). Nothing in
``metrics/`` reads the environment: callers (the dashboard, the CLI) say which file was
named (``--settings`` or ``SUPPORT_SETTINGS``) and :func:`find_settings_file` picks the one
to use, else ``./settings.toml``, else the defaults.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from metrics.core.rubric import Rubric, RubricError, rubric_from_dict
from metrics.core.settings_check import SettingsError, check_settings

__all__ = ["Settings", "SettingsError", "SupportHours", "find_settings_file", "load_settings"]

DEFAULTS_FILE = Path(__file__).with_name("default_settings.toml")
SETTINGS_FILE_NAME = "settings.toml"
TEMPLATE_HEADER = """\
# Support Quality Dashboard settings (written by `support-dashboard settings init`).
#
# Read by the dashboard and by `python -m metrics` started in this folder, or from anywhere
# when SUPPORT_SETTINGS names this file (`--settings FILE` for one command). Every key is
# optional and the values below are the defaults: change what differs for your team and
# delete the rest. `support-dashboard settings check` says whether the file is usable.

"""
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


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
    facts_folder: str = ""
    provisional_share: float = 0.95
    material_share_points: float = 5.0
    material_duration_share: float = 0.2
    material_score: float = 0.25
    priority_order: tuple[str, ...] = ("urgent", "high", "normal", "low")
    status_order: tuple[str, ...] = ("new", "open", "pending", "hold", "solved", "closed")
    quality: Rubric = field(default_factory=Rubric)
    digest_base_url: str = "http://localhost:8501"
    # Issue 17: the raw [alerts] rules (metrics.alerts.rules parses them) and [delivery].
    alert_rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    alerts_state_file: str = ""
    delivery: dict[str, Any] = field(default_factory=dict)

    def hours_for(self, team: str | None) -> SupportHours:
        """The calendar of ``team``, else the default calendar."""
        return self.team_hours.get(team or "", self.default_hours)


def find_settings_file(named: str | Path | None, cwd: Path) -> Path | None:
    """The settings file to use: ``named`` (``--settings`` or ``SUPPORT_SETTINGS``; it must
    exist), else ``settings.toml`` in ``cwd`` when there is one, else None (the defaults)."""
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise SettingsError(f"{path}: settings file not found")
        return path
    local = cwd / SETTINGS_FILE_NAME
    return local if local.is_file() else None


def settings_template() -> str:
    """A settings file for a user to edit: every key with its default and what it means."""
    body = DEFAULTS_FILE.read_text(encoding="utf-8")
    # The defaults file opens with a comment for developers; a user's copy gets its own.
    body = body[body.index("\n\n") + 2 :] if body.startswith("#") else body
    return TEMPLATE_HEADER + body


def load_settings(path: str | Path | None = None) -> Settings:
    """Defaults, overridden by the TOML file at ``path`` when given.

    The file is checked key by key against the defaults first: an unknown key, a value of
    another kind or out of range raises SettingsError naming the key and what was expected.
    """
    data = _read(DEFAULTS_FILE)
    if path is not None:
        own = _read(Path(path))
        check_settings(own, data, str(path))
        _merge(data, own)
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
        **_warehouse(data, label),
        quality=_rubric(data.get("quality", {}), label),
        **_judging(data, label),
        **_notify(data),
    )


def _warehouse(data: dict[str, Any], label: str) -> dict[str, str]:
    """The [warehouse] section: a warehouse file or a folder of prebuilt facts, not both."""
    section = data.get("warehouse", {})
    path, facts = str(section.get("path", "")), str(section.get("facts", ""))
    if path and facts:
        raise SettingsError(
            f"{label}: warehouse.path = {path!r} and warehouse.facts = {facts!r}: expected one "
            "of them (a warehouse file or a folder of prebuilt facts), not both"
        )
    return {"warehouse_path": path, "facts_folder": facts}


def _judging(data: dict[str, Any], label: str) -> dict[str, Any]:
    """The [provisional], [scorecard] and [order] sections (issue 14)."""
    provisional = data.get("provisional", {})
    card = data.get("scorecard", {})
    order = data.get("order", {})
    share = float(provisional.get("share", 0.95))
    if not 0.5 <= share < 1.0:
        raise SettingsError(f"{label}: provisional.share must be in [0.5, 1), got {share}")
    return {
        "provisional_share": share,
        "material_share_points": float(card.get("material_share_points", 5)),
        "material_duration_share": float(card.get("material_duration_share", 0.2)),
        "material_score": float(card.get("material_score", 0.25)),
        "priority_order": tuple(str(v) for v in order.get("priority", Settings.priority_order)),
        "status_order": tuple(str(v) for v in order.get("status", Settings.status_order)),
    }


def _notify(data: dict[str, Any]) -> dict[str, Any]:
    """The [digest], [alerts] and [delivery] sections (issue 17)."""
    alerts = data.get("alerts", {})
    return {
        "digest_base_url": str(data.get("digest", {}).get("base_url", Settings.digest_base_url)),
        "alert_rules": {str(k): dict(v) for k, v in alerts.get("rules", {}).items()},
        "alerts_state_file": str(alerts.get("state_file", "")),
        "delivery": dict(data.get("delivery", {})),
    }


def _rubric(data: dict[str, Any], label: str) -> Rubric:
    try:
        return rubric_from_dict(data, label)
    except RubricError as err:
        raise SettingsError(str(err)) from None
    except (TypeError, ValueError) as err:
        raise SettingsError(f"{label}: [quality]: {err}; see default_settings.toml") from None


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"{path}: settings file not found") from None
    except tomllib.TOMLDecodeError as err:
        raise SettingsError(f"{path}: not valid TOML ({err})") from None
    except (OSError, UnicodeDecodeError) as err:
        raise SettingsError(f"{path}: cannot read the settings file ({err})") from None


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
        ranges = [ranges] if isinstance(ranges, str) else ranges
        if not isinstance(ranges, list):
            raise SettingsError(
                f'{label}.weekly.{day} = {ranges!r}: expected a list of ranges like ["09:00-18:00"]'
            )
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
