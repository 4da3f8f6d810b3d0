"""What every quality figure stands on: the scored conversations under the filters, and
people's ratings mapped onto the rubric.

Verdicts and scores are written by the loader (``qa_verdicts``, ``qa_scores``); reviews
are loaded (``qa_reviews``). A conversation is matched to its contact (a ticket, or a chat
that belongs to no ticket) by source and id, so the page filters, the agent and team and
the creation week are the contact's, as for every other figure.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from metrics.core.contacts import SLA_MET_SQL, Warehouse, contacts_fact, contacts_table
from metrics.core.facts import Fact, fact_table, per_settings
from metrics.core.filters import Filters
from metrics.core.grouping import group_expr
from metrics.core.rubric import Rubric
from metrics.core.settings import Settings

QUALITY_TABLES: tuple[str, ...] = ("qa_verdicts", "qa_scores")
VERDICT_CODES: dict[str, int] = {"no": 0, "yes": 1, "na": 2, "not_scored": 3}  # quality fact
MISSING = (
    "no quality review in this warehouse: load messages (they are scored at load time), or run "
    "`python -m etl rescore --what qa --db PATH` on a warehouse loaded before the review existed"
)


def available(wh: Warehouse, tables: tuple[str, ...] = QUALITY_TABLES) -> bool:
    """True when the warehouse has the tables (an older file may lack them)."""
    present = getattr(wh, "tables", None)
    if present is None:
        names = wh.query("SELECT table_name FROM duckdb_tables()")["table_name"]
        present = set(names.to_list())
    return set(tables) <= set(present)


def scoped(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> tuple[str, str, dict[str, Any]]:
    """(contact fact name, filter condition over ``c``, parameters), plus ``grp`` support:
    the group expression is returned by ``group_sql``."""
    where, params = filters.where(settings.reporting_timezone)
    group = group_expr(by)
    if group is not None and "$timezone" in group:
        params["timezone"] = settings.reporting_timezone
    return contacts_table(wh, settings), where, params


@per_settings
def quality_fact(settings: Settings) -> Fact:
    """The quality fact's definition for ``settings``: every contact (the contact fact's
    rows), and for those the scorer reviewed ``qa_reviewed``, ``qa_score``, ``qa_critical``,
    ``qa_rubric`` (the rubric version of the stored score), ``qa_0`` ... ``qa_N`` (the verdict
    of each rubric category, in rubric order, as VERDICT_CODES; null when none is stored) and
    ``qa_failed`` (the failed categories). The page's figures then read one row per contact
    instead of joining the verdicts (ten times as many rows) on every call. Kept per contact:
    the quality scorer notes the conversations it scores (``etl.quality.store``)."""
    names = settings.quality.names
    code = "CASE verdict WHEN 'no' THEN 0 WHEN 'yes' THEN 1 WHEN 'na' THEN 2 ELSE 3 END"
    # one column per rubric category (none for an empty rubric); TINYINT and a sorted list,
    # null without a failure, so that Spark (no unsigned types, an empty list) builds the same
    pivot = "".join(
        f"CAST(max({code}) FILTER (WHERE category = $c{i}) AS TINYINT) AS qa_{i}, "
        for i in range(len(names))
    )
    wide_columns = "".join(f"w.qa_{i}, " for i in range(len(names)))
    sql = f"""
        WITH wide AS (
            SELECT source, conversation_id, {pivot}
                CASE WHEN count(*) FILTER (WHERE verdict = 'no') > 0
                    THEN list_sort(list(category) FILTER (WHERE verdict = 'no')) END AS qa_failed
            FROM qa_verdicts GROUP BY source, conversation_id
        )
        SELECT c.*, s.conversation_id IS NOT NULL AS qa_reviewed, s.score AS qa_score,
            coalesce(s.critical_failed, false) AS qa_critical, s.rubric_version AS qa_rubric,
            {wide_columns}w.qa_failed
        FROM {{contacts}} AS c
        LEFT JOIN qa_scores AS s ON s.source = c.source AND s.conversation_id = c.contact_id
        LEFT JOIN wide AS w ON w.source = c.source AND w.conversation_id = c.contact_id
    """  # noqa: S608
    return Fact(
        name="quality",
        sql=sql,
        params=tuple((f"c{i}", name) for i, name in enumerate(names)),
        inputs=(contacts_fact(settings),),
        reads=frozenset(QUALITY_TABLES),
        grain="contact",
        frame_key=repr(settings.quality),
        finish=SLA_MET_SQL,
        order_by="created_at",
    )


def quality_table(wh: Warehouse, settings: Settings) -> str:
    """Name of the quality fact (``quality_fact``): stored by the writers, else built on first
    use, with the contact fact's read-time SLA verdict."""
    return fact_table(wh, quality_fact(settings))


