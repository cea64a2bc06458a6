"""Sending text messages through Twilio's REST API without blocking the server.

Rasa's Twilio connector calls Twilio's synchronous client inside the server's
event loop, so one slow request stalls every conversation. This sender posts
with aiohttp instead, keeps one queue per recipient (so the parts of an answer
arrive in order) and retries what may succeed later (connection errors, 429,
5xx) with exponential backoff; any other 4xx is final. Logs carry masked
numbers, HTTP statuses and Twilio error codes, never message bodies.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.sms.text import mask_phone

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.twilio.com"
UNSUBSCRIBED_RECIPIENT = 21610  # Twilio's error when the number texted STOP to Twilio itself

# Environment variable -> (field, credentials.yml key).
ENVIRONMENT = {
    "TWILIO_ACCOUNT_SID": ("account_sid", "account_sid"),
    "TWILIO_AUTH_TOKEN": ("auth_token", "auth_token"),
    "TWILIO_NUMBER": ("number", "twilio_number"),
    "TWILIO_MESSAGING_SERVICE_SID": ("messaging_service_sid", "messaging_service_sid"),
    "WAYFINDER_SMS_PUBLIC_URL": ("public_url", "public_url"),
    "WAYFINDER_TWILIO_API_URL": ("api_url", "api_url"),
}


@dataclass(frozen=True)
class TwilioSettings:
    account_sid: str | None = None
    auth_token: str | None = None
    number: str | None = None
    messaging_service_sid: str | None = None
    # The full webhook URL Twilio calls, as Twilio sees it (signatures are computed over it).
    public_url: str | None = None
    api_url: str = DEFAULT_API_URL

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, fallback: Mapping[str, Any] | None = None
    ) -> TwilioSettings:
        """Settings from the environment, else from credentials.yml's keys (``fallback``)."""
        environ = os.environ if environ is None else environ
        fallback = fallback or {}
        values: dict[str, str] = {}
        for variable, (name, key) in ENVIRONMENT.items():
            value = (environ.get(variable) or str(fallback.get(key) or "")).strip()
            if value:
                values[name] = value
        if "api_url" in values:
            values["api_url"] = values["api_url"].rstrip("/")
        return cls(**values)

    def missing(self) -> list[str]:
        """The environment variables still to set before the channel can work."""
        missing = [
            name
            for name, value in (
                ("TWILIO_ACCOUNT_SID", self.account_sid),
                ("TWILIO_AUTH_TOKEN", self.auth_token),
            )
            if not value
        ]
        if not (self.number or self.messaging_service_sid):
            missing.append("TWILIO_NUMBER (or TWILIO_MESSAGING_SERVICE_SID)")
        return missing

    @property
    def messages_url(self) -> str:
        return f"{self.api_url}/2010-04-01/Accounts/{self.account_sid}/Messages.json"


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6
    first_delay: float = 0.5
    factor: float = 2.0
    max_delay: float = 30.0
    jitter: float = 0.2  # +-10%: numbers throttled together do not retry together

    def delay(self, retry: int, retry_after: float | None = None) -> float:
        """Seconds before retry number ``retry`` (0 is the first), before jitter; Twilio's Retry-After wins."""
        backoff = min(self.max_delay, self.first_delay * self.factor**retry)
        if retry_after is not None:
            return min(self.max_delay, max(backoff, retry_after))
        return backoff

    def delays(self) -> list[float]:
        return [self.delay(retry) for retry in range(self.attempts - 1)]


@dataclass(frozen=True)
class Delivery:
    ok: bool
    attempts: int
    status: int | None = None
    sid: str | None = None
    error_code: int | None = None
    skipped: bool = False  # not sent: the number opted out


def transient(status: int | None) -> bool:
    """Whether trying again may succeed: no answer at all, throttling, or Twilio's own trouble."""
    return status is None or status == 429 or status >= 500


