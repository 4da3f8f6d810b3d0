"""Time arithmetic for the generator: integer epoch seconds, hour slots and zone offsets.

All generated times are int64 seconds since the epoch (UTC). Local hours and
weekdays come from a per-hour offset table, so DST is exact and lookups vectorise.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import numpy as np

from sample_data.effects import PERIOD_END, PERIOD_START

HOUR = 3600
DAY = 86400
START = int(PERIOD_START.timestamp())
END = int(PERIOD_END.timestamp())
T0 = START - 2 * DAY  # first hour slot (shifts that began before the period)
T1 = END + 21 * DAY  # last hour slot: replies scheduled past the export are cut later
N_SLOTS = (T1 - T0) // HOUR


def epoch(moment: datetime) -> int:
    """Seconds since the epoch of an aware datetime."""
    return int(moment.timestamp())


def slot_of(t: np.ndarray) -> np.ndarray:
    """Hour slot index of epoch seconds, clipped into the table."""
    return np.clip((t - T0) // HOUR, 0, N_SLOTS - 1)


@cache
def hourly_offsets(zone: str) -> np.ndarray:
    """UTC offset in seconds of ``zone`` at the start of every hour slot."""
    tz = ZoneInfo(zone)
    first = datetime.fromtimestamp(T0, UTC)
    return np.array(
        [
            int((first + timedelta(hours=h)).astimezone(tz).utcoffset().total_seconds())
            for h in range(N_SLOTS)
        ],
        dtype=np.int64,
    )


def local_seconds(zone: str, t: np.ndarray) -> np.ndarray:
    """Epoch seconds shifted to ``zone``'s wall clock (still counted from 1970)."""
    return t + hourly_offsets(zone)[slot_of(t)]


def local_hour(zone: str, t: np.ndarray) -> np.ndarray:
    """Hour of day 0-23 in ``zone``."""
    return (local_seconds(zone, t) // HOUR) % 24


def local_weekday(zone: str, t: np.ndarray) -> np.ndarray:
    """Weekday in ``zone``, Monday = 0 (1970-01-01 was a Thursday)."""
    return (local_seconds(zone, t) // DAY + 3) % 7


def local_midnights(zone: str, first: date, days: int) -> np.ndarray:
    """Epoch seconds of local midnight for ``days`` consecutive dates from ``first``."""
    tz = ZoneInfo(zone)
    return np.array(
        [
            epoch(datetime.combine(first + timedelta(days=d), datetime.min.time(), tz))
            for d in range(days)
        ],
        dtype=np.int64,
    )


def day_index(t: np.ndarray) -> np.ndarray:
    """UTC day number since the period start (0 = 1 May)."""
    return (t - START) // DAY


def lognormal(rng: np.random.Generator, median: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    """Log-normal draws with the given medians and log-sigmas (broadcast)."""
    return median * np.exp(sigma * rng.standard_normal(np.broadcast(median, sigma).shape))
