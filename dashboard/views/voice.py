"""Presentation of the Customer voice page: languages without a sentiment scorer, topic tables
and examples, the per-agent CSAT table and the unfollowed list, with their column labels."""

from __future__ import annotations

import importlib
import importlib.util
import re
from typing import Any

import polars as pl
import streamlit as st

from dashboard import access
from dashboard.tiles import Tile
from dashboard.views.analytics import language_name
from metrics.registry import REGISTRY, MetricInfo

MIN_TEXTS = 50  # negative_topics' default: fewer texts in a language give no topics
ATTRIBUTIONS: dict[str, str] = {
    "assignee": "assignee when rated",
    "last_replier": "last agent who replied",
}
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def quote(text: str) -> str:
    """``text`` as a Markdown block quote, its Markdown characters shown as typed."""
    return "> " + _MARKDOWN.sub(r"\\\1", text).replace("\n", "\n> ")


def scorer_notes(by_language: pl.DataFrame) -> list[str]:
    """Sentences for languages whose customer messages are not (or hardly) scored."""
    notes = []
    for row in by_language.iter_rows(named=True):
        total, scored = row["customer_messages"] or 0, row["n"] or 0
        if not total:
            continue
        name = language_name(row["language"])
        if scored == 0:
            notes.append(
                f"**{name}**: none of its {total:,} customer messages is scored: there is no "
                "sentiment scorer for this language, so they count in no sentiment figure "
                "(not as neutral)."
            )
        elif scored / total < 0.5:
            notes.append(
                f"**{name}**: only {scored:,} of {total:,} customer messages are scored "
                f"({scored / total:.1%}, method {row['method']}); the rest count in no "
                "sentiment figure."
            )
    return notes


def topic_languages(topics: pl.DataFrame) -> list[str]:
    """Languages that got topics, most texts first."""
    ok = topics.filter(pl.col("status") == "ok")
    return ok.unique("language", maintain_order=True)["language"].to_list()


def negatives_by_language(languages: pl.DataFrame) -> dict[str, int]:
    """Negative customer messages per language, from ``sentiment`` by language (n scored x
    negative share)."""
    rows = languages.filter(pl.col("n") > 0).select(
        "language", (pl.col("n") * pl.col("negative_share")).round().cast(pl.Int64).alias("k")
    )
    return dict(rows.rows())


def topic_notes(
    topics: pl.DataFrame, min_texts: int, negatives: dict[str, int] | None = None
) -> list[str]:
    """Why a language has no topics, in words. ``negatives`` (``negatives_by_language``)
    tells "no negative message" from negative messages that carry no time (topics place
    each text in a week, so untimed ones are left out)."""
    notes = []
    for row in topics.filter(pl.col("status") != "ok").iter_rows(named=True):
        texts = row["n"] or 0
        untimed = (negatives or {}).get(row["language"], 0)
        if texts == 0 and untimed:
            why = (
                f"not available: its {untimed:,} negative messages carry no time (topics place "
                "each text in a week); loading the messages with their times would give topics"
            )
        elif texts == 0:
            unscored = "" if row["scored_messages"] else ", and its messages are not scored"
            why = f"no negative message and no comment on a 1-2 survey{unscored}"
        elif row["status"] == "not enough text":
            why = f"{texts:,} negative texts, fewer than the {min_texts} a topic model needs"
        else:
            why = f"{texts:,} negative texts share no term, so no topic can be formed"
        notes.append(f"{language_name(row['language'])}: {why}.")
    return notes


def topic_table(topics: pl.DataFrame, language: str) -> pl.DataFrame:
    """One language's topics for display: terms joined, trend as a % change."""
    part = topics.filter((pl.col("language") == language) & (pl.col("status") == "ok"))
    return part.select(
        "topic",
        pl.col("top_terms").list.join(", ").alias("terms"),
        "size",
        (pl.col("share") * 100).alias("share"),
        "messages",
        "comments",
        "first_half",
        "second_half",
        (pl.col("change") * 100).alias("change"),
    )


def topic_fit_note(topics: pl.DataFrame, language: str) -> str | None:
    """How much of ``language``'s texts the model was fitted on and how many fit no topic,
    in words (None when every text was fitted and assigned)."""
    part = topics.filter((pl.col("language") == language) & (pl.col("status") == "ok"))
    if part.is_empty():
        return None
    row = part.row(0, named=True)
    texts, fitted, unassigned = row["n"] or 0, row["fitted"] or 0, row["unassigned"] or 0
    notes = []
    if fitted < texts:
        notes.append(f"the model was fitted on a fixed sample of {fitted:,} of the {texts:,} texts")
    if unassigned:
        notes.append(f"{unassigned:,} of the {texts:,} texts share no term with any topic")
    return ("In this language " + "; ".join(notes) + ".") if notes else None


