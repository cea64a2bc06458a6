"""Console accounts on SQLite and PostgreSQL: hashing, sessions, roles, canned responses, the CLI."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from bot.config import PROJECT_ROOT
from bot.console import accounts as accounts_module
from bot.console.accounts import AccountError, Accounts
from bot.console.canned import CannedError, CannedReplies
from bot.db import engine_with_tables

PASSWORD = "a long enough password"


@pytest.fixture
def accounts(database_url) -> Accounts:
    store = Accounts(engine_with_tables(accounts_module.metadata, database_url), session_hours=1)
    yield store
    store.engine.dispose()


def test_passwords_are_stored_as_argon2id_hashes(accounts):
    accounts.add_user("sam", PASSWORD, "advocate", "Sam")
    with accounts.engine.connect() as conn:
        stored = conn.execute(accounts_module.user.select()).one().password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert accounts.authenticate("sam", PASSWORD).display_name == "Sam"
    assert accounts.authenticate("SAM ", PASSWORD) is not None
    assert accounts.authenticate("sam", PASSWORD + "x") is None
    assert accounts.authenticate("nobody", PASSWORD) is None


@pytest.mark.parametrize(
    ("username", "password", "role"),
    [
        ("sam", "short", "advocate"),
        ("s", PASSWORD, "advocate"),
        ("sam sam", PASSWORD, "advocate"),
        ("sam", PASSWORD, "boss"),
    ],
)
def test_bad_accounts_are_refused(accounts, username, password, role):
    with pytest.raises(AccountError):
        accounts.add_user(username, password, role)
    assert accounts.users() == []


def test_a_username_is_taken_once(accounts):
    accounts.add_user("sam", PASSWORD, "advocate")
    with pytest.raises(AccountError, match="already"):
        accounts.add_user("Sam", PASSWORD, "supervisor")


def test_roles_carry_their_permissions(accounts):
    advocate = accounts.add_user("sam", PASSWORD, "advocate")
    supervisor = accounts.add_user("lee", PASSWORD, "supervisor")
    admin = accounts.add_user("ray", PASSWORD, "admin")
    assert not advocate.can("read_audit") and not advocate.can("manage_canned")
    assert (
        supervisor.can("read_audit")
        and supervisor.can("manage_canned")
        and not supervisor.can("manage_users")
    )
    assert admin.can("manage_users")


def test_a_session_lives_until_it_expires_or_ends(accounts):
    user = accounts.add_user("sam", PASSWORD, "advocate")
    now = datetime(2026, 11, 28, 12, tzinfo=timezone.utc)
    token, started = accounts.start_session(user, now=now)
    assert accounts.session(token, now=now + timedelta(minutes=59)).user == user
    assert accounts.session(token, now=now + timedelta(hours=1)) is None
    assert accounts.session(token + "x", now=now) is None
    other, _ = accounts.start_session(user, now=now)
    accounts.end_session(other)
    assert accounts.session(other, now=now) is None
    assert started.csrf_token and started.csrf_token != token


def test_the_session_token_itself_is_never_stored(accounts):
    user = accounts.add_user("sam", PASSWORD, "advocate")
    token, _ = accounts.start_session(user)
    with accounts.engine.connect() as conn:
        stored = [row.token_hash for row in conn.execute(accounts_module.session.select())]
    assert token not in stored and len(stored) == 1


def test_disabling_a_user_ends_their_sessions_and_sign_in(accounts):
    user = accounts.add_user("sam", PASSWORD, "advocate")
    token, _ = accounts.start_session(user)
    accounts.set_active("sam", False)
    assert accounts.session(token) is None
    assert accounts.authenticate("sam", PASSWORD) is None


def test_canned_replies_are_validated_saved_and_deleted(database_url):
    replies = CannedReplies.open(database_url)
    saved = replies.save("lee", "Hours", "Weekdays 9 to 5.")
    replies.save("lee", "Hours", "Weekdays 9 am to 5 pm.", saved["id"])
    assert replies.all() == [{"id": saved["id"], "title": "Hours", "text": "Weekdays 9 am to 5 pm."}]
    with pytest.raises(CannedError):
        replies.save("lee", "", "text")
    with pytest.raises(CannedError):
        replies.save("lee", "Long", "x" * 2001)
    replies.delete(saved["id"])
    with pytest.raises(CannedError):
        replies.delete(saved["id"])
    assert replies.all() == []
    replies.close()


def test_the_cli_adds_lists_and_disables_users(tmp_path):
    env = {"WAYFINDER_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}

    def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "bot.console", *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=PROJECT_ROOT,
            env=env,
            timeout=120,
        )

    added = cli(
        "add-user", "sam", "--role", "supervisor", "--name", "Sam", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert added.returncode == 0, added.stderr
    short = cli("add-user", "ana", "--password-stdin", stdin="short\n")
    assert short.returncode == 1 and "at least" in short.stderr
    listed = cli("list-users")
    assert "sam" in listed.stdout and "supervisor" in listed.stdout and "ana" not in listed.stdout
    assert cli("disable-user", "sam").returncode == 0
    assert "(disabled)" in cli("list-users").stdout
    store = Accounts.open(f"sqlite:///{tmp_path / 'wayfinder.sqlite3'}")
    assert store.authenticate("sam", PASSWORD) is None
