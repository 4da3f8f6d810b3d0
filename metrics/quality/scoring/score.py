"""Score conversations on the rubric: one verdict per conversation and category, a score.

``score_conversations`` is the one entry point: the loader calls it at load time and on
``python -m etl rescore``, the labelled-set evaluation calls it on the fixture. It takes
frames, not a database, so it is the same code in every place.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from metrics.core.rubric import Rubric
from metrics.quality.scoring import facts
from metrics.quality.scoring.coverage import FAILURES_KEPT, LANGUAGE_FREE, SCORED
from metrics.quality.scoring.verdicts import JUDGES

KEY = facts.KEY
MESSAGE_COLUMNS: tuple[str, ...] = (
    "source", "conversation_id", "message_id", "sent_at", "sender_type", "body", "language",
)  # fmt: skip
VERDICT_SCHEMA: dict[str, pl.DataType] = {
    "source": pl.String(), "conversation_id": pl.String(), "category": pl.String(),
    "verdict": pl.String(), "message_id": pl.String(), "matched": pl.String(),
    "evidence": pl.String(), "language": pl.String(),
}  # fmt: skip


@dataclass(frozen=True)
class Scored:
    """Verdicts (one row per conversation and rubric category) and scores (one per conversation)."""

    verdicts: pl.DataFrame
    scores: pl.DataFrame


def _conversation_info(conversations: pl.DataFrame | None) -> pl.DataFrame:
    if conversations is None:
        return pl.DataFrame(schema={"source": pl.String, "conversation_id": pl.String,
                                    "channel": pl.String, "status": pl.String})  # fmt: skip
    return conversations.select(*KEY, "channel", "status").unique(KEY, keep="last")


def conversation_facts(
    messages: pl.DataFrame, rubric: Rubric, conversations: pl.DataFrame | None = None
) -> pl.DataFrame:
    """One row per conversation with an agent message: every fact the judges read."""
    frame = facts.ordered(messages.select(MESSAGE_COLUMNS))
    agents, customers = facts.with_features(frame, rubric)
    result = facts.agent_facts(agents, rubric)
    for part in (
        facts.customer_facts(customers),
        facts.language_of(frame),
        facts.request_facts(frame, customers, agents),
        facts.reask_facts(customers, agents),
        facts.wait_facts(frame),
        facts.outside_facts(customers, agents, rubric),
        facts.reply_secret_facts(customers, agents),
    ):
        result = result.join(part, on=facts.ID, how="left")
    result = facts.keys(frame).join(result, on=facts.ID).drop(facts.ID)
    result = result.join(_conversation_info(conversations), on=KEY, how="left")
    targets = {k: float(v) for k, v in rubric.reply_targets.items()}
    channel = pl.col("channel").fill_null("chat")
    target = channel.replace_strict(
        targets, default=rubric.default_reply_target, return_dtype=pl.Float64
    )
    return result.with_columns(target.alias("reply_target"))


def _covered(category: str, verdict: pl.Expr, rubric: Rubric) -> pl.Expr:
    """The verdict where the judge is trusted in the conversation's language (the shipped
    coverage, plus the team's own ``[quality.trusted]``), else not_scored (a failure of a
    FAILURES_KEPT category is kept: it was found, and costs most to miss)."""
    if category in LANGUAGE_FREE:
        return verdict
    own = {language for name, language in rubric.trusted if name == category}
    trusted = pl.col("language").is_in(sorted(SCORED.get(category, frozenset()) | own))
    keep = trusted.fill_null(False)
    if category in FAILURES_KEPT:
        keep = keep | (verdict == "no")
    return pl.when(keep).then(verdict).otherwise(pl.lit("not_scored"))


def _parts(conversations: pl.DataFrame, rubric: Rubric, trust_all: bool) -> list[pl.DataFrame]:
    """Per rubric category (in rubric order), its verdict of every conversation, the
    conversations in the same order in every part."""
    parts = []
    for category in rubric.names:
        judge = JUDGES.get(category)
        if judge is None:
            row = pl.struct(pl.lit("not_scored").alias("verdict"), pl.lit(None, pl.String).alias("message_id"),
                            pl.lit(None, pl.String).alias("matched"),
                            pl.lit("no automatic judge for this category").alias("evidence"))  # fmt: skip
        else:
            row = judge(rubric)
        part = conversations.select(*KEY, "language", row.alias("v")).unnest("v")
        if not trust_all:
            part = part.with_columns(_covered(category, pl.col("verdict"), rubric).alias("verdict"))
        parts.append(part.with_columns(pl.lit(category).alias("category")))
    return parts


def _long(parts: list[pl.DataFrame]) -> pl.DataFrame:
    if not parts:
        return pl.DataFrame(schema=VERDICT_SCHEMA)
    return pl.concat(parts).select(list(VERDICT_SCHEMA)).cast(VERDICT_SCHEMA)


def verdict_rows(
    conversations: pl.DataFrame, rubric: Rubric, trust_all: bool = False
) -> pl.DataFrame:
    """Long verdicts: one row per conversation and rubric category (VERDICT_SCHEMA).

    ``trust_all`` keeps every judge's verdict in every language (the labelled-set evaluation
    measures them before the coverage table decides which are shown)."""
    return _long(_parts(conversations, rubric, trust_all))


def _scores_of(parts: list[pl.DataFrame], rubric: Rubric) -> pl.DataFrame:
    """review_scores of the parts, computed row by row (every part lists the conversations
    in the same order), without grouping."""
    if not parts:
        return review_scores(pl.DataFrame(schema=VERDICT_SCHEMA), rubric)
    passed = weight = applied = failed = pl.lit(0.0)
    critical = pl.lit(False)
    columns = {f"v{index}": part["verdict"] for index, part in enumerate(parts)}
    frame = parts[0].select(*KEY, "language").with_columns(**columns)
    for index, category in enumerate(rubric.categories):
        verdict = pl.col(f"v{index}")
        counts = verdict.is_in(["yes", "no"]) & pl.lit(category.weight > 0)
        passed = passed + pl.when(counts & (verdict == "yes")).then(category.weight).otherwise(0.0)
        weight = weight + pl.when(counts).then(category.weight).otherwise(0.0)
        applied = applied + counts.cast(pl.Float64)
        failed = failed + (counts & (verdict == "no")).cast(pl.Float64)
        if category.critical:
            critical = critical | (verdict == "no")
    score = pl.when(critical).then(0.0).when(weight > 0).then(passed / weight).otherwise(None)
    return frame.select(
        *KEY,
        "language",
        score.alias("score"),
        critical.alias("critical_failed"),
        applied.cast(pl.Int32).alias("categories_applied"),
        failed.cast(pl.Int32).alias("categories_failed"),
    )


def review_scores(verdicts: pl.DataFrame, rubric: Rubric) -> pl.DataFrame:
    """Per conversation: the weighted mean of the applicable categories (yes 1, no 0), 0 when
    a critical category failed; null when none applies."""
    weights = {c.name: c.weight for c in rubric.categories}
    critical = [c.name for c in rubric.categories if c.critical]
    v = verdicts.with_columns(
        pl.col("category").replace_strict(weights, default=0.0, return_dtype=pl.Float64).alias("w")
    )
    applied = pl.col("verdict").is_in(["yes", "no"]) & (pl.col("w") > 0)
    grouped = v.group_by(KEY).agg(
        pl.col("language").first(),
        (pl.col("w") * (pl.col("verdict") == "yes")).filter(applied).sum().alias("passed"),
        pl.col("w").filter(applied).sum().alias("weight"),
        applied.sum().cast(pl.Int32).alias("categories_applied"),
        (applied & (pl.col("verdict") == "no")).sum().cast(pl.Int32).alias("categories_failed"),
        (pl.col("category").is_in(critical) & (pl.col("verdict") == "no"))
        .any()
        .alias("critical_failed"),
    )
    score = pl.when(pl.col("critical_failed")).then(0.0).when(pl.col("weight") > 0)
    score = score.then(pl.col("passed") / pl.col("weight")).otherwise(None)
    return grouped.with_columns(score.alias("score")).select(
        *KEY, "language", "score", "critical_failed", "categories_applied", "categories_failed"
    )


def score_conversations(
    messages: pl.DataFrame,
    rubric: Rubric,
    conversations: pl.DataFrame | None = None,
    trust_all: bool = False,
) -> Scored:
    """Score every conversation of ``messages`` that has a human agent message.

    ``messages`` has MESSAGE_COLUMNS (sender_type customer/agent/bot/system; bodies as stored,
    i.e. redacted); ``conversations`` optionally gives each conversation's ``channel`` (its
    reply-time target) and ticket ``status`` (an open ticket's closing is not applicable).
    """
    conv = conversation_facts(messages, rubric, conversations)
    parts = _parts(conv, rubric, trust_all)
    return Scored(_long(parts), _scores_of(parts, rubric))