def topic_examples(topics: pl.DataFrame, language: str) -> list[tuple[str, list[str]]]:
    """(title, example texts) per topic of ``language``."""
    part = topics.filter((pl.col("language") == language) & (pl.col("status") == "ok"))
    return [
        (f"Topic {row['topic']}: {', '.join(row['top_terms'][:4])}", row["examples"] or [])
        for row in part.iter_rows(named=True)
    ]


def show_examples(texts: list[str]) -> None:
    """A topic's example texts as block quotes, or the note for a role without access to
    conversation text."""
    if access.can_see_text():
        st.markdown("\n\n".join(quote(text) for text in texts))
    else:
        st.info(access.HIDDEN_NOTE, icon=":material/lock:")


def scored_messages(methods: pl.DataFrame) -> int:
    """Scored customer messages over every method (``sentiment`` per method)."""
    return int(methods["n"].sum())


def as_rate(frame: pl.DataFrame, hits: str) -> pl.DataFrame:
    """``frame`` with its ``hits`` column named "hits" (``charts.rate_by_group``'s input)."""
    return frame.rename({hits: "hits"})


def of_language(weekly: pl.DataFrame, language: str) -> pl.DataFrame:
    """The weekly topic rows of one language."""
    return weekly.filter(pl.col("language") == language)


def language_texts(topics: pl.DataFrame, language: str) -> int:
    """Negative texts modelled for ``language``."""
    part = topics.filter(pl.col("language") == language)
    return int(part["n"][0]) if part.height else 0


def agent_csat_table(per_agent: pl.DataFrame, names: dict[str, str]) -> pl.DataFrame:
    """CSAT per attributed agent (most responses first), agents by name, shares in %."""
    return (
        per_agent.filter(pl.col("n") > 0)
        .select(
            pl.col("agent").replace_strict(names, default=pl.col("agent")).fill_null("(no agent)"),
            "n",
            (pl.col("value") * 100).alias("value"),
            (pl.col("ci_low") * 100).alias("ci_low"),
            (pl.col("ci_high") * 100).alias("ci_high"),
            "mean",
        )
        .sort("n", descending=True)
    )


CSAT_AGENT_CONFIG: dict[str, Any] = {
    "agent": "Agent",
    "n": st.column_config.NumberColumn("Responses", format="localized"),
    "value": st.column_config.ProgressColumn(
        "CSAT (4-5)", format="%.0f%%", min_value=0, max_value=100
    ),
    "ci_low": st.column_config.NumberColumn("95% low", format="%.0f%%"),
    "ci_high": st.column_config.NumberColumn("95% high", format="%.0f%%"),
    "mean": st.column_config.NumberColumn("Mean score", format="%.2f"),
}
METHOD_CONFIG: dict[str, Any] = {
    "method": "Method",
    "n": st.column_config.NumberColumn("Scored messages", format="localized"),
    "mean": st.column_config.NumberColumn("Mean score", format="%.3f"),
    "negative_share": st.column_config.NumberColumn("Negative", format="%.1f%%"),
    "positive_share": st.column_config.NumberColumn("Positive", format="%.1f%%"),
    "coverage": st.column_config.NumberColumn("Of all customer messages", format="%.1f%%"),
}
_PERCENT = ("negative_share", "positive_share", "coverage")


def method_table(methods: pl.DataFrame) -> pl.DataFrame:
    """Sentiment per scoring method for display (shares in %); no row without a method."""
    return methods.filter(pl.col("n") > 0).select(
        *(pl.col(c) * 100 if c in _PERCENT else pl.col(c) for c in METHOD_CONFIG)
    )


TOPIC_CONFIG: dict[str, Any] = {
    "topic": st.column_config.NumberColumn("Topic", format="%d"),
    "terms": st.column_config.TextColumn("Top terms", width="medium"),
    "size": st.column_config.NumberColumn("Texts", format="localized"),
    "share": st.column_config.NumberColumn("Share", format="%.0f%%"),
    "messages": st.column_config.NumberColumn("Messages", format="localized"),
    "comments": st.column_config.NumberColumn("Survey comments", format="localized"),
    "first_half": st.column_config.NumberColumn("First half", format="localized"),
    "second_half": st.column_config.NumberColumn("Second half", format="localized"),
    "change": st.column_config.NumberColumn("Trend", format="%+.0f%%"),
}
UNFOLLOWED_COLUMNS = (
    "transcript",
    "sent_at",
    "language",
    "channel",
    "agent_id",
    "sentiment",
    "body",
)
UNFOLLOWED_CONFIG: dict[str, Any] = {
    "transcript": st.column_config.LinkColumn("Transcript", display_text="open ↗", width="small"),
    "sent_at": st.column_config.DatetimeColumn("Sent (UTC)", format="YYYY-MM-DD HH:mm"),
    "language": "Language",
    "channel": "Channel",
    "agent_id": "Agent",
    "sentiment": st.column_config.NumberColumn("Score", format="%.2f"),
    "body": st.column_config.TextColumn("Message (redacted)", width="large"),
}


