"""How quarantine reasons are grouped: one rule for the load report and the Data health page.

A problem reads ``<column> "<value>" <what is wrong>``. Its *pattern* blanks the
row-specific parts: every double-quoted literal, and every single-quoted one that
does not start inside a word (so "isn't" survives), becomes ``"…"``; a number right
after row, item, line, column or has (``as row 10344``, ``at column 98``) becomes
``…``. Column names are not quoted, so they stay. The masks are written once here and
applied by Polars (load report) and by DuckDB SQL (metrics.reports.data_health).
They live here, beside the quarantine table's schema, because both the loader (etl/)
and the readers (metrics/) use them, and reading never depends on loading.
"""

from __future__ import annotations

import polars as pl

# (regex, replacement with group 1 written as {1}); RE2/Rust-regex syntax, valid in both engines.
REASON_MASKS: tuple[tuple[str, str], ...] = (
    (r'"[^"]*"', '"…"'),
    (r"(^|[^\pL])'[^']*'", '{1}"…"'),
    (r"(?i)\b(row|item|line|column|has) \d+", "{1} …"),
)
SEPARATOR = "; "


def reason_pattern_expr(expr: pl.Expr) -> pl.Expr:
    """Polars expression: the pattern of one problem text."""
    for regex, replacement in REASON_MASKS:
        expr = expr.str.replace_all(regex, replacement.replace("{1}", "${1}"))
    return expr


def reason_pattern_sql(column: str) -> str:
    """DuckDB SQL expression: the pattern of the problem text in ``column`` (an identifier from code)."""
    sql = column
    for regex, replacement in REASON_MASKS:
        quoted_regex = regex.replace("'", "''")
        quoted_replacement = replacement.replace("{1}", "\\1").replace("'", "''")
        sql = f"regexp_replace({sql}, '{quoted_regex}', '{quoted_replacement}', 'g')"
    return sql
