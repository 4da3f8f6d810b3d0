"""Where the dashboard's warehouse lives, and how big a demo to build there.

Order of precedence: the ``SUPPORT_DB`` environment variable, then ``SUPPORT_FACTS`` (a folder
of facts prebuilt by ``python -m metrics facts``, read with the lake they came from), then
``[warehouse] path`` or ``[warehouse] facts`` (one of them) in the settings file
(``SUPPORT_SETTINGS``, else ``./settings.toml`` when present), then the per-user demo
warehouse ``$XDG_DATA_HOME/support-quality-dashboard/demo.duckdb`` (``~/.local/share/...``
when ``XDG_DATA_HOME`` is unset).
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from metrics.core.settings import SettingsError, find_settings_file
from warehouse.facts_reader import is_facts_folder
from warehouse.reader import FACTS_MANIFEST

APP_DIR_NAME = "support-quality-dashboard"
DEMO_FILE_NAME = "demo.duckdb"

Origin = Literal["env", "settings", "default"]


class ConfigError(ValueError):
    """A setting is present but unusable; ``str(err)`` is the one line to show."""


@dataclass(frozen=True)
class WarehouseLocation:
    """The resolved warehouse path and where it came from (for messages and the demo rule)."""

    path: Path
    origin: Origin
    detail: str

    @property
    def is_default(self) -> bool:
        """True for the per-user demo path, which the app may create on its own."""
        return self.origin == "default"


def default_demo_path(env: Mapping[str, str] | None = None) -> Path:
    """The per-user demo warehouse path (XDG base directory spec)."""
    env = os.environ if env is None else env
    data_home = env.get("XDG_DATA_HOME", "")
    # The spec says a relative XDG_DATA_HOME is invalid and must be ignored.
    base = Path(data_home) if data_home and Path(data_home).is_absolute() else None
    base = base or Path(env.get("HOME") or Path.home()) / ".local" / "share"
    return base / APP_DIR_NAME / DEMO_FILE_NAME


def settings_file(env: Mapping[str, str] | None = None, cwd: Path | None = None) -> Path | None:
    """The settings TOML in use: ``SUPPORT_SETTINGS`` (must exist), else ./settings.toml, else None."""
    env = os.environ if env is None else env
    named = env.get("SUPPORT_SETTINGS")
    try:
        return find_settings_file(named, cwd or Path.cwd())
    except SettingsError:
        raise ConfigError(f"SUPPORT_SETTINGS names {named}, which is not a file") from None


def describe_settings_source(path: Path | None, env: Mapping[str, str] | None = None) -> str:
    """Where the settings come from, in words (the sidebar and ``settings path`` say this)."""
    env = os.environ if env is None else env
    if path is None:
        return "the built-in defaults (no settings.toml here, SUPPORT_SETTINGS unset)"
    origin = "SUPPORT_SETTINGS" if env.get("SUPPORT_SETTINGS") else "settings.toml in this folder"
    return f"{path.resolve()} ({origin})"


def resolve_warehouse(
    env: Mapping[str, str] | None = None, cwd: Path | None = None
) -> WarehouseLocation:
    """Resolve the warehouse path; a relative path in settings is relative to that file.

    A folder of prebuilt facts (``SUPPORT_FACTS``, ``[warehouse] facts``) must hold the
    manifest ``python -m metrics facts`` writes: anything else is a ConfigError, not a
    demo built there."""
    env = os.environ if env is None else env
    if env.get("SUPPORT_DB"):
        return WarehouseLocation(Path(env["SUPPORT_DB"]).expanduser(), "env", "SUPPORT_DB")
    if env.get("SUPPORT_FACTS"):
        facts = Path(env["SUPPORT_FACTS"]).expanduser()
        _check_facts_folder(facts, f"SUPPORT_FACTS names {facts}")
        return WarehouseLocation(facts, "env", "SUPPORT_FACTS (prebuilt facts)")
    settings = settings_file(env, cwd)
    if settings is not None:
        key, configured = _warehouse_setting(settings)
        if configured:
            path = Path(configured).expanduser()
            path = path if path.is_absolute() else settings.parent / path
            if key == "facts":
                _check_facts_folder(path, f"{settings}: warehouse.facts names {path}")
                return WarehouseLocation(
                    path, "settings", f"[warehouse] facts in {settings} (prebuilt facts)"
                )
            return WarehouseLocation(path, "settings", f"[warehouse] path in {settings}")
    return WarehouseLocation(default_demo_path(env), "default", "the per-user demo warehouse")


def _check_facts_folder(path: Path, named: str) -> None:
    if not is_facts_folder(path):
        raise ConfigError(
            f"{named}: expected a folder of prebuilt facts (with {FACTS_MANIFEST}, written by "
            "python -m metrics facts --lake DIR --out DIR)"
        )


def _warehouse_setting(settings: Path) -> tuple[str, str | None]:
    """("path" or "facts", the value) from the settings' [warehouse] section."""
    try:
        data = tomllib.loads(settings.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"{settings}: cannot read the settings file ({err})") from None
    section = data.get("warehouse", {})
    given = {}
    for key in ("path", "facts"):
        value = section.get(key)
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"{settings}: [warehouse] {key} must be a string, got {value!r}")
        if value:
            given[key] = value
    if len(given) == 2:
        raise ConfigError(
            f"{settings}: [warehouse] path and facts are both set: expected one of them "
            "(a warehouse file or a folder of prebuilt facts)"
        )
    return next(iter(given.items()), ("path", None))


def demo_scale(env: Mapping[str, str] | None = None) -> float:
    """``SUPPORT_DEMO_SCALE`` as a positive float (default 1.0): the demo's size factor."""
    env = os.environ if env is None else env
    text = env.get("SUPPORT_DEMO_SCALE", "").strip()
    if not text:
        return 1.0
    try:
        scale = float(text)
    except ValueError:
        raise ConfigError(f"SUPPORT_DEMO_SCALE must be a number, got {text!r}") from None
    if not (math.isfinite(scale) and scale > 0):
        raise ConfigError(f"SUPPORT_DEMO_SCALE must be above 0, got {text!r}")
    return scale
