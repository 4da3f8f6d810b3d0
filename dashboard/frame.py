"""Every page runs inside app.py's frame (navigation, warehouse, sidebar), even on the first
visit after the server starts.

Streamlit 1.67 decides once per process, before app.py ever ran, whether the app uses the
old pages/-folder mode (it does whenever a pages/ folder sits next to the entry script).
In that mode a URL naming a file in pages/ runs that file on its own, without app.py,
and since app.py's ``st.navigation`` is what turns the mode off, it would never be turned
off. A page that finds itself run that way switches the mode off and reruns: the rerun
executes app.py, whose navigation opens the same page (page ids are hashes of the url_path,
which equals the file's stem).
"""

from __future__ import annotations

import streamlit as st


def require_app_frame() -> None:
    """Call first in every page file: rerun through app.py when run in pages/-folder mode."""
    from streamlit.runtime.pages_manager import PagesManager

    if getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False
        st.rerun()
