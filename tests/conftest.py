"""Shared test fixtures: paths to the real exports and temporary warehouses."""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import socket
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
REAL_DATA = ROOT.parent / "shared" / "real_data"


# The files that take minutes each (Spark sessions and lakes, the benchmarks' smoke runs, a
# server per warehouse in Chromium): run first, so that `make test`'s two workers (one file
# at a time each) do not end with one of them working through such a file while the other
# waits (xdist otherwise hands out the files with the most tests first, which put these last).
SLOW_FILES = (
    "facts/test_spark_equals_duckdb.py",
    "test_bench_smoke.py",
    "dashboard/test_matrix_browser.py",
    "facts/test_writers.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow files' tests first, in SLOW_FILES order; every other test keeps its place."""
    rank = {ROOT / "tests" / name: i for i, name in enumerate(SLOW_FILES)}
    items.sort(key=lambda item: rank.get(Path(item.path), len(rank)))


@pytest.fixture(scope="session")
def real_data() -> Path:
    """Folder of the public support exports in ../shared/real_data (never copied into the repo)."""
    if not REAL_DATA.exists():
        pytest.fail(f"real data folder missing: {REAL_DATA}")
    return REAL_DATA


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Path for a fresh warehouse file (not yet created)."""
    return tmp_path / "warehouse.duckdb"


def built_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], Any]
) -> tuple[Path, Any]:
    """A folder of files that ``build(folder)`` writes, and what it returned, built once a run.

    Alone, ``build`` fills a fresh temporary folder. Under pytest-xdist (``make test``) each
    worker is a process with session fixtures of its own, so each built the same files again
    (the 0.5 demo, the real-data loads); here the first worker that asks builds them in the
    run's folder shared by the workers (the parent of each worker's temporary folder), under
    a lock the others wait on, and every worker, that one included, gets a copy of its own:
    the same bytes as its own build would be (the builds are deterministic), and no file is
    shared between processes. A failed build leaves nothing behind: the next worker builds.
    """
    mine = tmp_path_factory.mktemp(name)
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return mine, build(mine)
    import fcntl  # the workers' lock; only reached under xdist (Linux in CI and here)

    shared = tmp_path_factory.getbasetemp().parent / f"built-once-{name}"
    with open(f"{shared}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not shared.exists():
            building = shared.with_name(f"{shared.name}.building")
            shutil.rmtree(building, ignore_errors=True)
            building.mkdir()
            result = build(building)
            (building / ".built-once.pickle").write_bytes(pickle.dumps(result))
            os.replace(building, shared)
    shutil.copytree(shared, mine, dirs_exist_ok=True)
    return mine, pickle.loads((mine / ".built-once.pickle").read_bytes())


DEMO_SCALE = 0.5


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo warehouse (seed 7, scale 0.5), built once per test session through the loaders."""
    from sample_data import build_demo

    def build(folder: Path) -> None:
        build_demo(folder / "demo.duckdb", seed=7, scale=DEMO_SCALE)

    folder, _ = built_once(tmp_path_factory, f"demo-7-{DEMO_SCALE}", build)
    return folder / "demo.duckdb"


SMALL_DEMO_SCALE = 0.1


