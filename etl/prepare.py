"""Everything a load does before it touches the warehouse: read, map, type, validate,
de-duplicate, redact and enrich one export file.

The result splits the file's records into rows ready for upsert and rows for
quarantine (with reasons); together they account for every record read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from etl import redact
from etl.canonical import TABLES, TableSpec
from etl.columns import ROW, ColumnPlan, plan_columns, select_canonical
from etl.errors import UnusableInput
from etl.mapping import Mapping
from etl.readers import RawRows, read_rows
from etl.redact.conversations import redact_split_phrases
from etl.transforms import TRANSFORMS
from etl.validate import type_and_check
from warehouse.reasons import reason_pattern_expr

Progress = Callable[[str], None]
SOURCE_ROW = "__source_row"


@dataclass
class PreparedFile:
    """One export file, checked and cleaned, ready to upsert."""

    path: Path
    spec: TableSpec
    mapping: Mapping
    source: str
    sha256_job: Future[str]
    rows_read: int
    good: pl.DataFrame
    quarantine_job: Future[pl.DataFrame]
    provided: tuple[str, ...]
    redactions: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        """The file's digest (taken in a thread; see `prepare_file`)."""
        return self.sha256_job.result()

    @property
    def quarantine(self) -> pl.DataFrame:
        """The rows for the quarantine table (built in a thread; see `prepare_file`)."""
        return self.quarantine_job.result()


def prepare_file(
    path: Path, kind: str, mapping: Mapping, source: str, progress: Progress | None = None
) -> PreparedFile:
    """Read and check ``path`` as ``kind``; raise UnusableInput when nothing can be used."""
    step = progress or (lambda _label: None)
    spec = TABLES[kind]
    label = path.name
    background = ThreadPoolExecutor(max_workers=1)
    # The digest of the bytes just read: hashing lets go of the GIL and fills the core polars
    # leaves idle while it parses; the quarantine rows follow once validation found them.
    hashed: list[Future[str]] = []
    try:
        step("reading")
        raw = read_rows(path, lambda data: hashed.append(background.submit(_sha256, data)))
        digest = hashed[0]
        notes = [f"{raw.format}" + (f", {raw.encoding}" if raw.encoding else "")]
        records, transformed = _transform(raw, mapping, path, notes)
        plan = plan_columns(records, spec, mapping, label)
        canonical = select_canonical(records, plan)
        step("validating")
        typed = type_and_check(canonical, spec, mapping)
        frame = typed.frame.with_columns(
            typed.reasons.alias("__reason"), typed.patterns.alias("__pattern")
        )
        frame = _mark_duplicates(frame, spec, plan.provided)
        bad = frame.filter(pl.col("__reason").is_not_null())
        good = frame.filter(pl.col("__reason").is_null()).drop("__reason", "__pattern")
        quarantine = background.submit(
            _quarantine_rows, raw, records, bad, transformed, spec, _safe_cells(spec, plan)
        )
    finally:
        background.shutdown(wait=False)
    step("redacting")
    good, redactions = _redact(good, spec)
    step("enriching")
    good, provided = _enrich(good, spec, plan.provided, progress)
    return PreparedFile(
        path=path,
        spec=spec,
        mapping=mapping,
        source=source,
        sha256_job=digest,
        rows_read=records.height + len(raw.rejects),
        good=good,
        quarantine_job=quarantine,
        provided=provided,
        redactions=redactions,
        notes=notes,
    )


def _transform(
    raw: RawRows, mapping: Mapping, path: Path, notes: list[str]
) -> tuple[pl.DataFrame, bool]:
    if mapping.transform is None:
        return raw.frame, False
    label = path.name
    options = {**mapping.transform_options, "_export_dir": str(path.parent)}
    try:
        records = TRANSFORMS[mapping.transform](raw.frame, options)
    except UnusableInput:
        raise
    except (KeyError, pl.exceptions.PolarsError, ValueError) as err:
        raise UnusableInput(
            f"{label}: does not have the shape the {mapping.transform} transform expects ({err})"
        ) from None
    notes.append(f"{raw.frame.height} records became {records.height} via {mapping.transform}")
    # One source row may become several records: number the records, keep the row for quarantine.
    records = records.with_columns(
        pl.col(ROW).alias(SOURCE_ROW), pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias(ROW)
    )
    return records, True


