"""The digest's period: ``last-week`` (the last whole Monday-Sunday week), ``last-month``
(the last whole calendar month) or ``FROM:TO`` (dates, inclusive), counted back from the
day the warehouse's data ends in the reporting time zone (never the machine's clock: an
export of last year gives last year's weeks)."""

from __future__ import annotations

from datetime import date, timedelta


def parse_period(text: str, today: date) -> tuple[date, date]:
    """(first day, last day) of the period ``text``; ValueError says what was expected."""
    spec = text.strip().lower()
    if spec == "last-week":
        monday = today - timedelta(days=today.weekday())
        return monday - timedelta(days=7), monday - timedelta(days=1)
    if spec == "last-month":
        first_of_this = today.replace(day=1)
        last = first_of_this - timedelta(days=1)
        return last.replace(day=1), last
    first, sep, last = spec.partition(":")
    try:
        start, end = date.fromisoformat(first), date.fromisoformat(last)
    except ValueError:
        start = end = None
    if not sep or start is None or end is None:
        raise ValueError(
            f"--period {text!r}: expected last-week, last-month or FROM:TO (YYYY-MM-DD:YYYY-MM-DD)"
        )
    if start > end:
        raise ValueError(f"--period {text!r}: {start} is after {end}")
    return start, end
