"""Fixtures for metric tests (builders live in builders.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from builders import build_warehouse

from warehouse.reader import ReadOnlyWarehouse


@pytest.fixture
def make_wh(tmp_path: Path) -> Callable[[dict[str, list[dict[str, Any]]]], ReadOnlyWarehouse]:
    counter = iter(range(1000))

    def make(tables: dict[str, list[dict[str, Any]]]) -> ReadOnlyWarehouse:
        return build_warehouse(tmp_path / f"wh{next(counter)}.duckdb", tables)

    return make
