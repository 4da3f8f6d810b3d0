"""The version of the redaction rules (etl.redact), stored with every load and every scrub.

It lives in the warehouse package because stored texts carry it: metrics (Data health) compare
it with what a warehouse recorded, and metrics never import etl.

Bump it whenever a change to `etl.redact` can remove something the previous rules kept, so
a warehouse scrubbed or loaded under an older version can say so (`python -m etl redact`).

1. E-mails, phones, keys, English and simplified-Chinese seed phrases (issues 2 and 8).
2. Every BIP39 list of ``mnemonic``, SLIP-39, Monero and old Electrum seeds, phrases split
   over consecutive messages (issue 19).
"""

from __future__ import annotations

REDACTION_VERSION = 2
