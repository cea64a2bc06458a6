"""Console accounts, roles, sessions and sign-in limits.

Passwords are hashed with Argon2id; a session is a random token the browser
keeps in an HTTP-only cookie and the server keeps only as a SHA-256 hash, with
its own CSRF token. Failed sign-ins slow down, then lock out, the account typed
and the address they come from (``SignInThrottle``).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bot.config import app_database_url
from bot.db import as_utc, engine_with_tables
from bot.limits import ALLOWED, Clock, Decision, FailureLimit

ROLES = ("advocate", "supervisor", "admin")
PERMISSIONS = {
    "advocate": frozenset({"work_queue"}),
    "supervisor": frozenset({"work_queue", "take_over", "manage_canned", "read_audit"}),
    "admin": frozenset({"work_queue", "take_over", "manage_canned", "read_audit", "manage_users"}),
}
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
MIN_PASSWORD_CHARS = 10

metadata = sa.MetaData()

user = sa.Table(
    "wf_console_user",
    metadata,
    sa.Column("username", sa.String(32), primary_key=True),
    sa.Column("display_name", sa.String(64), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

session = sa.Table(
    "wf_console_session",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("username", sa.String(32), sa.ForeignKey("wf_console_user.username"), nullable=False),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
)


class AccountError(ValueError):
    """A request the account rules refuse; the message says why."""


@dataclass(frozen=True)
class User:
    username: str
    display_name: str
    role: str

    @property
    def permissions(self) -> frozenset[str]:
        return PERMISSIONS[self.role]

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    def public(self) -> dict:
        return {"username": self.username, "display_name": self.display_name, "role": self.role}


@dataclass(frozen=True)
class Session:
    user: User
    csrf_token: str
    expires_at: datetime


def _env_number(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass(frozen=True)
class SignInLimits:
    """How failed sign-ins are slowed down and locked out (WAYFINDER_SIGNIN_* variables).

    An account may fail ``account_free`` times at no cost; each further failure makes
    the next attempt wait ``delay_seconds``, doubling up to ``max_delay_seconds``; the
    ``account_lock_after``-th locks it for ``lock_minutes``. An address has its own,
    larger, allowance across every account it tries. Failures are forgotten
    ``lock_minutes`` after the last one."""

    account_free: int = 3
    account_lock_after: int = 10
    address_free: int = 10
    address_lock_after: int = 30
    delay_seconds: float = 1.0
    max_delay_seconds: float = 60.0
    lock_minutes: float = 15.0

    @classmethod
    def from_environment(cls) -> SignInLimits:
        defaults = cls()
        return cls(
            account_free=int(_env_number("WAYFINDER_SIGNIN_ACCOUNT_FREE", defaults.account_free)),
            account_lock_after=int(
                _env_number("WAYFINDER_SIGNIN_ACCOUNT_LOCK_AFTER", defaults.account_lock_after)
            ),
            address_free=int(_env_number("WAYFINDER_SIGNIN_ADDRESS_FREE", defaults.address_free)),
            address_lock_after=int(
                _env_number("WAYFINDER_SIGNIN_ADDRESS_LOCK_AFTER", defaults.address_lock_after)
            ),
            delay_seconds=_env_number("WAYFINDER_SIGNIN_DELAY_SECONDS", defaults.delay_seconds),
            max_delay_seconds=_env_number("WAYFINDER_SIGNIN_MAX_DELAY_SECONDS", defaults.max_delay_seconds),
            lock_minutes=_env_number("WAYFINDER_SIGNIN_LOCK_MINUTES", defaults.lock_minutes),
        )


class SignInThrottle:
    """Failed sign-ins per account (the name typed, known or not, so a lockout tells nothing
    about which accounts exist) and per client address.

    ``begin`` before checking a password; then ``failed`` or ``succeeded``, or ``ended``
    when the check itself broke. Success wipes the account's failures only: signing in to
    one's own account must not wipe what an address tried on others.
    """

    def __init__(self, limits: SignInLimits, clock: Clock = time.monotonic) -> None:
        common = {
            "lock_seconds": limits.lock_minutes * 60,
            "delay": limits.delay_seconds,
            "max_delay": limits.max_delay_seconds,
            "clock": clock,
        }
        self.accounts = FailureLimit(limits.account_free, limits.account_lock_after, **common)
        self.addresses = FailureLimit(limits.address_free, limits.address_lock_after, **common)

    @staticmethod
    def account(username: str) -> str:
        return (username or "").strip().lower()[:64]

    def begin(self, username: str, address: str) -> Decision:
        account = self.accounts.begin(self.account(username))
        if not account.allowed:
            return account
        at_address = self.addresses.begin(address)
        if not at_address.allowed:
            self.accounts.end(self.account(username))
            return at_address
        return ALLOWED

    def failed(self, username: str, address: str) -> list[str]:
        """Count a failure; which limits it locked (``"account"``, ``"address"``), if any."""
        outcomes = {
            "account": self.accounts.fail(self.account(username)),
            "address": self.addresses.fail(address),
        }
        return [limit for limit, outcome in outcomes.items() if outcome.locked]

    def succeeded(self, username: str, address: str) -> None:
        self.accounts.succeed(self.account(username))
        self.addresses.end(address)

    def ended(self, username: str, address: str) -> None:
        self.accounts.end(self.account(username))
        self.addresses.end(address)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    def __init__(self, engine: sa.engine.Engine, session_hours: float = 12.0) -> None:
        self.engine = engine
        self.session_lifetime = timedelta(hours=session_hours)
        self.hasher = PasswordHasher()
        # Verifying against this when the user is unknown makes both failures take as long.
        self._decoy = self.hasher.hash(secrets.token_urlsafe(16))

    @classmethod
    def open(cls, url: str | None = None, session_hours: float = 12.0) -> Accounts:
        return cls(engine_with_tables(metadata, url or app_database_url()), session_hours)

    # -- users ----------------------------------------------------------------------

    def add_user(self, username: str, password: str, role: str, display_name: str | None = None) -> User:
        username = username.strip().lower()
        if not USERNAME.match(username):
            raise AccountError("a username is 2-32 lowercase letters, digits, dots, dashes or underscores")
        if role not in ROLES:
            raise AccountError(f"the role must be one of {', '.join(ROLES)}")
        if len(password) < MIN_PASSWORD_CHARS:
            raise AccountError(f"a password needs at least {MIN_PASSWORD_CHARS} characters")
        display_name = (display_name or username).strip()[:64]
        with self.engine.begin() as conn:
            if conn.execute(sa.select(user.c.username).where(user.c.username == username)).first():
                raise AccountError(f"there is already a user {username!r}")
            conn.execute(
                user.insert().values(
                    username=username,
                    display_name=display_name,
                    role=role,
                    password_hash=self.hasher.hash(password),
                    active=True,
                    created_at=datetime.now(timezone.utc),
                )
            )
        return User(username, display_name, role)

    def users(self) -> list[dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(user).order_by(user.c.username))
            return [
                {"username": r.username, "display_name": r.display_name, "role": r.role, "active": r.active}
                for r in rows
            ]

    def set_active(self, username: str, active: bool) -> None:
        with self.engine.begin() as conn:
            changed = conn.execute(user.update().where(user.c.username == username).values(active=active))
            if not changed.rowcount:
                raise AccountError(f"there is no user {username!r}")
            if not active:
                conn.execute(session.delete().where(session.c.username == username))

    def authenticate(self, username: str, password: str) -> User | None:
        """The user, when the password is right and the account active; else None (same either way)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(user).where(user.c.username == (username or "").strip().lower())
            ).first()
        try:
            self.hasher.verify(row.password_hash if row is not None else self._decoy, password or "")
        except (VerificationError, InvalidHashError):
            return None
        if row is None or not row.active:
            return None
        if self.hasher.check_needs_rehash(row.password_hash):
            with self.engine.begin() as conn:
                conn.execute(
                    user.update()
                    .where(user.c.username == row.username)
                    .values(password_hash=self.hasher.hash(password))
                )
        return User(row.username, row.display_name, row.role)

    # -- sessions -------------------------------------------------------------------

    def start_session(self, signed_in: User, now: datetime | None = None) -> tuple[str, Session]:
        """A new session: the token for the cookie (never stored) and the session."""
        now = now or datetime.now(timezone.utc)
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        expires = now + self.session_lifetime
        with self.engine.begin() as conn:
            conn.execute(session.delete().where(session.c.expires_at < now))
            conn.execute(
                session.insert().values(
                    token_hash=_hash_token(token),
                    username=signed_in.username,
                    csrf_token=csrf,
                    created_at=now,
                    expires_at=expires,
                )
            )
        return token, Session(signed_in, csrf, expires)

    def session(self, token: str | None, now: datetime | None = None) -> Session | None:
        if not token or len(token) > 128:
            return None
        now = now or datetime.now(timezone.utc)
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(session, user.c.display_name, user.c.role, user.c.active)
                .join(user, user.c.username == session.c.username)
                .where(session.c.token_hash == _hash_token(token))
            ).first()
        if row is None or not row.active or as_utc(row.expires_at) <= now:
            return None
        return Session(User(row.username, row.display_name, row.role), row.csrf_token, as_utc(row.expires_at))

    def end_session(self, token: str | None) -> None:
        if token:
            with self.engine.begin() as conn:
                conn.execute(session.delete().where(session.c.token_hash == _hash_token(token)))
