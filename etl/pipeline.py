"""Load export files into the warehouse: prepare every file, then merge them through one swap.

Every file is read and checked before anything is written, so an unusable file
leaves the warehouse untouched. Each file is then merged in its own
transaction into a private copy of the warehouse, which replaces the live file
atomically at the end (see warehouse.writer).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from etl.canonical import KINDS
from etl.errors import UnusableInput
from etl.mapping import Mapping, load_mapping
from etl.prepare import PreparedFile, prepare_file
from etl.progress import LoadProgress
from etl.redact.scrub import stale_note
from etl.upsert import LoadReport, merge
from warehouse.writer import open_for_write


def resolve_kind(kind: str) -> str:
    """The canonical kind for a user's KIND argument, or UnusableInput naming the choices."""
    normalised = kind.strip().lower().replace("-", "_")
    aliases = {"customer_activity": "activity", "events": "ticket_events"}
    normalised = aliases.get(normalised, normalised)
    if normalised not in KINDS:
        raise UnusableInput(f"unknown kind {kind!r}; expected one of: {', '.join(KINDS)}")
    return normalised


def load_files(
    db: Path | str,
    kind: str,
    paths: Sequence[Path | str],
    mapping: str | None = None,
    *,
    source: str | None = None,
    show_progress: bool = False,
) -> list[LoadReport]:
    """Load ``paths`` as ``kind`` into the warehouse at ``db``; return one report per file.

    Raises UnusableInput (warehouse untouched) when any file cannot be used at all.
    """
    kind = resolve_kind(kind)
    parsed = load_mapping(mapping, kind) if mapping else Mapping(kind=kind)
    chosen_source = source or parsed.source
    if not paths:
        raise UnusableInput(f"no files given to load as {kind}")
    with LoadProgress(enabled=show_progress) as progress:
        prepared: list[tuple[PreparedFile, datetime]] = []
        for path in paths:
            started = datetime.now(UTC)
            step = progress.file_step(Path(path).name)
            prepared.append((prepare_file(Path(path), kind, parsed, chosen_source, step), started))
        reports = []
        with open_for_write(Path(db)) as con:
            stale = stale_note(con, Path(db))
            for item, started in prepared:
                progress.file_step(item.path.name)("writing")
                reports.append(merge(con, item, started))
            progress.file_step("warehouse")("swapping in the new warehouse")
    for report in reports if stale else []:
        report.notes.append(stale)
    return reports
