"""Shared test fixtures: paths to the real exports and temporary warehouses."""

from __future__ import annotations

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
