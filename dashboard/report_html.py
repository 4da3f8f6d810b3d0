"""The printable agent scorecard: one self-contained HTML file (no scripts, no links to fetch)
with the figures against the team median and the previous period, a gap chart drawn as
inline SVG, training dates and coaching examples with their (redacted) transcripts.

Print it, or "Save as PDF" from the browser: the stylesheet has print rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from typing import Any

import polars as pl

from metrics.registry import all_metrics

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1b1b;
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.4; }
h1 { margin-bottom: 0.2rem; } .meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1.5rem; font-size: 0.92rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.5rem; text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.worse td:first-child { border-left: 4px solid #D55E00; }
.note { color: #8a4b00; } .example { border: 1px solid #ddd; border-radius: 6px;
         padding: 0.5rem 1rem; margin: 0.8rem 0; page-break-inside: avoid; }
.msg { margin: 0.25rem 0; } .who { font-weight: 600; } .when { color: #777; font-size: 0.8rem; }
.customer .who { color: #0072B2; } .agent .who { color: #009E73; } .bot .who { color: #CC79A7; }
dl dt { font-weight: 600; margin-top: 0.5rem; } dl dd { margin-left: 1rem; color: #333; }
@media print { body { margin: 0; max-width: none; } h2 { page-break-after: avoid; } }
"""
COLUMNS = (
    ("label", "Figure", False), ("value_text", "Agent", True), ("team_text", "Team", True),
    ("previous_text", "Previous period", True), ("change_text", "Change", True),
    ("n_text", "n", True), ("ci", "95% interval", True), ("verdict_text", "Against the team", False),
    ("note", "Why / note", False),
)  # fmt: skip
REASONS = {"lowest_csat": "Lowest CSAT", "most_negative": "Most negative ending"}
HIDDEN_NOTE = "Conversation text is hidden for your role."  # as dashboard.access.HIDDEN_NOTE


@dataclass(frozen=True)
class ScorecardReport:
    """Everything the printed scorecard shows (texts already formatted)."""

    agent: str
    team: str | None
    period: str
    previous_period: str
    table: pl.DataFrame  # dashboard.views.scorecard.scorecard_table
    trainings: pl.DataFrame  # course, completed_day
    examples: pl.DataFrame  # metrics.agents.coaching.coaching_examples
    source: str = ""
    show_text: bool = True  # False: comments and transcripts are replaced by HIDDEN_NOTE


def _table(table: pl.DataFrame) -> str:
    head = "".join(f'<th class="{"num" if num else ""}">{escape(t)}</th>' for _, t, num in COLUMNS)
    body = []
    for row in table.iter_rows(named=True):
        cls = "worse" if row.get("verdict") == "worse" else ""
        cells = "".join(
            f'<td class="{"num" if num else ""}">{escape(_text(row[key]))}</td>'
            for key, _, num in COLUMNS
        )
        body.append(f'<tr class="{cls}">{cells}</tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _text(value: Any) -> str:
    if value is None:
        return "—"
    return f"{value:,}" if isinstance(value, int) else str(value)


def gap_svg(table: pl.DataFrame, width: int = 760) -> str:
    """Horizontal bars of the gap to the team median (right = worse), as inline SVG."""
    rows = [
        r for r in table.iter_rows(named=True)
        if r["gap"] is not None and r.get("verdict", "level") != "not_judged"
    ]  # fmt: skip
    label_w, bar_h = 330, 22
    mid = label_w + (width - label_w) / 2
    half = (width - label_w) / 2 - 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{bar_h * len(rows) + 30}"'
        ' role="img" aria-label="Gap to the team median per figure; right of the line is worse">',
        f'<line x1="{mid}" y1="0" x2="{mid}" y2="{bar_h * len(rows)}" stroke="#999"/>',
    ]
    for i, row in enumerate(rows):
        y, length = i * bar_h, abs(row["gap"]) * half
        x = mid if row["gap"] > 0 else mid - length
        colour = {"worse": "#D55E00", "better": "#009E73"}.get(row.get("verdict", ""), "#999999")
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"{escape(row['label'])}</text>"
            f'<rect x="{x:.1f}" y="{y + 4}" width="{max(length, 1):.1f}" height="{bar_h - 8}" '
            f'fill="{colour}"><title>{escape(row["label"])}: agent {escape(row["value_text"])}, '
            f"team median {escape(row['team_text'])}</title></rect>"
        )
    axis_y = bar_h * len(rows) + 18
    parts.append(
        f'<text x="{mid - half}" y="{axis_y}" font-size="11" fill="#555">better than team</text>'
        f'<text x="{mid + half}" y="{axis_y}" font-size="11" fill="#555" text-anchor="end">'
        "worse than team</text></svg>"
    )
    return "".join(parts)


