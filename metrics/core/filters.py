"""The one filter value every metric accepts, and its SQL (bound parameters only)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

# Filterable dimensions: the Filters field and the contact column it restricts.
DIMENSIONS: dict[str, str] = {
    "channel": "channel",
    "language": "language",
    "team": "team",
    "agent": "agent_id",
    "priority": "priority",
    "category": "category",
    "source": "source",
}


@dataclass(frozen=True)
class Filters:
    """Date range on creation (inclusive local days in the reporting zone) and dimension choices.

    An empty tuple means "all". Merged duplicates are excluded unless ``include_merged``.
    """

    date_from: date | None = None
    date_to: date | None = None
    channel: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    team: tuple[str, ...] = ()
    agent: tuple[str, ...] = ()
    priority: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    include_merged: bool = False

    def bounds(self, timezone: str) -> tuple[datetime | None, datetime | None]:
        """UTC instants of the start of ``date_from`` and the end of ``date_to`` in ``timezone``."""
        zone = ZoneInfo(timezone)
        start = (
            datetime.combine(self.date_from, time(0), zone).astimezone(UTC)
            if self.date_from
            else None
        )
        end = (
            datetime.combine(self.date_to + timedelta(days=1), time(0), zone).astimezone(UTC)
            if self.date_to
            else None
        )
        return start, end

    def previous_period(self) -> Filters:
        """The same filters over the period of equal length just before this one."""
        if self.date_from is None or self.date_to is None:
            return self
        days = (self.date_to - self.date_from).days + 1
        return replace(
            self,
            date_from=self.date_from - timedelta(days=days),
            date_to=self.date_from - timedelta(days=1),
        )

    def where(
        self, timezone: str, alias: str = "c", time_column: str = "created_at"
    ) -> tuple[str, dict[str, Any]]:
        """SQL condition over a contacts relation ``alias`` and its named parameters (``$f_*``)."""
        clauses: list[str] = []
        params: dict[str, Any] = {}
        start, end = self.bounds(timezone)
        if start is not None:
            clauses.append(f"{alias}.{time_column} >= $f_start")
            params["f_start"] = start
        if end is not None:
            clauses.append(f"{alias}.{time_column} < $f_end")
            params["f_end"] = end
        for field_name, column in DIMENSIONS.items():
            values = getattr(self, field_name)
            if values:
                clauses.append(
                    f"list_contains(CAST($f_{field_name} AS VARCHAR[]), {alias}.{column})"
                )
                params[f"f_{field_name}"] = list(values)
        if not self.include_merged:
            clauses.append(f"NOT {alias}.is_merged")
        return (" AND ".join(clauses) or "TRUE"), params