def _mark_duplicates(
    frame: pl.DataFrame, spec: TableSpec, provided: tuple[str, ...]
) -> pl.DataFrame:
    """Quarantine all but one valid row per key inside the file.

    The row kept is the newest by ``updated_at`` when the file has it, else the
    last in the file, matching how a later export of the same ticket wins.
    Rows with a null in the key are never duplicates of each other.
    """
    key = [k for k in spec.key if k != "source"]
    order = [spec.updated_at, ROW] if spec.updated_at and spec.updated_at in provided else [ROW]
    # Only keys that occur twice need sorting and grouping: usually a handful of a million rows.
    # A key repeated among the valid rows repeats among all rows, and so does its hash:
    # that test (on 64-bit numbers, no copy) picks the candidates first.
    repeated = (
        frame.lazy()
        .select(list(dict.fromkeys([ROW, *key, *order, "__reason"])))
        .filter(pl.struct(key).hash().is_duplicated())
        .filter(pl.col("__reason").is_null())
        .drop("__reason")
        .drop_nulls(key)
        .filter(pl.struct(key).is_duplicated())
        .collect()
    )
    if repeated.height:
        kept = (
            repeated.sort(order, nulls_last=False)
            .group_by(key, maintain_order=True)
            .agg(pl.col(ROW).last().alias("__kept"))
        )
        losers = repeated.join(kept, on=key).filter(pl.col("__kept") != pl.col(ROW))
        frame = _mark_losers(frame, losers, key)
    return frame if frame[ROW].is_sorted() else frame.sort(ROW)


