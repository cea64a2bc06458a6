"""The asynchronous sender against a fake Twilio REST API on loopback, with a fake clock."""

from __future__ import annotations

import asyncio
import logging
import socket

import pytest

from bot.sms.sender import Delivery, RetryPolicy, TwilioSender, TwilioSettings
from tests.fakes.twilio import NUMBER, FakeTwilio

TO = "+12675550142"


@pytest.fixture
def fake():
    with FakeTwilio() as running:
        yield running


class Clock:
    """Sleeps that take no time and are remembered."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)


def settings(fake: FakeTwilio, **changes: str) -> TwilioSettings:
    return TwilioSettings.from_env({**fake.environment(), **changes})


def sender_for(fake: FakeTwilio, clock: Clock, **kwargs) -> TwilioSender:
    return TwilioSender(settings(fake), sleep=clock.sleep, rand=lambda: 0.5, **kwargs)


def run(coroutine):
    return asyncio.run(coroutine)


async def send_and_close(sender: TwilioSender, to: str, body: str) -> Delivery:
    try:
        return await sender.send(to, body)
    finally:
        await sender.close()


def test_the_backoff_schedule_doubles_up_to_its_cap():
    policy = RetryPolicy()
    assert policy.delays() == [0.5, 1.0, 2.0, 4.0, 8.0]
    assert RetryPolicy(attempts=10, max_delay=5).delays() == [0.5, 1, 2, 4, 5, 5, 5, 5, 5]
    assert policy.delay(0, retry_after=3) == 3  # Twilio's Retry-After, when longer
    assert policy.delay(0, retry_after=600) == policy.max_delay


def test_settings_come_from_the_environment_and_say_what_is_missing():
    assert TwilioSettings.from_env({}).missing() == [
        "TWILIO_ACCOUNT_SID",
        "TWILIO_AUTH_TOKEN",
        "TWILIO_NUMBER (or TWILIO_MESSAGING_SERVICE_SID)",
    ]
    configured = TwilioSettings.from_env(
        {"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t", "TWILIO_MESSAGING_SERVICE_SID": "MG1"}
    )
    assert configured.missing() == []
    assert configured.messages_url == "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json"
    from_credentials = TwilioSettings.from_env(
        {}, {"account_sid": "AC2", "auth_token": "t", "twilio_number": "+1"}
    )
    assert from_credentials.account_sid == "AC2" and from_credentials.missing() == []


def test_a_message_is_sent_with_basic_auth_to_and_from(fake):
    clock = Clock()
    delivery = run(send_and_close(sender_for(fake, clock), TO, "Hello there."))
    assert delivery.ok and delivery.attempts == 1 and delivery.sid.startswith("SM")
    [sent] = fake.sent
    assert (sent.to, sent.sender, sent.body) == (TO, NUMBER, "Hello there.")
    assert clock.sleeps == []


def test_a_messaging_service_is_used_instead_of_a_number_when_set(fake):
    sender = TwilioSender(settings(fake, TWILIO_MESSAGING_SERVICE_SID="MG" + "1" * 32), sleep=Clock().sleep)
    assert run(send_and_close(sender, TO, "Hi")).ok
    assert fake.sent[0].messaging_service_sid == "MG" + "1" * 32 and fake.sent[0].sender is None


def test_wrong_credentials_are_not_retried(fake):
    clock = Clock()
    sender = TwilioSender(settings(fake, TWILIO_AUTH_TOKEN="wrong"), sleep=clock.sleep)
    delivery = run(send_and_close(sender, TO, "Hi"))
    assert not delivery.ok and delivery.status == 401 and delivery.error_code == 20003
    assert delivery.attempts == 1 and clock.sleeps == []


@pytest.mark.parametrize("status", [503, 500, 429])
def test_transient_failures_are_retried_with_exponential_backoff(fake, status):
    clock = Clock()
    fake.fail_next(3, status=status)
    delivery = run(send_and_close(sender_for(fake, clock), TO, "Hi"))
    assert delivery.ok and delivery.attempts == 4
    assert clock.sleeps == [0.5, 1.0, 2.0]
    assert fake.statuses(TO) == [status, status, status, 201]


def test_a_client_error_is_final(fake):
    clock = Clock()
    fake.fail_next(1, status=400)
    delivery = run(send_and_close(sender_for(fake, clock), TO, "Hi"))
    assert not delivery.ok and delivery.attempts == 1 and clock.sleeps == []
    assert fake.sent == []


def test_it_gives_up_after_the_last_attempt(fake):
    clock = Clock()
    fake.fail_next(10)
    delivery = run(send_and_close(sender_for(fake, clock), TO, "Hi"))
    assert not delivery.ok and delivery.attempts == 6 and delivery.status == 503
    assert clock.sleeps == RetryPolicy().delays()


def test_no_connection_is_retried():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    clock = Clock()
    sender = TwilioSender(
        TwilioSettings("AC1", "token", "+1", api_url=f"http://127.0.0.1:{closed_port}"),
        sleep=clock.sleep,
        rand=lambda: 0.5,
        policy=RetryPolicy(attempts=3),
    )
    delivery = run(send_and_close(sender, TO, "Hi"))
    assert not delivery.ok and delivery.status is None and delivery.attempts == 3
    assert clock.sleeps == [0.5, 1.0]


def test_jitter_spreads_retries_around_the_schedule(fake):
    clock = Clock()
    fake.fail_next(1)
    sender = TwilioSender(settings(fake), sleep=clock.sleep, rand=lambda: 1.0)
    assert run(send_and_close(sender, TO, "Hi")).ok
    assert clock.sleeps == [pytest.approx(0.55)]


def test_messages_to_one_number_arrive_in_order_while_others_proceed(fake):
    other = "+12675550143"
    fake.fail_next(2, to=TO)

    async def scenario() -> list[Delivery]:
        sender = sender_for(fake, Clock())
        futures = [sender.enqueue(TO, f"part {n}") for n in range(1, 6)]
        futures.append(sender.enqueue(other, "for someone else"))
        deliveries = await asyncio.gather(*futures)
        await sender.idle()
        await sender.close()
        return deliveries

    deliveries = run(scenario())
    assert all(delivery.ok for delivery in deliveries)
    assert fake.bodies(TO) == [f"part {n}" for n in range(1, 6)]
    assert fake.bodies(other) == ["for someone else"]


def test_an_opted_out_number_gets_nothing_unless_the_message_is_the_confirmation(fake):
    async def never(_to: str) -> bool:
        return False

    async def scenario() -> tuple[Delivery, Delivery]:
        sender = sender_for(fake, Clock(), may_send=never)
        skipped = await sender.enqueue(TO, "a bot message")
        confirmed = await sender.enqueue(TO, "You're unsubscribed.", respect_opt_out=False)
        await sender.close()
        return skipped, confirmed

    skipped, confirmed = run(scenario())
    assert skipped.skipped and not skipped.ok
    assert confirmed.ok
    assert fake.bodies(TO) == ["You're unsubscribed."]


def test_a_stop_during_backoff_stops_the_retries(fake):
    fake.fail_next(1)
    answers = iter([True, False])

    async def may_send(_to: str) -> bool:
        return next(answers)

    delivery = run(send_and_close(sender_for(fake, Clock(), may_send=may_send), TO, "Hi"))
    assert delivery.skipped and fake.sent == []


def test_twilios_unsubscribed_error_is_remembered(fake):
    fake.fail_next(1, status=400, code=21610)
    unsubscribed: list[str] = []

    async def remember(to: str) -> None:
        unsubscribed.append(to)

    delivery = run(send_and_close(sender_for(fake, Clock(), on_unsubscribed=remember), TO, "Hi"))
    assert delivery.error_code == 21610 and unsubscribed == [TO]


def test_logs_hold_no_bodies_and_no_full_numbers(fake, caplog):
    caplog.set_level(logging.DEBUG, logger="bot.sms")
    fake.fail_next(2)
    fake.fail_next(1, status=400)
    sender = sender_for(fake, Clock())
    run(send_and_close(sender, TO, "my secret body text"))
    logged = caplog.text
    assert "***0142" in logged
    assert TO not in logged and "2675550142" not in logged
    assert "secret" not in logged
