"""Build-then-swap writes: a load never touches the file the dashboard reads.

The writer copies the live warehouse into a private folder ``<db>.tmp/``, applies
every change to the copy, checkpoints and closes it, then swaps it in with
``os.replace`` (an atomic rename). A reader keeps the old inode until its next query,
so it never waits for a load and never sees half of one. A load that dies before the
swap leaves the live file exactly as it was; the stale ``.tmp`` is simply rebuilt by
the next load. An exclusive lock file serialises concurrent writers: the second one
waits (up to ``wait_seconds``) and then fails with a clear message.

Private by default: the warehouse holds customer conversations, so a new warehouse is
created readable by its owner only (0600), the copy and everything DuckDB writes beside
it while loading (its WAL, spilled temporary data) live in a folder only the owner can
enter (0700), and an existing warehouse keeps its own mode across the swap.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from warehouse.schema import (
    BOOKKEEPING_TABLES,
    DATA_TABLES,
    INDEXES_DROPPED_AT,
    STATE,
    current_version,
    migrate,
)


class WarehouseBusy(RuntimeError):
    """Another load holds the warehouse's write lock for longer than we wait."""


PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def _work_folder(db: Path) -> Path:
    return db.with_name(db.name + ".tmp")


def _tmp_path(db: Path) -> Path:
    """The private copy a load writes: inside the owner-only work folder."""
    return _work_folder(db) / db.name


def _lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


def discard_private_copy(db: Path) -> None:
    """Remove what a killed load may have left beside ``db`` (its work folder, or the
    ``.tmp`` file and WAL an older version wrote)."""
    folder = _work_folder(db)
    if folder.is_dir() and not folder.is_symlink():
        shutil.rmtree(folder)
    else:
        folder.unlink(missing_ok=True)
    folder.with_name(folder.name + ".wal").unlink(missing_ok=True)


def _prepare_work_folder(db: Path) -> Path:
    """A fresh owner-only work folder; returns the path of the copy inside it."""
    discard_private_copy(db)
    folder = _work_folder(db)
    folder.mkdir(mode=PRIVATE_FOLDER)
    os.chmod(folder, PRIVATE_FOLDER)  # mkdir's mode is filtered by the umask; be exact
    return _tmp_path(db)


def _private_copy(source: Path, target: Path) -> None:
    """Copy ``source`` to a new ``target`` created 0600 (shutil.copyfile would use the umask).

    The kernel copies (``copy_file_range``: no round trip through this process's memory, a
    clone on file systems that share blocks); where it cannot, the bytes go through here.
    """
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with open(source, "rb") as reading, os.fdopen(fd, "wb") as writing:
        try:
            _kernel_copy(reading.fileno(), writing.fileno(), os.fstat(reading.fileno()).st_size)
        except OSError:
            reading.seek(0)
            writing.seek(0)
            writing.truncate()
            shutil.copyfileobj(reading, writing, 1 << 24)


def _kernel_copy(source: int, target: int, size: int) -> None:
    """Copy ``size`` bytes between two open files in the kernel; OSError where unsupported."""
    if not hasattr(os, "copy_file_range"):
        raise OSError("copy_file_range is not available")
    done = 0
    while done < size:
        copied = os.copy_file_range(source, target, size - done)
        if copied == 0:
            raise OSError("copy_file_range stopped before the end of the file")
        done += copied