def unfollowed_table(frame: pl.DataFrame) -> pl.DataFrame:
    """The unfollowed list's columns (UNFOLLOWED_COLUMNS); the message body replaced by the
    note for a role without access to conversation text."""
    rows = frame.select(UNFOLLOWED_COLUMNS)
    return rows if access.can_see_text() else rows.with_columns(body=pl.lit(access.HIDDEN_NOTE))


MODEL_CONFIG: dict[str, Any] = {
    "scope": "Scope",
    "language": "Language",
    "method": st.column_config.TextColumn(
        "Model used",
        help="per language, the survey model only where it beats the shipped one (see Why)",
    ),
    "n": st.column_config.NumberColumn("Scored messages", format="localized"),
    "mean": st.column_config.NumberColumn("Mean score", format="%.3f"),
    "negative_share": st.column_config.NumberColumn("Negative", format="percent"),
    "positive_share": st.column_config.NumberColumn("Positive", format="percent"),
    "coverage": st.column_config.NumberColumn("Coverage", format="percent"),
    "train_n": st.column_config.NumberColumn("Rated conversations", format="localized"),
    "cv_accuracy": st.column_config.NumberColumn("CV accuracy", format="percent"),
    "cv_balanced_accuracy": st.column_config.NumberColumn("CV balanced accuracy", format="percent"),
    "majority_share": st.column_config.NumberColumn("Majority class", format="percent"),
    "shipped_balanced_accuracy": st.column_config.NumberColumn(
        "Shipped model's balanced accuracy", format="percent"
    ),
    "why": st.column_config.TextColumn("Why this model", width="large"),
    "note": "Note",
}


def present(frame: pl.DataFrame, config: dict[str, Any]) -> list[str]:
    """The columns of ``config`` that ``frame`` has, in config order."""
    return [name for name in config if name in frame.columns]


def _overall(model: pl.DataFrame) -> dict[str, Any] | None:
    if "scope" not in model.columns:
        return None
    rows = model.filter(pl.col("scope") == "overall")
    return rows.row(0, named=True) if rows.height else None


def model_messages(model: pl.DataFrame) -> int | None:
    """Messages the survey-trained model scored (its overall row)."""
    overall = _overall(model)
    return overall.get("n") if overall else None


def model_words(model: pl.DataFrame) -> str:
    """The model's cross-validated accuracy, balanced accuracy (0.5 = chance) and the majority guess."""
    overall = _overall(model)
    if not overall or overall.get("cv_accuracy") is None:
        return "No cross-validated accuracy: too few survey-rated conversations to train on."
    balanced = overall.get("cv_balanced_accuracy")
    useful = balanced is not None and balanced >= 0.6
    verdict = (
        "it tells good from bad ratings better than chance"
        if useful
        else "no better than chance: read its figures as a warning, not as sentiment"
    )
    balanced_text = (
        f"balanced accuracy {balanced:.1%} (50% = chance), " if balanced is not None else ""
    )
    return (
        f"5-fold cross-validated accuracy {overall['cv_accuracy']:.1%}, {balanced_text}"
        f"always guessing the most common rating class {overall['majority_share']:.1%}: {verdict}."
    )


def optional_metrics(module: str) -> list[MetricInfo]:
    """The registered metrics of ``module`` (e.g. a model that may not be installed yet)."""
    if importlib.util.find_spec(module) is None:
        return []
    importlib.import_module(module)
    return [
        info for info in REGISTRY.values()
        if info.function is not None and info.function.__module__ == module
    ]  # fmt: skip


def csat_tiles(now: dict[str, Any], before: dict[str, Any]) -> list[Tile]:
    """CSAT share, mean score and response rate (``csat`` rows now and the period before)."""
    interval = f"95% interval {now['ci_low']:.1%} to {now['ci_high']:.1%}"
    return [
        Tile("CSAT", now["value"], "share", "csat", now["n"], before["value"], "higher",
             f"share of 4-5 · {interval}"),
        Tile("Mean score", now["mean"], "score", "csat", now["n"], before["mean"], "higher",
             "of 1-5"),
        Tile("Response rate", now["response_rate"], "share", "csat", now["solved"],
             before["response_rate"], "higher", "solved tickets with a survey response"),
    ]  # fmt: skip


def followup_tiles(follow: dict[str, Any]) -> list[Tile]:
    """Share followed up, median minutes to the follow-up, and how many were not."""
    return [
        Tile("Followed up", follow["value"], "share", "negative_followup", follow["n"], None,
             "higher", f"{follow['followed']:,} of {follow['n']:,} negative messages"),
        Tile("Time to follow-up", follow["median"], "minutes", "negative_followup",
             follow["followed"], None, "lower", "median minutes to the next agent message"),
        Tile("Not followed up", follow["unfollowed"], "count", "negative_unfollowed", None,
             None, "lower", "negative messages with no agent message after them"),
    ]  # fmt: skip
