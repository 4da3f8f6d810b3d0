"""Support Quality Dashboard: the frame every page runs in (``streamlit run app.py``).

Asks for a login when ``[access]`` in secrets.toml says so (dashboard/access.py), registers
only the pages the viewer's role may open, resolves the warehouse (``SUPPORT_DB``,
settings, or the per-user demo, built on first start), shows it in the sidebar, and runs
the page picked in the navigation.
"""

from __future__ import annotations

# pandas is imported here, by a real import, before any chart is drawn: plotly looks pandas up
# in sys.modules without importing it, so a page drawing a chart while another thread (a
# second visitor's page, the server's warm-up) is importing pandas through scikit-learn saw
# a half-initialised module ("partially initialized module 'pandas' has no attribute
# 'Series'"). An import statement waits for another thread's import of the same module.
import pandas  # noqa: F401
import streamlit as st

from dashboard import access, data, login
from dashboard.config import ConfigError
from dashboard.demo import ensure_warehouse
from dashboard.sidebar import warehouse_panel

# An emoji favicon is drawn in the browser; a Material icon would be fetched from Google.
st.set_page_config(page_title="Support Quality Dashboard", page_icon="📊", layout="wide")

# The menu, in reading order: new pages are appended here. The app's root URL opens the first.
PAGES = [
    st.Page(
        "pages/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview"
    ),
    st.Page(
        "pages/agent_scorecards.py",
        title="Agent scorecards",
        icon=":material/person_search:",
        url_path="agent_scorecards",
    ),
    st.Page(
        "pages/training_impact.py",
        title="Training impact",
        icon=":material/school:",
        url_path="training_impact",
    ),
    st.Page(
        "pages/quality.py",
        title="Quality review",
        icon=":material/fact_check:",
        url_path="quality",
    ),
    st.Page(
        "pages/customer_voice.py",
        title="Customer voice",
        icon=":material/forum:",
        url_path="customer_voice",
    ),
    st.Page(
        "pages/retention.py",
        title="Retention",
        icon=":material/autorenew:",
        url_path="retention",
    ),
    st.Page(
        "pages/coverage.py",
        title="Coverage and staffing",
        icon=":material/schedule:",
        url_path="coverage",
    ),
    st.Page(
        "pages/response_times.py",
        title="Response and waits",
        icon=":material/timer:",
        url_path="response_times",
    ),
    st.Page(
        "pages/channels_backlog.py",
        title="Channels and backlog",
        icon=":material/inbox:",
        url_path="channels_backlog",
    ),
    st.Page(
        "pages/bot_security.py",
        title="Bot and security",
        icon=":material/shield:",
        url_path="bot_security",
    ),
    st.Page(
        "pages/explore.py",
        title="Explore and export",
        icon=":material/table_view:",
        url_path="explore",
    ),
    st.Page(
        "pages/data_health.py",
        title="Data health",
        icon=":material/monitor_heart:",
        url_path="data_health",
    ),
]


def _open_first_page() -> None:
    # Streamlit serves its default page only at "/", never at its own url_path, so the
    # default is this hidden redirect and every menu page keeps a stable, shareable URL.
    params = {name: st.query_params.get_all(name) for name in st.query_params}
    st.switch_page(allowed[0], query_params=params)


START = st.Page(
    _open_first_page, title="Start", url_path="start", default=True, visibility="hidden"
)
viewer = login.require_viewer([*PAGES, START])
# Only the role's pages are registered: a URL naming another page opens the first one.
allowed = access.allowed_pages(PAGES, viewer)
page = st.navigation([*allowed, START])

try:
    location = data.current_location()
except ConfigError as err:
    st.error(str(err))
    st.stop()

if not ensure_warehouse(location):
    st.stop()

warehouse_panel(location)
login.account_panel(viewer)
page.run()
