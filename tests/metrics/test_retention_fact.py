"""The retention fact on a hand-written warehouse: window edges, observability, known customers.

Activity runs from 2026-03-01 (oldest row) to 2026-06-30 (newest row). A contact on day d is
followed in d+1..d+30, d+31..d+60 and d+61..d+90; a window is observable when it starts on or
after 03-01 and ends on or before 06-30.

contact  customer  created     activity of the customer           1-30 / 31-60 / 61-90
E1       A         2026-03-01  03-01 (day 0), 03-31 (+30), 05-30  yes / no / yes (+90 = 05-30)
E2       A         2026-03-01  same customer and day as E1        same as E1
E3       B         2026-03-10  04-10 (+31), 06-09 (+91)           no / yes / no
E4       C         2026-02-20  03-01                              yes (not obs.: starts 02-21)
E5       D         2026-04-15  no activity row at all             no / no / no, has_activity false
E6       -         2026-04-15  no customer                        no row in the fact
E7       B         2026-05-01  06-09 (+39)                        no / yes (31-60 ends 06-30) / no
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from builders import ticket

from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.retention.experience import retention
from metrics.retention.fact import WINDOWS, retention_table, window_column

SETTINGS = load_settings()


def active(customer: str, *days: str) -> list[dict]:
    return [{"customer_id": customer, "active_on": date.fromisoformat(d)} for d in days]


WAREHOUSE = {
    "tickets": [
        ticket("E1", "2026-03-01 09:00", customer_id="A"),
        ticket("E2", "2026-03-01 17:00", customer_id="A"),
        ticket("E3", "2026-03-10 09:00", customer_id="B"),
        ticket("E4", "2026-02-20 09:00", customer_id="C"),
        ticket("E5", "2026-04-15 09:00", customer_id="D"),
        ticket("E6", "2026-04-15 10:00"),
        ticket("E7", "2026-05-01 09:00", customer_id="B"),
    ],
    "customer_activity": [
        *active("A", "2026-03-01", "2026-03-31", "2026-05-30"),
        *active("B", "2026-04-10", "2026-06-09"),
        *active("C", "2026-03-01"),
        *active("Z", "2026-06-30"),
    ],
}


def fact_rows(wh) -> dict[str, tuple]:
    table = retention_table(wh, SETTINGS)
    columns = ", ".join(
        window_column(kind, label) for kind in ("observable", "active") for label, _, _ in WINDOWS
    )
    frame = wh.query(f"SELECT contact_id, has_activity, {columns} FROM {table}")  # noqa: S608
    return {row[0]: row[1:] for row in frame.iter_rows()}


def test_the_fact_marks_each_window_active_from_its_first_to_its_last_day(make_wh):
    rows = fact_rows(make_wh(WAREHOUSE))
    # (has_activity, observable 1-30, 31-60, 61-90, active 1-30, 31-60, 61-90)
    # E1/E2 (03-01): windows 03-02..03-31, 04-01..04-30, 05-01..05-30, all within 03-01..06-30;
    #   active on 03-31 (+30, the last day of 1-30; 03-01 itself is day 0 and does not count)
    #   and 05-30 (+90); nothing in 04-01..04-30.
    # E3 (03-10): 04-10 is +31 (31-60); 06-09 is +91, past 61-90 (05-10..06-08).
    # E4 (02-20): 1-30 starts 02-21, before 03-01: not observable, yet 03-01 (+9) is a hit;
    #   31-60 = 03-22..04-20, 61-90 = 04-21..05-20 observable and empty.
    # E5: customer D has no activity row; its windows 04-16..07-14: 61-90 ends 07-14 > 06-30.
    # E7 (05-01): 1-30 05-02..05-31 no; 31-60 06-01..06-30 has 06-09; 61-90 ends 07-30.
    assert rows == {
        "E1": (True, True, True, True, True, False, True),
        "E2": (True, True, True, True, True, False, True),
        "E3": (True, True, True, True, False, True, False),
        "E4": (True, False, True, True, True, False, False),
        "E5": (False, True, True, False, False, False, False),
        "E7": (True, True, True, False, False, True, False),
    }


def test_the_fact_is_built_once_per_settings(make_wh):
    wh = make_wh(WAREHOUSE)
    first = retention_table(wh, SETTINGS)
    assert retention_table(wh, SETTINGS) == first
    # the creation day depends on the reporting time zone: another settings key, another fact
    other = retention_table(wh, replace(SETTINGS, reporting_timezone="Asia/Shanghai"))
    assert other != first and other.startswith("retention_")


def test_without_activity_rows_no_window_is_observable_or_active(make_wh):
    rows = fact_rows(make_wh({"tickets": WAREHOUSE["tickets"]}))
    # no activity at all: the span is unknown (NULL), so no window is observable either way.
    assert rows["E1"] == (False, None, None, None, False, False, False)
    assert len(rows) == 6


def test_a_contact_without_a_creation_time_still_finds_its_customer_in_the_fact(make_wh):
    wh = make_wh(
        {
            "tickets": [
                ticket("N1", "2026-03-01 09:00", customer_id="A") | {"created_at": None},
                ticket("N2", "2026-03-05 09:00", customer_id="A"),
                ticket("N3", "2026-03-05 09:00", customer_id="Q") | {"created_at": None},
            ],
            "customer_activity": [*active("A", "2026-03-01", "2026-06-30")],
        }
    )
    # N1 has no creation time (an export that cannot say it): its customer A has activity
    # rows, but no window can be placed, so it is neither counted nor "not observable".
    assert fact_rows(wh)["N1"] == (True, None, None, None, False, False, False)
    frame = retention(wh, SETTINGS, Filters(), split="none")
    # N2 (03-05): windows 03-06..04-04, 04-05..05-04, 05-05..06-03, all within 03-01..06-30;
    #   A's days 03-01 (before) and 06-30 (+117) fall in none -> 0 of 1 in each window.
    # N3: customer Q has no activity row -> no_activity_rows 1.
    assert frame.select(
        "days_after", "n", "active", "not_observable", "no_activity_rows"
    ).rows() == [
        ("1-30", 1, 0, 0, 1),
        ("31-60", 1, 0, 0, 1),
        ("61-90", 1, 0, 0, 1),
    ]
