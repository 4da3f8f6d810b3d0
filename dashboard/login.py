"""The login screens (password form, OIDC button) and the sidebar's account panel.

``require_viewer`` runs in app.py before the navigation: without a logged-in viewer it
registers the pages hidden (so the URL the person asked for survives the login), shows the
login screen and ends the run; no page is run for anyone not logged in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import streamlit as st

from dashboard import access

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def _hold(pages: Sequence[Any]) -> None:
    # Registering the pages keeps the requested URL (and turns off pages/-folder mode);
    # none of them runs.
    st.navigation(list(pages), position="hidden")


def require_viewer(pages: Sequence[Any]) -> access.Viewer:
    """The logged-in viewer; otherwise show the login (or the settings error) and stop."""
    try:
        config = access.current_config()
    except access.AccessError as err:
        _hold(pages)
        st.error(f"Access settings: {err}", icon=":material/lock:")
        st.stop()
    viewer = access.current_viewer(config)
    if viewer is not None:
        return viewer
    _hold(pages)
    with st.container(width=480):
        st.title("Support Quality Dashboard")
        if config.mode == "password":
            _password_form(config)
        else:
            _oidc_screen(config)
    st.stop()
    raise AssertionError("st.stop() ends the run")


def _password_form(config: access.AccessConfig) -> None:
    with st.form("login", clear_on_submit=True):
        name = st.text_input("User name", key="login_user", autocomplete="username")
        password = st.text_input(
            "Password", type="password", key="login_password", autocomplete="current-password"
        )
        submitted = st.form_submit_button("Log in", type="primary")
    if not submitted:
        return
    try:
        st.session_state[access.SESSION_USER] = access.check_login(config, name, password)
    except access.AccessError as err:
        st.error(str(err))
        return
    st.rerun()


def _oidc_screen(config: access.AccessConfig) -> None:
    if st.user.get("is_logged_in", False):
        who = st.user.get("email") or "this account"
        if st.user.get("email_verified") is False:
            st.warning(f"The identity provider has not verified {who}.")
        else:
            st.warning(f"{who} has no role in this dashboard: ask its administrator for one.")
        if st.button("Log out", key="logout"):
            st.logout()
        return
    st.markdown("Log in with your company account to see the dashboard.")
    if st.button("Log in", type="primary", key="oidc_login"):
        if config.provider:
            st.login(config.provider)
        else:
            st.login()


def account_panel(viewer: access.Viewer) -> None:
    """In the sidebar: who is logged in with which role, and a logout button (login modes)."""
    if viewer.mode == "none":
        return
    with st.sidebar:
        name = _MARKDOWN.sub(r"\\\1", viewer.name)
        st.markdown(f"**Logged in:** {name} ({viewer.role.name})")
        if st.button("Log out", key="logout", icon=":material/logout:"):
            if viewer.mode == "oidc":
                st.logout()
            st.session_state.pop(access.SESSION_USER, None)
            st.rerun()
