"""A small fake of Twilio's REST API on loopback: it receives the assistant's outbound texts.

It answers ``POST /2010-04-01/Accounts/{AccountSid}/Messages.json`` as Twilio
does (form fields To, From or MessagingServiceSid, Body; HTTP basic auth
``sid:token``; 201 with the message's sid; 401, 400 with Twilio error codes),
records what it accepted, and can be told to fail the next requests for a
number (503 by default) so that tests see the sender retry.
"""

from __future__ import annotations

import base64
import json
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

ACCOUNT_SID = "AC" + "f" * 32
AUTH_TOKEN = "fake-auth-token-" + "0" * 16
NUMBER = "+12155550199"
PUBLIC_URL = "https://sms.wayfinder.example/webhooks/twilio/webhook"
MAX_BODY = 1600


@dataclass(frozen=True)
class Sent:
    to: str
    sender: str | None
    messaging_service_sid: str | None
    body: str


class FakeTwilio:
    def __init__(self, account_sid: str = ACCOUNT_SID, auth_token: str = AUTH_TOKEN) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.sent: list[Sent] = []
        self.requests: list[tuple[str, int]] = []  # (To, status answered), in arrival order
        self._failures: list[tuple[str | None, int, int]] = []
        self._changed = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-twilio", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def environment(self, public_url: str = PUBLIC_URL) -> dict[str, str]:
        """What the assistant needs to text through this fake."""
        return {
            "TWILIO_ACCOUNT_SID": self.account_sid,
            "TWILIO_AUTH_TOKEN": self.auth_token,
            "TWILIO_NUMBER": NUMBER,
            "WAYFINDER_SMS_PUBLIC_URL": public_url,
            "WAYFINDER_TWILIO_API_URL": self.url,
        }

    def __enter__(self) -> FakeTwilio:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def fail_next(self, count: int, status: int = 503, to: str | None = None, code: int = 20500) -> None:
        """Answer the next ``count`` requests (for ``to``, or any) with ``status`` and Twilio error ``code``."""
        with self._changed:
            self._failures += [(to, status, code)] * count

    def bodies(self, to: str) -> list[str]:
        with self._changed:
            return [sent.body for sent in self.sent if sent.to == to]

    def statuses(self, to: str) -> list[int]:
        with self._changed:
            return [status for number, status in self.requests if number == to]

    def wait_for(self, to: str, until: Callable[[list[str]], bool], timeout: float = 90) -> list[str]:
        """The bodies sent to ``to`` once ``until(bodies)`` holds; fails with what arrived after ``timeout``."""
        with self._changed:
            if self._changed.wait_for(lambda: until(self._bodies(to)), timeout=timeout):
                return self._bodies(to)
            arrived = self._bodies(to)
        raise AssertionError(f"the fake Twilio did not get the expected texts for {to}; it got {arrived!r}")

    def wait_for_count(self, to: str, count: int, timeout: float = 90) -> list[str]:
        return self.wait_for(to, lambda bodies: len(bodies) >= count, timeout)

    def wait_for_text(self, to: str, fragment: str, timeout: float = 90) -> list[str]:
        """All bodies up to and including the first that contains ``fragment``."""
        bodies = self.wait_for(to, lambda bodies: any(fragment in body for body in bodies), timeout)
        index = next(i for i, body in enumerate(bodies) if fragment in body)
        return bodies[: index + 1]

    def _bodies(self, to: str) -> list[str]:
        return [sent.body for sent in self.sent if sent.to == to]

    def _answer(self, path: str, authorization: str | None, form: dict[str, list[str]]) -> tuple[int, dict]:
        expected = "Basic " + base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if authorization != expected:
            return 401, {"code": 20003, "message": "Authenticate", "status": 401}
        if path != f"/2010-04-01/Accounts/{self.account_sid}/Messages.json":
            return 404, {"code": 20404, "message": "The requested resource was not found", "status": 404}
        field = {name: values[0] for name, values in form.items()}
        to = field.get("To", "")
        with self._changed:
            failure = next((f for f in self._failures if f[0] in (None, to)), None)
            if failure is not None:
                self._failures.remove(failure)
                self.requests.append((to, failure[1]))
                self._changed.notify_all()
                return failure[1], {"code": failure[2], "message": "Failed on purpose", "status": failure[1]}
            if not to or not (field.get("From") or field.get("MessagingServiceSid")):
                status, answer = (
                    400,
                    {"code": 21604, "message": "A 'To' and a 'From' are required", "status": 400},
                )
            elif not field.get("Body"):
                status, answer = 400, {"code": 21602, "message": "Message body is required", "status": 400}
            elif len(field["Body"]) > MAX_BODY:
                status, answer = (
                    400,
                    {"code": 21617, "message": "The body exceeds 1600 characters", "status": 400},
                )
            else:
                self.sent.append(Sent(to, field.get("From"), field.get("MessagingServiceSid"), field["Body"]))
                status = 201
                answer = {"sid": "SM" + uuid.uuid4().hex, "status": "queued", "to": to, "body": field["Body"]}
            self.requests.append((to, status))
            self._changed.notify_all()
        return status, answer

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode("utf-8"), keep_blank_values=True)
                status, answer = fake._answer(self.path, self.headers.get("Authorization"), form)
                body = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass  # quiet test output

        return Handler
