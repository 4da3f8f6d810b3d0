"""The digest as one self-contained HTML page: no scripts, no outside requests, charts as
inline SVG, readable on a phone (one column, fluid widths) and printable (print rules)."""

from __future__ import annotations

from html import escape
from typing import Any

from metrics.alerts.evaluate import format_figure
from metrics.digest.svg import bars

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1b1b;
       max-width: 46rem; margin: 1rem auto; padding: 0 0.8rem; line-height: 1.45; }
h1 { font-size: 1.5rem; margin-bottom: 0.2rem; } h2 { font-size: 1.15rem; margin-top: 1.6rem; }
.meta, .n { color: #555; font-size: 0.85rem; } .na { color: #8a4b00; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25rem 0.4rem; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.worse { color: #B00020; font-weight: 600; } .better { color: #007A3D; font-weight: 600; }
.prov { color: #8a4b00; font-size: 0.8rem; } a { color: #0059A0; }
td { overflow-wrap: anywhere; }
@media (max-width: 36rem) {  /* phones: each row a block, each cell labelled by its column */
  table, tbody, tr, td { display: block; } tr.head { display: none; }
  tr { border-bottom: 1px solid #ddd; padding: 0.3rem 0; }
  td { display: inline-block; border: 0; padding: 0.1rem 0.9rem 0.1rem 0.2rem; }
  td:first-child { display: block; font-weight: 600; } td.num { text-align: left; white-space: normal; }
  td[data-label]::before { content: attr(data-label) ": "; color: #555; font-weight: 400; }
}
@media print { body { max-width: none; margin: 0; } h2 { page-break-after: avoid; }
               table, svg { page-break-inside: avoid; } }
"""


def _figure(value: Any, unit: str) -> str:
    if value is None:
        return "no value"
    if unit == "contacts":
        return f"{value:,.0f}"
    return format_figure(float(value), unit)


def _kpi_row(row: dict[str, Any]) -> str:
    status = row["availability"].get("status")
    if status == "not_available":
        reasons = "; ".join(row["availability"].get("reasons", [])) or "inputs missing"
        cells = f'<td colspan="3" class="na">not available: {escape(reasons)}</td>'
    else:
        change = "" if row["change"] is None else _figure(abs(row["change"]), row["unit"])
        sign = "" if row["change"] is None else ("+" if row["change"] >= 0 else "-")
        verdict = row["verdict"] if row["verdict"] in ("worse", "better") else ""
        word = {"worse": "significantly worse", "better": "significantly better"}.get(verdict, "")
        was = f'<span class="n">was {_figure(row["previous"], row["unit"])}</span>'
        cells = (
            f'<td class="num" data-label="value">{_figure(row["value"], row["unit"])}</td>'
            f'<td class="num" data-label="change">{sign}{change}<br>{was}</td>'
            f'<td class="{verdict}" data-label="significance">{escape(word or row["reason"])}</td>'
        )
    prov = (
        f'<br><span class="prov">provisional: {escape(row["provisional"])}</span>'
        if row.get("provisional")
        else ""
    )
    label = f'<a href="{escape(row["link"])}">{escape(row["label"])}</a>'
    return f'<tr><td>{label}<br><span class="n">n = {row["n"]:,}</span>{prov}</td>{cells}</tr>'


def _table(rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> str:
    if not rows:
        return '<p class="n">none in this period</p>'
    head = "".join(f"<th>{escape(title)}</th>" for _, title in columns)
    # every cell but the first names its column: on a phone the rows stack (STYLE)
    labels = [""] + [f' data-label="{escape(title)}"' for _, title in columns[1:]]
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{label}>{escape(_cell(row.get(key)))}</td>"
            for (key, _), label in zip(columns, labels, strict=True)
        )
        + "</tr>"
        for row in rows
    )
    return f'<table><tr class="head">{head}</tr>{body}</table>'


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 10 else f"{value:,.0f}"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)


def _movers(content: dict[str, Any]) -> str:
    parts = []
    for by, rows in content.items():
        chart = bars(
            [(r["group"] or "(none)", r["contacts"], r.get("previous_contacts")) for r in rows]
        )
        parts.append(
            f"<h3>By {escape(by)}</h3>{chart}"
            + _table(
                rows,
                [
                    ("group", by),
                    ("contacts", "contacts"),
                    ("previous_contacts", "before"),
                    ("frt_median", "FRT median (min)"),
                    ("frt_n", "n FRT"),
                    ("csat", "CSAT"),
                    ("csat_n", "n CSAT"),
                ],
            )
        )
    return "".join(parts)


def _peaks(content: list[dict[str, Any]]) -> str:
    flagged = [r for r in content if r.get("is_peak")]
    return _table(
        flagged,
        [
            ("day", "day"),
            ("n", "contacts"),
            ("baseline", "usual"),
            ("times_baseline", "x usual"),
            ("top_category_1", "top cause"),
            ("top_category_2", "then"),
        ],
    )


def _staffing(content: dict[str, Any]) -> str:
    after = content.get("after_hours") or {}
    text = (
        f"<p>{after.get('hits', 0):,} of {after.get('n', 0):,} contacts came when nobody "
        f"of their team was on shift; median first response after hours "
        f"{_figure(after.get('frt_median_after'), 'minutes')} vs {_figure(after.get('frt_median_in'), 'minutes')}.</p>"
    )
    return text + _table(
        content["language_gaps"],
        [
            ("language", "language"),
            ("n", "contacts (n)"),
            ("gap_contacts", "nobody on shift spoke it"),
            ("frt_median_gap", "FRT median then (min)"),
        ],
    )


def _negatives(content: dict[str, Any]) -> str:
    follow = content.get("followup") or {}
    text = (
        f"<p>{follow.get('followed', 0):,} of {follow.get('n', 0):,} negative messages were "
        f"followed up by an agent; {follow.get('unfollowed', 0):,} were not.</p>"
    )
    return (
        text
        + "<h3>Topics</h3>"
        + _table(
            content["topics"],
            [("language", "language"), ("top_terms", "top terms"), ("size", "texts (n)")],
        )
        + "<h3>Nobody followed up</h3>"
        + _table(
            content["unfollowed"],
            [("sent_at", "sent"), ("language", "language"), ("body", "message")],
        )
    )


def _security(content: dict[str, Any]) -> str:
    inc = content.get("incidents") or {}
    text = (
        f"<p>{inc.get('n', 0):,} incidents; {inc.get('frt_breaches', 0):,} past the first-response "
        f"target, {inc.get('escalation_breaches', 0):,} past the escalation target.</p>"
    )
    return (
        text
        + "<h3>Still open past their target</h3>"
        + _table(
            content["open_past_target"],
            [
                ("contact_id", "contact"),
                ("created_at", "created"),
                ("team", "team"),
                ("target", "target"),
                ("waiting_minutes", "waiting (min)"),
            ],
        )
    )


def _quality(content: dict[str, Any]) -> str:
    auto, people = content.get("automatic") or {}, content.get("people")
    text = f"<p>Automatic review score {_figure(auto.get('score'), 'share')} (n = {auto.get('n', 0):,} conversations)."
    if people:
        text += f" People's reviews: {_figure(people.get('score'), 'share')} (n = {people.get('reviews', 0):,} reviews)."
    return text + "</p>"


RENDER = {"Biggest movers": _movers, "Peaks and their causes": _peaks, "Staffing gaps": _staffing,
          "Negative feedback": _negatives, "Security incidents": _security, "Quality review": _quality}  # fmt: skip


def _section(block: dict[str, Any]) -> str:
    title = f'<h2><a href="{escape(block["link"])}">{escape(block["title"])}</a></h2>'
    if not block["available"]:
        return title + f'<p class="na">not available: {escape(block["not_available"])}</p>'
    return title + RENDER[block["title"]](block["content"])


def _alerts(digest: dict[str, Any]) -> str:
    items = "".join(f'<li>{escape(a["explanation"])} <a href="{escape(a["link"])}">open</a></li>'
                    for a in digest["alerts"])  # fmt: skip
    return "<h2>Alerts that fired</h2>" + (
        f"<ul>{items}</ul>" if items else '<p class="n">none</p>'
    )


def render_html(digest: dict[str, Any]) -> str:
    """The digest dict (``metrics.digest.build.build_digest``) as a self-contained page."""
    period = digest["period"]
    title = f"Support digest {period['from']} to {period['to']}"
    chosen = (
        ", ".join(f"{k}: {', '.join(v)}" for k, v in digest["filters"].items() if v)
        or "all contacts"
    )
    kpis = "".join(_kpi_row(row) for row in digest["kpis"])
    fresh = _table(
        digest["freshness"],
        [
            ("table", "table"),
            ("rows", "rows"),
            ("newest", "newest data"),
            ("last_load", "last load"),
        ],
    )
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        f'<p class="meta">{escape(chosen)} · times in {escape(period["timezone"])} · compared with '
        f"{digest['previous_period']['from']} to {digest['previous_period']['to']} · "
        f'<a href="{escape(digest["link"])}">open the dashboard</a></p>'
        f'<h2>Headline</h2><table><tr class="head"><th>figure</th><th>value</th><th>change</th>'
        f"<th>significance</th></tr>{kpis}</table>"
        f'<p class="n">A change is called significant only when it is material and the 95% interval '
        f"excludes the previous value. Provisional figures are still moving.</p>"
        + _alerts(digest)
        + "".join(_section(b) for b in digest["sections"])
        + f"<h2>Data freshness</h2>{fresh}</body></html>"
    )
