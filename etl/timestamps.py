"""Export cells (strings) to UTC timestamps and dates, a whole column at a time.

Parsing is a cascade: each step sees only the values no earlier step could
read, so a clean ISO column costs one vectorised ``strptime`` and the slower
fallbacks (regex clean-up, day-first dates, month names) run on the leftovers.
Order: the mapping's formats, ISO 8601, epoch numbers, then the cleaned-up
shapes. A non-null value that no step reads comes back null, which is how the
loader tells a bad cell from a missing one.

Local times (values carrying no zone) are read in the mapping's zone. DST:
an ambiguous local time (the repeated hour in autumn) takes the earlier
instant; a non-existent one (the skipped hour in spring) is read with the
offset in force just before the gap, i.e. shifted forward by the gap's length,
as Python's ``zoneinfo`` (fold=0) and Java's ``ZonedDateTime`` do:
New York 2024-03-10 02:30 becomes 03:30 EDT (07:30 UTC).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import polars as pl

from etl.timezones import resolve_timezone

UTC_DATETIME = pl.Datetime("us", "UTC")

_ISO_FORMATS = (
    "%Y-%m-%dT%H:%M:%S%.f%#z",
    "%Y-%m-%d %H:%M:%S%.f%#z",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%d",
)
# Rewrites applied, in order, to the values ISO and epoch parsing left over.
_CLEANUP = (
    (r"\s+", " "),
    (r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})", "${1}-${2}-${3}"),
    (r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", "${1}-${2}-${3}"),
    (r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2})\b", "${1}-${2}-20${3}"),
    (r"^(\d{1,2})[/.-]([A-Za-z]{3,9})\.?[/.-](\d{4})\b", "${1} ${2} ${3}"),  # 01-May-2026 (Excel)
    (r"^([\d-]+)(?:T| )(\d)", "${1} ${2}"),
    (r" ?\b(?:Z|UTC|GMT)$", "+00:00"),
    (r" ?\b(?:UTC|GMT)([+-]\d)", "${1}"),
    (r" ([+-]\d{2}:?\d{2})$", "${1}"),
)
_TIMES = ("", " %H:%M:%S%.f", " %H:%M", " %I:%M:%S%.f %p", " %I:%M %p")
_TEXT_DATES = ("%d %B %Y", "%B %d, %Y", "%B %d %Y", "%A, %d %B %Y", "%A, %B %d, %Y", "%A %d %B %Y")
_TEXT_EXTRA = ("%A %B %d %H:%M:%S %#z %Y",)  # Twitter's created_at
# Every textual format names a month in English: only such values are tried against them
# (thirty formats over a column of text that holds no date at all took seconds).
_MONTH_NAME = r"(?i)(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
_SAMPLE_SIZE = 200


def _with_zones(date: str, times: Sequence[str]) -> list[str]:
    """Every time x (no zone, offset) variant of one date format."""
    return [date + t + z for t in times for z in ("", "%#z") if t or not z]


def _localise(naive: pl.Series, zone: str) -> pl.Series:
    """Wall-clock times in ``zone`` to UTC; DST rules as in the module docstring."""
    if zone == "UTC":
        return naive.dt.replace_time_zone("UTC")
    local = naive.dt.replace_time_zone(zone, ambiguous="earliest", non_existent="null")
    local = local.dt.convert_time_zone("UTC")
    in_gap = local.is_null() & naive.is_not_null()
    if not in_gap.any():
        return local
    # A day earlier is outside any gap, so its offset is the one in force before this gap.
    before = (naive - timedelta(days=1)).dt.replace_time_zone(
        zone, ambiguous="earliest", non_existent="null"
    )
    offset = (before.dt.base_utc_offset() + before.dt.dst_offset()).cast(pl.Duration("us"))
    shifted = (naive - offset).dt.replace_time_zone("UTC")
    return local.zip_with(~in_gap, shifted)


def _read_format(text: pl.Series, fmt: str, zone: str) -> pl.Series:
    """One strptime format over ``text``, in UTC; '%Z' accepts UTC/GMT/Z as the zone."""
    if "%Z" in fmt:
        text, fmt = text.str.replace(r"\b(?:UTC|GMT|Z)\b", "+00:00"), fmt.replace("%Z", "%#z")
    parsed = text.str.strptime(pl.Datetime("us"), fmt, strict=False)
    parsed = parsed.set(parsed.dt.year() < 1000, None)  # %Y also reads '21' as year 21
    if parsed.dtype.time_zone is None:  # type: ignore[union-attr]
        return _localise(parsed, zone)
    return parsed.dt.convert_time_zone("UTC").cast(UTC_DATETIME)


def _read_epoch(text: pl.Series) -> pl.Series:
    """Digit strings as epoch time: seconds below 1e11, then ms, us and ns by magnitude."""
    parts = text.str.extract_groups(r"^(\d{1,19})(?:\.(\d+))?$").struct
    whole = parts.field("1").cast(pl.Int64, strict=False)
    frac = parts.field("2").fill_null("0").str.slice(0, 6).str.pad_end(6, "0").cast(pl.Int64)
    w, f = pl.col("w"), pl.col("f")
    micros = (
        pl.when(w < 10**11)
        .then(w * 1_000_000 + f)
        .when(w < 10**14)
        .then(w * 1_000 + f // 1_000)
        .when(w < 10**17)
        .then(w)
        .otherwise(w // 1_000)
    )
    frame = pl.DataFrame({"w": whole, "f": frac})
    return frame.select(
        pl.from_epoch(micros, time_unit="us").dt.replace_time_zone("UTC")
    ).to_series()


def _fill(
    text: pl.Series,
    out: pl.Series,
    shape: str | None,
    formats: Sequence[str],
    zone: str,
    *,
    sniff: bool = True,
) -> None:
    """Read the values ``out`` still lacks that match ``shape`` with ``formats``, in place.

    Each format sees only what the ones before it left. With ``sniff`` the
    formats (which must not overlap in meaning) go in order of how many of
    the first values each reads, so a clean column costs one pass.
    """
    index = (out.is_null() & text.is_not_null()).arg_true()
    if shape is not None and not index.is_empty():
        index = index.filter(text.gather(index).str.contains(shape))
    if sniff and not index.is_empty():
        sample = text.gather(index.head(_SAMPLE_SIZE))
        formats = sorted(formats, key=lambda fmt: -_read_format(sample, fmt, zone).count())
    for fmt in formats:
        if index.is_empty():
            return
        parsed = _read_format(text.gather(index), fmt, zone)
        hit = parsed.is_not_null()
        out.scatter(index.filter(hit), parsed.filter(hit))
        index = index.filter(~hit)


def parse_timestamps(
    values: pl.Series,
    *,
    timezone: str = "UTC",
    formats: Sequence[str] = (),
    day_first: bool = False,
) -> pl.Series:
    """Parse a string column into ``pl.Datetime("us", "UTC")``; unreadable non-null values -> null.

    Reads, per value: the mapping's strptime ``formats`` in order; ISO 8601
    ('T' or space, optional fraction, 'Z'/offset/none, date-only = midnight);
    epoch digit strings (seconds, or milliseconds from 1e11, optional
    fraction); numeric dates with '/', '-' or '.' (``day_first`` decides
    '01-06-2023'; a value only valid the other way round, like '22-03-2021'
    month-first, is still read); month names ('1 March 2024', RFC 2822).
    Values without a zone are in ``timezone`` (see the module docstring for DST).
    """
    zone = resolve_timezone(timezone)
    text = values.cast(pl.String).str.strip_chars()
    out = pl.repeat(None, len(text), dtype=UTC_DATETIME, eager=True).alias(values.name)
    _fill(text, out, None, formats, zone, sniff=False)
    _fill(text, out, r"^\d{4}-\d", _ISO_FORMATS, zone)
    index = (out.is_null() & text.str.contains(r"^\d+(\.\d+)?$")).arg_true()
    out.scatter(index, _read_epoch(text.gather(index)))
    # What is left is read by rewriting it first; a value without a digit holds no date.
    left = (out.is_null() & text.str.contains(r"\d").fill_null(False)).arg_true()
    if left.is_empty():
        return out
    cleaned = text.clone().scatter(left, _cleanup(text.gather(left)))
    _fill(cleaned, out, r"^\d{4}-\d", _with_zones("%Y-%m-%d", _TIMES), zone)
    dmy, mdy = "%d-%m-%Y", "%m-%d-%Y"
    for date in (dmy, mdy) if day_first else (mdy, dmy):
        _fill(cleaned, out, r"^\d{1,2}-\d{1,2}-\d{4}", _with_zones(date, _TIMES), zone)
    textual = [f for date in _TEXT_DATES for f in _with_zones(date, _TIMES[:3])]
    _fill(cleaned, out, _MONTH_NAME, [*textual, *_TEXT_EXTRA], zone)
    return out


# The commonest exact shapes, each read in one pass by polars' fixed-width parser: (pattern,
# strptime format, whether it is UTC). A value of this shape is read to the same instant by
# an ISO format of the cascade; anything else (or a year below 1000) is left to the cascade.
_D = "[0-9]{4}-[0-9]{2}-[0-9]{2}"
_T = "[0-9]{2}:[0-9]{2}:[0-9]{2}"
_YEAR_1000 = datetime(1000, 1, 1)  # %Y also reads '0021' as year 21
_SHAPES = (
    (f"^{_D}T{_T}Z$", "%Y-%m-%dT%H:%M:%SZ", True),
    (f"^{_D}T{_T}$", "%Y-%m-%dT%H:%M:%S", False),
    (f"^{_D} {_T}$", "%Y-%m-%d %H:%M:%S", False),
)


def shape_pattern(shape: int) -> str:
    """The regular expression of exact shape ``shape``."""
    return _SHAPES[shape][0]


def common_shape(values: pl.Series) -> int | None:
    """Which of the exact shapes most of the first non-blank values have (index), if any."""
    sample = values.drop_nulls().head(_SAMPLE_SIZE).str.strip_chars()
    if sample.is_empty():
        return None
    hits = [int(sample.str.contains(pattern).sum()) for pattern, _, _ in _SHAPES]
    best = max(range(len(_SHAPES)), key=lambda i: hits[i])
    return best if hits[best] * 2 > sample.len() else None


def read_shape(text: pl.Series, shape: int, timezone: str = "UTC") -> pl.Series:
    """Values of exact shape ``shape`` (see `common_shape`) as UTC; null elsewhere.

    Null too where the cascade's DST rules would be needed (a local time in a gap); such
    values, like every other null here (blanks around a value included), are for
    `parse_timestamps` to read.
    """
    pattern, fmt, utc = _SHAPES[shape]
    zone = "UTC" if utc else resolve_timezone(timezone)
    # No cache: most values differ, and hashing them costs as much as parsing them.
    naive = text.str.strptime(pl.Datetime("us"), fmt, strict=False, cache=False)
    naive = naive.set(~text.str.contains(pattern).fill_null(False) | (naive < _YEAR_1000), None)
    if zone == "UTC":
        return naive.dt.replace_time_zone("UTC")
    local = naive.dt.replace_time_zone(zone, ambiguous="earliest", non_existent="null")
    return local.dt.convert_time_zone("UTC")


def _cleanup(text: pl.Series) -> pl.Series:
    """Leftover values rewritten toward one shape: '-' dates, 4-digit years, zone as an offset."""
    for pattern, replacement in _CLEANUP:
        text = text.str.replace_all(pattern, replacement)
    return text


def parse_dates(
    values: pl.Series, *, formats: Sequence[str] = (), day_first: bool = False
) -> pl.Series:
    """Parse a string column into ``pl.Date`` by the rules of ``parse_timestamps``.

    A value with a time gives its date; one carrying an offset gives its UTC
    date, one without gives the date as written.
    """
    return parse_timestamps(values, formats=formats, day_first=day_first).dt.date()


def plausible(
    ts: pl.Series,
    *,
    earliest: datetime = datetime(2000, 1, 1, tzinfo=UTC),
    latest_after_now: timedelta = timedelta(days=2),
) -> pl.Series:
    """True where a timestamp (or date) lies in [earliest, now + latest_after_now]; null stays null.

    Catches misread columns (epoch 0, two-digit years, ms read as seconds).
    """
    latest = datetime.now(UTC) + latest_after_now
    if ts.dtype == pl.Date:
        return ts.is_between(earliest.date(), latest.date())
    if ts.dtype.time_zone is None:  # type: ignore[union-attr]
        ts = ts.dt.replace_time_zone("UTC")
    return ts.is_between(earliest, latest)
