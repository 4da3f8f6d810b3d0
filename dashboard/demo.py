"""The first start: build the demo warehouse when the configured one does not exist yet.

At the per-user default path the demo is built at once, with a progress bar. A path
someone configured (``SUPPORT_DB`` or settings) is never filled unasked: the app says
the file is missing and offers a button to build the demo there.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from dashboard.config import ConfigError, WarehouseLocation, demo_scale

Builder = Callable[..., object]

# Two browser tabs opening at once must not build the same demo twice.
_BUILD_LOCK = threading.Lock()

LOAD_HINT = "python -m etl load tickets FILE --db PATH"


def _demo_builder() -> Builder:
    # Imported here, not at module level: the generator is heavy and only the first start needs it.
    from sample_data import build_demo

    return build_demo


def ensure_warehouse(location: WarehouseLocation) -> bool:
    """True when the warehouse file exists, building the demo first at the default path.

    Renders what it does (progress, or why the app cannot go on); on False the caller
    stops the script run.
    """
    if location.path.exists():
        return True
    if location.is_default:
        st.info(
            "First start: no warehouse is configured, so the app builds the demo warehouse "
            f"at `{location.path}`. This takes under a minute, once."
        )
        return build_with_progress(location.path)
    st.error(
        f"No warehouse at `{location.path}`: {location.detail} points to a file that does not exist."
    )
    st.markdown(
        f"Load an export there with `{LOAD_HINT}`, point `SUPPORT_DB` at an existing "
        "warehouse, or build the demo warehouse at this path."
    )
    if st.button(f"Build the demo warehouse at {location.path}", type="primary"):
        return build_with_progress(location.path)
    return False


def build_with_progress(path: Path) -> bool:
    """Build the demo at ``path`` inside an ``st.status`` with a progress bar; True on success."""
    try:
        scale = demo_scale()
        build = _demo_builder()
    except ConfigError as err:
        st.error(str(err))
        return False
    except ImportError as err:
        st.error(f"The demo builder (sample_data.build_demo) is not available: {err}")
        return False
    with _BUILD_LOCK:
        if path.exists():
            return True
        with st.status(f"Building the demo warehouse at `{path}` …", expanded=True) as status:
            bar = st.progress(0.0, text="Starting")

            def report(step: str, fraction: float) -> None:
                done = min(max(float(fraction), 0.0), 1.0)
                bar.progress(done, text=step)
                # The terminal that started the server shows it too (`make run` says nothing
                # for a minute otherwise), in the format of `python -m etl demo`.
                print(f"demo warehouse: [{done:4.0%}] {step}", file=sys.stderr, flush=True)

            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                build(path, scale=scale, progress=report)
            except Exception as err:  # a failed build is reported, never a traceback page
                status.update(label="Building the demo warehouse failed", state="error")
                st.error(f"Could not build the demo warehouse at `{path}`: {err}")
                return False
            status.update(label="Demo warehouse ready", state="complete", expanded=False)
    return path.exists()
