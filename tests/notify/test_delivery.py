"""Delivery to a real local SMTP server (aiosmtpd with STARTTLS and AUTH required, a trustme
certificate) and a local HTTP server: what arrived, retries with back-off, one line and a
non-zero exit on failure, and no second sending without --force."""

from __future__ import annotations

import http.server
import json
import socket
import ssl
import threading
from datetime import date
from email import message_from_bytes
from email.message import Message

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from quiet import build

from metrics.__main__ import main
from metrics.notify.retry import DeliveryError, PermanentError, with_retries

PASSWORD = "s3cret-from-env"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.tls: list[bool] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(message_from_bytes(envelope.original_content))
        self.tls.append(session.ssl is not None)
        return "250 OK"


LOGINS: list[bytes] = []  # every password the server was offered


def _authenticate(server, session, envelope, mechanism, auth_data):
    LOGINS.append(getattr(auth_data, "password", b""))
    ok = isinstance(auth_data, LoginPassword) and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(tmp_path, monkeypatch):
    ca = trustme.CA()
    cert = ca.issue_cert("localhost")
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(server_context)
    cafile = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(cafile))
    inbox = Inbox()
    controller = Controller(
        inbox, hostname="localhost", port=_free_port(), tls_context=server_context, require_starttls=True,
        authenticator=_authenticate, auth_required=True,
    )  # fmt: skip
    controller.start()
    monkeypatch.setenv("SUPPORT_SMTP_CAFILE", str(cafile))
    monkeypatch.setenv("TEST_SMTP_PASSWORD", PASSWORD)
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


@pytest.fixture
def hook():
    """An incoming-webhook server: answers 500 to the first ``fail`` posts, then 200."""
    received: list[dict] = []
    state = {"fail": 0}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if state["fail"] > 0:
                state["fail"] -= 1
                self.send_response(500)
                self.end_headers()
                return
            received.append(json.loads(body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", received, state
    finally:
        server.shutdown()
        server.server_close()


def settings_file(tmp_path, port: int = 0, webhook: str = "") -> str:
    path = tmp_path / "settings.toml"
    smtp = (
        f'smtp_host = "localhost"\nsmtp_port = {port}\nsmtp_user = "bot"\n'
        'password_env = "TEST_SMTP_PASSWORD"\nsender = "digest@example.com"\n'
        'recipients = ["lead@example.com"]\n'
        if port
        else ""
    )
    path.write_text(
        f'[delivery]\n{smtp}webhook_url = "{webhook}"\nretries = 2\nbackoff_seconds = 0.01\n'
    )
    return str(path)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "steady.duckdb"
    build(path, peaks={date(2026, 3, 9): 60})
    return path


DIGEST = ["--period", "2026-03-09:2026-03-15"]


def test_the_digest_arrives_by_mail_over_starttls_with_the_password_from_the_environment(
    tmp_path, db, smtp, capsys
):
    inbox, port = smtp
    args = ["send", "digest", "--db", str(db), *DIGEST, "--settings", settings_file(tmp_path, port)]
    assert main(args) == 0, capsys.readouterr().err
    (message,) = inbox.messages
    assert inbox.tls == [True]
    assert message["Subject"] == "Support digest 2026-03-09 to 2026-03-15"
    assert message["To"] == "lead@example.com"
    parts = {p.get_content_type(): p.get_payload(decode=True).decode() for p in message.walk()
             if not p.is_multipart()}  # fmt: skip
    # 7 days x 20 tickets + 40 more on the 9th = 180 contacts
    assert "- Contacts: 180 (was 140; n = 180)" in parts["text/plain"]
    assert parts["text/html"].startswith("<!DOCTYPE html>") and "<script" not in parts["text/html"]
    # sending the same period again needs --force
    assert main(args) == 0
    assert "email: already sent" in capsys.readouterr().out and len(inbox.messages) == 1
    assert main([*args, "--force"]) == 0 and len(inbox.messages) == 2


def test_a_missing_password_is_one_line_and_nothing_is_sent(
    tmp_path, db, smtp, capsys, monkeypatch
):
    inbox, port = smtp
    monkeypatch.delenv("TEST_SMTP_PASSWORD")
    args = ["send", "digest", "--db", str(db), *DIGEST, "--settings", settings_file(tmp_path, port)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err == "error: set the SMTP password in $TEST_SMTP_PASSWORD (smtp_user is 'bot')\n"
    assert inbox.messages == []


def test_a_wrong_password_fails_at_once_with_one_line_and_is_not_retried(
    tmp_path, db, smtp, capsys, monkeypatch
):
    inbox, port = smtp
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "not-the-password")
    LOGINS.clear()
    args = ["send", "digest", "--db", str(db), *DIGEST, "--settings", settings_file(tmp_path, port)]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("error: sending by email failed (not retried): localhost:")
    assert "refused the login of 'bot' (535" in err and "$TEST_SMTP_PASSWORD" in err
    assert LOGINS == [b"not-the-password"]  # one try: settings_file allows 2 retries
    assert inbox.messages == []
    # nothing recorded as sent: with the right password the same command delivers
    monkeypatch.setenv("TEST_SMTP_PASSWORD", PASSWORD)
    assert main(args) == 0 and len(inbox.messages) == 1


def test_a_webhook_answering_404_is_not_retried(tmp_path, db, capsys):
    calls = []

    def gone():
        calls.append(1)
        raise PermanentError("http://127.0.0.1/hook answered HTTP 404 Not Found")

    with pytest.raises(DeliveryError, match=r"^x failed \(not retried\): .*HTTP 404"):
        with_retries(gone, "x", retries=3, backoff_seconds=0.01, sleep=lambda _: None)
    assert calls == [1]


def test_alerts_go_to_the_webhook_after_a_retry(tmp_path, db, hook, capsys):
    url, received, state = hook
    state["fail"] = 1
    args = ["send", "alerts", "--db", str(db), "--since", "2026-03-01",
            "--settings", settings_file(tmp_path, webhook=url)]  # fmt: skip
    assert main(args) == 0, capsys.readouterr().err
    (payload,) = received
    assert payload["text"].startswith(
        "*Support alerts: 1 fired*\n- Contacts per day on Mon 2026-03-09"
    )
    # delivered and remembered: the next run has nothing new to say
    assert main(args) == 0
    assert capsys.readouterr().out.strip().endswith("no alert fired")


def test_a_webhook_that_keeps_failing_is_one_line_exit_1_and_the_alert_stays_due(
    tmp_path, db, hook, capsys
):
    url, received, state = hook
    state["fail"] = 99
    args = ["send", "alerts", "--db", str(db), "--since", "2026-03-01",
            "--settings", settings_file(tmp_path, webhook=url)]  # fmt: skip
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "sending by webhook failed after 3 tries" in err and "HTTP 500" in err
    state["fail"] = 0
    assert main(args) == 0 and len(received) == 1


def test_retries_wait_longer_each_time():
    waits, calls = [], []

    def flaky():
        calls.append(1)
        raise ConnectionRefusedError("refused")

    with pytest.raises(DeliveryError, match="x failed after 4 tries: refused"):
        with_retries(flaky, "x", retries=3, backoff_seconds=0.5, sleep=waits.append)
    assert waits == [0.5, 1.0, 2.0] and len(calls) == 4
