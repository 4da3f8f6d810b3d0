"""The Quality page's presentation: evidence highlighted in a message, failure rows with
transcript links, and what a role without access to conversation text may see."""

from __future__ import annotations

import re
from typing import Any

import polars as pl
import streamlit as st

from dashboard import access
from dashboard.drilldown import transcript_links
from metrics.core.filters import Filters

GROUPS: dict[str, str] = {"agent": "agent", "team": "team", "week": "week", "language": "language",
                          "channel": "channel"}  # fmt: skip
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
FAILURE_CONFIG: dict[str, Any] = {
    "transcript": st.column_config.LinkColumn("Transcript", display_text="open ↗", width="small"),
    "created_at": st.column_config.DatetimeColumn("Created (UTC)", format="YYYY-MM-DD HH:mm"),
    "label": "Category",
    "critical": st.column_config.CheckboxColumn("Critical"),
    "evidence": "Why",
    "score": st.column_config.NumberColumn("Review score", format="%.2f"),
}
TEXT_COLUMNS = ("matched", "evidence", "message")


def _escape(text: str) -> str:
    return _MARKDOWN.sub(r"\\\1", text)


def highlighted(message: str | None, matched: str | None) -> str:
    """The message as markdown, the deciding words marked (every occurrence, case ignored)."""
    body = message or "(message not stored)"
    if not matched or matched.lower() not in body.lower():
        return _escape(body)
    parts = re.split(f"({re.escape(matched)})", body, flags=re.IGNORECASE)
    return "".join(
        f":red-background[**{_escape(p)}**]" if p.lower() == matched.lower() else _escape(p)
        for p in parts
    )


def failure_table(failures: pl.DataFrame, filters: Filters) -> pl.DataFrame:
    """The failures with a transcript link; the quoted text dropped for a role without it."""
    frame = failures.rename({"conversation_id": "contact_id"})
    if not access.can_see_text():
        frame = frame.drop(*TEXT_COLUMNS)
    else:
        frame = frame.drop("matched", "message")
    frame = transcript_links(frame, filters)
    return frame.drop("category", "message_id")


def failure_title(row: dict[str, Any]) -> str:
    """An expander title: critical first, the category, when, who."""
    flag = "Critical · " if row["critical"] else ""
    when = f"{row['created_at']:%Y-%m-%d}" if row.get("created_at") else "no date"
    return f"{flag}{row['label']} · {when} · {row['source']}:{row['conversation_id']} · agent {row['agent_id'] or 'unknown'}"


def show_failure(row: dict[str, Any], link: str) -> None:
    """One failure: why, the deciding message with the words highlighted, a transcript link."""
    if not access.can_see_text():
        st.info(access.HIDDEN_NOTE, icon=":material/lock:")
    else:
        st.markdown(f"**Why:** {_escape(row['evidence'] or '')}")
        with st.chat_message("assistant", avatar=":material/support_agent:"):
            st.markdown(highlighted(row.get("message"), row.get("matched")))
    st.markdown(f"[Open the whole conversation ↗]({link})")


def verdict_rows(verdicts: pl.DataFrame) -> pl.DataFrame:
    """One conversation's verdicts for the transcript panel (text hidden where it must be)."""
    frame = verdicts.select("label", "verdict", "evidence", "critical")
    if not access.can_see_text():
        frame = frame.drop("evidence")
    return frame


def grid_note(min_n: int) -> str:
    """Under the per-group table: what an empty cell means."""
    return (
        f"Each pass rate rests on at least {min_n} judged conversations; a cell marked — had "
        "fewer (too few to tell from noise) or none."
    )


def category_grid(by_category: pl.DataFrame, group: str, min_n: int = 1) -> pl.DataFrame:
    """Pass rate (%) per group (rows) and scored category (columns), each judged on at least
    ``min_n`` conversations (settings' small_sample: fewer cannot tell a group from noise,
    the cell stays empty); categories and groups with no such cell are left out."""
    judged = by_category.filter(pl.col("n") >= max(min_n, 1))
    if judged.is_empty():
        return pl.DataFrame({group: []})
    wide = judged.with_columns((pl.col("value") * 100).round(1).alias("pct")).pivot(
        on="label", index=group, values="pct", maintain_order=True
    )
    return wide.with_columns(pl.col(group).cast(pl.String))


def agreement_table(agreement: pl.DataFrame) -> pl.DataFrame:
    """The automatic-against-people table, most disagreement first, in words."""
    return agreement.select(
        pl.col("label").alias("category"),
        "n",
        (pl.col("agreement") * 100).round(1).alias("agreement %"),
        pl.col("kappa").round(2),
        pl.col("direction").fill_null(""),
        "auto_stricter",
        "auto_lenient",
        "not_scored",
    )
