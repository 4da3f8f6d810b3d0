"""The conversations that failed a rubric category, with the evidence; and every verdict as
rows for the export (``python -m metrics export qa``).

Message text is returned as stored (redacted at load). The dashboard hides the ``message``
and the quoted evidence from roles that may not see conversation text.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from metrics.core.contacts import Warehouse
from metrics.core.filters import Filters
from metrics.core.metric import metric
from metrics.core.settings import Settings
from metrics.quality.scope import available, rubric_frame, scoped, scoped_quality
from metrics.reports.export import FORMATS, formula_safe

FAILURE_SCHEMA: dict[str, pl.DataType] = {
    "source": pl.String(), "conversation_id": pl.String(), "created_at": pl.Datetime("us", "UTC"),
    "agent_id": pl.String(), "team": pl.String(), "channel": pl.String(), "language": pl.String(),
    "category": pl.String(), "label": pl.String(), "critical": pl.Boolean(),
    "message_id": pl.String(), "matched": pl.String(), "evidence": pl.String(),
    "message": pl.String(), "score": pl.Float64(),
}  # fmt: skip
EXPORT_COLUMNS: tuple[str, ...] = (
    "source", "conversation_id", "created_at", "agent_id", "team", "channel", "language",
    "category", "verdict", "message_id", "matched", "evidence", "score", "critical_failed",
    "rubric_version", "scorer_version", "scored_at",
)  # fmt: skip


@metric(
    "qa_failures",
    label="Conversations that failed a quality category",
    unit="conversations",
    family="quality",
    definition=(
        "The list a trainer works from: every filtered conversation with a 'no' verdict, one row "
        "per failed category, critical categories (security hygiene) first, then newest first; "
        "with the message and the words that decided it, the explanation, and the review score."
    ),
    variant="category (option) narrows to one rubric category; at most limit rows (default 200)",
    exclusions="verdicts yes, n/a and not scored; merged duplicates",
)
def qa_failures(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    category: str = "",
    limit: int = 200,
) -> pl.DataFrame:
    """FAILURE_SCHEMA rows, critical first, then newest first."""
    if not available(wh):
        return pl.DataFrame(schema=FAILURE_SCHEMA)
    table, where, params = scoped_quality(wh, settings, filters)
    # Found on the quality fact (one row per contact, its failed categories in a list); only
    # the rows shown are then read from the verdicts and messages, by id (see _by_ids).
    sql = f"""
        SELECT c.source, c.contact_id AS conversation_id, c.created_at, c.agent_id, c.team,
            c.channel, k.category, k.label, k.critical, c.qa_score AS score
        FROM (
            SELECT c.*, unnest(c.qa_failed) AS failed FROM {table} AS c
            WHERE {where} AND len(c.qa_failed) > 0
        ) AS c
        JOIN rubric_rows AS k ON k.category = c.failed
        WHERE CAST($category AS VARCHAR) = '' OR k.category = CAST($category AS VARCHAR)
        ORDER BY k.critical DESC, c.created_at DESC, c.contact_id, k.position
        LIMIT $limit
    """  # noqa: S608
    params |= {"category": category, "limit": max(1, int(limit))}
    frame = wh.query(sql, params, frames={"rubric_rows": rubric_frame(settings.quality)})
    key = ["source", "conversation_id", "category"]
    verdicts = _by_ids(
        wh,
        "SELECT source, conversation_id, category, language, message_id, matched, evidence"
        " FROM qa_verdicts WHERE verdict = 'no' AND conversation_id IN ({ids})",
        frame["conversation_id"],
    )
    frame = frame.join(verdicts.unique(key), on=key, how="left", maintain_order="left")
    bodies = _by_ids(
        wh,
        "SELECT source, message_id, body AS message FROM messages WHERE message_id IN ({ids})",
        frame["message_id"],
    )
    frame = frame.join(
        bodies.unique(["source", "message_id"]), on=["source", "message_id"], how="left",
        maintain_order="left",
    )  # fmt: skip
    return frame.select(list(FAILURE_SCHEMA)).cast(FAILURE_SCHEMA)


def _by_ids(wh: Warehouse, sql: str, ids: pl.Series) -> pl.DataFrame:
    """``sql`` with ``{ids}`` replaced by one bound parameter per distinct id: a constant list
    lets DuckDB skip the row groups that cannot hold the ids (both tables are stored about in
    id order), where a join would read the whole table."""
    wanted = ids.drop_nulls().unique().sort().to_list() or [""]
    names = [f"id{i}" for i in range(len(wanted))]
    query = sql.format(ids=", ".join(f"${n}" for n in names))
    return wh.query(query, dict(zip(names, wanted, strict=True)))


def conversation_verdicts(
    wh: Warehouse, settings: Settings, source: str, conversation_id: str
) -> pl.DataFrame:
    """One conversation's verdicts in rubric order: category, label, critical, verdict,
    message_id, matched, evidence (for the transcript view)."""
    if not available(wh):
        return pl.DataFrame()
    return wh.query(
        "SELECT v.category, k.label, k.critical, v.verdict, v.message_id, v.matched, v.evidence"
        " FROM qa_verdicts AS v JOIN rubric_rows AS k ON k.category = v.category"
        " WHERE v.source = $source AND v.conversation_id = $conversation ORDER BY k.position",
        {"source": source, "conversation": conversation_id},
        frames={"rubric_rows": rubric_frame(settings.quality)},
    )


def verdict_rows(wh: Warehouse, settings: Settings, filters: Filters) -> pl.DataFrame:
    """Every verdict of the filtered contacts (EXPORT_COLUMNS), oldest contact first."""
    if not available(wh):
        return pl.DataFrame(schema={name: pl.String for name in EXPORT_COLUMNS})
    table, where, params = scoped(wh, settings, filters)
    sql = f"""
        SELECT v.source, v.conversation_id, c.created_at, c.agent_id, c.team, c.channel,
            v.language, v.category, v.verdict, v.message_id, v.matched, v.evidence, s.score,
            s.critical_failed, v.rubric_version, v.scorer_version, v.scored_at
        FROM {table} AS c
        JOIN qa_verdicts AS v ON v.source = c.source AND v.conversation_id = c.contact_id
        JOIN rubric_rows AS k ON k.category = v.category
        LEFT JOIN qa_scores AS s ON s.source = v.source AND s.conversation_id = v.conversation_id
        WHERE {where}
        ORDER BY c.created_at, v.source, v.conversation_id, k.position
    """  # noqa: S608
    return wh.query(sql, params, frames={"rubric_rows": rubric_frame(settings.quality)})


def export_qa(wh: Warehouse, settings: Settings, filters: Filters, out: Path) -> int:
    """Write one row per conversation and category (EXPORT_COLUMNS) to ``out``: ``.csv``
    (formula-safe) or ``.parquet``; return the row count."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"{out}: export format must be one of {', '.join(FORMATS)}")
    if not out.parent.is_dir():
        raise FileNotFoundError(f"{out.parent}: no such folder for the export")
    frame = verdict_rows(wh, settings, filters)
    if suffix == ".csv":
        formula_safe(frame).write_csv(out)
    else:
        frame.write_parquet(out)
    return frame.height
