"""The benchmark warehouse: the demo generator's exports at a scale, loaded once through the
real loaders and cached outside the repository (scale 33: about 1M tickets, 10M messages).

Every script reuses it; it is rebuilt when missing or built by an older FORMAT. The files are
loaded as a bulk load (derived facts left for the end), then the derived facts are built once
for the default settings (``build_seconds["facts"]``); a cached warehouse whose facts are not
current for the code as it is now (a fact's SQL changed) gets them rebuilt in place. Scripts
that change a warehouse work on a copy. Set ``SQD_BENCH_CACHE`` to keep it elsewhere; delete
the folder to force a rebuild.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench import shards
from bench.timing import load_average

FULL_SCALE = 33.0  # about 1M tickets and 10M messages
SMOKE_SCALE = 0.02
SEED = 7
FORMAT = 3  # bump when the generator or the schema changes what a cached build holds


def cache_root() -> Path:
    """Where built warehouses live (never inside the repository)."""
    default = Path.home() / ".cache" / "support-quality-dashboard" / "bench"
    return Path(os.environ.get("SQD_BENCH_CACHE", default))


@dataclass(frozen=True)
class Export:
    """One generated export file and how the demo loads it."""

    kind: str
    path: Path
    mapping: Path


@dataclass(frozen=True)
class Dataset:
    """A built benchmark warehouse and the exports it was loaded from."""

    folder: Path
    scale: float
    seed: int
    exports: tuple[Export, ...]
    build_seconds: dict[str, float]

    @property
    def db(self) -> Path:
        return self.folder / "warehouse.duckdb"

    def export(self, name: str) -> Export:
        """The export whose file is called ``name`` (e.g. ``zendesk_tickets.csv``)."""
        return next(e for e in self.exports if e.path.name == name)

    def of_kind(self, kind: str) -> list[Export]:
        return [e for e in self.exports if e.kind == kind]


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    # Two scripts (or two test workers) asking at once build once; the second waits.
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a+") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def build_facts(db: Path, compact: bool = True) -> float:
    """Build every derived fact of ``db`` from all its data (default settings); seconds.
    ``compact``: then rewrite the file without the old facts' blocks, as ``etl facts --full``
    does (False: the build alone, as a first load pays it)."""
    from etl.facts import refresh_warehouse_facts
    from metrics.core.settings import load_settings

    started = time.perf_counter()
    report = refresh_warehouse_facts(db, load_settings(None), full=True, compact=compact)
    if report.error:
        raise RuntimeError(f"{db}: derived facts not built: {report.error}")
    return time.perf_counter() - started


def facts_current(db: Path) -> bool:
    """True when ``db`` holds every derived fact of the code as it is, for default settings."""
    from metrics.core.settings import load_settings
    from metrics.facts import all_facts
    from warehouse.reader import ReadOnlyWarehouse

    wh = ReadOnlyWarehouse(db)
    try:
        facts = all_facts(load_settings(None))
        return all(wh.stored_fact(f.table, f.fingerprint) for f in facts)
    finally:
        wh.close()


def _read_manifest(folder: Path) -> Dataset | None:
    manifest = folder / "manifest.json"
    if not manifest.exists():
        return None
    saved = json.loads(manifest.read_text())
    exports = tuple(
        Export(e["kind"], Path(e["path"]), Path(e["mapping"])) for e in saved["exports"]
    )
    found = Dataset(folder, saved["scale"], saved["seed"], exports, saved["build_seconds"])
    complete = found.db.exists() and all(e.path.exists() for e in exports)
    return found if saved.get("format") == FORMAT and complete else None


def _build(folder: Path, scale: float, seed: int, say) -> Dataset:
    from etl.pipeline import load_files

    for leftover in ("exports", "warehouse.duckdb", "warehouse.duckdb.tmp", "manifest.json"):
        path = folder / leftover
        shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
    seconds: dict[str, float] = {"generate": 0.0}
    building = folder / "warehouse.building.duckdb"
    building.unlink(missing_ok=True)
    files = []
    parts = shards.shard_scales(scale)
    for shard, part in enumerate(parts):
        out = folder / "exports" / (f"shard-{shard}" if len(parts) > 1 else "")
        say(f"generating the scale-{part:g} exports in {out} ...")
        started = time.perf_counter()
        with shards.disjoint_ids(shard):
            made = generate_exports(out, seed + shard, part)
        seconds["generate"] += time.perf_counter() - started
        for item in made:
            say(f"loading {item.path.name} ...")
            started = time.perf_counter()
            load_files(building, item.kind, [item.path], mapping=str(item.mapping), facts=False)
            name = item.path.name if len(parts) == 1 else f"{out.name}/{item.path.name}"
            seconds[name] = time.perf_counter() - started
        files += made
    seconds["facts"] = build_facts(building)
    os.replace(building, folder / "warehouse.duckdb")
    building.with_name(building.name + ".lock").unlink(missing_ok=True)
    exports = tuple(Export(f.kind, f.path, f.mapping) for f in files)
    manifest = {
        "format": FORMAT,
        "scale": scale,
        "seed": seed,
        "exports": [
            {"kind": e.kind, "path": str(e.path), "mapping": str(e.mapping)} for e in exports
        ],
        "build_seconds": seconds,
        "load_average": load_average(),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return Dataset(folder, scale, seed, exports, seconds)


def generate_exports(out: Path, seed: int, scale: float):
    """The demo generator's export files (imported here: only a build needs it)."""
    from sample_data import generate

    return generate(out, seed, scale)


def ensure(scale: float = FULL_SCALE, seed: int = SEED, say=print) -> Dataset:
    """The warehouse at ``scale``, built (minutes at full scale) only when not cached yet."""
    folder = cache_root() / f"scale-{scale:g}-seed-{seed}"
    with _locked(folder):
        found = _read_manifest(folder)
        if found is None:
            return _build(folder, scale, seed, say)
        if not facts_current(found.db):
            say(f"building the derived facts of {found.db} ...")
            found.build_seconds["facts"] = build_facts(found.db)
            manifest = json.loads((folder / "manifest.json").read_text())
            manifest["build_seconds"] = found.build_seconds
            (folder / "manifest.json").write_text(json.dumps(manifest, indent=1))
        return found


def working_copy(dataset: Dataset, folder: Path) -> Path:
    """A private copy of the cached warehouse in ``folder`` (for scripts that load into it)."""
    target = Path(folder) / "warehouse.duckdb"
    shutil.copyfile(dataset.db, target)
    return target


if __name__ == "__main__":  # python -m bench.dataset [SCALE]: build ahead of the scripts
    import sys

    built = ensure(float(sys.argv[1]) if len(sys.argv) > 1 else FULL_SCALE)
    print(built.db, {k: round(v, 1) for k, v in built.build_seconds.items()})
