"""People's reviews: the internal quality score, how far the automatic scorer agrees with
them, and how far reviewers agree with each other (calibration).

A rating passes at or above ``[quality] pass_mark`` of its scale (0.5 by default, Zendesk
QA's own critical threshold); no score is "not applicable". Agreement is Cohen's kappa
(scikit-learn), computed on the yes/no pairs only, with n beside it: kappa is null when
there are no pairs or when both sides gave one single answer throughout (kappa cannot tell
agreement from chance there; the raw agreement share is still given).
"""

from __future__ import annotations

import math
from typing import Any

import polars as pl

from metrics.core.contacts import Warehouse
from metrics.core.filters import Filters
from metrics.core.metric import metric
from metrics.core.settings import Settings
from metrics.quality.scope import (
    RATINGS_SQL,
    available,
    group_sql,
    rating_frames,
    rubric_frame,
    scoped,
)

REVIEW_TABLES = ("qa_reviews",)
AGREEMENT_SCHEMA: dict[str, pl.DataType] = {
    "category": pl.String(), "label": pl.String(), "n": pl.Int64(), "agreement": pl.Float64(),
    "kappa": pl.Float64(), "auto_fail": pl.Int64(), "human_fail": pl.Int64(),
    "auto_stricter": pl.Int64(), "auto_lenient": pl.Int64(), "not_scored": pl.Int64(),
}  # fmt: skip
CALIBRATION_SCHEMA: dict[str, pl.DataType] = {
    "category": pl.String(), "conversations": pl.Int64(), "n": pl.Int64(),
    "agreement": pl.Float64(), "kappa": pl.Float64(),
}  # fmt: skip
IQS_SCHEMA: dict[str, pl.DataType] = {
    "reviews": pl.Int64(), "conversations": pl.Int64(), "reviewers": pl.Int64(),
    "score": pl.Float64(), "critical_failures": pl.Int64(), "other_categories": pl.Int64(),
}  # fmt: skip


def kappa(left: list[str], right: list[str]) -> float | None:
    """Cohen's kappa of two equally long label lists; None when undefined (no pairs, or
    one single label on both sides)."""
    if not left or len(set(left) | set(right)) < 2:
        return None
    from sklearn.metrics import cohen_kappa_score  # imported on first use: it loads scipy

    value = float(cohen_kappa_score(left, right))
    return None if math.isnan(value) else value


def _ratings(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    by: str | None = None,
    with_auto: bool = False,
) -> pl.DataFrame:
    """Each filtered rating of a rubric category, with its contact's group (``grp``) and,
    ``with_auto``, the automatic verdict of the same conversation and category (``auto``)."""
    table, where, params = scoped(wh, settings, filters, by)
    auto = (
        ", v.verdict AS auto FROM ratings AS r LEFT JOIN qa_verdicts AS v ON v.source = r.source"
        " AND v.conversation_id = r.conversation_id AND v.category = r.category"
        if with_auto
        else " FROM ratings AS r"
    )
    sql = f"""
        WITH ratings AS ({RATINGS_SQL})
        SELECT {group_sql(by)} AS grp, r.*{auto}
        JOIN {table} AS c ON c.source = r.source AND c.contact_id = r.conversation_id
        WHERE {where}
    """  # noqa: S608
    params = params | {"pass_mark": settings.quality.pass_mark}
    return wh.query(sql, params, frames=rating_frames(settings.quality))


