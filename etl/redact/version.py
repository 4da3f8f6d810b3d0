"""The redaction rules' version (defined beside the warehouse schema, which stores it)."""

from __future__ import annotations

from warehouse.redaction_version import REDACTION_VERSION

__all__ = ["REDACTION_VERSION"]