class TwilioSender:
    def __init__(
        self,
        settings: TwilioSettings,
        *,
        may_send: Callable[[str], Awaitable[bool]] | None = None,
        on_unsubscribed: Callable[[str], Awaitable[None]] | None = None,
        policy: RetryPolicy = RetryPolicy(),
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        rand: Callable[[], float] = random.random,
        timeout: float = 15.0,
    ) -> None:
        self.settings = settings
        self.may_send = may_send
        self.on_unsubscribed = on_unsubscribed
        self.policy = policy
        self._sleep = sleep
        self._rand = rand
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None
        self._queues: dict[str, deque] = {}
        self._workers: dict[str, asyncio.Task] = {}

    def enqueue(self, to: str, body: str, *, respect_opt_out: bool = True) -> asyncio.Future:
        """Queue one message for ``to`` behind that number's earlier ones; the future gives its Delivery."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._queues.setdefault(to, deque()).append((body, respect_opt_out, future))
        if to not in self._workers:
            self._workers[to] = loop.create_task(self._work(to))
        return future

    async def idle(self) -> None:
        """Wait until every queued message is delivered or given up."""
        while self._workers:
            await asyncio.gather(*list(self._workers.values()), return_exceptions=True)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _work(self, to: str) -> None:
        queue = self._queues[to]
        try:
            while queue:
                body, respect_opt_out, future = queue.popleft()
                try:
                    delivery = await self.send(to, body, respect_opt_out=respect_opt_out)
                except Exception:  # a bug must not strand this number's later messages
                    logger.exception("sms: sending to %s failed", mask_phone(to))
                    delivery = Delivery(ok=False, attempts=0)
                if not future.done():
                    future.set_result(delivery)
        finally:
            # No await between the empty check and here, so no message can slip in unseen.
            self._workers.pop(to, None)
            self._queues.pop(to, None)

    async def send(self, to: str, body: str, *, respect_opt_out: bool = True) -> Delivery:
        """Send one message now, retrying transient failures."""
        masked = mask_phone(to)
        status: int | None = None
        data: dict = {}
        attempt = 0
        for attempt in range(1, self.policy.attempts + 1):
            # Checked before every attempt: a STOP may arrive while a message waits or backs off.
            if respect_opt_out and self.may_send is not None and not await self.may_send(to):
                logger.info("sms: not sending to %s: opted out", masked)
                return Delivery(ok=False, attempts=attempt - 1, skipped=True)
            status, data, retry_after = await self._post(to, body)
            if status is not None and 200 <= status < 300:
                logger.debug("sms: sent to %s (%s)", masked, data.get("sid"))
                return Delivery(ok=True, attempts=attempt, status=status, sid=data.get("sid"))
            if not transient(status) or attempt == self.policy.attempts:
                break
            wait = self.policy.delay(attempt - 1, retry_after)
            wait *= 1 - self.policy.jitter / 2 + self.policy.jitter * self._rand()
            logger.warning(
                "sms: sending to %s failed (%s), retry %d in %.1f s",
                masked,
                f"HTTP {status}" if status else "no connection",
                attempt,
                wait,
            )
            await self._sleep(wait)
        code = data.get("code") if isinstance(data.get("code"), int) else None
        logger.error(
            "sms: message to %s not sent after %d attempt(s): %s, Twilio error %s",
            masked,
            attempt,
            f"HTTP {status}" if status else "no connection",
            code,
        )
        if code == UNSUBSCRIBED_RECIPIENT and self.on_unsubscribed is not None:
            await self.on_unsubscribed(to)
        return Delivery(ok=False, attempts=attempt, status=status, error_code=code)

    async def _post(self, to: str, body: str) -> tuple[int | None, dict, float | None]:
        form = {"To": to, "Body": body}
        if self.settings.messaging_service_sid:
            form["MessagingServiceSid"] = self.settings.messaging_service_sid
        else:
            form["From"] = self.settings.number or ""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        auth = aiohttp.BasicAuth(self.settings.account_sid or "", self.settings.auth_token or "")
        try:
            async with self._session.post(self.settings.messages_url, data=form, auth=auth) as reply:
                try:
                    data = await reply.json(content_type=None)
                except ValueError:
                    data = None
                return reply.status, data if isinstance(data, dict) else {}, _retry_after(reply.headers)
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            # The error's text can carry the URL; its kind is enough to tell what happened.
            logger.debug("sms: no answer from Twilio: %s", type(error).__name__)
            return None, {}, None


def _retry_after(headers: Mapping[str, str]) -> float | None:
    try:
        return max(0.0, float(headers.get("Retry-After", "")))
    except ValueError:
        return None
