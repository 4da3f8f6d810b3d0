"""The automatic quality score and each category's pass rate, by agent, team, week ...

Both read the scorer's stored verdicts (written at load time, see docs/qa.md) for the
filtered contacts. A category that is not scored in a conversation's language counts as
"not scored", never as passed or failed.
"""

from __future__ import annotations

import polars as pl

from metrics.core.aggregate import with_wilson
from metrics.core.contacts import Warehouse
from metrics.core.filters import Filters
from metrics.core.metric import metric
from metrics.core.settings import Settings
from metrics.quality.scope import VERDICT_CODES, available, group_sql, scoped_quality

BREAKDOWNS = "agent, team, channel, language, category, priority, source, day, week, month"
AUTO_SCHEMA: dict[str, pl.DataType] = {
    "contacts": pl.Int64(), "reviewed": pl.Int64(), "n": pl.Int64(), "score": pl.Float64(),
    "critical_failures": pl.Int64(), "rubric_versions": pl.String(), "other_rubric": pl.Int64(),
}  # fmt: skip
CATEGORY_SCHEMA: dict[str, pl.DataType] = {
    "category": pl.String(), "label": pl.String(), "critical": pl.Boolean(), "n": pl.Int64(),
    "hits": pl.Int64(), "failed": pl.Int64(), "not_applicable": pl.Int64(),
    "not_scored": pl.Int64(), "value": pl.Float64(), "ci_low": pl.Float64(), "ci_high": pl.Float64(),
}  # fmt: skip


