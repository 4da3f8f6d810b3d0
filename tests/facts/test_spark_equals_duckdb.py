"""The same numbers on Spark: every derived fact built from a lake on Spark (local mode, the
facts' own SQL translated by SQLGlot) equals the one DuckDB builds from the same lake, row for
row, and every registered metric read from either set of prebuilt facts gives the same
result: exact for counts and text, 1e-9 relative for rates and durations (facts_support).
On a small demo lake and on one lake holding every real-data set of ../shared/real_data
(each set under its own source), with one shared Spark session (tests/conftest.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest
from facts_support import _outcomes, last_month, variants
from polars.testing import assert_frame_equal
from test_stored_equals_lazy import REAL_SETS

from etl.lake import export_lake
from etl.pipeline import load_files
from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.engines.build import build_facts
from metrics.facts import all_facts
from metrics.registry import all_metrics
from warehouse.facts_reader import FactsWarehouse

pytestmark = pytest.mark.spark
SETTINGS = load_settings()


def both_engines(db: Path, root: Path, spark=None, master: str | None = None) -> tuple[Path, Path]:
    """The lake of ``db`` and its facts built on DuckDB and on Spark (the running ``spark``
    session, else a session for ``master``): (duckdb, spark) folders."""
    lake = root / "lake"
    export_lake(db, lake)
    duck = build_facts(lake, root / "facts_duckdb", SETTINGS, engine="duckdb")
    sparked = build_facts(
        lake, root / "facts_spark", SETTINGS, engine="spark", master=master, session=spark
    )
    return duck.out, sparked.out


# A small demo (about 1,600 contacts) keeps Spark's share of the suite to a minute or two.
DEMO_SCALE = 0.05


@pytest.fixture(scope="module")
def demo_facts(spark_connect, tmp_path_factory) -> tuple[Path, Path]:
    """The demo's facts on Spark built through Spark Connect (``--master sc://...``): the
    shared local-mode session serves it, so this costs no build beyond the one it replaces;
    the real-data facts below go through the classic local-mode client."""
    from sample_data import build_demo

    root = tmp_path_factory.mktemp("demo_lake")
    build_demo(root / "demo.duckdb", seed=7, scale=DEMO_SCALE)
    return both_engines(root / "demo.duckdb", root, master=spark_connect)


@pytest.fixture(scope="module")
def real_facts(real_data, spark, tmp_path_factory) -> tuple[Path, Path]:
    """Every real-data set loaded into one warehouse (one lake: one Spark build)."""
    root = tmp_path_factory.mktemp("real_lake")
    db = root / "warehouse.duckdb"
    for _, files in REAL_SETS:
        for kind, mapping, path in files:
            load_files(db, kind, [real_data / path], mapping, settings=SETTINGS)
    return both_engines(db, root, spark)


def fact_differences(duck: Path, spark: Path) -> list[str]:
    """Facts whose rows differ between the two folders (in a canonical order)."""
    differ = []
    for fact in all_facts(SETTINGS):
        left = pl.read_parquet(duck / fact.table / "*.parquet")
        right = pl.read_parquet(spark / fact.table / "*.parquet")
        if left.schema != right.schema:
            differ.append(f"{fact.name}: columns {left.schema} != {right.schema}")
            continue
        keys = [c for c, t in left.schema.items() if not isinstance(t, pl.List)]
        try:
            assert_frame_equal(
                left.sort(keys, nulls_last=True),
                right.sort(keys, nulls_last=True),
                check_exact=False,
                rel_tol=1e-9,
                abs_tol=1e-12,
            )
        except AssertionError as err:
            differ.append(f"{fact.name}: {str(err).splitlines()[0]}")
    return differ


def metric_differences(
    duck: Path,
    spark: Path,
    filters: list[Filters] | None = None,
    breakdowns: tuple[str, ...] = ("channel",),
) -> list[str]:
    """Every registered metric's calls whose results differ between the two sets of facts."""
    clock = datetime.now(UTC)
    left, right = FactsWarehouse(duck, as_of=clock), FactsWarehouse(spark, as_of=clock)
    for wh in (left, right):
        for fact in all_facts(SETTINGS):  # both really read prebuilt facts, none built lazily
            assert wh.stored_fact(fact.table, fact.fingerprint), f"{wh.engine}: {fact.name}"
    differ = []
    for info in all_metrics().values():
        for period in filters or [Filters(), last_month(left)]:
            for kwargs in variants(info, left, breakdowns):
                outcome = _outcomes(info, left, right, SETTINGS, period, kwargs)
                if outcome:
                    differ.append(f"{info.name} {kwargs} {period}: {outcome}")
    left.close()
    right.close()
    return differ


def test_every_fact_has_the_same_rows_on_spark_and_duckdb_on_the_demo(demo_facts):
    assert fact_differences(*demo_facts) == []


def test_every_metric_is_the_same_from_spark_and_duckdb_facts_on_the_demo(demo_facts):
    assert metric_differences(*demo_facts) == []


def test_every_fact_has_the_same_rows_on_spark_and_duckdb_on_real_data(real_facts):
    assert fact_differences(*real_facts) == []


def test_every_metric_is_the_same_from_spark_and_duckdb_facts_on_real_data(real_facts):
    # All sets at once (the facts are compared row for row above; each metric call on the
    # combined lake reads every set's rows).
    wh = FactsWarehouse(real_facts[0])
    sources = wh.query("SELECT DISTINCT source FROM tickets UNION SELECT source FROM messages")
    wh.close()
    assert sources.height >= 6  # each real set under its own source
    # Every option of every metric, without breakdowns (the demo test covers those): the
    # calls read the whole combined lake, and the suite's Spark share stays in its budget.
    assert metric_differences(*real_facts, [Filters()], breakdowns=()) == []


def test_the_facts_say_which_engine_built_them(demo_facts, spark_connect, real_facts):
    duck, spark = (FactsWarehouse(folder) for folder in demo_facts)
    assert (duck.engine, spark.engine) == ("duckdb", "spark")
    assert duck.manifest["engine_version"].startswith("DuckDB")
    assert spark.manifest["engine_version"].startswith("Spark")
    assert spark.manifest["master"] == spark_connect  # the demo's went through Spark Connect
    duck.close()
    spark.close()
    local = FactsWarehouse(real_facts[1])
    assert local.manifest["master"] == "local[2]"  # the shared session's own master
    local.close()


def test_a_spark_connect_url_where_no_server_answers_is_one_clear_error():
    # The Connect client would retry for minutes; port 1 on this machine refuses at once.
    pytest.importorskip("pyspark")
    from metrics.engines.spark import start_session

    with pytest.raises(ValueError, match=r"sc://127.0.0.1:1: no Spark Connect server answers"):
        start_session("sc://127.0.0.1:1")
