"""Several Rasa server processes on one machine, and the Redis they share.

A Rasa server handles its turns on one event loop, so one process uses about one core.
``WAYFINDER_RASA_WORKERS=N`` runs N of them (Sanic workers, forked once the app is built,
all accepting on the one port). What they would otherwise each keep to themselves goes
through Redis:

- **Rasa's lock store** (its ``RedisLockStore``, each ticket step made one Redis transaction
  in ``bot.channels.locks``): no conversation is handled by two processes at once, so two
  quick messages from one caller are answered in order;
- **socket.io's rooms** (python-socketio's ``AsyncRedisManager``): a message for a caller
  (an advocate's words, sent through whichever process the console's HTTP call reached)
  finds the process that holds the caller's socket;
- **message rate limits** (``bot.limits.SharedSlidingWindow``): a caller's 30 messages a
  minute are 30 however many processes take them.

``WAYFINDER_REDIS_URL`` names a Redis (``redis://[:password@]host:port/db``, ``rediss://``
for TLS). Without it, ``bot.run`` starts Debian's ``redis-server`` for the workers on
127.0.0.1:``WAYFINDER_REDIS_PORT`` (6390), with the password in var/redis_password and
nothing saved to disk: locks and socket.io messages live for seconds.

The tracker store, the broker and the directory are the database's (SQLite in var/, or
PostgreSQL with ``WAYFINDER_DATABASE_URL``), which every process reads and writes already.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

WORKERS_ENV = "WAYFINDER_RASA_WORKERS"
REDIS_URL_ENV = "WAYFINDER_REDIS_URL"
REDIS_PASSWORD_ENV = "WAYFINDER_REDIS_PASSWORD"
REDIS_PASSWORD_FILE = "redis_password"
REDIS_PORT_ENV = "WAYFINDER_REDIS_PORT"
DEFAULT_REDIS_PORT = 6390
# Rasa's lock keys, the shared rate limits and socket.io's channel, apart from anything else in a shared Redis.
KEY_PREFIX = "wayfinder"
SOCKETIO_CHANNEL = "wayfinder_socketio"
REDIS_SERVER = "redis-server"


class WorkersError(ValueError):
    """The worker settings cannot work; the message says what to change."""


def rasa_workers(env: Mapping[str, str] = os.environ) -> int:
    """How many Rasa server processes to run (1 unless ``WAYFINDER_RASA_WORKERS`` says more)."""
    value = env.get(WORKERS_ENV, "").strip() or "1"
    try:
        workers = int(value)
    except ValueError:
        raise WorkersError(f"{WORKERS_ENV} must be a whole number, not {value!r}") from None
    if workers < 1:
        raise WorkersError(f"{WORKERS_ENV} must be at least 1, not {workers}")
    return workers


def redis_url(env: Mapping[str, str] = os.environ) -> str | None:
    return env.get(REDIS_URL_ENV, "").strip() or None


def local_redis_url(port: int, password: str) -> str:
    """The URL of the Redis that bot.run starts."""
    return f"redis://:{quote(password, safe='')}@127.0.0.1:{port}/0"


@dataclass(frozen=True)
class RedisAddress:
    """A Redis URL's parts, as Rasa's ``RedisLockStore`` takes them."""

    host: str
    port: int
    db: int
    username: str | None
    password: str | None
    use_ssl: bool

    @classmethod
    def from_url(cls, url: str) -> RedisAddress:
        parts = urlsplit(url)
        if parts.scheme not in ("redis", "rediss") or not parts.hostname:
            raise WorkersError(f"{REDIS_URL_ENV} must look like redis://[:password@]host:port/db")
        path = parts.path.strip("/")
        try:
            port = parts.port or 6379
            db = int(path) if path else 0
        except ValueError:
            raise WorkersError(f"{REDIS_URL_ENV} has a port or database that is not a number") from None
        return cls(
            host=parts.hostname,
            port=port,
            db=db,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            use_ssl=parts.scheme == "rediss",
        )

    def lock_store_settings(self) -> dict[str, Any]:
        """Keyword arguments of Rasa's ``RedisLockStore``."""
        return {
            "host": self.host,
            "port": self.port,
            "db": self.db,
            "username": self.username,
            "password": self.password,
            "use_ssl": self.use_ssl,
            "key_prefix": KEY_PREFIX,
        }


def redis_server_binary() -> str:
    """Debian's redis-server, or a clear error saying how to get one."""
    found = shutil.which(REDIS_SERVER)
    if found is None:
        raise WorkersError(
            f"{WORKERS_ENV} above 1 needs Redis: install Debian's redis-server "
            f"(apt-get install redis-server) or set {REDIS_URL_ENV} to a running one"
        )
    return found


def redis_server_config(port: int, password: str, directory: Path) -> str:
    """redis-server's configuration: loopback only, a password, nothing kept on disk."""
    return "\n".join(
        [
            "bind 127.0.0.1",
            "protected-mode yes",
            f"port {port}",
            f'requirepass "{password}"',
            f'dir "{directory}"',
            'save ""',
            "appendonly no",
            "daemonize no",
            'logfile ""',
            "",
        ]
    )


def redis_answers(url: str, timeout: float = 2.0) -> bool:
    """Whether the Redis at ``url`` answers a PING."""
    import redis

    client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()