@pytest.fixture(scope="session")
def small_demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo warehouse (seed 7) at scale 0.1, built once a run: the same period, generator
    and effects at a fifth of the 0.5 demo's contacts, for claims that do not depend on its
    size (what a load's upkeep rebuilds, facts built for other settings agreeing with the
    lazy path, a lake's prebuilt facts giving the file's summary), where each whole rebuild
    and every-metric comparison costs about a fifth."""
    from sample_data import build_demo

    def build(folder: Path) -> None:
        build_demo(folder / "demo.duckdb", seed=7, scale=SMALL_DEMO_SCALE)

    folder, _ = built_once(tmp_path_factory, f"demo-7-{SMALL_DEMO_SCALE}", build)
    return folder / "demo.duckdb"


@pytest.fixture(scope="session")
def spark():
    """One local Spark session for the whole test session (a JVM takes seconds to start),
    UTC, two shuffle partitions and a JVM tuned for tiny data; stopped at the end. It also serves Spark
    Connect on a free local port (``spark_connect``), so the Connect path costs no second
    JVM. Skipped, saying why, where Java or pyspark is missing (CI installs both: .ci/run)."""
    from metrics.engines.spark import spark_available, start_session

    missing = spark_available()
    if missing:
        pytest.skip(f"Spark tests need Java and pyspark: {missing}")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    connect = {
        # The JVM's quick compiler only and one GC thread: the tests' tiny facts cost Spark
        # per query, not per row, and the optimising JIT's compiles were a third of the JVM's
        # CPU (the demo lake's build: 69 s of JVM CPU, 40 s with these flags; same results).
        "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
        "spark.plugins": "org.apache.spark.sql.connect.SparkConnectPlugin",
        "spark.connect.grpc.binding.address": "127.0.0.1",
        "spark.connect.grpc.binding.port": str(port),
    }
    session = start_session("local[2]", shuffle_partitions=2, conf=connect)
    yield session
    session.stop()


@pytest.fixture(scope="session")
def spark_connect(spark) -> str:
    """The ``sc://`` URL of the Spark Connect server the shared session runs."""
    return f"sc://127.0.0.1:{spark.conf.get('spark.connect.grpc.binding.port')}"


# One load of the real data: (kind, shipped mapping, path under real_data or an absolute path).
RealLoad = tuple[str, str, str]


class RealWarehouses:
    """Warehouses loaded from ../shared/real_data once a session, shared read-only.

    Several test modules load the same exports with the same mappings in the same order (the
    stored-vs-lazy comparisons, the page matrix, the Ubuntu response times): each sequence of
    loads is run once, file by file, and every caller gets the same file. A test that changes
    a warehouse copies it first (``writable_copy``); the session's end checks that none of the
    shared files changed.
    """

    def __init__(self, real_data: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
        self.real_data = real_data
        self.tmp_path_factory = tmp_path_factory  # each sequence's folder (``built_once``)
        self._built: dict[tuple[RealLoad, ...], tuple[Path, list]] = {}
        self._digests: dict[Path, str] = {}

    def load(self, loads: Sequence[RealLoad]) -> tuple[Path, list]:
        """The warehouse of ``loads`` (in order, facts for the default settings) and their
        reports, one per load."""
        from etl.pipeline import load_files
        from metrics.core.settings import load_settings

        key = tuple(loads)
        if key not in self._built:

            def build(folder: Path) -> list:
                reports = []
                for kind, mapping, path in key:
                    reports += load_files(
                        folder / "warehouse.duckdb",
                        kind,
                        [self.real_data / path],
                        mapping,
                        settings=load_settings(),
                    )
                return reports

            name = hashlib.sha256(repr(key).encode()).hexdigest()[:16]
            folder, reports = built_once(self.tmp_path_factory, f"real-{name}", build)
            db = folder / "warehouse.duckdb"
            self._built[key] = (db, reports)
            self._digests[db] = _digest(db)
        return self._built[key]

    def changed(self) -> list[Path]:
        """Shared warehouses whose bytes are no longer those their loads wrote."""
        return [db for db, digest in self._digests.items() if _digest(db) != digest]


def _digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@pytest.fixture(scope="session")
def real_warehouses_shared(
    real_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RealWarehouses]:
    """The session's real-data warehouses (``RealWarehouses``); read-only for every test."""
    shared = RealWarehouses(real_data, tmp_path_factory)
    yield shared
    assert not shared.changed(), f"a test wrote to a shared real-data warehouse: {shared.changed()}"


def writable_copy(db: Path, folder: Path) -> Path:
    """A copy of the shared warehouse ``db`` in ``folder`` that a test may change."""
    import shutil

    copy = folder / db.name
    shutil.copyfile(db, copy)
    return copy
