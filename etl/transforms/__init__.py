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

The load counts the transform's output records as the rows read, so a
transform that drops records (``keep_rows``) takes them out of the load
entirely; the load note says how many records remained.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl

from etl.transforms.chat import chat_first_sender, json_turns, question_answer, zendesk_comments
from etl.transforms.tickets import content_id, event_log_tickets, keep_rows

Transform = Callable[[pl.DataFrame, dict[str, Any]], pl.DataFrame]

TRANSFORMS: dict[str, Transform] = {
    "chat_first_sender": chat_first_sender,
    "content_id": content_id,
    "event_log_tickets": event_log_tickets,
    "json_turns": json_turns,
    "keep_rows": keep_rows,
    "question_answer": question_answer,
    "zendesk_comments": zendesk_comments,
}
