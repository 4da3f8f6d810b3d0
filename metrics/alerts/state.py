"""The notification state file: which alerts fired (cool-down) and what was sent (no double
sending). A small JSON file beside the warehouse, written atomically (temporary file, then
``os.replace``), so a run killed half way leaves the previous state."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any


def state_path(settings_path: str, warehouse: Path) -> Path:
    """The state file: ``[alerts] state_file`` (relative to the warehouse's folder), else
    ``<warehouse>.notify.json`` beside it."""
    if not settings_path:
        return warehouse.with_name(warehouse.name + ".notify.json")
    path = Path(settings_path).expanduser()
    return path if path.is_absolute() else warehouse.parent / path


@dataclass
class NotifyState:
    """Last fired day per alert key, and the deliveries done (key -> when)."""

    fired: dict[str, str] = field(default_factory=dict)
    sent: dict[str, str] = field(default_factory=dict)
    path: Path | None = None

    def last_fired(self, key: str) -> date | None:
        """The last day the alert ``key`` (rule and group) fired on, None if never."""
        return date.fromisoformat(self.fired[key]) if key in self.fired else None

    def record_fired(self, key: str, day: date) -> None:
        known = self.last_fired(key)
        if known is None or day > known:
            self.fired[key] = day.isoformat()

    def was_sent(self, key: str) -> str | None:
        return self.sent.get(key)

    def record_sent(self, key: str, when: datetime) -> None:
        self.sent[key] = when.isoformat(timespec="seconds")

    def as_dict(self) -> dict[str, Any]:
        return {"fired": dict(sorted(self.fired.items())), "sent": dict(sorted(self.sent.items()))}


def load_state(path: Path | None) -> NotifyState:
    """The state in ``path`` (an empty state when there is no file yet; None: in memory)."""
    if path is None or not path.is_file():
        return NotifyState(path=path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise ValueError(f"{path}: not a notification state file ({err}); move it away") from None
    return NotifyState(dict(data.get("fired", {})), dict(data.get("sent", {})), path)


def save_state(state: NotifyState) -> None:
    """Write ``state`` to its file atomically (nothing to do for an in-memory state)."""
    if state.path is None:
        return
    state.path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".notify-", dir=state.path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(state.as_dict(), out, indent=1)
    os.replace(temporary, state.path)
