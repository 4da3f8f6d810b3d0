"""Remove secrets and personal data from free text before it is stored.

The public names live here; the package splits the work by kind:

* `etl.redact.core`: `redact_text` / `redact_series` / `redact_distinct`, the order of steps;
* `etl.redact.gates` and `etl.redact.prefilter`: which steps a text can need, decided for a
  whole column in polars (exact: a skipped step would have changed nothing);
* `etl.redact.seeds`: seed phrases, over the lists of `etl.redact.wordlists` (BIP39 in 12
  languages, SLIP-39, Monero, Electrum), with `words` (tokens), `checksums` and `prose`;
* `etl.redact.conversations`: phrases split over consecutive messages of one sender;
* `etl.redact.layouts`: keys in unusual layouts;
* `etl.redact.scrub` and `etl.redact.cli`: ``python -m etl redact`` for stored texts.

The rules' version is `REDACTION_VERSION` (see `warehouse.redaction_version`). The rules, their
measured rates and what they cannot detect are in docs/redaction.md.
"""

from __future__ import annotations

from etl.redact.conversations import redact_split_phrases
from etl.redact.core import MARKERS, REDACTION_KINDS, redact_distinct, redact_series, redact_text
from etl.redact.version import REDACTION_VERSION

__all__ = [
    "MARKERS",
    "REDACTION_KINDS",
    "REDACTION_VERSION",
    "redact_distinct",
    "redact_series",
    "redact_split_phrases",
    "redact_text",
]
