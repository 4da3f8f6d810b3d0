"""Cached access to the warehouse for pages: one read-only view per file version.

The open warehouse is cached on (path, file identity). A load swaps a new file in
(build-then-swap), which changes the identity, so the next rerun opens the new
version and every cached metric result, keyed the same way, is recomputed once.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from dashboard.config import WarehouseLocation, resolve_warehouse
from metrics.core.settings import Settings
from warehouse.facts_reader import open_reader
from warehouse.reader import FileKey, ReadOnlyWarehouse, file_key

T = TypeVar("T")


def current_location() -> WarehouseLocation:
    """The warehouse this process serves (``SUPPORT_DB``, settings, or the demo)."""
    return resolve_warehouse()


# DuckDB's share of the dashboard's memory (DESIGN section 7: under 1.5 GB resident in all):
# building the contact fact of a million tickets spills beyond it instead of taking 2.5 GB.
DUCKDB_MEMORY = "750MB"


# One entry: the app serves one warehouse, and dropping the replaced version lets its
# (already unlinked) file be freed once the last query on it ends.
@st.cache_resource(max_entries=1, show_spinner=False)
def _open(path: str, key: FileKey) -> ReadOnlyWarehouse:
    # `key` is unused in the body: it is part of the cache key, so a swapped file opens anew.
    # A warehouse file, or a folder of prebuilt facts (SUPPORT_FACTS) and its lake.
    return open_reader(path, memory_limit=DUCKDB_MEMORY)


def warehouse(path: Path | None = None) -> ReadOnlyWarehouse:
    """The open read-only warehouse at ``path`` (default: the current one), as it is now."""
    path = path or current_location().path
    return _open(str(path), file_key(path))


def settings_key(settings: Settings) -> str:
    """The cache key of the settings: a digest of their pickled content.

    Streamlit's own hashing walks the dataclass (nested calendars, rubric, rules) in Python:
    about 1.5 ms per call, and a page makes about 50 cached calls per run, warm ones too.
    Pickling is exact (equal pickles are equal settings) and 50x cheaper; settings equal but
    built in another order only miss the cache.
    """
    return hashlib.sha256(pickle.dumps(settings, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()


@st.cache_data(max_entries=512, show_spinner=False, hash_funcs={Settings: settings_key})
def _call(
    path: str,
    key: FileKey,
    name: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
    _fn: Callable[..., Any],
) -> Any:
    return _fn(_open(path, key), *args, **dict(kwargs))


def cached(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(warehouse, *args, **kwargs)``, cached per warehouse file version and arguments.

    ``fn`` is a metric function whose first parameter is the warehouse; its other
    arguments must be hashable by Streamlit (numbers, text, dates, frozen dataclasses).
    """
    path = current_location().path
    name = f"{fn.__module__}.{fn.__qualname__}"
    return _call(str(path), file_key(path), name, args, tuple(sorted(kwargs.items())), fn)


def now_minute() -> datetime:
    """The current UTC time cut to the minute, so "age" results stay cached for a minute."""
    return datetime.now(UTC).replace(second=0, microsecond=0)
