"""Output of ``python -m metrics``: results as JSON, CSV (formula-safe) or an aligned text table."""

from __future__ import annotations

import io
import json
import math
import textwrap
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import polars as pl

from metrics.core.metric import MetricInfo
from metrics.reports.export import formula_safe

FORMATS = ("table", "json", "csv")
GLOSSARY_COLUMNS = ("name", "label", "unit", "definition", "variant", "exclusions")


def jsonable(value: Any) -> Any:
    """``value`` with dates as ISO text, NaN as None and containers converted recursively."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def cell(value: Any) -> str:
    """A value as a table cell: floats with up to 4 decimals, empty for None."""
    value = jsonable(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        text = f"{value:.4f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text
    if isinstance(value, list):
        return ", ".join(cell(v) for v in value)
    return str(value)


def text_table(headers: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    """An aligned plain-text table with a rule under the header; numbers right-aligned."""
    heads = list(headers)
    raw = [list(row) for row in rows]
    body = [[cell(v) for v in row] for row in raw]
    widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(heads)]

    def numeric(i: int) -> bool:
        values = [r[i] for r in raw if r[i] is not None]
        return bool(values) and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in values
        )

    right = [numeric(i) for i in range(len(heads))]
    header = [h.rjust(w) if r else h.ljust(w) for h, w, r in zip(heads, widths, right, strict=True)]
    lines = ["  ".join(header).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in body:
        parts = [
            v.rjust(w) if r else v.ljust(w) for v, w, r in zip(row, widths, right, strict=True)
        ]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def flatten(record: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested dict -> one level, keys joined with dots (``frt_minutes.median``)."""
    flat: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def _csv(frame: pl.DataFrame) -> str:
    buffer = io.StringIO()
    safe = formula_safe(frame)
    nested = [n for n, t in safe.schema.items() if isinstance(t, (pl.List, pl.Array, pl.Struct))]
    safe = safe.with_columns(
        pl.Series(n, [json.dumps(jsonable(v)) for v in safe[n].to_list()]) for n in nested
    )
    safe.write_csv(buffer)
    return buffer.getvalue().rstrip("\n")


def render_frame(frame: pl.DataFrame, fmt: str) -> str:
    """A metric result: JSON records, CSV with a header row, or a text table."""
    if fmt == "json":
        return json.dumps(jsonable(frame.to_dicts()), indent=2, ensure_ascii=False)
    if fmt == "csv":
        return _csv(frame)
    return text_table(frame.columns, frame.rows())


def render_record(record: Mapping[str, Any], fmt: str) -> str:
    """A nested result (summary, staffing): JSON as is, CSV as one flattened row,
    or a two-column table of figure and value."""
    if fmt == "json":
        return json.dumps(jsonable(record), indent=2, ensure_ascii=False)
    flat = flatten(record)
    if fmt == "csv":
        return _csv(pl.DataFrame([jsonable(flat)], infer_schema_length=None))
    return text_table(("figure", "value"), flat.items())


def render_metric_list(metrics: Mapping[str, MetricInfo], fmt: str) -> str:
    """Every registered metric with label, unit and definition (plus family, variant)."""
    rows = [
        {"name": m.name, "label": m.label, "unit": m.unit, "family": m.family,
         "definition": m.definition, "variant": m.variant, "exclusions": m.exclusions,
         "options": _options(m)}
        for m in metrics.values()
    ]  # fmt: skip
    if fmt != "table":
        return render_frame(pl.DataFrame(rows, schema=list(rows[0]) if rows else None), fmt)
    blocks = []
    for row in rows:
        text = textwrap.fill(row["definition"], 96, initial_indent="    ", subsequent_indent="    ")
        options = f"\n    options: {row['options']}" if row["options"] else ""
        blocks.append(f"{row['name']}  {row['label']} [{row['unit']}]\n{text}{options}")
    return "\n\n".join(blocks)


def _options(info: MetricInfo) -> str:
    """The metric's options as ``key=a|b`` (what ``show --option`` accepts)."""
    return "; ".join(
        f"{key}={'|'.join(str(v).lower() if isinstance(v, bool) else str(v) for v in values)}"
        for key, values in info.options.items()
    )


def _md(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|") or "-"


def glossary_markdown(metrics: Mapping[str, MetricInfo]) -> str:
    """The README glossary: one markdown table row per registered metric."""
    lines = [
        "| " + " | ".join(GLOSSARY_COLUMNS) + " |",
        "|" + "---|" * len(GLOSSARY_COLUMNS),
    ]
    for m in metrics.values():
        values = (f"`{m.name}`", m.label, m.unit, m.definition, m.variant, m.exclusions)
        lines.append("| " + " | ".join(_md(v) for v in values) + " |")
    return "\n".join(lines)
