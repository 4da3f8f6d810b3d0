"""A page drawn while another thread imports pandas (a second visitor's page importing
scikit-learn, the server's warm-up) must not see a half-initialised pandas: plotly looks it
up in sys.modules without importing it. Found by the first-page benchmark's smoke test
("partially initialized module 'pandas' has no attribute 'Series'" on the Overview)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import APP, ROOT

# Its own process, so pandas is not imported yet. When the Overview draws its first chart,
# a thread starts importing pandas through a finder that sleeps 5 s once the module is in
# sys.modules (as a slow import on a busy machine does); the chart is then drawn while that
# import is half done, as the benchmark saw it.
SCRIPT = textwrap.dedent(
    """
    import importlib, importlib.abc, importlib.util, sys, threading, time

    from streamlit.testing.v1 import AppTest

    from dashboard.charts import common

    started = threading.Event()

    class SlowPandas(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name != "pandas":
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec("pandas")
            real = spec.loader

            class Loader(importlib.abc.Loader):
                def create_module(self, spec):
                    return real.create_module(spec)

                def exec_module(self, module):
                    started.set()
                    time.sleep(5)
                    real.exec_module(module)

            spec.loader = Loader()
            return spec

    drawn = common.volume_trend

    def volume_trend(*args, **kwargs):
        if "pandas" not in sys.modules:
            sys.meta_path.insert(0, SlowPandas())
            threading.Thread(target=importlib.import_module, args=("pandas",), daemon=True).start()
            started.wait(30)
        print("pandas imported before the chart:", not started.is_set())
        return drawn(*args, **kwargs)

    common.volume_trend = volume_trend
    at = AppTest.from_file(sys.argv[1], default_timeout=300)
    at.run()
    print("charts", len(at.get("plotly_chart")))
    print("exceptions", len(at.exception))
    for exc in at.exception:
        print("exception", exc.message)
    """
)


def test_the_overview_drawn_while_pandas_is_being_imported_has_no_exception(demo: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(APP)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=os.environ.copy(),
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    # The chart was drawn after pandas was complete (app.py imported it) ...
    assert "pandas imported before the chart: True" in lines, done.stdout[-2000:]
    # ... no part of the page failed, and it drew its charts.
    assert "exceptions 0" in lines, done.stdout[-2000:]
    charts = int(next(line.split()[1] for line in lines if line.startswith("charts ")))
    assert charts > 0
