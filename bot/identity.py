"""Who a conversation belongs to: conversation ids that carry their channel, and the
credentials that let a channel write to one.

A conversation id is the only thing that names a conversation, so it must not be
something a client can choose. Each channel mints its own, in its own namespace:

- ``sms:+12155550123``: only the Twilio webhook, after checking Twilio's signature;
- ``web:<32 hex>``: only the socket.io channel, which issues it with a signed resume
  token; a client can resume its own conversation, never pick another;
- ``rest:<client>:<sender>``: only the REST channel, for the integration whose API key
  came with the request; two integrations never share a conversation.

Messages to a caller go out through the channel the id names, never through the
"latest" channel a client could have moved.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from bot.config import secret, var_dir

SMS, WEB, REST = "sms", "web", "rest"
# Rasa's names for the channels that carry each kind of conversation.
OUTPUT_CHANNELS = {SMS: "twilio", WEB: "socketio", REST: "rest"}

CLIENT_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
WEB_ID = re.compile(r"^web:[0-9a-f]{32}$")
ANONYMOUS_CLIENT = "anonymous"


def channel_of(conversation_id: str) -> str | None:
    """The channel whose connector owns ``conversation_id`` (sms, web, rest), or None."""
    prefix = conversation_id.split(":", 1)[0]
    return prefix if prefix in OUTPUT_CHANNELS and ":" in conversation_id else None


def output_channel_for(conversation_id: str) -> str:
    """The Rasa output channel that reaches this conversation's caller."""
    return OUTPUT_CHANNELS.get(channel_of(conversation_id) or "", "latest")


def sms_conversation(phone: str) -> str:
    return f"{SMS}:{phone}"


def phone_of(conversation_id: str) -> str:
    """The number an SMS conversation texts; other ids are returned unchanged."""
    return conversation_id[len(SMS) + 1 :] if conversation_id.startswith(f"{SMS}:") else conversation_id


def rest_conversation(client: str, sender: str) -> str:
    return f"{REST}:{client}:{sender}"


def new_web_conversation() -> str:
    return f"{WEB}:{secrets.token_hex(16)}"


@dataclass(frozen=True)
class ResumeTokens:
    """Signed proof that a widget was given a web conversation: ``<id>.<issued>.<mac>``."""

    key: bytes
    max_age_seconds: float = 30 * 24 * 3600

    @classmethod
    def from_environment(cls) -> ResumeTokens:
        days = float(os.environ.get("WAYFINDER_SESSION_DAYS", "30"))
        return cls(secret("session_secret", "WAYFINDER_SESSION_SECRET").encode(), days * 24 * 3600)

    def _mac(self, conversation_id: str, issued: int) -> str:
        return hmac.new(self.key, f"{conversation_id}.{issued}".encode(), hashlib.sha256).hexdigest()

    def issue(self, conversation_id: str, now: float | None = None) -> str:
        issued = int(now if now is not None else time.time())
        return f"{conversation_id}.{issued}.{self._mac(conversation_id, issued)}"

    def verify(self, token: object, now: float | None = None) -> str | None:
        """The conversation a token was issued for, or None when forged, malformed or expired."""
        if not isinstance(token, str) or len(token) > 200:
            return None
        parts = token.split(".")
        if len(parts) != 3 or not WEB_ID.match(parts[0]) or not parts[1].isdigit():
            return None
        conversation_id, issued = parts[0], int(parts[1])
        if not hmac.compare_digest(parts[2], self._mac(conversation_id, issued)):
            return None
        age = (now if now is not None else time.time()) - issued
        return conversation_id if 0 <= age <= self.max_age_seconds else None


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class RestKeys:
    """API keys of the REST integrations: each names one client.

    From ``WAYFINDER_REST_KEYS`` (``client:key,other:key``) and from ``var/rest_keys``,
    where ``python -m bot.identity new-rest-key NAME`` keeps only each key's SHA-256.
    Anonymous REST (client ``anonymous``) is for development only: ``make run`` turns it
    on with ``WAYFINDER_REST_ANONYMOUS=1``.
    """

    digests: dict[str, str]  # sha256(key) -> client
    anonymous: bool = False

    @classmethod
    def from_environment(cls) -> RestKeys:
        digests: dict[str, str] = {}
        for item in os.environ.get("WAYFINDER_REST_KEYS", "").split(","):
            client, _, key = item.strip().partition(":")
            if client and key:
                digests[_digest(key.strip())] = client.strip()
        path = keys_file()
        if path.exists():
            for line in path.read_text().splitlines():
                client, _, digest = line.strip().partition(" ")
                if client and digest:
                    digests[digest.strip()] = client
        return cls(digests, os.environ.get("WAYFINDER_REST_ANONYMOUS") == "1")

    def client_for(self, authorization: str | None) -> str | None:
        """The client an ``Authorization: Bearer <key>`` header names; the anonymous client
        for no header when allowed; None when refused."""
        if not authorization:
            return ANONYMOUS_CLIENT if self.anonymous else None
        key = bearer_token(authorization)
        if not key:
            return None
        digest = _digest(key)
        for known, client in self.digests.items():
            if hmac.compare_digest(known, digest):
                return client
        return None


def bearer_token(authorization: str | None) -> str:
    """The key an ``Authorization: Bearer <key>`` header carries; "" for any other header."""
    scheme, _, key = (authorization or "").partition(" ")
    return key.strip() if scheme.lower() == "bearer" else ""


def keys_file() -> Path:
    return var_dir() / "rest_keys"


def new_rest_key(client: str) -> str:
    """A new API key for ``client``, its digest added to var/rest_keys; the key is shown once."""
    if not CLIENT_NAME.match(client) or client == ANONYMOUS_CLIENT:
        raise ValueError("a client name is 1-32 lowercase letters, digits, _ or -, and not 'anonymous'")
    key = secrets.token_hex(24)
    path = keys_file()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a") as file:
        file.write(f"{client} {_digest(key)}\n")
    return key


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m bot.identity", description="Manage the REST channel's API keys."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("new-rest-key", help="create an API key for an integration; shown once")
    add.add_argument("client")
    args = parser.parse_args(argv)
    try:
        key = new_rest_key(args.client)
    except ValueError as problem:
        print(f"Not added: {problem}.")
        return 1
    print(
        f"API key for {args.client} (send it as 'Authorization: Bearer KEY'; it is not shown again):\n{key}\n"
        "The Rasa server reads keys when it starts: restart it."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