def scoped_quality(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> tuple[str, str, dict[str, Any]]:
    """As ``scoped``, over the quality fact (``quality_table``) instead of the contact fact."""
    _, where, params = scoped(wh, settings, filters, by)
    return quality_table(wh, settings), where, params


def group_sql(by: str | None) -> str:
    """The breakdown's SQL over contact ``c`` (a constant for the overall figure)."""
    return group_expr(by) or "NULL"


def category_frame(rubric: Rubric) -> pl.DataFrame:
    """Every spelling that means a rubric category -> the category: its name and its label,
    lower case, spaces and dashes as underscores ("Tone of voice" is not one; a mapping's
    ``[values.category]`` renames it)."""
    rows: dict[str, str] = {}
    for position, category in enumerate(rubric.categories):
        for spelling in (category.name, category.label):
            key = spelling.strip().lower().replace(" ", "_").replace("-", "_")
            rows.setdefault(key, category.name)
        rows.setdefault(f"#{position}", category.name)
    return pl.DataFrame(
        {"spelling": list(rows), "category": list(rows.values())},
        schema={"spelling": pl.String, "category": pl.String},
    )


def rubric_frame(rubric: Rubric) -> pl.DataFrame:
    """The rubric as rows: category, label, weight, critical, position."""
    return pl.DataFrame(
        {
            "category": [c.name for c in rubric.categories],
            "label": [c.label for c in rubric.categories],
            "weight": [float(c.weight) for c in rubric.categories],
            "critical": [c.critical for c in rubric.categories],
            "position": list(range(len(rubric.categories))),
        },
        schema={"category": pl.String, "label": pl.String, "weight": pl.Float64,
                "critical": pl.Boolean, "position": pl.Int64},
    )  # fmt: skip


# People's ratings on the rubric: one row per review rating of a rubric category, with the
# reviewer's pass/fail (score at or above the pass mark; no score = not applicable).
RATINGS_SQL = """
SELECT r.source, r.conversation_id, r.reviewer, r.reviewed_at, k.category, r.score,
    CASE WHEN r.score IS NULL THEN 'na' WHEN r.score >= $pass_mark THEN 'yes' ELSE 'no' END
        AS human
FROM qa_reviews AS r
JOIN rubric_spellings AS k
    ON k.spelling = replace(replace(lower(trim(r.category)), ' ', '_'), '-', '_')
"""


def rating_frames(rubric: Rubric) -> dict[str, pl.DataFrame]:
    """The lookup frames RATINGS_SQL and the review score read."""
    return {"rubric_spellings": category_frame(rubric), "rubric_rows": rubric_frame(rubric)}


def stored_scorer_versions(wh: Warehouse) -> dict[str, int]:
    """Scorer version -> conversations whose stored score it made, over the whole warehouse:
    a version other than ``SCORER_VERSION`` means the judges or their coverage have changed
    since (``python -m etl rescore --what qa`` brings the scores up to date)."""
    if not available(wh, ("qa_scores",)):
        return {}
    rows = wh.query(
        "SELECT scorer_version, count(*) AS n FROM qa_scores GROUP BY ALL ORDER BY ALL"
    ).rows()
    return {str(version): int(n) for version, n in rows}
