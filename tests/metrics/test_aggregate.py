"""The shared aggregate fragments (metrics.core.aggregate), named with a prefix so several
metrics' figures fit in one query (the headline)."""

from __future__ import annotations

import duckdb

from metrics.core.aggregate import count_where, duration_aggregates, rate_aggregates

# Five contacts: minutes 10, 20, 40, NULL, 70; solved on all but the fourth.
CONTACTS = """
    SELECT * FROM (VALUES (10.0, true), (20.0, true), (40.0, true), (NULL, false), (70.0, true))
        AS c(minutes, solved)
"""


def _row(aggregates: str) -> dict:
    cur = duckdb.connect().execute(f"SELECT {aggregates} FROM ({CONTACTS}) AS c")  # noqa: S608
    names = [d[0] for d in cur.description]
    return dict(zip(names, cur.fetchone(), strict=True))


def test_a_duration_summary_is_named_with_its_prefix():
    row = _row(
        duration_aggregates("minutes", "c.minutes > 10", {"unsolved": "NOT c.solved"}, "x__")
    )
    # eligible: 20, 40, 70 -> n 3, median 40; p90 at rank 0.9 * 2 = 1.8: 40 + 0.8 * 30 = 64
    assert row == {"x__n": 3, "x__unsolved": 1, "x__median": 40.0, "x__p90": 64.0}


def test_a_rate_is_named_with_its_prefix_and_unprefixed_by_default():
    spec = ("c.minutes <= 20", "c.solved", {"unknown": "c.minutes IS NULL"})
    # eligible: the 4 solved; hits: 10 and 20 -> 2; unknown: the fourth contact
    assert _row(rate_aggregates(*spec, prefix="r__")) == {"r__n": 4, "r__hits": 2, "r__unknown": 1}
    assert _row(rate_aggregates(*spec)) == {"n": 4, "hits": 2, "unknown": 1}


def test_a_count_where_is_a_bigint_and_zero_over_no_rows():
    sql = f"SELECT {count_where('c.solved')} AS solved FROM ({CONTACTS}) AS c"
    con = duckdb.connect()
    # 4 of the 5 contacts are solved; none is left when the condition drops every row
    assert con.execute(sql).fetchone() == (4,)
    assert con.execute(f"{sql} WHERE c.minutes > 100").fetchone() == (0,)
    assert con.execute(f"SELECT typeof({count_where('true')})").fetchone() == ("BIGINT",)
