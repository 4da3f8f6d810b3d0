"""Access control: password hashes, the [access] settings, and each role's view of the app.

The app runs in AppTest with its secrets in ``at.secrets``; password logins go through the
form or a session that already logged in, OIDC users are simulated with ``at.user`` (no
identity provider is reachable here, and Authlib is not installed: its check is patched).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from small_warehouse import CURRENT, serve_small_warehouse
from streamlit.testing.v1 import AppTest

from dashboard import access
from dashboard.access import (
    HIDDEN_NOTE,
    SESSION_USER,
    AccessError,
    check_login,
    hash_password,
    load_config,
    verify_password,
)
from dashboard.passwords import HashFormatError
from dashboard.report_html import ScorecardReport, scorecard_report
from tests.metrics.builders import build_warehouse, msg, ticket

APP = Path(__file__).resolve().parents[2] / "app.py"
PASSWORD = "correct horse battery"
FAST = 2**10  # a cheap scrypt cost for the tests: verification reads n from the hash
ALL_PAGES = [
    "overview", "agent_scorecards", "training_impact", "quality", "customer_voice", "retention",
    "coverage", "response_times", "channels_backlog", "bot_security", "explore", "data_health",
]  # fmt: skip
MENUS = {
    "manager": ALL_PAGES,
    "analyst": ALL_PAGES,
    "trainer": ["overview", "agent_scorecards", "training_impact", "quality", "customer_voice"],
}
BODY = "Someone took my funds, seed \\[REDACTED\\]"  # T1's first message, as Markdown


@pytest.fixture(scope="module")
def stored_hash() -> str:
    return hash_password(PASSWORD, n=FAST)


@pytest.fixture(autouse=True)
def _no_failed_logins() -> None:
    access._failures.clear()


@pytest.fixture
def small_db(clean_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return serve_small_warehouse(tmp_path, monkeypatch)


@pytest.fixture
def authlib(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend ``streamlit[auth]`` is installed (it is not a dependency of the tests)."""
    monkeypatch.setattr(access, "authlib_installed", lambda: True)


def password_secrets(stored: str) -> dict[str, Any]:
    users = {"mona": "manager", "tina": "trainer", "ana": "analyst"}
    return {
        "access": {
            "mode": "password",
            "users": {
                name: {"password_hash": stored, "role": role} for name, role in users.items()
            },
        }
    }


def oidc_secrets(default_role: str | None = None) -> dict[str, Any]:
    section: dict[str, Any] = {
        "mode": "oidc",
        "roles": {
            "mona@example.com": "manager",
            "tina@example.com": "trainer",
            "@analysts.example.com": "analyst",
        },
    }
    if default_role:
        section["default_role"] = default_role
    auth = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "not-a-real-secret",
        "client_id": "dashboard",
        "client_secret": "not-a-real-secret",
        "server_metadata_url": "https://idp.example.com/.well-known/openid-configuration",
    }
    return {"access": section, "auth": auth}


def oidc_user(email: str, **extra: Any) -> dict[str, Any]:
    return {"is_logged_in": True, "email": email, "name": email.split("@")[0], **extra}


