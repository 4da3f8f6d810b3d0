"""Who may open the dashboard, which pages each role sees, and whether it sees conversation text.

Configured in Streamlit's secrets (``.streamlit/secrets.toml``, never committed; see
``.streamlit/secrets.example.toml``)::

    [access]
    mode = "none"          # "none" (default: no login, full access, for 127.0.0.1),
                           # "password" (users below) or "oidc" (st.login, [auth] section)

    [access.users.ana]     # password mode: one table per user
    password_hash = "scrypt$32768$8$1$...$..."   # python -m dashboard.access hash
    role = "analyst"

    provider = "google"    # oidc mode, in [access]: an [auth.NAME] provider (default: [auth])
    default_role = "trainer"   # oidc mode, in [access]: for addresses not listed (else refused)
    [access.roles]         # oidc mode: e-mail address (or "@domain") -> role
    "ana@example.com" = "analyst"

Roles: ``manager`` sees every page with conversation text; ``trainer`` sees Overview, Agent
scorecards, Training impact, Quality review and Customer voice with text (for coaching);
``analyst`` sees every page without text (on Quality review: the verdicts, not the evidence). :func:`can_see_text` is the one check every text-showing helper uses.

``python -m dashboard.access hash`` makes a password hash (dashboard/passwords.py);
``... check [FILE]`` validates a secrets file.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import threading
import time
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import streamlit as st

from dashboard.passwords import (
    HashFormatError,
    decoy_hash,
    hash_password,
    parse_hash,
    verify_password,
)

Mode = Literal["none", "password", "oidc"]
MODES: tuple[str, ...] = ("none", "password", "oidc")
HIDDEN_NOTE = "Conversation text is hidden for your role."
SESSION_USER = "access_user"  # st.session_state key: the user name logged in by password
MIN_PASSWORD = 12
MAX_FAILURES, LOCKOUT_SECONDS = 5, 60


@dataclass(frozen=True)
class Role:
    """What a role may see: page url_paths (None = every page) and conversation text."""

    name: str
    pages: frozenset[str] | None
    sees_text: bool


ROLES: dict[str, Role] = {
    "manager": Role("manager", None, True),
    "trainer": Role(
        "trainer",
        frozenset({"overview", "agent_scorecards", "training_impact", "quality", "customer_voice"}),
        True,
    ),
    "analyst": Role("analyst", None, False),
}


class AccessError(ValueError):
    """The access settings cannot be used; ``str(err)`` is the one line to show."""


@dataclass(frozen=True)
class Viewer:
    """The person using this session: a name, their role and how they logged in."""

    name: str
    role: Role
    mode: Mode

    def may_open(self, url_path: str) -> bool:
        """True when this viewer's role includes the page at ``url_path``."""
        return self.role.pages is None or url_path in self.role.pages


LOCAL = Viewer("local user", ROLES["manager"], "none")


@dataclass(frozen=True)
class AccessConfig:
    """The parsed ``[access]`` secrets: mode, password users, OIDC role mapping."""

    mode: Mode = "none"
    users: Mapping[str, tuple[str, Role]] = field(default_factory=dict)  # name -> (hash, role)
    roles: Mapping[str, Role] = field(default_factory=dict)  # address or "@domain" -> role
    default_role: Role | None = None
    provider: str | None = None

    def role_for_email(self, email: str | None) -> Role | None:
        """The role of an OIDC address: listed address, then its "@domain", then the default."""
        address = (email or "").strip().lower()
        if not address:
            return None
        domain = "@" + address.rpartition("@")[2]
        return self.roles.get(address) or self.roles.get(domain) or self.default_role


def _role(name: Any, where: str) -> Role:
    if not isinstance(name, str) or name.strip().lower() not in ROLES:
        raise AccessError(f"{where}: role {name!r} is not one of {', '.join(ROLES)}")
    return ROLES[name.strip().lower()]