@contextlib.contextmanager
def _exclusive_lock(db: Path, wait_seconds: float) -> Iterator[None]:
    db.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(_lock_path(db), os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    with os.fdopen(fd, "a+") as handle:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(
                        f"{db}: another load is writing this warehouse; try again when it ends"
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def connect_file(path: Path) -> duckdb.DuckDBPyConnection:
    """Open ``path`` read-write with the session time zone fixed to UTC.

    Rows need no particular storage order (every reader orders or aggregates, the merge
    finds rows by key), so DuckDB may write a large insert's row groups in parallel: a
    sixth less CPU for a million tickets.
    """
    con = duckdb.connect(str(path))
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")  # loads print their own progress
    return con


@contextlib.contextmanager
def open_for_write(
    db: str | os.PathLike[str], wait_seconds: float = 600.0, *, compact: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a read-write connection to a private copy of ``db``; swap it in on success.

    ``compact``: for a write that replaces most of the file (every derived fact rebuilt, every
    message rescored or redacted), the copy is rewritten without its free blocks before the
    swap (``_compact``), so later loads do not copy them.

    The copy is migrated to the current schema first, so an older warehouse is
    upgraded by its first load (one older than schema 3 is copied table by table, see
    `_rebuilt_without_indexes`). If the block raises, the copy is discarded and ``db``
    is untouched. Each write counts up the data version: derived facts built for an older
    version are not used by readers until a write refreshes them (``metrics.facts``).
    """
    db = Path(db)
    with _exclusive_lock(db, wait_seconds):
        tmp = _prepare_work_folder(db)
        existing = db.exists()
        mode = stat.S_IMODE(os.stat(db).st_mode) if existing else PRIVATE_FILE
        flushing: threading.Thread | None = None
        try:
            if existing and not _rebuilt_without_indexes(db, tmp):
                _private_copy(db, tmp)
                flushing = _write_back(tmp)
            con = connect_file(tmp)
            try:
                migrate(con)
                con.execute(f"UPDATE {STATE} SET data_version = data_version + 1")  # noqa: S608
                yield con
                con.execute("CHECKPOINT")
            finally:
                con.close()
            if compact:
                _compact(tmp)
            os.chmod(tmp, mode)
            _fsync(tmp)
            os.replace(tmp, db)
            _fsync_dir(db.parent)
        finally:
            if flushing is not None:
                flushing.join()
            discard_private_copy(db)


def _compact(path: Path) -> None:
    """Rewrite ``path`` without its free blocks. DuckDB reuses a freed block but never gives
    it back to the file system: after every derived fact is rebuilt, the old facts' blocks
    stay inside the file (at scale 33, 2.26 GB for 1.52 GB of data), and every later load
    copies the whole file first. The rewrite goes beside it in the work folder, then over it.
    """
    fresh = path.with_name(path.name + ".compact")
    con = duckdb.connect()
    try:
        con.execute("ATTACH $path AS written (READ_ONLY)", {"path": str(path)})
        con.execute("ATTACH $path AS fresh", {"path": str(fresh)})
        con.execute("COPY FROM DATABASE written TO fresh")
    finally:
        con.close()
    os.replace(fresh, path)


def _rebuilt_without_indexes(db: Path, tmp: Path) -> bool:
    """Copy ``db`` into a new ``tmp`` table by table when its schema still has the indexes.

    Dropping them in place would leave the file as large as before (DuckDB keeps freed
    blocks), so a file older than INDEXES_DROPPED_AT is rebuilt: the current schema is
    created in ``tmp``, every row copied in its stored order, the version history kept.
    Returns False (nothing written) for a file that needs no rebuild.
    """
    con = duckdb.connect()
    try:
        con.execute("ATTACH $path AS live (READ_ONLY)", {"path": str(db)})
        con.execute("USE live")
        found = current_version(con)
        if not 0 < found < INDEXES_DROPPED_AT:
            return False
        con.execute("ATTACH $path AS fresh", {"path": str(tmp)})
        con.execute("USE fresh")
        migrate(con, target=INDEXES_DROPPED_AT)  # later migrations run in place as usual
        con.execute("BEGIN TRANSACTION")
        con.execute("DELETE FROM schema_version")
        for table in ("schema_version", *DATA_TABLES, *BOOKKEEPING_TABLES):
            con.execute(f"INSERT INTO fresh.{table} BY NAME SELECT * FROM live.{table}")  # noqa: S608
        for version in range(found + 1, INDEXES_DROPPED_AT + 1):
            con.execute("INSERT INTO schema_version VALUES (?, now())", [version])
        con.execute("COMMIT")
        con.execute("CHECKPOINT fresh")
    finally:
        con.close()
    return True


def upgrade_in_place(db: str | os.PathLike[str]) -> int:
    """Bring an existing warehouse to the current schema (through a swap); return the version."""
    with open_for_write(db) as con:
        row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def _write_back(path: Path) -> threading.Thread:
    """Start writing the fresh copy's pages to disk on a thread, while the load works on it.

    The copy leaves the whole file's pages dirty in the page cache; the first fsync (DuckDB's
    at its checkpoint, else ours before the swap) would otherwise wait for all of them at the
    end of the load. What the load writes later is flushed by those fsyncs as before."""
    fd = os.open(path, os.O_RDONLY)

    def flush() -> None:
        try:
            with contextlib.suppress(OSError):  # only a head start: the later fsyncs still run
                os.fsync(fd)
        finally:
            os.close(fd)

    flushing = threading.Thread(target=flush, name="warehouse-write-back")
    flushing.start()
    return flushing


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        _fsync(path)
