"""Transforms for ticket-shaped exports: filtering rows, content ids, event logs to tickets."""

from __future__ import annotations

from typing import Any

import polars as pl

from etl.readers import ROW
from etl.timestamps import parse_timestamps
from etl.transforms.common import content_hash, json_list, list_option, require, text_option


def keep_rows(frame: pl.DataFrame, options: dict[str, Any]) -> pl.DataFrame:
    """Only the records this table is about; the others are not part of the load at all.

    With ``values``, keeps rows whose ``column`` is one of them (trimmed, any
    case), e.g. users with role agent or admin for the agents table; without,
    keeps rows where ``column`` is not empty, e.g. tickets that have a rating
    for the surveys table. Dropped rows are not counted in the load's rows read
    (the load note says how many records remained).
    """
    column = text_option(options, "column")
    require(frame, column)
    value = pl.col(column).str.strip_chars()
    if "values" in options:
        wanted = [v.lower() for v in list_option(options, "values")]
        return frame.filter(value.str.to_lowercase().is_in(wanted).fill_null(False))
    return frame.filter((value != "").fill_null(False))


def content_id(frame: pl.DataFrame, options: dict[str, Any]) -> pl.DataFrame:
    """Adds ``content_id``, a stable hash of the ``id_from`` columns, for exports without ids.

    ``[transform_options.lists]`` gathers several columns into one list column
    (JSON array text), e.g. ``tags = ["tag_1", "tag_2"]``; empty cells are left out.
    """
    id_from = list_option(options, "id_from")
    out = frame.with_columns(
        content_hash(frame, id_from, int(options.get("id_length", 16))).alias("content_id")
    )
    lists = options.get("lists", {})
    if not isinstance(lists, dict):
        raise ValueError("transform option 'lists' must be a table of name = [columns]")
    for name in lists:
        columns = list_option(lists, name)
        require(frame, *columns)
        out = out.with_columns(json_list(columns).alias(name))
    return out


def event_log_tickets(frame: pl.DataFrame, options: dict[str, Any]) -> pl.DataFrame:
    """One ticket per case of an activity log (process-mining export: case, activity, time, resource).

    Per case, in time order (file order breaks ties): ``created_at`` = first
    event; ``first_response_at`` = first ``first_response`` activity;
    ``solved_at`` = last ``solved`` activity (the latest resolution, as helpdesk
    exports report it; the first one comes from the events table);
    ``closed_at`` = last ``closed`` activity; ``reopens`` = distinct solve
    times - 1 (0 when solved once or never); ``agent_id`` = resource of the
    first solve; ``status`` = ``statuses`` value of the last event whose
    activity is listed there. Times are passed on as written, so the mapping's
    time zone applies to them. Each ticket keeps the ``__row`` of its first event.
    """
    case = text_option(options, "case")
    activity = text_option(options, "activity")
    time = text_option(options, "time")
    resource = text_option(options, "resource")
    statuses = options.get("statuses", {})
    if not isinstance(statuses, dict):
        raise ValueError("transform option 'statuses' must be a table of activity = status")
    require(frame, case, activity, time, resource)
    order = parse_timestamps(frame[time]).alias("__t")
    events = frame.with_columns(order).sort("__t", ROW, nulls_last=True)
    act = pl.col(activity).str.strip_chars()

    def at(name: str, pick: str) -> pl.Expr:
        chosen = pl.col(time).filter(act == text_option(options, name))
        return chosen.first() if pick == "first" else chosen.last()

    solves = pl.col(time).filter(act == text_option(options, "solved"))
    state = act.replace_strict(statuses, default=None, return_dtype=pl.String)
    tickets = events.group_by(case, maintain_order=True).agg(
        pl.col(ROW).min(),
        pl.col(time).first().alias("created_at"),
        at("first_response", "first").alias("first_response_at"),
        at("solved", "last").alias("solved_at"),
        at("closed", "last").alias("closed_at"),
        (solves.n_unique().cast(pl.Int64) - 1).clip(0).alias("reopens"),
        pl.col(resource).filter(act == text_option(options, "solved")).first().alias("agent_id"),
        state.drop_nulls().last().alias("status"),
    )
    return tickets.with_columns(
        pl.col(case).alias("ticket_id"), pl.col("reopens").cast(pl.String)
    ).sort(ROW)
