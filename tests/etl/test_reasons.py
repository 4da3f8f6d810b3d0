"""Quarantine reasons are grouped by one rule, in Polars (load report) and SQL (Data health)."""

from __future__ import annotations

import duckdb
import polars as pl

from warehouse.reasons import reason_pattern_expr, reason_pattern_sql

SAMPLES = {
    'channel "fax" is not one of: email, chat': 'channel "…" is not one of: email, chat',
    "same ticket_id as row 10344, which was kept": "same ticket_id as row …, which was kept",
    "line is not valid JSON (Unterminated string at column 98)": (
        "line is not valid JSON (Unterminated string at column …)"
    ),
    "value 'abc' isn't a number": 'value "…" isn\'t a number',
    "row has 12 fields, the header has 7": "row has … fields, the header has …",
}


def test_polars_and_sql_give_the_same_pattern():
    frame = pl.DataFrame({"reason": list(SAMPLES)})
    by_polars = frame.select(reason_pattern_expr(pl.col("reason")))["reason"].to_list()
    con = duckdb.connect()
    by_sql = [
        con.execute(f"SELECT {reason_pattern_sql('r')} FROM (SELECT ? AS r)", [text]).fetchone()[0]
        for text in SAMPLES
    ]
    assert by_polars == list(SAMPLES.values())
    assert by_sql == list(SAMPLES.values())