def _mark_losers(frame: pl.DataFrame, losers: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """The duplicate reason written for the losing rows only, at their places in the frame:
    ``ticket_id "T1" repeats row 2, which was kept`` (ids are stored as they come, so they
    are quoted as they are)."""
    named: list[pl.Expr] = []
    for number, column in enumerate(key):
        named += [pl.lit(f'{", " if number else ""}{column} "'), pl.col(column).cast(pl.String)]
        named.append(pl.lit('"'))
    verb = " repeats" if len(key) == 1 else " repeat"
    at = (
        frame.lazy()
        .select(ROW)
        .with_row_index("__at")
        .filter(pl.col(ROW).is_in(losers[ROW].implode()))
        .join(losers.lazy().select(ROW, "__kept", *key), on=ROW, how="left")
        .select(
            "__at",
            pl.concat_str(
                [*named, pl.lit(f"{verb} row "), pl.col("__kept"), pl.lit(", which was kept")]
            ),
        )
        .collect()
    )
    # The pattern as warehouse.reasons would write it: every quoted value and row number blanked.
    keys = ", ".join(f'{column} "…"' for column in key)
    pattern = pl.repeat(f"{keys}{verb} row …, which was kept", at.height, eager=True)
    return frame.with_columns(
        frame["__reason"].clone().scatter(at["__at"], at.to_series(1)),
        frame["__pattern"].clone().scatter(at["__at"], pattern),
    )


def _redact(good: pl.DataFrame, spec: TableSpec) -> tuple[pl.DataFrame, dict[str, int]]:
    totals: dict[str, int] = {}
    for column in spec.columns:
        if column.redact and column.name in good.columns:
            cleaned, counts = redact.redact_series(good[column.name])
            good = good.with_columns(cleaned.alias(column.name))
            for kind, count in counts.items():
                totals[kind] = totals.get(kind, 0) + count
    if spec.kind == "messages":
        good, split = redact_split_phrases(good)
        totals["seed_phrase"] = totals.get("seed_phrase", 0) + split
    return good, {k: v for k, v in totals.items() if v}


def _unknown(good: pl.DataFrame, texts: str) -> pl.Series:
    """``texts`` where the row has no language yet (null elsewhere): only these are detected."""
    if "language" not in good.columns:
        return good[texts]
    return good.select(pl.when(pl.col("language").is_null()).then(pl.col(texts)))[texts]


def _with_language(good: pl.DataFrame, detected: pl.Series) -> pl.DataFrame:
    language = good["language"].fill_null(detected) if "language" in good.columns else detected
    return good.with_columns(language.alias("language"))


def _enrich(
    good: pl.DataFrame, spec: TableSpec, provided: tuple[str, ...], progress: Progress | None
) -> tuple[pl.DataFrame, tuple[str, ...]]:
    # Imported here: the language and sentiment models take a third of a second to import,
    # and a ticket export whose rows all name their language needs neither.
    from etl import enrich

    cols = list(provided)
    if spec.kind == "messages":
        if "body" in good.columns:
            good = _with_language(good, enrich.detect_languages(_unknown(good, "body")))
            scores = enrich.score_sentiment(good["body"], good["language"], good["sender_type"])
            good = good.with_columns(scores)
            cols += [c for c in ("language", *scores.columns) if c not in cols]
    elif spec.kind == "tickets" and "subject" in good.columns:
        unknown = _unknown(good, "subject")
        if unknown.null_count() < unknown.len():
            good = _with_language(good, enrich.language_of_ticket(unknown))
        elif "language" not in good.columns:
            good = good.with_columns(pl.lit(None, dtype=pl.String).alias("language"))
        if "language" not in cols:
            cols.append("language")
    return good, tuple(cols)


def _safe_cells(spec: TableSpec, plan: ColumnPlan) -> dict[str, list[str]]:
    """Per export column, the typed canonical columns whose read values vouch for its cells.

    A cell is stored as it is in the quarantine's raw record when the good rows would store
    it as it is: its column feeds canonical columns that are never redacted (ids, team,
    tags ...), and each typed one (a date-time, a number, a status) read the cell as its
    type, so it cannot be a pasted secret. Every other cell (free text, a column no
    canonical one takes, a value that did not read) is redacted. An export column absent
    here is redacted throughout.
    """
    vouching: dict[str, list[str]] = {}
    unsafe: set[str] = set()
    for canonical, source in plan.from_column.items():
        column = spec.column(canonical)
        if column.redact:
            unsafe.add(source)
        elif column.type != "text" or column.allowed:
            vouching.setdefault(source, []).append(canonical)
        else:
            vouching.setdefault(source, [])
    return {source: typed for source, typed in vouching.items() if source not in unsafe}


def _redacted_cells(
    rows: pl.DataFrame, column: str, typed: list[str] | None, spec: TableSpec
) -> pl.Series:
    """``rows[column]`` with every cell that needs it redacted (see `_safe_cells`)."""
    values = rows[column].cast(pl.String)
    if typed is None:
        return redact.redact_series(values)[0].alias(column)
    needs = pl.lit(False)
    for canonical in typed:
        read = pl.col(f"__typed_{canonical}")
        allowed = spec.column(canonical).allowed
        # A status or channel is only vouched for when it is one of the known values.
        needs = needs | read.is_null() | (~read.is_in(list(allowed)) if allowed else False)
    needs_mask = rows.select((needs & pl.col(column).is_not_null()).alias("m"))["m"]
    if not needs_mask.any():
        return values
    at = needs_mask.arg_true()
    cleaned, _ = redact.redact_series(values.gather(at))
    return values.scatter(at, cleaned).alias(column)


def _quarantine_rows(
    raw: RawRows,
    records: pl.DataFrame,
    bad: pl.DataFrame,
    transformed: bool,
    spec: TableSpec,
    safe: dict[str, list[str]],
) -> pl.DataFrame:
    """Rows for the quarantine table: row number, the original record as JSON, the reasons.

    The reasons were redacted where they quote a value (etl.validate); the records are
    redacted cell by cell where a cell could hold a secret (`_safe_cells`), which keeps a
    file whose rows are mostly quarantined as fast to load as a clean one.
    """
    original = records if transformed else raw.frame
    payload_cols = [c for c in original.columns if c not in (ROW, SOURCE_ROW)]
    typed_cols = sorted({c for typed in safe.values() for c in typed})
    # Only the flagged records are taken: usually a handful of a million, not the whole file.
    flagged = original.lazy().filter(pl.col(ROW).is_in(bad[ROW].implode())).collect()
    checks = bad.select(
        ROW, "__reason", "__pattern", *(pl.col(c).alias(f"__typed_{c}") for c in typed_cols)
    )
    if flagged[ROW].equals(checks[ROW]):  # both in record order: side by side, no join
        rows = pl.concat([checks, flagged.drop(ROW)], how="horizontal")
    else:
        rows = checks.join(flagged, on=ROW, how="left")
    rows = rows.with_columns(_redacted_cells(rows, c, safe.get(c), spec) for c in payload_cols)
    encoded = _json_records(rows, payload_cols).select(
        pl.col(SOURCE_ROW if transformed else ROW).cast(pl.Int64).alias("row_number"),
        "raw",
        pl.col("__reason").alias("reason"),
        pl.col("__pattern").alias("pattern"),
    )
    rejects = pl.DataFrame(
        {
            "row_number": [r.row_number for r in raw.rejects],
            "raw": [r.raw for r in raw.rejects],
            "reason": [r.reason for r in raw.rejects],
        },
        schema={"row_number": pl.Int64, "raw": pl.String, "reason": pl.String},
    )
    # A record that could not be split is unknown text throughout: redacted whole.
    rejects = rejects.with_columns(
        redact.redact_series(rejects["raw"])[0].alias("raw"),
        reason_pattern_expr(pl.col("reason")).alias("pattern"),
    )
    if rejects.is_empty():
        return encoded
    return pl.concat([rejects, encoded]).sort("row_number")


def _json_records(rows: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """``rows`` with ``raw``: each record's ``columns`` as a JSON object, in key order.

    A large quarantine is encoded in two halves at once (polars lets go of the GIL), so a
    file whose rows are mostly quarantined uses both cores for it.
    """
    if not columns:
        return rows.with_columns(pl.lit("{}").alias("raw"))

    def encode(part: pl.DataFrame) -> pl.DataFrame:
        return part.with_columns(pl.struct(columns).struct.json_encode().alias("raw"))

    if rows.height < 100_000:
        return encode(rows)
    half = rows.height // 2
    with ThreadPoolExecutor(max_workers=2) as pool:
        parts = list(pool.map(encode, (rows.slice(0, half), rows.slice(half))))
    return pl.concat(parts)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
