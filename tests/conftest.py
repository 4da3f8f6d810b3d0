"""Shared test fixtures: paths to the real exports and temporary warehouses."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REAL_DATA = ROOT.parent / "shared" / "real_data"


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


DEMO_SCALE = 0.5


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo warehouse (seed 7, scale 0.5), built once per test session through the loaders."""
    from sample_data import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo(path, seed=7, scale=DEMO_SCALE)
    return path


@pytest.fixture(scope="session")
def spark():
    """One local Spark session for the whole test session (a JVM takes seconds to start),
    UTC, two shuffle partitions for tiny data; stopped at the end. It also serves Spark
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