def load_config(secrets_map: Mapping[str, Any]) -> AccessConfig:
    """Parse the ``access`` (and check the ``auth``) sections of a secrets mapping."""
    section = secrets_map.get("access") or {}
    if not isinstance(section, Mapping):
        raise AccessError("[access] in secrets.toml must be a table")
    mode = str(section.get("mode", "none")).strip().lower()
    if mode not in MODES:
        raise AccessError(f"[access] mode {section.get('mode')!r} is not one of {', '.join(MODES)}")
    if mode == "password":
        users = {}
        for name, entry in (section.get("users") or {}).items():
            where = f"[access.users.{name}]"
            if not isinstance(entry, Mapping) or not entry.get("password_hash"):
                raise AccessError(
                    f"{where} needs a password_hash (python -m dashboard.access hash)"
                )
            try:
                parse_hash(str(entry["password_hash"]))
            except HashFormatError as err:
                raise AccessError(f"{where} password_hash: {err}") from None
            users[str(name).strip().lower()] = (
                str(entry["password_hash"]),
                _role(entry.get("role"), where),
            )
        if not users:
            raise AccessError("[access] mode is password but no [access.users.NAME] is configured")
        return AccessConfig("password", users=users)
    if mode == "oidc":
        roles = {
            str(key).strip().lower(): _role(value, f"[access.roles] {key!r}")
            for key, value in (section.get("roles") or {}).items()
        }
        default = section.get("default_role")
        provider = section.get("provider") or None
        _check_auth_section(secrets_map.get("auth"), provider)
        return AccessConfig(
            "oidc",
            roles=roles,
            default_role=_role(default, "[access] default_role") if default else None,
            provider=str(provider) if provider else None,
        )
    return AccessConfig("none")


def _check_auth_section(auth: Any, provider: str | None) -> None:
    """One clear line when st.login cannot work: Authlib missing or [auth] incomplete."""
    if not authlib_installed():
        raise AccessError(
            '[access] mode is oidc, which needs Authlib: pip install "streamlit[auth]"'
        )
    if not isinstance(auth, Mapping):
        raise AccessError("[access] mode is oidc but secrets.toml has no [auth] section")
    missing = [key for key in ("redirect_uri", "cookie_secret") if not auth.get(key)]
    client = auth.get(provider) if provider else auth
    where = f"[auth.{provider}]" if provider else "[auth]"
    if not isinstance(client, Mapping):
        raise AccessError(f"[access] provider is {provider!r} but secrets.toml has no {where}")
    missing += [
        f"{where} {key}"
        for key in ("client_id", "client_secret", "server_metadata_url")
        if not client.get(key)
    ]
    if missing:
        raise AccessError(f"[auth] in secrets.toml is missing: {', '.join(missing)}")


def authlib_installed() -> bool:
    """True when Authlib 1.3.2 or newer (``streamlit[auth]``) is importable."""
    from importlib import metadata

    try:
        version = metadata.version("authlib")
    except metadata.PackageNotFoundError:
        return False
    parts = tuple(int(p) for p in version.split(".")[:3] if p.isdigit())
    return parts >= (1, 3, 2)


_failures: dict[str, tuple[int, float]] = {}
_failures_lock = threading.Lock()


def check_login(config: AccessConfig, name: str, password: str, now: float | None = None) -> str:
    """The user name ``name`` logs in as, or AccessError with what to tell the person.

    After MAX_FAILURES wrong passwords in a row a name is refused for LOCKOUT_SECONDS.
    """
    now = time.monotonic() if now is None else now
    key = name.strip().lower()
    with _failures_lock:
        count, last = _failures.get(key, (0, 0.0))
    if count >= MAX_FAILURES and now - last < LOCKOUT_SECONDS:
        wait = int(LOCKOUT_SECONDS - (now - last)) + 1
        raise AccessError(f"Too many failed attempts: try again in {wait} s.")
    stored, role = config.users.get(key, (decoy_hash(), None))
    if verify_password(password, stored) and role is not None:
        with _failures_lock:
            _failures.pop(key, None)
        return key
    with _failures_lock:
        _failures[key] = (count + 1, now)
    raise AccessError("Wrong user name or password.")