def _messages(transcript: Iterable[dict[str, Any]]) -> str:
    lines = []
    for message in transcript:
        who = message.get("sender_type") or "unknown"
        when = message["sent_at"].strftime("%Y-%m-%d %H:%M UTC") if message.get("sent_at") else ""
        lines.append(
            f'<div class="msg {escape(who)}"><span class="who">{escape(who)}</span> '
            f'<span class="when">{escape(when)}</span><br>{escape(message.get("body") or "")}</div>'
        )
    return "".join(lines) or "<p>No messages were loaded for this contact.</p>"


def _examples(examples: pl.DataFrame, show_text: bool = True) -> str:
    if examples.is_empty():
        return "<p>No low-rated or negative-ending conversations in this period.</p>"
    blocks = []
    for row in examples.iter_rows(named=True):
        facts = [REASONS.get(row["reason"], row["reason"]), f"{row['source']}:{row['contact_id']}"]
        facts.append(f"{row['created_at']:%Y-%m-%d}")
        if row.get("score") is not None:
            facts.append(f"CSAT {row['score']}")
        if row.get("sentiment_last") is not None:
            facts.append(f"last customer message sentiment {row['sentiment_last']:+.2f}")
        comment = f"<p><em>“{escape(row['comment'])}”</em></p>" if row.get("comment") else ""
        text = comment + _messages(row.get("transcript") or [])
        text = text if show_text else f"<p>{escape(HIDDEN_NOTE)}</p>"
        blocks.append(f'<div class="example"><h3>{escape(" · ".join(facts))}</h3>{text}</div>')
    return "".join(blocks)


def _trainings(trainings: pl.DataFrame) -> str:
    if trainings.is_empty():
        return "<p>No completed courses recorded for this agent.</p>"
    items = "".join(
        f"<li>{escape(str(day))}: {escape(course)}</li>"
        for course, day in trainings.select("course", "completed_day").rows()
    )
    return f"<ul>{items}</ul>"


def _definitions(table: pl.DataFrame) -> str:
    known = all_metrics()
    items = [
        f"<dt>{escape(row['label'])}</dt><dd>{escape(known[row['figure']].definition)}</dd>"
        for row in table.iter_rows(named=True)
        if row["figure"] in known
    ]
    return f"<dl>{''.join(items)}</dl>"


def scorecard_report(report: ScorecardReport) -> str:
    """The whole printable scorecard as one HTML document (UTF-8 text)."""
    made = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    team = f"team {escape(report.team)}" if report.team else "no team"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Scorecard {escape(report.agent)}</title><style>{STYLE}</style></head><body>"
        f"<h1>Agent scorecard: {escape(report.agent)}</h1>"
        f'<p class="meta">{team} · {escape(report.period)} · compared with '
        f"{escape(report.previous_period)} · made {made}{escape(report.source)}</p>"
        "<h2>Figures, weakest areas first</h2>"
        "<p>Team = the median of the other agents of the team. A figure is worse (or better) "
        "only when the difference is material and the agent's 95% interval excludes the team "
        "value (Wilson for rates, order statistics for medians); volume is context. Figures "
        "over fewer items than the small-sample threshold are flagged.</p>"
        f"{_table(report.table)}<h2>Gap to the team median</h2>{gap_svg(report.table)}"
        f"<h2>Training</h2>{_trainings(report.trainings)}"
        "<h2>Conversations to talk through</h2>"
        "<p>Message bodies as stored: secrets and personal data were redacted at load.</p>"
        f"{_examples(report.examples, report.show_text)}"
        f"<h2>Definitions</h2>{_definitions(report.table)}"
        "</body></html>"
    )
