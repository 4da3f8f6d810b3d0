"""Remove secrets and personal data from free text before it is stored.

The public names live here; the package splits the work by kind:

* `etl.redact.core`: `redact_text` / `redact_series`, the order of the steps;
* `etl.redact.gates`: Rust-regex gates deciding which steps a text can need;
* `etl.redact.seeds`: seed phrases; `etl.redact.layouts`: keys in unusual layouts.
"""

from __future__ import annotations

from etl.redact.core import MARKERS, REDACTION_KINDS, redact_series, redact_text
from etl.redact.version import REDACTION_VERSION

__all__ = ["MARKERS", "REDACTION_KINDS", "REDACTION_VERSION", "redact_series", "redact_text"]
