"""Derived facts on Apache Spark: the lake's tables as temporary views, the facts' own SQL
translated by SQLGlot (``metrics.engines.spark_sql``), lookup frames as temporary views.

``pyspark`` is an optional dependency (the ``spark`` extra): only this module imports it, and
only when called. Local mode by default; a ``spark://``/``yarn``/``k8s://`` master URL runs on
a cluster, an ``sc://`` URL through Spark Connect.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import polars as pl

from metrics.core.facts import Fact
from metrics.engines.spark_sql import to_spark_steps
from warehouse.lake import lake_tables

# Settings every session gets: UTC (timestamps are instants; the facts bucket days in the
# reporting zone themselves), the lake's month folders read as text. Runtime settings: a
# Spark Connect session sets them on the server for itself.
SESSION_CONF = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.sources.partitionColumnTypeInference.enabled": "false",
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
    "spark.sql.ansi.enabled": "false",
}
# Settings of a driver this process starts (local mode, a cluster's client): a Spark Connect
# server is started by someone else, with its own.
DRIVER_CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
}


def spark_available(master: str | None = None) -> str | None:
    """None when a Spark session for ``master`` can start here, else why not (for skips and
    errors): local mode and a cluster's client need Java, Spark Connect its client libraries."""
    import shutil

    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install -e '.[spark]')"
    if master and master.startswith("sc://"):
        try:
            import grpc  # noqa: F401
            import pyspark.sql.connect.session  # noqa: F401
        except ImportError as err:
            return f"Spark Connect needs pyspark's connect extra ({err}; pip install -e '.[spark]')"
        return None
    if shutil.which("java") is None:
        return "no Java runtime on PATH (apt-get install default-jre-headless)"
    return None


def start_session(
    master: str | None = None,
    shuffle_partitions: int | None = None,
    memory: str | None = None,
    conf: dict[str, str] | None = None,
) -> Any:
    """A Spark session: local mode (every core) unless ``master`` names a cluster or an
    ``sc://`` Spark Connect endpoint; ``memory`` sizes the driver (local mode runs in it);
    ``conf``: more settings (the tests' session also serves Spark Connect with them)."""
    remote = bool(master and master.startswith("sc://"))
    settings = dict(SESSION_CONF)
    if shuffle_partitions is not None:
        settings["spark.sql.shuffle.partitions"] = str(shuffle_partitions)
    if remote:
        if memory is not None:
            raise ValueError("a Spark Connect server's driver memory is set where it is started")
        _check_reachable(str(master))
        # The Connect client's own builder: the classic one refuses a remote session in a
        # process that runs a local one (the tests' shared session serves Connect itself).
        from pyspark.sql.connect.session import SparkSession as ConnectSession

        builder = ConnectSession.builder.remote(master).appName("support-quality-facts")
    else:
        from pyspark.sql import SparkSession

        builder = SparkSession.builder.appName("support-quality-facts")
        builder = builder.master(master or "local[*]")
        settings.update(DRIVER_CONF)
        if memory is not None:
            settings["spark.driver.memory"] = memory
    for key, value in {**settings, **(conf or {})}.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    if not remote:  # a Spark Connect client has no SparkContext (its log is the server's)
        session.sparkContext.setLogLevel("ERROR")
    return session


CONNECT_PORT = 15002  # Spark Connect's default port
CONNECT_TIMEOUT_SECONDS = 10.0


def _check_reachable(url: str) -> None:
    """Refuse an ``sc://`` URL whose server does not answer: the Spark Connect client would
    retry for minutes before saying anything."""
    import socket
    from urllib.parse import urlparse

    parsed = urlparse(url.split(";", 1)[0])
    host, port = parsed.hostname or "localhost", parsed.port or CONNECT_PORT
    try:
        socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_SECONDS).close()
    except OSError as err:
        raise ValueError(
            f"{url}: no Spark Connect server answers at {host}:{port} ({err}); start one "
            "(start-connect-server.sh) or check the URL"
        ) from None


@contextmanager
def spark_session(master: str | None = None) -> Iterator[Any]:
    """A session for one command, stopped at the end (its JVM with it, in local mode)."""
    session = start_session(master)
    try:
        yield session
    finally:
        session.stop()


class SparkRunner:
    """A Spark session over a lake as a ``metrics.core.facts.Runner``: DuckDB-dialect SQL is
    translated, lookup frames become temporary views."""

    def __init__(self, session: Any, lake: Path) -> None:
        self.session = session
        self.lake = Path(lake)
        self.tables = lake_tables(self.lake)
        for name, table in self.tables.items():
            frame = session.read.parquet(str(table.folder))
            if "month" in frame.columns and name not in _MONTH_COLUMN_TABLES:
                frame = frame.drop("month")
            frame.createOrReplaceTempView(name)

    def sql(self, sql: str, params: dict[str, Any] | None = None) -> Any:
        """A Spark DataFrame for DuckDB-dialect ``sql`` with ``params`` bound: each step of
        its WITH materialised as a temporary view first (``to_spark_steps``)."""
        *steps, (_, final) = to_spark_steps(sql, params)
        for name, query in steps:
            if name in self.tables:
                raise ValueError(f"a step of a fact is named like the table {name!r}")
            self.session.sql(query).localCheckpoint(eager=True).createOrReplaceTempView(name)
        return self.session.sql(final)

    def register(self, frames: dict[str, pl.DataFrame]) -> None:
        from pyspark.sql.pandas.types import from_arrow_schema

        for name, frame in frames.items():
            # Arrow keeps the frame's types, and an empty frame's columns (Spark Connect wants
            # the schema said when there are no rows).
            table = frame.to_arrow()
            schema = None if table.num_rows else from_arrow_schema(table.schema)
            self.session.createDataFrame(table, schema=schema).createOrReplaceTempView(name)

    def query(
        self,
        sql: str,
        params: dict[str, Any] | None = None,
        frames: dict[str, pl.DataFrame] | None = None,
    ) -> pl.DataFrame:
        self.register(frames or {})
        return pl.from_arrow(self.sql(sql, params).toArrow())

    def build(self, fact: Fact, out: Path) -> int:
        """Compute ``fact`` (its inputs already built under ``out``) into ``out/<table>``."""
        self.register(fact.lookups(self))
        for needed in fact.inputs:
            self.session.read.parquet(str(out / needed.table)).createOrReplaceTempView(needed.table)
        sql = fact.render({f.name: f.table for f in fact.inputs})
        frame = self.sql(sql, fact.bound())
        if fact.order_by:
            frame = frame.orderBy(*[c.strip() for c in fact.order_by.split(",")])
        frame.write.mode("overwrite").parquet(str(out / fact.table))
        return self.session.read.parquet(str(out / fact.table)).count()


# Tables with a real column named month (none today): their column is kept.
_MONTH_COLUMN_TABLES: frozenset[str] = frozenset()
