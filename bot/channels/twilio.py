"""The SMS channel: Rasa's Twilio connector, with what it lacks for real callers.

Same URL as Rasa's (``POST /webhooks/twilio/webhook``), but:

- the conversation id is ``sms:<the caller's number>``, which only a signed webhook
  can write to (``bot.identity``);

- every webhook must carry a valid ``X-Twilio-Signature``, computed over the
  public URL Twilio calls (``WAYFINDER_SMS_PUBLIC_URL``, for servers behind a
  proxy), else 403; with Twilio not configured, 503 saying what to set;
- STOP and the other opt-out keywords opt the number out (one confirmation,
  then nothing at all, even messages an advocate sends later through the HTTP
  API), START opts back in, HELP answers; an opted-out number's messages do
  not reach the assistant;
- a ``MessageSid`` Twilio retries is handled once;
- a reply "1", "2"... selects from the last numbered menu;
- answers go out through ``bot.sms.TwilioSender``: asynchronous, in order per
  number, retried with backoff; rendered and split by ``bot.sms.text``.

Logs show numbers masked and never a message body.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.twilio import TwilioInput
from sanic import Blueprint, response
from sanic.request import Request
from twilio.request_validator import RequestValidator

from bot.channels.limits import MessageLimits
from bot.channels.safety import keep_callers_safe, language_of_text
from bot.channels.signals import CALLER_LEFT, signal_console
from bot.copy import say
from bot.identity import phone_of, sms_conversation
from bot.sms import (
    Keyword,
    SmsStore,
    TwilioSender,
    TwilioSettings,
    classify_keyword,
    help_text,
    keyword_and_language,
    mask_phone,
    menu_choice,
    opt_in_text,
    opt_out_text,
    render_message,
    split_message,
)

logger = logging.getLogger(__name__)

CARRIER_AT = re.compile(r"(?<=\w)¡(?=\w)")
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
# A text with no words (a picture alone): in English, as there are no words to tell the language by.
EMPTY_REPLY = say("sms.empty")


class FormParameters(dict):
    """A form as lists of values, the shape Twilio's RequestValidator reads (like Flask's MultiDict)."""

    def getall(self, name: str) -> list[str]:
        return self[name]

    def first(self, name: str) -> str | None:
        values = self.get(name)
        return values[0] if values else None


def twiml() -> response.HTTPResponse:
    # Answers go out through the REST API, so the webhook itself answers nothing.
    return response.text(EMPTY_TWIML, content_type="text/xml")


class WayfinderTwilioOutput(OutputChannel):
    """Bot messages to one SMS conversation: rendered, split, queued; dropped for opted-out numbers."""

    def __init__(self, channel: WayfinderTwilioInput) -> None:
        self.channel = channel

    @classmethod
    def name(cls) -> str:
        return "twilio"

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        recipient_id = phone_of(recipient_id)
        masked = mask_phone(recipient_id)
        sender = self.channel.sender
        if sender is None:
            logger.warning("sms: not configured, a message to %s was dropped", masked)
            return
        if await self.channel.opted_out(recipient_id):
            logger.info("sms: %s opted out, a bot message was not sent", masked)
            return
        rendered = render_message(dict(message))
        if rendered.menu:
            await self.channel.db(self.channel.store.set_menu, recipient_id, rendered.menu)
        for part in split_message(rendered.text):
            sender.enqueue(recipient_id, part)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.send_response(recipient_id, {"text": text, "buttons": buttons})

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.send_response(recipient_id, {"text": text, "buttons": quick_replies})

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"custom": json_message})

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"image": image})


class WayfinderTwilioInput(TwilioInput):
    @classmethod
    def name(cls) -> str:
        # Rasa's name, so that output_channel=latest finds this channel for SMS conversations.
        return "twilio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WayfinderTwilioInput:
        # From the environment: credentials.yml's ${VAR} fails when a variable is unset,
        # and the assistant must start without a Twilio account.
        return cls(TwilioSettings.from_env(fallback=credentials))

    def __init__(self, settings: TwilioSettings, store: SmsStore | None = None) -> None:
        super().__init__(settings.account_sid, settings.auth_token, settings.number, debug_mode=False)
        self.settings = settings
        self._store = store
        self.missing = settings.missing()
        self.validator = RequestValidator(settings.auth_token) if settings.auth_token else None
        self.limits = MessageLimits()
        self.sender: TwilioSender | None = None
        if self.missing:
            logger.info("sms: the Twilio channel is off until %s is set", ", ".join(self.missing))
        else:
            self.sender = TwilioSender(settings, may_send=self._may_send, on_unsubscribed=self._unsubscribed)

    @property
    def store(self) -> SmsStore:
        if self._store is None:
            self._store = SmsStore.open()
        return self._store

    async def db(self, function: Callable[..., Any], *args: Any) -> Any:
        # The stores are synchronous SQLAlchemy; a thread keeps a slow database from stalling the server.
        return await asyncio.to_thread(function, *args)

    async def opted_out(self, phone: str) -> bool:
        return bool(await self.db(self.store.is_opted_out, phone))

    async def _may_send(self, phone: str) -> bool:
        return not await self.opted_out(phone)

    async def _unsubscribed(self, phone: str) -> None:
        # Twilio itself refuses the number (it texted STOP to Twilio's own handling): remember it.
        await self.db(self.store.opt_out, phone, "TWILIO")

    def validation_url(self, request: Request) -> str:
        """The URL Twilio signed: the configured public URL (with the request's query), else as received."""
        url = self.settings.public_url
        if not url:
            return request.url
        if request.query_string and "?" not in url:
            url = f"{url}?{request.query_string}"
        return url

    def valid_signature(self, request: Request, form: FormParameters) -> bool:
        signature = request.headers.get("X-Twilio-Signature")
        if not signature or self.validator is None:
            return False
        return self.validator.validate(self.validation_url(request), form, signature)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = keep_callers_safe(on_new_message)
        webhook = Blueprint("wayfinder_twilio_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_request: Request) -> response.HTTPResponse:
            return response.json({"status": "ok", "configured": not self.missing})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> response.HTTPResponse:
            if self.sender is None:
                return response.text(
                    f"SMS is not configured on this server: set {', '.join(self.missing)}.", status=503
                )
            # Parsed here, blank values kept: Twilio signs every parameter it sends, empty ones too.
            form = FormParameters(
                parse_qs((request.body or b"").decode("utf-8", "replace"), keep_blank_values=True)
            )
            if not self.valid_signature(request, form):
                logger.warning("sms: a webhook without a valid X-Twilio-Signature was refused")
                return response.text("invalid or missing X-Twilio-Signature", status=403)
            phone = (form.first("From") or "").strip()
            sid = (form.first("MessageSid") or form.first("SmsSid") or "").strip()
            if not phone or not sid:
                return response.text("From and MessageSid are required", status=400)
            if not await self.db(self.store.first_time, sid):
                logger.info("sms: %s from %s was already handled (Twilio retried it)", sid, mask_phone(phone))
                return twiml()
            await self.handle(phone, form.first("Body") or "", sid, on_new_message)
            if classify_keyword((form.first("Body") or "").strip()) is Keyword.OPT_OUT:
                # Nobody can text them any more: a wait for an advocate ends, and the advocate knows.
                signal_console(getattr(request.app.ctx, "agent", None), CALLER_LEFT, sms_conversation(phone))
            return twiml()

        @webhook.listener("before_server_stop")
        async def deliver_what_is_queued(_app: Any, _loop: Any) -> None:
            if self.sender is not None:
                try:
                    await asyncio.wait_for(self.sender.idle(), timeout=10)
                except asyncio.TimeoutError:
                    logger.warning("sms: stopping with messages still queued")
                await self.sender.close()

        return webhook

    async def handle(
        self, phone: str, body: str, sid: str, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        """One new inbound text: keywords first, then (for numbers not opted out) the assistant."""
        assert self.sender is not None
        masked = mask_phone(phone)
        # Some carriers turn @ into ¡ (as Rasa's connector notes): inside an address only, since
        # a Spanish "¡Hola!" starts with one.
        text = CARRIER_AT.sub("@", body).strip()
        keyword, language = keyword_and_language(text) or (None, "en")
        if keyword is Keyword.OPT_OUT:
            if await self.db(self.store.opt_out, phone, text):
                logger.info("sms: %s opted out", masked)
                self.sender.enqueue(phone, opt_out_text(language=language), respect_opt_out=False)
            return
        if await self.opted_out(phone):
            if keyword is Keyword.OPT_IN:
                if await self.db(self.store.opt_in, phone, text):
                    logger.info("sms: %s opted back in", masked)
                    self.sender.enqueue(phone, opt_in_text(language=language))
            elif keyword is Keyword.HELP:
                # HELP is always answered: the caller asked, and it says how to opt back in.
                self.sender.enqueue(phone, help_text(language=language), respect_opt_out=False)
            else:
                logger.info("sms: a message from opted-out %s was not passed on", masked)
            return
        if keyword is Keyword.HELP:
            self.sender.enqueue(phone, help_text(language=language))
            return
        # START, UNSTOP and YES from a number that never opted out are ordinary answers ("yes").
        if not text:
            self.sender.enqueue(phone, EMPTY_REPLY)
            return
        conversation_id = sms_conversation(phone)
        language = language_of_text(text)
        if not self.limits.admit(text, conversation_id).allowed:
            if self.limits.should_notify(conversation_id):
                self.sender.enqueue(phone, say("channel.slow_down", language))
            logger.info("sms: %s is sending too fast; a message was not passed on", masked)
            return
        menu = await self.db(self.store.menu, phone)
        payload = menu_choice(text, menu)
        if menu and payload is None:
            # The caller moved on: an old menu must not turn a later number ("2" children) into a choice.
            await self.db(self.store.clear_menu, phone)
        metadata: dict[str, Any] = {"sms": {"message_sid": sid}}
        if payload is not None:
            metadata["sms"]["menu_choice"] = text
        try:
            await on_new_message(
                UserMessage(
                    payload or text,
                    self.get_output_channel(),
                    conversation_id,
                    input_channel=self.name(),
                    metadata=metadata,
                )
            )
        except Exception:  # the caller gets a kind answer; the operator gets the traceback
            logger.exception("sms: handling a message from %s failed", masked)
            self.sender.enqueue(phone, say("channel.no_reply", language))

    def get_output_channel(self) -> OutputChannel:
        return WayfinderTwilioOutput(self)
