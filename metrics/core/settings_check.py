"""A settings file checked against the documented defaults, key by key.

``default_settings.toml`` names every key and gives its default; a user's file may leave
any key out but may not add one (a typo such as ``timezon`` would otherwise be ignored
in silence) nor give a value of another kind. The first problem found becomes one line
naming the key and what was expected.
"""

from __future__ import annotations

import difflib
import fnmatch
from typing import Any

# Tables whose keys are the user's own names (teams) or checked by their reader (weekdays).
# Alert rules are the user's own names, checked by metrics.alerts.rules.
OPEN_TABLES = ("support_hours.teams", "support_hours.*.weekly", "alerts.rules")
# Each entry of an open table with a shape has the shape of this documented table.
SHAPE_OF = {"support_hours.teams": "support_hours.default"}
# Counts: every other number may have decimals even where its default has none (minutes).
WHOLE_NUMBERS = {
    "reporting.small_sample",
    "windows.fcr_days",
    "windows.repeat_days",
    "wait_estimates.weeks",
    "delivery.smtp_port",
    "delivery.retries",
}
# Numbers that must lie in a range: key -> (low, high, low included, what is expected).
RANGES: dict[str, tuple[float, float, bool, str]] = {
    "staffing.service_level": (0.0, 1.0, False, "a share above 0 and at most 1, e.g. 0.8"),
    "staffing.shrinkage": (0.0, 1.0, True, "a share from 0 up to 1, e.g. 0.3"),
    "sentiment.negative": (-1.0, 1.0, True, "a score from -1 to 1"),
    "sentiment.positive": (-1.0, 1.0, True, "a score from -1 to 1"),
}


class SettingsError(ValueError):
    """A settings file that cannot be used; the message names the key and what was expected."""


def check_settings(data: dict[str, Any], defaults: dict[str, Any], label: str) -> None:
    """Raise SettingsError naming the first key of ``data`` that is unknown, of the wrong
    kind or out of range; ``label`` (the file) starts the message."""
    _check_table(data, defaults, "", label, defaults)


def _is_open(table: str) -> bool:
    return any(fnmatch.fnmatchcase(table, pattern) for pattern in OPEN_TABLES)


def _check_table(
    data: dict[str, Any], shape: dict[str, Any], prefix: str, label: str, root: dict[str, Any]
) -> None:
    table = prefix.rstrip(".")
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if _is_open(table):
            entry_shape = _lookup(root, SHAPE_OF.get(table, ""))
            if isinstance(entry_shape, dict):
                _check_value(value, entry_shape, dotted, label, root)
            continue
        if key not in shape and _is_open(dotted):
            _check_value(value, {}, dotted, label, root)
            continue
        if key not in shape:
            raise SettingsError(f"{label}: unknown key {dotted}{_suggest(key, shape, prefix)}")
        _check_value(value, shape[key], dotted, label, root)


def _check_value(value: Any, default: Any, dotted: str, label: str, root: dict[str, Any]) -> None:
    if isinstance(default, dict):
        if not isinstance(value, dict):
            raise SettingsError(f"{label}: {dotted} = {value!r}: expected a table ([{dotted}])")
        _check_table(value, default, f"{dotted}.", label, root)
        return
    whole = dotted in WHOLE_NUMBERS
    if not _same_kind(value, default, whole):
        raise SettingsError(
            f"{label}: {dotted} = {_shown(value)}: expected {_kind(default, whole)}"
            f" (the default is {_shown(default)})"
        )
    if dotted in RANGES:
        low, high, low_ok, what = RANGES[dotted]
        if not ((low <= value if low_ok else low < value) and value <= high):
            raise SettingsError(f"{label}: {dotted} = {value!r}: expected {what}")
    elif _is_number(default) and default > 0 and value <= 0:
        raise SettingsError(f"{label}: {dotted} = {value!r}: expected a number above 0")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _same_kind(value: Any, default: Any, whole: bool) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if _is_number(default):
        return _is_number(value) and (not whole or float(value).is_integer())
    if isinstance(default, list):
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return isinstance(value, type(default))


def _kind(default: Any, whole: bool) -> str:
    if isinstance(default, bool):
        return "true or false"
    if _is_number(default):
        return "a whole number" if whole else "a number"
    if isinstance(default, list):
        return 'a list of texts, e.g. ["a", "b"]'
    return 'a text in quotes, e.g. "UTC"'


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


def _suggest(key: str, shape: dict[str, Any], prefix: str) -> str:
    known = sorted(shape)
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"; did you mean {prefix}{close[0]}?" if close else ""
    section = f"[{prefix.rstrip('.')}]" if prefix else "the top level"
    return f"{hint} (known in {section}: {', '.join(known)})"


def _lookup(root: dict[str, Any], dotted: str) -> Any:
    node: Any = root
    for part in filter(None, dotted.split(".")):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node if dotted else None
