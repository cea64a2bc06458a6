"""Configuration read from the environment, with the embedded defaults.

Every setting has a default that runs on one machine with files under ``var/``;
the scale profile only sets environment variables (see README.md).
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data" / "directory"


def var_dir() -> Path:
    """Where the embedded default keeps its files (databases, secrets): readable by this user
    only (0700), an existing folder made with a looser mode included."""
    path = Path(os.environ.get("WAYFINDER_VAR_DIR", PROJECT_ROOT / "var"))
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    status = path.stat()
    # A folder another user owns (a mounted volume) keeps the mode its owner chose.
    if status.st_mode & 0o777 != 0o700 and status.st_uid == os.getuid():
        path.chmod(0o700)
    return path


def _configured_database_url() -> str | None:
    url = os.environ.get("WAYFINDER_DATABASE_URL") or os.environ.get("DATABASE_URL")
    # Heroku-style URLs say postgres://, which SQLAlchemy 1.4 no longer accepts.
    if url and url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    return url


def directory_database_url() -> str:
    """The directory's database: PostgreSQL when configured, else SQLite in ``var/``."""
    return _configured_database_url() or f"sqlite:///{var_dir() / 'directory.sqlite3'}"


def app_database_url() -> str:
    """Wayfinder's own records (sign-ups, intakes, the handoff queue): same server, own SQLite file."""
    return _configured_database_url() or f"sqlite:///{var_dir() / 'wayfinder.sqlite3'}"


def tracker_database_url() -> str:
    """Rasa's conversation trackers (its SQL tracker store)."""
    return _configured_database_url() or f"sqlite:///{var_dir() / 'tracker.sqlite3'}"


def events_database_url() -> str:
    """Rasa's SQL event broker: every conversation event, which the console follows."""
    return _configured_database_url() or f"sqlite:///{var_dir() / 'events.sqlite3'}"


def service_timezone() -> str:
    """The time zone of the service region, for "open now" and schedules without one."""
    return os.environ.get("WAYFINDER_TIMEZONE", "America/New_York")


def secret(name: str, env: str | None = None) -> str:
    """A server secret: from the environment variable ``env`` when set, else generated once into
    ``var/NAME`` (mode 600). Hex only, so it can never be read as a command-line flag."""
    if env and os.environ.get(env):
        return os.environ[env]
    path = var_dir() / name
    if not path.exists():
        import secrets as _secrets

        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(_secrets.token_hex(32))
    return path.read_text().strip()


def _listed(value: str) -> list[str]:
    return [item.strip().rstrip("/") for item in value.split(",") if item.strip()]


def console_public_urls() -> list[str]:
    """The console's own URLs as browsers reach it (behind a proxy: its public https URL).
    Origin checks compare with these, never with the request's Host header."""
    configured = os.environ.get("WAYFINDER_CONSOLE_PUBLIC_URL")
    if configured:
        return _listed(configured)
    port = os.environ.get("WAYFINDER_CONSOLE_PORT", "8000")
    return [f"http://127.0.0.1:{port}", f"http://localhost:{port}"]


def allowed_origins() -> list[str]:
    """Web pages allowed to talk to the assistant from a browser (the widget's host pages):
    WAYFINDER_ALLOWED_ORIGINS, comma-separated, plus the console's own pages (its /demo)."""
    return sorted({*console_public_urls(), *_listed(os.environ.get("WAYFINDER_ALLOWED_ORIGINS", ""))})
