"""Write every demo export (generate) and load them through the real loaders (build_demo)."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sample_data import conversations, exports_other, exports_tickets, tables
from sample_data.texts import Pools
from sample_data.world import World, simulate, stream

MAPPINGS = Path(__file__).parent / "mappings"
Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class ExportFile:
    """One generated export: what it holds, where, how to map it, how many rows must be quarantined."""

    kind: str
    path: Path
    mapping: Path
    malformed_rows: int


@dataclass
class DemoBuild:
    """What build_demo did: the files, the load reports and where the time went (seconds)."""

    db: Path
    files: list[ExportFile]
    reports: list[Any] = field(default_factory=list)  # etl.upsert.LoadReport, one per file
    generate_seconds: float = 0.0
    load_seconds: float = 0.0

    @property
    def total_seconds(self) -> float:
        return self.generate_seconds + self.load_seconds


# (kind, file name, mapping, writer, canonical frame it writes); in load order.
_PLAN: tuple[tuple[str, str, str, Callable[..., int], str], ...] = (
    ("agents", "agents_roster.xlsx", "demo_roster", exports_other.roster, "agents"),
    ("trainings", "lms_course_completions.csv", "demo_lms", exports_other.lms, "trainings"),
    ("shifts", "wfm_shifts.csv", "demo_shifts", exports_other.shift_plan, "shifts"),
    (
        "tickets",
        "zendesk_tickets.csv",
        "demo_zendesk_tickets",
        exports_tickets.zendesk_tickets,
        "tickets",
    ),
    (
        "tickets",
        "zh_team_tickets_gb18030.csv",
        "demo_zh_tickets",
        exports_tickets.zh_sheet,
        "tickets",
    ),
    (
        "ticket_events",
        "zendesk_ticket_field_history.csv",
        "demo_field_history",
        exports_tickets.field_history,
        "events",
    ),
    (
        "messages",
        "zendesk_ticket_comments.csv",
        "demo_comments",
        exports_other.comments,
        "messages",
    ),
    ("messages", "chat_transcripts.ndjson", "demo_chat", exports_other.chat, "messages"),
    ("surveys", "csat_responses.json", "demo_surveys", exports_other.survey_answers, "surveys"),
    (
        "activity",
        "product_activity.parquet",
        "demo_activity",
        exports_other.product_activity,
        "activity",
    ),
    (
        "qa_reviews",
        "zendesk_qa_reviews.ndjson",
        "demo_qa_reviews",
        exports_other.qa_review_pages,
        "qa_reviews",
    ),
)


_BUILDERS: dict[str, Callable[[World, Pools], Any]] = {
    "agents": lambda w, _p: tables.agents(w),
    "trainings": lambda w, _p: tables.trainings(w),
    "shifts": lambda w, _p: tables.shifts(w),
    "tickets": tables.tickets,
    "events": lambda w, _p: tables.ticket_events(w),
    "messages": conversations.messages,
    "surveys": conversations.surveys,
    "activity": lambda w, _p: conversations.activity(w),
    "qa_reviews": conversations.qa_reviews,
}


def _world(seed: int, scale: float) -> tuple[World, Pools]:
    world = simulate(seed, scale)
    return world, Pools(
        stream(seed, 19), world.content, len(world.customer_lang), world.customer_lang
    )


def canonical_frames(seed: int = 7, scale: float = 1.0) -> dict[str, Any]:
    """The generated world as canonical frames (what the warehouse should hold after loading)."""
    world, pools = _world(seed, scale)
    return {name: build(world, pools) for name, build in _BUILDERS.items()}


def _needs(kind: str, frame: str) -> tuple[str, ...]:
    return (frame, "agents") if kind == "shifts" else (frame,)


def generate(out_dir: Path, seed: int = 7, scale: float = 1.0) -> list[ExportFile]:
    """Write every export file (same seed and scale, same bytes) and return them in load order.

    Each canonical frame is built when first needed and dropped after its last
    export, which keeps memory bounded at the benchmark's million tickets.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    world, pools = _world(seed, scale)
    last_use = {f: i for i, (kind, *_, frame) in enumerate(_PLAN) for f in _needs(kind, frame)}
    frames: dict[str, Any] = {}
    files = []
    for number, (kind, name, mapping, writer, frame) in enumerate(_PLAN):
        for needed in _needs(kind, frame):
            if needed not in frames:
                frames[needed] = _BUILDERS[needed](world, pools)
        path = out_dir / name
        inputs = [frames[f] for f in _needs(kind, frame)]
        bad = writer(stream(seed, 100 + number), *inputs, path)
        files.append(ExportFile(kind, path, MAPPINGS / f"{mapping}.toml", bad))
        for done in [f for f in frames if last_use[f] <= number]:
            del frames[done]
    return files


def build_demo(
    db: Path, seed: int = 7, scale: float = 1.0, progress: Progress | None = None
) -> DemoBuild:
    """Generate the exports into a temporary folder and load each through etl.pipeline.load_files.

    The warehouse is built beside ``db`` and moved onto it at the end, so a
    dashboard reading ``db`` sees the old file or the finished new one, never half a build.
    """
    from etl.pipeline import load_files  # imported here: generation alone needs no ETL
    from warehouse.writer import discard_private_copy

    report = progress or (lambda _label, _fraction: None)
    db = Path(db)
    db.parent.mkdir(parents=True, exist_ok=True)
    building = db.with_name(db.name + ".building")
    building.unlink(missing_ok=True)
    discard_private_copy(building)
    with tempfile.TemporaryDirectory(prefix="sqd-demo-") as tmp:
        report("generating demo exports", 0.0)
        started = time.perf_counter()
        files = generate(Path(tmp), seed, scale)
        result = DemoBuild(db=db, files=files, generate_seconds=time.perf_counter() - started)
        started = time.perf_counter()
        for number, item in enumerate(files):
            report(f"loading {item.path.name}", 0.1 + 0.9 * number / len(files))
            # The derived facts are built once, with the last file (a bulk load).
            last = number == len(files) - 1
            result.reports += load_files(
                building, item.kind, [item.path], mapping=str(item.mapping), facts=last
            )
        result.load_seconds = time.perf_counter() - started
    os.replace(building, db)
    building.with_name(building.name + ".lock").unlink(missing_ok=True)
    report("demo warehouse ready", 1.0)
    return result
