"""The hand-labelled conversations of ``tests/fixtures/qa`` as frames the scorer reads.

Written conversations carry their text; real ones (``real.toml``) name a dialogue of
``../shared/real_data`` and their text is read from there. Every body goes through the
loader's redaction first, exactly as a load stores it, so the figures describe what the
scorer sees in a warehouse.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from etl.redact import redact_series
from metrics.core.rubric import Rubric
from metrics.core.settings import load_settings

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "qa"
REAL_DATA = Path(__file__).resolve().parents[3] / "shared" / "real_data"
CATEGORIES: tuple[str, ...] = (
    "greeting", "empathy", "comprehension", "solution", "closing", "tone", "readability",
    "responsiveness", "security",
)  # fmt: skip
_START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class LabelledSet:
    """Messages, conversation info and the human labels (one row per conversation and category)."""

    messages: pl.DataFrame
    conversations: pl.DataFrame
    labels: pl.DataFrame


def _elapsed(text: str) -> timedelta:
    hours, minutes = text.split(":")
    return timedelta(hours=int(hours), minutes=int(minutes))


def _labels(conv: dict[str, Any], language: str) -> list[dict[str, str]]:
    unknown = set(conv.get("no", [])) | set(conv.get("na", []))
    if unknown - set(CATEGORIES):
        raise ValueError(f"{conv['id']}: unknown categories {sorted(unknown - set(CATEGORIES))}")
    rows = []
    for category in CATEGORIES:
        label = "no" if category in conv["no"] else "na" if category in conv["na"] else "yes"
        rows.append({"conversation_id": conv["id"], "category": category, "label": label,
                     "language": language, "split": conv["split"], "origin": conv.get("source", "written")})  # fmt: skip
    return rows


def _written(path: Path) -> tuple[list[dict], list[dict], list[dict]]:
    data = tomllib.loads(path.read_text("utf-8"))
    language = data["language"]
    messages, info, labels = [], [], []
    for conv in data["conversation"]:
        for number, (sender, elapsed, body) in enumerate(conv["messages"], start=1):
            messages.append({"source": "written", "conversation_id": conv["id"],
                             "message_id": f"{conv['id']}/{number:02d}", "sent_at": _START + _elapsed(elapsed),
                             "sender_type": sender, "body": body, "language": language})  # fmt: skip
        info.append({"source": "written", "conversation_id": conv["id"],
                     "channel": conv["channel"], "status": conv["status"]})  # fmt: skip
        labels += _labels(conv, language)
    return messages, info, labels


def _ubuntu(refs: set[str], root: Path) -> list[dict]:
    frame = pl.read_csv(root / "ubuntu-dialogue" / "dialogueText_head9999.csv", infer_schema=False)
    frame = frame.with_row_index("row").filter(pl.col("dialogueID").is_in(sorted(refs)))
    rows = []
    for (dialogue,), part in frame.group_by(["dialogueID"], maintain_order=True):
        opener = part["from"][0]
        for number, row in enumerate(part.iter_rows(named=True), start=1):
            rows.append({"source": "ubuntu", "conversation_id": f"ubuntu-{dialogue.removesuffix('.tsv')}",
                         "message_id": f"{dialogue}/{number:02d}",
                         "sent_at": datetime.fromisoformat(row["date"].replace("Z", "+00:00")),
                         "sender_type": "customer" if row["from"] == opener else "agent",
                         "body": row["text"], "language": "en"})  # fmt: skip
    return rows


def _abcd(refs: set[str], root: Path) -> list[dict]:
    roles = {"agent": "agent", "customer": "customer", "action": "system"}
    rows = []
    for conv in json.loads((root / "abcd" / "abcd_sample.json").read_text("utf-8")):
        if str(conv["convo_id"]) not in refs:
            continue
        for number, (speaker, text) in enumerate(conv["original"], start=1):
            rows.append({"source": "abcd", "conversation_id": f"abcd-{conv['convo_id']}",
                         "message_id": f"{conv['convo_id']}/{number:02d}", "sent_at": None,
                         "sender_type": roles[speaker], "body": text, "language": "en"})  # fmt: skip
    return rows


def _real(path: Path, root: Path) -> tuple[list[dict], list[dict], list[dict], dict[str, Any]]:
    data = tomllib.loads(path.read_text("utf-8"))
    convs = data["conversation"]
    readers = {"ubuntu": _ubuntu, "abcd": _abcd}
    messages: list[dict] = []
    for source, reader in readers.items():
        messages += reader({c["ref"] for c in convs if c["source"] == source}, root)
    info = [{"source": c["source"], "conversation_id": c["id"],
             "channel": data["sources"][c["source"]]["channel"], "status": None} for c in convs]  # fmt: skip
    labels = [row for c in convs for row in _labels(c, "en")]
    return messages, info, labels, data["sources"]


def load_labelled(
    fixtures: Path = FIXTURES, real_data: Path = REAL_DATA, with_real: bool = True
) -> LabelledSet:
    """Every labelled conversation; the real ones only when ``with_real`` and the folder exists."""
    messages, info, labels = [], [], []
    seen: dict[str, str] = {}
    for path in sorted(fixtures.glob("written_*.toml")):
        m, i, lab = _written(path)
        for conversation in i:
            # a reused id would merge two conversations' messages under one set of labels
            key = conversation["conversation_id"]
            if key in seen:
                raise ValueError(
                    f"{path.name}: conversation id {key!r} is already used (in {seen[key]})"
                )
            seen[key] = path.name
        messages, info, labels = messages + m, info + i, labels + lab
    if with_real and real_data.is_dir():
        m, i, lab, _ = _real(fixtures / "real.toml", real_data)
        messages, info, labels = messages + m, info + i, labels + lab
    frame = pl.DataFrame(messages, schema_overrides={"sent_at": pl.Datetime("us", "UTC")})
    redacted, _ = redact_series(frame["body"])
    return LabelledSet(
        frame.with_columns(redacted.alias("body")), pl.DataFrame(info), pl.DataFrame(labels)
    )


def fixture_rubric(fixtures: Path = FIXTURES) -> Rubric:
    """The rubric the written conversations are judged with (the defaults + the company's domain)."""
    return load_settings(fixtures / "settings.toml").quality


def source_rubrics(fixtures: Path = FIXTURES) -> dict[str, Rubric]:
    """Per source, the rubric its conversations are judged with (real sources have their own
    link allow-list, as a company configures its own)."""
    from dataclasses import replace

    base = fixture_rubric(fixtures)
    sources = tomllib.loads((fixtures / "real.toml").read_text("utf-8"))["sources"]
    rubrics = {"written": base}
    for name, spec in sources.items():
        rubrics[name] = replace(base, allowed_domains=tuple(spec.get("allowed_domains", ())))
    return rubrics
