"""Inline SVG charts for the digest (no scripts, no outside requests, printable)."""

from __future__ import annotations

from html import escape

BAR = "#0072B2"
PREVIOUS = "#BBBBBB"


def bars(rows: list[tuple[str, float, float | None]], unit: str = "", width: int = 420) -> str:
    """Horizontal bars: (label, value, previous value or None) per row; previous in grey."""
    if not rows:
        return ""
    top = max(max(v, p or 0) for _, v, p in rows) or 1.0
    height, label_w, scale = 22, 110, (width - 110 - 70)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="100%" '
        f'viewBox="0 0 {width} {height * len(rows) + 4}" style="max-width:{width}px">'
    ]
    for i, (label, value, previous) in enumerate(rows):
        y = i * height + 2
        parts.append(f'<text x="0" y="{y + 14}" font-size="12">{escape(str(label))}</text>')
        if previous is not None:
            parts.append(
                f'<rect x="{label_w}" y="{y + 13}" width="{previous / top * scale:.1f}" '
                f'height="4" fill="{PREVIOUS}"><title>previous: {previous:g}</title></rect>'
            )
        parts.append(
            f'<rect x="{label_w}" y="{y + 2}" width="{value / top * scale:.1f}" height="10" '
            f'fill="{BAR}"><title>{value:g}</title></rect>'
        )
        parts.append(
            f'<text x="{label_w + value / top * scale + 4:.1f}" y="{y + 12}" font-size="11">'
            f"{value:g}{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