def _empty(by: str | None, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(schema=({by: pl.String()} if by else {}) | schema)


def _finish(frame: pl.DataFrame, by: str | None) -> pl.DataFrame:
    return frame.rename({"grp": by}) if by else frame.drop("grp")


@metric(
    "qa_auto_score",
    label="Automatic quality score",
    unit="score 0-1",
    family="quality",
    definition=(
        "Mean review score of the filtered contacts the automatic scorer reviewed (those with a "
        "human agent reply): per conversation the weighted mean of the rubric categories that "
        "apply and are scored in its language (yes = 1, no = 0), 0 when a critical category "
        "failed. Beside it the contacts, the conversations reviewed, the critical failures and "
        "the rubric versions the stored scores used."
    ),
    variant=f"weights and critical flags of [quality] in settings; breakdowns: {BREAKDOWNS}",
    exclusions=(
        "contacts without a human agent reply (not reviewed), conversations where no weighted "
        "category applies (score null), merged duplicates"
    ),
)
def qa_auto_score(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """Columns (by?), contacts, reviewed, n (with a score), score (mean, 0..1),
    critical_failures, rubric_versions, other_rubric (scored with another rubric than the
    settings'). Empty when the warehouse has no quality tables."""
    if not available(wh):
        return _empty(by, AUTO_SCHEMA)
    table, where, params = scoped_quality(wh, settings, filters, by)
    sql = f"""
        SELECT {group_sql(by)} AS grp, count(*) AS contacts,
            count(*) FILTER (WHERE c.qa_reviewed) AS reviewed,
            count(c.qa_score) AS n, avg(c.qa_score) AS score,
            count(*) FILTER (WHERE c.qa_critical) AS critical_failures,
            string_agg(DISTINCT c.qa_rubric, ', ' ORDER BY c.qa_rubric) AS rubric_versions,
            count(*) FILTER (WHERE c.qa_rubric <> $rubric) AS other_rubric
        FROM {table} AS c
        WHERE {where}
        GROUP BY ALL ORDER BY grp NULLS LAST
    """  # noqa: S608
    frame = wh.query(sql, params | {"rubric": settings.quality.label})
    return _finish(frame.cast({k: v for k, v in AUTO_SCHEMA.items()}), by)


@metric(
    "qa_category_scores",
    label="Quality categories: pass rate",
    unit="share",
    family="quality",
    definition=(
        "Per rubric category: conversations that passed (yes) divided by those judged (yes or "
        "no), with a Wilson 95% interval; beside them those the category does not apply to "
        "(n/a) and those it is not scored in (the conversation's language, or a category the "
        "automatic scorer cannot judge reliably: see docs/qa.md)."
    ),
    variant=f"ratio of counts over the filtered contacts; breakdowns: {BREAKDOWNS}",
    exclusions="not applicable and not scored verdicts (counted), contacts not reviewed, merged duplicates",
)
def qa_category_scores(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """One row per rubric category (and group): CATEGORY_SCHEMA, in rubric order."""
    if not available(wh):
        return _empty(by, CATEGORY_SCHEMA)
    combos = verdict_combinations(wh, settings, filters, by)
    measures = {"hits": "yes", "failed": "no", "not_applicable": "na", "not_scored": "not_scored"}
    rows = [
        combos.group_by("grp").agg(
            pl.lit(category.name).alias("category"),
            pl.lit(category.label).alias("label"),
            pl.lit(category.critical).alias("critical"),
            pl.lit(i).alias("position"),
            *(
                pl.col("contacts").filter(pl.col(f"qa_{i}") == VERDICT_CODES[verdict]).sum()
                .alias(measure)
                for measure, verdict in measures.items()
            ),
        )
        for i, category in enumerate(settings.quality.categories)
    ]  # fmt: skip
    frame = pl.concat(rows).with_columns((pl.col("hits") + pl.col("failed")).alias("n"))
    frame = frame.sort("grp", "position", nulls_last=True)
    frame = frame.with_columns(
        pl.when(pl.col("n") > 0).then(pl.col("hits") / pl.col("n")).alias("value")
    )
    frame = with_wilson(frame).drop("position")
    keys = ["grp"] + list(CATEGORY_SCHEMA)
    return _finish(frame.select(keys).cast(CATEGORY_SCHEMA), by)


def verdict_combinations(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """The reviewed contacts counted per group and combination of verdicts: grp, qa_0 ...
    qa_N (VERDICT_CODES), contacts, scored (contacts with a score), score_sum. Few distinct
    combinations exist, so every category figure is a sum over a small frame."""
    table, where, params = scoped_quality(wh, settings, filters, by)
    codes = "".join(f"c.qa_{i}, " for i in range(len(settings.quality.names)))
    sql = f"""
        SELECT {group_sql(by)} AS grp, {codes}count(*) AS contacts,
            count(c.qa_score) AS scored, sum(c.qa_score) AS score_sum
        FROM {table} AS c
        WHERE {where} AND c.qa_reviewed
        GROUP BY ALL
    """  # noqa: S608
    return wh.query(sql, params)


def scorecard_quality(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """For the agent scorecard, from one query: per group the automatic score (score, n) and
    per rubric category its passes (hits) and judged conversations (n_<category>)."""
    return _finish(scorecard_sums(verdict_combinations(wh, settings, filters, by), settings), by)


def scorecard_sums(combos: pl.DataFrame, settings: Settings) -> pl.DataFrame:
    """``scorecard_quality``'s figures per ``grp`` from its verdict combinations (the
    scorecard also sums combinations it counted for several periods at once)."""
    passes = []
    for i, category in enumerate(settings.quality.categories):
        code = pl.col(f"qa_{i}")
        judged = code.is_in([VERDICT_CODES["yes"], VERDICT_CODES["no"]])
        passes += [
            pl.col("contacts").filter(code == VERDICT_CODES["yes"]).sum().alias(f"hits_{category.name}"),
            pl.col("contacts").filter(judged).sum().alias(f"n_{category.name}"),
        ]  # fmt: skip
    frame = combos.group_by("grp").agg(
        pl.col("scored").sum().alias("n"), pl.col("score_sum").sum().alias("score_sum"), *passes
    )
    frame = frame.with_columns(
        pl.when(pl.col("n") > 0).then(pl.col("score_sum") / pl.col("n")).alias("score")
    )
    return frame.drop("score_sum")


def agent_quality_scores(
    wh: Warehouse, settings: Settings, filters: Filters, agent: str
) -> list[float]:
    """The automatic review score of each of ``agent``'s reviewed contacts over ``filters``
    (for the scorecard's interval around the agent's mean score)."""
    table, where, params = scoped_quality(wh, settings, filters)
    sql = (
        f"SELECT c.qa_score FROM {table} AS c"  # noqa: S608
        f" WHERE {where} AND c.qa_reviewed AND c.qa_score IS NOT NULL AND c.agent_id = $agent"
    )
    return wh.query(sql, {**params, "agent": agent})["qa_score"].to_list()
