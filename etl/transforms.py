"""Named reshaping steps a mapping can ask for (``transform = "NAME"``).

Some exports are not one row per canonical record: an event log holds many
events per ticket, a JSON transcript holds a list of turns per conversation.
A transform takes the raw frame (every column a string, plus ``__row``, the
1-based record number in the file) and returns a frame of canonical-ish
records, each still carrying the ``__row`` of the source record it came from
(so a quarantined record can be traced back). Only names in TRANSFORMS can be
used: a mapping file never runs arbitrary code. The options are the mapping's
``[transform_options]`` plus ``_export_dir``, the folder of the export being
loaded (a transform may read a companion file there, by bare file name only).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl

Transform = Callable[[pl.DataFrame, dict[str, Any]], pl.DataFrame]

TRANSFORMS: dict[str, Transform] = {}