@metric(
    "qa_internal_score",
    label="Internal quality score (people's reviews)",
    unit="score 0-1",
    family="quality",
    definition=(
        "Mean review score of people's reviews (qa_reviews) of the filtered contacts: per review "
        "(a conversation and a reviewer) the weighted mean of the rubric categories rated, each "
        "rating as a share of its scale, 0 when a critical category is rated below the pass "
        "mark. Zendesk QA calls this the IQS."
    ),
    variant="rubric weights and critical flags from settings; pass mark [quality] pass_mark",
    exclusions=(
        "ratings without a score (not applicable), ratings of categories outside the rubric "
        "(other_categories, counted), reviews of conversations not in the warehouse"
    ),
)
def qa_internal_score(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """Columns (by?), reviews, conversations, reviewers, score (mean of review scores),
    critical_failures (reviews zeroed by a critical category), other_categories."""
    empty = pl.DataFrame(schema=({by: pl.String()} if by else {}) | IQS_SCHEMA)
    if not available(wh, REVIEW_TABLES):
        return empty
    rated = _ratings(wh, settings, filters, by).join(
        rubric_frame(settings.quality).select("category", "weight", "critical"), on="category"
    )
    per_review = rated.group_by("grp", "source", "conversation_id", "reviewer").agg(
        (pl.col("critical") & (pl.col("human") == "no")).any().alias("zeroed"),
        (pl.col("score") * pl.col("weight")).sum().alias("points"),
        pl.col("weight").filter(pl.col("score").is_not_null()).sum().alias("weight"),
    )
    score = pl.when("zeroed").then(0.0).when(pl.col("weight") > 0)
    per_review = per_review.with_columns(score.then(pl.col("points") / pl.col("weight")).alias("s"))
    frame = per_review.group_by("grp").agg(
        pl.col("s").count().alias("reviews"),
        pl.struct("source", "conversation_id").n_unique().alias("conversations"),
        pl.col("reviewer").n_unique().alias("reviewers"),
        pl.col("s").mean().alias("score"),
        pl.col("zeroed").sum().alias("critical_failures"),
    )
    others = _other_categories(wh, settings, filters, by)
    frame = frame.join(others, on="grp", how="left", nulls_equal=True)
    frame = frame.with_columns(pl.col("other_categories").fill_null(0)).sort("grp", nulls_last=True)
    frame = frame.select("grp", *IQS_SCHEMA).cast(IQS_SCHEMA)
    return frame.rename({"grp": by}) if by else frame.drop("grp")


def _other_categories(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None
) -> pl.DataFrame:
    table, where, params = scoped(wh, settings, filters, by)
    sql = f"""
        SELECT {group_sql(by)} AS grp, count(*) AS other_categories
        FROM qa_reviews AS r
        JOIN {table} AS c ON c.source = r.source AND c.contact_id = r.conversation_id
        LEFT JOIN rubric_spellings AS k
            ON k.spelling = replace(replace(lower(trim(r.category)), ' ', '_'), '-', '_')
        WHERE {where} AND k.category IS NULL
        GROUP BY ALL
    """  # noqa: S608
    return wh.query(sql, params, frames=rating_frames(settings.quality))


def _pairs(wh: Warehouse, settings: Settings, filters: Filters) -> pl.DataFrame:
    """Each rating joined with the automatic verdict of the same conversation and category."""
    if not available(wh):
        return _ratings(wh, settings, filters).with_columns(pl.lit(None, pl.String).alias("auto"))
    return _ratings(wh, settings, filters, with_auto=True)


def _agreement_row(part: pl.DataFrame) -> dict[str, Any]:
    both = part.filter(pl.col("auto").is_in(["yes", "no"]) & pl.col("human").is_in(["yes", "no"]))
    auto, human = both["auto"].to_list(), both["human"].to_list()
    return {
        "n": both.height,
        "agreement": (both["auto"] == both["human"]).mean() if both.height else None,
        "kappa": kappa(auto, human),
        "auto_fail": auto.count("no"),
        "human_fail": human.count("no"),
        "auto_stricter": both.filter((pl.col("auto") == "no") & (pl.col("human") == "yes")).height,
        "auto_lenient": both.filter((pl.col("auto") == "yes") & (pl.col("human") == "no")).height,
        "not_scored": part.filter(pl.col("auto") == "not_scored").height,
    }


@metric(
    "qa_agreement",
    label="Automatic vs people: agreement per category",
    unit="kappa",
    family="quality",
    definition=(
        "Per rubric category: Cohen's kappa between the automatic verdict and people's pass/fail "
        "on the same conversations (every review rating counts once), with n, the raw "
        "agreement share, the failures each side gave, and how many times the automatic "
        "verdict was stricter (no where people said yes) or more lenient."
    ),
    variant="yes/no pairs only; kappa null when undefined (one answer throughout)",
    exclusions=(
        "ratings without a score (n/a), automatic verdicts n/a or not scored (not_scored, "
        "counted), ratings of categories outside the rubric"
    ),
)
def qa_agreement(wh: Warehouse, settings: Settings, filters: Filters) -> pl.DataFrame:
    """One row per rubric category: AGREEMENT_SCHEMA."""
    if not available(wh, REVIEW_TABLES):
        return pl.DataFrame(schema=AGREEMENT_SCHEMA)
    pairs = _pairs(wh, settings, filters)
    rows = [
        {"category": c.name, "label": c.label}
        | _agreement_row(pairs.filter(pl.col("category") == c.name))
        for c in settings.quality.categories
    ]
    return pl.DataFrame(rows, schema=AGREEMENT_SCHEMA)


@metric(
    "qa_disagreements",
    label="Where the automatic score disagrees most with people",
    unit="share of pairs",
    family="quality",
    definition=(
        "The rubric categories ordered by how often the automatic verdict and people disagree "
        "(1 - agreement on the yes/no pairs), with n, kappa and the direction: stricter "
        "(automatic no, people yes) or more lenient (automatic yes, people no)."
    ),
    variant="categories with at least min_pairs pairs (option, default 10), most disagreement first",
    exclusions="as qa_agreement; categories below min_pairs (listed last, disagreement null)",
)
def qa_disagreements(
    wh: Warehouse, settings: Settings, filters: Filters, min_pairs: int = 10
) -> pl.DataFrame:
    """qa_agreement's rows plus disagreement and direction, most disagreement first."""
    frame = qa_agreement(wh, settings, filters)
    enough = pl.col("n") >= min_pairs
    direction = (
        pl.when(~enough | (pl.col("auto_stricter") + pl.col("auto_lenient") == 0))
        .then(None)
        .when(pl.col("auto_stricter") >= pl.col("auto_lenient"))
        .then(pl.lit("stricter than people"))
        .otherwise(pl.lit("more lenient than people"))
    )
    frame = frame.with_columns(
        pl.when(enough).then(1 - pl.col("agreement")).alias("disagreement"),
        direction.alias("direction"),
    )
    return frame.sort("disagreement", descending=True, nulls_last=True, maintain_order=True)


@metric(
    "qa_calibration",
    label="Reviewer calibration",
    unit="kappa",
    family="quality",
    definition=(
        "Reviewer-to-reviewer agreement on conversations reviewed by several people: per rubric "
        "category, and over all categories, Cohen's kappa over every pair of two reviewers' "
        "pass/fail ratings of the same conversation and category (each pair ordered by "
        "reviewer name), with the number of pairs and conversations and the raw agreement."
    ),
    variant="pooled pairwise Cohen's kappa; yes/no ratings only",
    exclusions="conversations reviewed by one person, ratings without a score, categories outside the rubric",
)
def qa_calibration(wh: Warehouse, settings: Settings, filters: Filters) -> pl.DataFrame:
    """One row per rubric category and a final "all" row: CALIBRATION_SCHEMA."""
    if not available(wh, REVIEW_TABLES):
        return pl.DataFrame(schema=CALIBRATION_SCHEMA)
    rated = _ratings(wh, settings, filters).filter(pl.col("human").is_in(["yes", "no"]))
    keys = ["source", "conversation_id", "category"]
    left = rated.select(*keys, pl.col("reviewer").alias("a"), pl.col("human").alias("x"))
    right = rated.select(*keys, pl.col("reviewer").alias("b"), pl.col("human").alias("y"))
    pairs = left.join(right, on=keys).filter(pl.col("a") < pl.col("b"))
    rows = []
    for name in [*settings.quality.names, "all"]:
        part = pairs if name == "all" else pairs.filter(pl.col("category") == name)
        rows.append({
            "category": name,
            "conversations": part.select("source", "conversation_id").n_unique() if part.height else 0,
            "n": part.height,
            "agreement": (part["x"] == part["y"]).mean() if part.height else None,
            "kappa": kappa(part["x"].to_list(), part["y"].to_list()),
        })  # fmt: skip
    return pl.DataFrame(rows, schema=CALIBRATION_SCHEMA)
