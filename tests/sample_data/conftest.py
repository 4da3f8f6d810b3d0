"""Generated demo exports, made once per test session.

Small scale (0.05, about 1,500 tickets) for determinism, consistency and
loading; 0.4 (about 12,000 tickets) for the effect sizes, where the sample
must be large enough for the planted sizes to show within a stated tolerance.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sample_data import ExportFile, generate

SMALL = 0.05
EFFECTS = 0.4


@pytest.fixture(scope="session")
def small(tmp_path_factory: pytest.TempPathFactory) -> list[ExportFile]:
    """Exports at scale 0.05, seed 7."""
    return generate(tmp_path_factory.mktemp("small"), seed=7, scale=SMALL)


@pytest.fixture(scope="session")
def effects_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder of the exports at scale 0.4, seed 7."""
    folder = tmp_path_factory.mktemp("effects")
    generate(folder, seed=7, scale=EFFECTS)
    return folder
