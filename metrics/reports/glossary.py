"""docs/metrics.md: every registered metric, written from the registry (never by hand).

``python -m metrics glossary > docs/metrics.md`` (``make docs``) writes it, and a test
fails when the file differs from what the registry says, so a metric added or reworded
in code is never missing from, or stale in, the documentation.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

from metrics.core.metric import MetricInfo

FIXED_PARAMETERS = ("wh", "settings", "filters", "by")
HEADER = """\
# Metric glossary

<!-- Generated from the metric registry by `python -m metrics glossary > docs/metrics.md`
     (`make docs`); tests/metrics/test_registry.py fails when this file is stale. -->

Every figure the dashboard shows is a registered metric. `support-dashboard list` (or
`python -m metrics list`) names them; `support-dashboard show NAME [filters] [--by GROUP]
[--option KEY=VALUE]` prints any one of them from your warehouse, so every number on a page
can be reproduced from a shell. The helpdesks disagree on almost every definition, so each
metric names its *variant*, and what it leaves out is counted beside it (*excluded*).
"""


def _md(text: str) -> str:
    """One line of markdown table text (pipes escaped)."""
    return " ".join(str(text).split()).replace("|", "\\|") or "-"


def _value(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def options_of(info: MetricInfo) -> list[str]:
    """``--option`` lines: every keyword the metric takes beyond the fixed ones, with its
    accepted values (or what it means) and its default."""
    if info.function is None:
        return []
    lines = []
    for name, parameter in inspect.signature(info.function).parameters.items():
        if name in FIXED_PARAMETERS or parameter.kind is parameter.VAR_KEYWORD:
            continue
        declared = info.options.get(name)
        if isinstance(declared, str):
            accepted = declared
        elif declared:
            accepted = "one of " + ", ".join(f"`{_value(v)}`" for v in declared)
        else:
            accepted = ""
        default = parameter.default
        unset = default is inspect.Parameter.empty or default is None
        shown = "" if unset else f"; default `{_value(default)}`"
        lines.append(f"`{name}`" + (f": {accepted}" if accepted else "") + shown)
    return lines


def _section(info: MetricInfo) -> list[str]:
    lines = [
        f'<a id="{info.name}"></a>',
        f"### `{info.name}`: {info.label}",
        "",
        f"*Unit:* {info.unit} · *family:* {info.family}",
        "",
        " ".join(info.definition.split()),
        "",
    ]
    if info.variant:
        lines += [f"*Variant:* {' '.join(info.variant.split())}", ""]
    if info.exclusions:
        lines += [f"*Excluded:* {' '.join(info.exclusions.split())}", ""]
    options = options_of(info)
    if options:
        lines += ["*Options* (`--option KEY=VALUE`): " + "; ".join(options) + ".", ""]
    return lines


def glossary_markdown(metrics: Mapping[str, MetricInfo]) -> str:
    """The whole docs/metrics.md: an index table, then one section per metric by family."""
    ordered = sorted(metrics.values(), key=lambda m: (m.family, m.name))
    lines = [HEADER, "| metric | label | unit | family |", "|---|---|---|---|"]
    lines += [
        f"| [`{m.name}`](#{m.name}) | {_md(m.label)} | {_md(m.unit)} | {m.family} |"
        for m in ordered
    ]
    lines.append("")
    family = None
    for info in ordered:
        if info.family != family:
            family = info.family
            lines += [f"## {family.replace('_', ' ').capitalize()}", ""]
        lines += _section(info)
    return "\n".join(lines).rstrip() + "\n"
