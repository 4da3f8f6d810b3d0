"""Load export files into the warehouse: prepare every file, then merge them through one swap.

Every file is read and checked (while the warehouse is copied) before anything is merged,
so an unusable file leaves the warehouse untouched. Each file is then merged in its own
transaction into a private copy of the warehouse; the derived facts the pages read are
brought up to date with what the merges changed (``metrics.facts``), and the copy replaces
the live file atomically at the end (see warehouse.writer): data and facts arrive together.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from etl.canonical import KINDS
from etl.errors import UnusableInput
from etl.facts import fact_settings
from etl.mapping import Mapping, load_mapping
from etl.prepare import PreparedFile, prepare_file
from etl.progress import LoadProgress
from etl.quality.store import keys_of, score_into
from etl.redact.scrub import stale_note
from etl.upsert import LoadReport, merge
from metrics.core.settings import Settings
from metrics.facts import refresh_facts
from warehouse import changes
from warehouse.writer import open_for_write

# Loads that change what a conversation's quality review reads (its messages, its ticket).
SCORED_KINDS: tuple[str, ...] = ("messages", "tickets")


def resolve_kind(kind: str) -> str:
    """The canonical kind for a user's KIND argument, or UnusableInput naming the choices."""
    normalised = kind.strip().lower().replace("-", "_")
    aliases = {"customer_activity": "activity", "events": "ticket_events"}
    normalised = aliases.get(normalised, normalised)
    if normalised not in KINDS:
        raise UnusableInput(f"unknown kind {kind!r}; expected one of: {', '.join(KINDS)}")
    return normalised


def _prepare_all(
    paths: Sequence[Path | str],
    kind: str,
    parsed: Mapping,
    source: str,
    progress: LoadProgress,
) -> list[tuple[PreparedFile, datetime]]:
    """Every file read and checked (``prepare_file``), with the time its reading began."""
    prepared = []
    for path in paths:
        started = datetime.now(UTC)
        step = progress.file_step(Path(path).name)
        prepared.append((prepare_file(Path(path), kind, parsed, source, step), started))
    return prepared


def load_files(
    db: Path | str,
    kind: str,
    paths: Sequence[Path | str],
    mapping: str | None = None,
    *,
    source: str | None = None,
    show_progress: bool = False,
    settings: Settings | None = None,
    facts: bool = True,
) -> list[LoadReport]:
    """Load ``paths`` as ``kind`` into the warehouse at ``db``; return one report per file.

    A messages or tickets load then scores the conversations it touched on the quality
    rubric of ``settings`` (default: ``fact_settings()``, as the dashboard reads them), and
    the derived facts are refreshed for the same settings, all in the same write;
    ``facts=False`` leaves the facts to a later write (readers meanwhile build them on first
    use), for a bulk load of many files in a row. Raises UnusableInput (warehouse untouched)
    when any file cannot be used at all.
    """
    kind = resolve_kind(kind)
    parsed = load_mapping(mapping, kind) if mapping else Mapping(kind=kind)
    chosen_source = source or parsed.source
    if not paths:
        raise UnusableInput(f"no files given to load as {kind}")
    if settings is None:
        settings = fact_settings()
    with LoadProgress(enabled=show_progress) as progress, ThreadPoolExecutor(1) as pool:
        # The files are read and checked while the writer copies the warehouse (the kernel
        # copies; parsing runs on polars' threads): an unusable file still leaves the
        # warehouse untouched, the copy is discarded. A new warehouse is made only after.
        reading = pool.submit(_prepare_all, paths, kind, parsed, chosen_source, progress)
        if not Path(db).exists():
            reading.result()
        reports = []
        with open_for_write(Path(db)) as con:
            prepared = reading.result()
            changes.begin(con)
            stale = stale_note(con, Path(db))
            for item, started in prepared:
                progress.file_step(item.path.name)("writing")
                reports.append(merge(con, item, started))
            if kind in SCORED_KINDS:
                progress.file_step("quality")("scoring conversations on the rubric")
                keys = [keys_of(item.good, kind, item.source) for item, _ in prepared]
                score_into(con, settings.quality, pl.concat(keys))
            if facts and settings is not None:
                progress.file_step("warehouse")("updating the derived facts")
                reports[-1].facts = refresh_facts(con, settings).summary()
            progress.file_step("warehouse")("swapping in the new warehouse")
    for report in reports if stale else []:
        report.notes.append(stale)
    return reports
