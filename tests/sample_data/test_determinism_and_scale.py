"""Same seed, same bytes; another seed, other bytes; --scale grows the data linearly."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from readback import messages, tickets

from sample_data import ExportFile, generate


def test_the_same_seed_writes_identical_bytes_in_every_file(
    small: list[ExportFile], tmp_path: Path
) -> None:
    again = generate(tmp_path, seed=7, scale=0.05)
    assert [f.path.name for f in again] == [f.path.name for f in small]
    for first, second in zip(small, again, strict=True):
        assert first.path.read_bytes() == second.path.read_bytes(), first.path.name
        assert first.malformed_rows == second.malformed_rows


def test_another_seed_writes_different_bytes_in_every_file(
    small: list[ExportFile], tmp_path: Path
) -> None:
    other = generate(tmp_path, seed=8, scale=0.05)
    for first, second in zip(small, other, strict=True):
        assert first.path.read_bytes() != second.path.read_bytes(), first.path.name


def test_files_come_in_load_order_with_a_mapping_each(small: list[ExportFile]) -> None:
    kinds = [f.kind for f in small]
    assert kinds == [
        "agents",
        "trainings",
        "shifts",
        "tickets",
        "tickets",
        "ticket_events",
        "messages",
        "messages",
        "surveys",
        "activity",
        "qa_reviews",
    ]
    assert all(f.mapping.exists() and f.path.exists() and f.malformed_rows >= 1 for f in small)


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> dict[float, Path]:
    out = {}
    for scale in (0.1, 0.2):
        folder = tmp_path_factory.mktemp(f"scale{scale}")
        generate(folder, seed=7, scale=scale)
        out[scale] = folder
    return out


def test_doubling_the_scale_doubles_tickets_messages_and_activity(
    scaled: dict[float, Path],
) -> None:
    # Counts are Poisson around a mean proportional to scale: at 3,000 tickets one
    # standard deviation is under 2%, so 1.85-2.15 only fails if growth is not linear.
    small, large = scaled[0.1], scaled[0.2]
    assert 1.85 < tickets(large).height / tickets(small).height < 2.15
    assert 1.85 < messages(large).height / messages(small).height < 2.15
    ratio = (
        pl.read_parquet(large / "product_activity.parquet").height
        / pl.read_parquet(small / "product_activity.parquet").height
    )
    assert 1.85 < ratio < 2.15


def test_default_scale_has_the_documented_size() -> None:
    # About six months, 30,000 tickets, 300,000 messages, 12,000 customers (issue 3),
    # measured on the canonical frames so the test stays fast (no files written).
    from sample_data import canonical_frames

    frames = canonical_frames(seed=7, scale=1.0)
    assert 28_000 < frames["tickets"].height < 32_000
    assert 270_000 < frames["messages"].height < 330_000
    assert frames["activity"]["customer_id"].n_unique() >= 11_500
    assert frames["agents"].height == 40
    assert sorted(frames["agents"]["team"].unique()) == ["en", "es", "fr", "ru", "zh"]
    created = frames["tickets"]["created_at"]
    assert str(created.min().date()) >= "2026-05-01" and str(created.max().date()) <= "2026-10-31"
