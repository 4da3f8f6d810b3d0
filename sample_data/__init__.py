"""Deterministic demo data: a multilingual crypto-wallet support operation with planted effects.

``generate(out_dir, seed, scale)`` writes the exports real teams have;
``build_demo(db, seed, scale, progress)`` loads them through the real ETL.
The planted effects and their sizes are in ``sample_data.effects`` and README.md.
"""

from __future__ import annotations

from sample_data.build import DemoBuild, ExportFile, build_demo, canonical_frames, generate

__all__ = ["DemoBuild", "ExportFile", "build_demo", "canonical_frames", "generate"]