# ---- the current session ---------------------------------------------------------------


def secrets_mapping() -> dict[str, Any]:
    """Streamlit's secrets as a dict; {} when no secrets file exists, AccessError when one
    exists but cannot be read (a broken file never falls back to open access)."""
    from streamlit.errors import StreamlitSecretNotFoundError

    try:
        return st.secrets.to_dict()
    except StreamlitSecretNotFoundError as err:
        if any(os.path.exists(path) for path in st.get_option("secrets.files") or []):
            raise AccessError(f"secrets.toml cannot be read: {err}") from None
        return {}


def current_config() -> AccessConfig:
    """The access settings in effect now (read on every call, so edits apply on the next run)."""
    return load_config(secrets_mapping())


def current_viewer(config: AccessConfig | None = None) -> Viewer | None:
    """Who uses this session, or None when nobody has logged in (or settings are unusable)."""
    try:
        config = config or current_config()
    except AccessError:
        return None
    if config.mode == "none":
        return LOCAL
    if config.mode == "password":
        name = st.session_state.get(SESSION_USER)
        entry = config.users.get(name) if isinstance(name, str) else None
        return Viewer(name, entry[1], "password") if entry else None
    if not st.user.get("is_logged_in", False) or st.user.get("email_verified") is False:
        return None
    email = st.user.get("email")
    role = config.role_for_email(email if isinstance(email, str) else None)
    return Viewer(str(email), role, "oidc") if role else None


def can_see_text() -> bool:
    """True when this session may read conversation text (transcripts, comments, examples)."""
    viewer = current_viewer()
    return viewer is not None and viewer.role.sees_text


def allowed_pages(pages: Sequence[Any], viewer: Viewer) -> list[Any]:
    """The ``st.Page`` objects of ``pages`` that ``viewer``'s role may open, in order."""
    return [page for page in pages if viewer.may_open(page.url_path)]


# ---- command line ----------------------------------------------------------------------


def _hash_command(args: argparse.Namespace) -> int:
    password = getpass.getpass("Password: ")
    if len(password) < MIN_PASSWORD:
        print(f"error: use at least {MIN_PASSWORD} characters", file=sys.stderr)
        return 2
    if getpass.getpass("Again: ") != password:
        print("error: the two passwords differ", file=sys.stderr)
        return 2
    line = f'password_hash = "{hash_password(password)}"'
    if args.user:
        role = _role(args.role, "--role").name
        print(f'[access.users.{args.user}]\n{line}\nrole = "{role}"')
    else:
        print(line)
    return 0


def _check_command(args: argparse.Namespace) -> int:
    try:
        with open(args.file, "rb") as handle:
            config = load_config(tomllib.load(handle))
    except (OSError, tomllib.TOMLDecodeError, AccessError) as err:
        print(f"error: {args.file}: {err}", file=sys.stderr)
        return 2
    print(f"mode {config.mode}")
    for name, (_, role) in sorted(config.users.items()):
        print(f"user {name}: {role.name}")
    for who, role in sorted(config.roles.items()):
        print(f"address {who}: {role.name}")
    if config.mode == "oidc":
        print(f"anyone else: {config.default_role.name if config.default_role else 'refused'}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``hash [--user NAME --role ROLE]``: print a line for secrets.toml; ``check [FILE]``."""
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.access", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    hashing = commands.add_parser("hash", help="prompt for a password, print its hash line")
    hashing.add_argument("--user", help="also print the [access.users.NAME] header")
    hashing.add_argument("--role", default="analyst", choices=list(ROLES))
    checking = commands.add_parser("check", help="validate the [access] settings of a secrets file")
    checking.add_argument("file", nargs="?", default=".streamlit/secrets.toml")
    args = parser.parse_args(argv)
    return _hash_command(args) if args.command == "hash" else _check_command(args)


if __name__ == "__main__":
    sys.exit(main())
