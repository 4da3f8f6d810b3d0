"""Imports every metric family so that the registry is complete."""

from __future__ import annotations

from metrics import response  # noqa: F401