def run_app(
    secrets: dict[str, Any],
    page: str | None = None,
    user: dict[str, Any] | None = None,
    logged_in_as: str | None = None,
    **params: str,
) -> AppTest:
    """The app with these secrets, opened at ``page`` (a URL naming it) with ``params``."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.secrets.update(secrets)
    if user is not None:
        at.user = user
    if logged_in_as:
        at.session_state[SESSION_USER] = logged_in_as
    for name, value in params.items():
        at.query_params[name] = value
    if page:
        at.switch_page(page)
    return at.run()


def menu(at: AppTest) -> list[str]:
    """The url_paths of the pages registered in the navigation (the hidden Start left out)."""
    return [info["url_pathname"] for info in at._registered_pages.values() if info["url_pathname"]]


def shown_text(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown] + [c.value for c in at.caption]


# ---- hashes and settings ---------------------------------------------------------------


def test_a_password_hash_verifies_its_password_and_nothing_else():
    stored = hash_password(PASSWORD)  # the default cost, as the CLI makes it
    kind, n, r, p, salt, digest = stored.split("$")
    assert (kind, n, r, p) == ("scrypt", str(2**15), "8", "1")
    assert verify_password(PASSWORD, stored)
    assert not verify_password("correct horse battery ", stored)
    assert not verify_password("", stored)
    assert hash_password(PASSWORD, n=FAST) != hash_password(PASSWORD, n=FAST)  # salted


def test_a_tampered_or_foreign_hash_never_verifies(stored_hash):
    kind, n, r, p, salt, digest = stored_hash.split("$")
    other = hash_password("something else entirely", n=FAST).split("$")[5]
    assert not verify_password(PASSWORD, "$".join([kind, n, r, p, salt, other]))
    for foreign in ("$2b$12$abcdefghijklmnopqrstuv", "scrypt$1000$8$1$AAAA$AAAA", PASSWORD):
        with pytest.raises(HashFormatError, match="scrypt"):
            verify_password(PASSWORD, foreign)


def test_without_access_settings_the_mode_is_none():
    assert load_config({}).mode == "none"
    assert load_config({"access": {"mode": "none"}}).mode == "none"


@pytest.mark.parametrize(
    "section, message",
    [
        ({"mode": "ldap"}, "mode 'ldap' is not one of none, password, oidc"),
        ({"mode": "password"}, "no [access.users.NAME] is configured"),
        ({"mode": "password", "users": {"ana": {"role": "analyst"}}}, "needs a password_hash"),
        (
            {"mode": "password", "users": {"ana": {"password_hash": "x", "role": "analyst"}}},
            "not a scrypt",
        ),
        ({"mode": "oidc", "roles": {"a@b.c": "admin"}}, "role 'admin' is not one of"),
    ],
)
def test_unusable_access_settings_are_one_clear_error(section, message, stored_hash, authlib):
    with pytest.raises(AccessError, match=message.replace("[", r"\[").replace("(", r"\(")):
        load_config({"access": section, "auth": oidc_secrets()["auth"]})


def test_oidc_mode_says_what_it_is_missing(monkeypatch):
    monkeypatch.setattr(access, "authlib_installed", lambda: False)
    with pytest.raises(AccessError, match=r'needs Authlib: pip install "streamlit\[auth\]"'):
        load_config(oidc_secrets())
    monkeypatch.setattr(access, "authlib_installed", lambda: True)
    with pytest.raises(AccessError, match=r"no \[auth\] section"):
        load_config({"access": {"mode": "oidc"}})
    with pytest.raises(AccessError, match="missing: cookie_secret, .auth. client_secret"):
        load_config({"access": {"mode": "oidc"}, "auth": {"redirect_uri": "x", "client_id": "y",
                                                          "server_metadata_url": "z"}})  # fmt: skip


def test_oidc_roles_come_from_the_address_then_its_domain_then_the_default(authlib):
    strict = load_config(oidc_secrets())
    assert strict.role_for_email("Tina@Example.com").name == "trainer"
    assert strict.role_for_email("bo@analysts.example.com").name == "analyst"
    assert strict.role_for_email("eve@elsewhere.org") is None
    assert strict.role_for_email(None) is None
    assert (
        load_config(oidc_secrets("trainer")).role_for_email("eve@elsewhere.org").name == "trainer"
    )


def test_wrong_passwords_and_unknown_names_get_the_same_answer_and_a_lockout(stored_hash):
    config = load_config(password_secrets(stored_hash))
    assert check_login(config, " Tina ", PASSWORD) == "tina"
    for name, password in [("tina", "guess"), ("nobody", PASSWORD)]:
        with pytest.raises(AccessError, match="^Wrong user name or password.$"):
            check_login(config, name, password)
    for _ in range(access.MAX_FAILURES - 1):
        with pytest.raises(AccessError, match="Wrong"):
            check_login(config, "tina", "guess", now=100.0)
    with pytest.raises(AccessError, match="Too many failed attempts"):
        check_login(config, "tina", PASSWORD, now=101.0)  # even the right one, for a while
    assert check_login(config, "tina", PASSWORD, now=100.0 + access.LOCKOUT_SECONDS) == "tina"


def test_the_hash_command_prints_lines_for_secrets_toml(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(access.getpass, "getpass", lambda prompt: PASSWORD)
    assert access.main(["hash", "--user", "ana", "--role", "analyst"]) == 0
    printed = capsys.readouterr().out
    header, hash_line, role_line = printed.splitlines()
    assert (header, role_line) == ("[access.users.ana]", 'role = "analyst"')
    assert verify_password(PASSWORD, hash_line.split('"')[1])
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text(f'[access]\nmode = "password"\n{printed}')
    assert access.main(["check", str(secrets_file)]) == 0
    assert capsys.readouterr().out == "mode password\nuser ana: analyst\n"
    monkeypatch.setattr(access.getpass, "getpass", lambda prompt: "short")
    assert access.main(["hash"]) == 2
    assert "at least 12 characters" in capsys.readouterr().err


def test_the_printed_scorecard_leaves_conversations_out_for_a_role_without_text():
    examples = pl.DataFrame(
        [{"reason": "lowest_csat", "source": "zd", "contact_id": "T1",
          "created_at": datetime(2026, 1, 8), "score": 2, "sentiment_last": None,
          "comment": "too slow",
          "transcript": [{"sender_type": "customer", "sent_at": None, "body": "my seed words"}]}]
    )  # fmt: skip
    table = pl.DataFrame(schema={"figure": pl.String, "label": pl.String, "gap": pl.Float64})
    trainings = pl.DataFrame(schema={"course": pl.String, "completed_day": pl.Date})
    shown = scorecard_report(ScorecardReport("Ann", "en", "week", "-", table, trainings, examples))
    assert "too slow" in shown and "my seed words" in shown
    hidden = scorecard_report(
        ScorecardReport("Ann", "en", "week", "-", table, trainings, examples, show_text=False)
    )
    assert "too slow" not in hidden and "my seed words" not in hidden
    assert HIDDEN_NOTE in hidden and "CSAT 2" in hidden


# ---- each role's view of the app ------------------------------------------------------


def test_mode_none_shows_every_page_and_the_conversation_text(small_db):
    at = run_app({"access": {"mode": "none"}}, **CURRENT, contact="zd:T1")
    assert not at.exception
    assert menu(at) == ALL_PAGES
    assert at.title[0].value == "Overview"
    assert BODY in shown_text(at)
    assert not any(m.value.startswith("**Logged in:**") for m in at.sidebar.markdown)


def test_the_password_form_logs_in_refuses_wrong_passwords_and_logs_out(small_db, stored_hash):
    at = run_app(password_secrets(stored_hash))
    assert not at.exception
    assert [t.value for t in at.title] == ["Support Quality Dashboard"]
    assert [b.label for b in at.button] == ["Log in"] and not at.metric
    at.text_input(key="login_user").input("tina")
    at.text_input(key="login_password").input("not the password")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Wrong user name or password."]
    assert [t.value for t in at.title] == ["Support Quality Dashboard"]
    at.text_input(key="login_user").input("tina")
    at.text_input(key="login_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value == "Overview"
    assert menu(at) == MENUS["trainer"]
    assert "**Logged in:** tina (trainer)" in [m.value for m in at.sidebar.markdown]
    assert at.sidebar.button(key="logout").label == "Log out"
    # The login lives in this session's state only (AppTest drops clicks on widgets app.py
    # draws around a file page, so the button's effect is reproduced here).
    del at.session_state[SESSION_USER]
    at.run()
    assert [t.value for t in at.title] == ["Support Quality Dashboard"] and not at.metric


@pytest.mark.parametrize(
    "role, name", [("manager", "mona"), ("trainer", "tina"), ("analyst", "ana")]
)
def test_each_role_gets_its_pages_and_a_forbidden_url_does_not_render(
    small_db, stored_hash, role, name
):
    at = run_app(password_secrets(stored_hash), "pages/data_health.py", logged_in_as=name)
    assert not at.exception
    assert menu(at) == MENUS[role]
    opened = at.title[0].value
    assert opened == ("Overview" if role == "trainer" else "Data health")


@pytest.mark.parametrize(
    "email, sees_text",
    [("mona@example.com", True), ("tina@example.com", True), ("bo@analysts.example.com", False)],
)
def test_a_transcript_shows_its_text_only_to_roles_with_text_access(
    small_db, authlib, email, sees_text
):
    at = run_app(oidc_secrets(), user=oidc_user(email), **CURRENT, contact="zd:T1")
    assert not at.exception
    assert at.subheader[0].value == "Conversation zd:T1"
    text = shown_text(at)
    assert (BODY in text) is sees_text
    assert any("Funds stolen" in t for t in text) is sees_text  # the ticket subject
    assert (HIDDEN_NOTE in [i.value for i in at.info]) is not sees_text
    assert not at.get("chat_message") if not sees_text else len(at.get("chat_message")) == 3


@pytest.mark.parametrize("name, sees_text", [("tina", True), ("ana", False)])
def test_coaching_examples_hide_the_conversation_for_analysts(
    small_db, stored_hash, name, sees_text
):
    at = run_app(
        password_secrets(stored_hash), "pages/agent_scorecards.py", logged_in_as=name,
        **CURRENT, scorecard_agent="A1",
    )  # fmt: skip
    assert not at.exception
    assert at.header[2].value == "Conversations to talk through"
    assert ("> too slow" in shown_text(at)) is sees_text
    assert (BODY in shown_text(at)) is sees_text
    assert (HIDDEN_NOTE in [i.value for i in at.info]) is not sees_text


@pytest.fixture
def voice_db(clean_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """60 unanswered negative chat messages in English: enough for topics and the
    unfollowed list."""
    texts = ["my transfer failed again, support is slow", "the withdrawal is stuck, still pending",
             "app crashes when I open the wallet"]  # fmt: skip
    tickets, messages = [], []
    for i in range(60):
        when = f"2026-03-{2 + i % 10:02d} 10:00"
        tickets.append(ticket(f"T{i}", when, channel="chat", language="en", agent_id="A1"))
        messages.append(msg(f"T{i}", "customer", when, body=f"{texts[i % 3]} ({i})",
                            sentiment=-0.6, sentiment_method="vader", language="en"))  # fmt: skip
    # one agent reply, so follow-up can be judged (without any agent message it is not available)
    messages.append(msg("T0", "agent", "2026-03-02 10:05", body="on it", sender_id="A1"))
    db = tmp_path / "voice.duckdb"
    build_warehouse(db, {"tickets": tickets, "messages": messages}).close()
    monkeypatch.setenv("SUPPORT_DB", str(db))
    return db


@pytest.mark.parametrize("role, sees_text", [("manager", True), ("analyst", False)])
def test_customer_voice_hides_topic_examples_and_message_bodies_from_analysts(
    voice_db, authlib, role, sees_text
):
    email = "mona@example.com" if role == "manager" else "ana@analysts.example.com"
    at = run_app(oidc_secrets(), "pages/customer_voice.py", user=oidc_user(email), period="all")
    assert not at.exception
    bodies = next(d.value for d in at.dataframe if "body" in d.value.columns)["body"]
    assert bool(bodies.str.contains("failed again|stuck|crashes").all()) is sees_text
    assert (set(bodies) == {HIDDEN_NOTE}) is not sees_text
    quotes = [m.value for m in at.markdown if m.value.startswith("> ")]
    assert bool(quotes) is sees_text
    assert at.info.len > 0 and (HIDDEN_NOTE in [i.value for i in at.info]) is not sees_text


@pytest.mark.parametrize("name, sees_raw", [("mona", True), ("ana", False)])
def test_data_health_hides_raw_quarantined_rows_without_text_access(
    tiny_db, stored_hash, name, sees_raw
):
    at = run_app(password_secrets(stored_hash), "pages/data_health.py", logged_in_as=name)
    assert not at.exception
    raw = at.dataframe[3].value["raw"].tolist()
    assert raw == (
        ['{"id": "T8", "created": "soon"}', '{"id": "T9", "created": "later"}']
        if sees_raw
        else [f'"{HIDDEN_NOTE}"'] * 2
    )


def test_oidc_asks_to_log_in_and_refuses_addresses_without_a_role(small_db, authlib):
    at = run_app(oidc_secrets(), "pages/overview.py", user={"email": "test@example.com"})
    assert not at.exception
    assert [t.value for t in at.title] == ["Support Quality Dashboard"]
    assert at.button(key="oidc_login").label == "Log in" and not at.metric
    at = run_app(oidc_secrets(), user=oidc_user("eve@elsewhere.org"))
    assert "eve@elsewhere.org has no role in this dashboard" in at.warning[0].value
    assert at.button(key="logout") and not at.metric
    at = run_app(oidc_secrets(), user=oidc_user("tina@example.com", email_verified=False))
    assert "has not verified tina@example.com" in at.warning[0].value
    at = run_app(oidc_secrets("analyst"), user=oidc_user("eve@elsewhere.org"))
    assert at.title[0].value == "Overview" and menu(at) == MENUS["analyst"]
    assert "**Logged in:** eve@elsewhere\\.org (analyst)" in [m.value for m in at.sidebar.markdown]


def test_oidc_without_authlib_is_one_clear_message_and_no_page(small_db):
    at = run_app(oidc_secrets(), user=oidc_user("mona@example.com"))
    assert not at.exception
    assert [e.value for e in at.error] == [
        'Access settings: [access] mode is oidc, which needs Authlib: pip install "streamlit[auth]"'
    ]
    assert not at.title and not at.metric


@pytest.mark.parametrize(
    "email, sees_text", [("tina@example.com", True), ("bo@analysts.example.com", False)]
)
def test_the_quality_page_shows_verdicts_to_analysts_but_not_the_text(
    demo, authlib, email, sees_text
):
    at = run_app(oidc_secrets(), "pages/quality.py", user=oidc_user(email), period="all")
    assert not at.exception
    failures = next(
        d.value
        for d in at.dataframe
        if "label" in d.value.columns and "transcript" in d.value.columns
    )
    assert ("evidence" in failures.columns) is sees_text
    assert failures["critical"].iloc[0]  # the critical failures come first, for every role
    assert bool(at.get("chat_message")) is sees_text
    marked = [m.value for m in at.markdown if ":red-background[" in m.value]
    assert bool(marked) is sees_text
    assert (HIDDEN_NOTE in [i.value for i in at.info]) is not sees_text
