"""Several Rasa server processes sharing a real Redis (bot/workers.py): the settings, what
bot.run starts, and, on a real stack, that the processes share the conversation lock and
socket.io's rooms.

The stack runs WAYFINDER_RASA_WORKERS=2 (two Sanic workers on one port, and the Redis
bot.run starts for them); a second Rasa server on another port joins the same Redis and
databases, as a replica behind a load balancer would. Which worker takes a connection is
the kernel's choice, but the second server is always another process: calls that alternate
between the two servers cross processes every time."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import threading
import time
import urllib.request
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import pytest

from bot import run, workers
from bot.channels import server
from bot.channels.limits import MessageLimits
from bot.channels.locks import AtomicRedisLockStore
from bot.identity import output_channel_for
from bot.limits import SharedSlidingWindow, SlidingWindow
from bot.rasa_auth import ACTION_TOKEN_ENV
from tests.assistant import Assistant, start_stack
from tests.channels.test_identity import SocketCaller


def require_redis_server() -> None:
    """A skip (locally) or a failure (under CI, which installs it) without redis-server."""
    if shutil.which(workers.REDIS_SERVER) is None:
        reason = "needs Debian's redis-server (.ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


# ---------- settings ----------


@pytest.mark.parametrize(("value", "expected"), [(None, 1), ("", 1), ("1", 1), (" 3 ", 3)])
def test_one_rasa_process_unless_told_more(value, expected):
    env = {} if value is None else {workers.WORKERS_ENV: value}
    assert workers.rasa_workers(env) == expected


@pytest.mark.parametrize("value", ["0", "-2", "two", "1.5"])
def test_a_worker_count_that_cannot_work_is_refused_with_its_name(value):
    with pytest.raises(workers.WorkersError, match=workers.WORKERS_ENV):
        workers.rasa_workers({workers.WORKERS_ENV: value})


def test_a_redis_url_gives_rasas_lock_store_its_parts():
    address = workers.RedisAddress.from_url("rediss://ops:p%40ss@redis.internal:6400/3")
    assert address == workers.RedisAddress("redis.internal", 6400, 3, "ops", "p@ss", True)
    settings = address.lock_store_settings()
    assert settings["host"] == "redis.internal" and settings["password"] == "p@ss"
    assert settings["key_prefix"] == workers.KEY_PREFIX
    assert workers.RedisAddress.from_url("redis://localhost") == workers.RedisAddress(
        "localhost", 6379, 0, None, None, False
    )


@pytest.mark.parametrize("url", ["http://localhost:6379", "redis://", "redis://host:port/0", "redis://h/db"])
def test_a_malformed_redis_url_is_refused(url):
    with pytest.raises(workers.WorkersError, match=workers.REDIS_URL_ENV):
        workers.RedisAddress.from_url(url)


def settings_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers_count: int, redis_url: str | None
) -> server.ServerSettings:
    # read_endpoints fills in the action server's variables as the server does at its start
    # (os.environ.setdefault); set here, they are put back after the test.
    monkeypatch.setenv(ACTION_TOKEN_ENV, "test-token")
    monkeypatch.setenv("WAYFINDER_ACTION_ENDPOINT", "http://127.0.0.1:1/webhook")
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text("action_endpoint:\n  url: http://127.0.0.1:1/webhook\n")
    return server.ServerSettings(
        model="unused",
        host="127.0.0.1",
        port=1,
        credentials="unused",
        endpoints=str(endpoints),
        cors_origins=[],
        jwt_secret="x" * 32,
        workers=workers_count,
        redis_url=redis_url,
    )


def test_several_rasa_processes_without_a_shared_lock_store_do_not_start(tmp_path, monkeypatch):
    with pytest.raises(workers.WorkersError, match="lock store they share"):
        server.read_endpoints(settings_for(tmp_path, monkeypatch, 2, None))
    assert server.read_endpoints(settings_for(tmp_path, monkeypatch, 1, None)).lock_store is None


def test_a_redis_url_becomes_an_atomic_redis_lock_store(tmp_path, monkeypatch):
    settings = settings_for(tmp_path, monkeypatch, 2, "redis://:secret@127.0.0.1:6400/2")
    endpoints = server.read_endpoints(settings)
    lock_store = endpoints.lock_store
    assert isinstance(lock_store, AtomicRedisLockStore)
    connection = lock_store.red.connection_pool.connection_kwargs
    assert (connection["host"], connection["port"], connection["db"]) == ("127.0.0.1", 6400, 2)
    assert connection["password"] == "secret"
    assert lock_store.key_prefix.startswith(workers.KEY_PREFIX + ":")


def test_rasas_redis_lock_store_named_in_endpoints_is_made_atomic(tmp_path, monkeypatch):
    settings = settings_for(tmp_path, monkeypatch, 2, None)
    Path(settings.endpoints).write_text("lock_store:\n  type: redis\n  url: 127.0.0.1\n  port: 6401\n")
    lock_store = server.read_endpoints(settings).lock_store
    assert isinstance(lock_store, AtomicRedisLockStore)
    assert lock_store.red.connection_pool.connection_kwargs["port"] == 6401


def test_bot_run_starts_a_redis_first_and_gives_its_url_to_the_rasa_server_only(tmp_path, monkeypatch):
    monkeypatch.setattr(workers, "redis_server_binary", lambda: "/usr/bin/redis-server")
    ports = run.Ports(rasa=1, actions=2, console=3, redis=4, host="127.0.0.1")
    env = {"WAYFINDER_VAR_DIR": str(tmp_path), workers.WORKERS_ENV: "2"}
    secrets = {
        "WAYFINDER_RASA_JWT_SECRET": "j",
        "WAYFINDER_ACTION_TOKEN": "a",
        workers.REDIS_PASSWORD_ENV: "f00d",
    }
    specs = run.child_specs(ports, Path("model.tar.gz"), env, secrets)
    assert next(iter(specs)) == "redis"
    redis = specs["redis"]
    (config_path, config), *_ = redis.files
    assert redis.command == ["/usr/bin/redis-server", str(config_path)]
    assert config_path.parent == tmp_path / "redis"
    assert 'requirepass "f00d"' in config and "bind 127.0.0.1" in config and "port 4" in config
    assert 'save ""' in config and "appendonly no" in config
    assert "f00d" not in " ".join(redis.command)  # never on a command line (ps)
    url = workers.local_redis_url(4, "f00d")
    assert redis.health_url == url
    assert specs["rasa"].env[workers.REDIS_URL_ENV] == url
    assert workers.REDIS_URL_ENV not in specs["console"].env
    assert workers.REDIS_URL_ENV not in specs["actions"].env


def test_one_rasa_process_starts_no_redis_and_a_named_redis_is_used_as_it_is(tmp_path):
    ports = run.Ports(rasa=1, actions=2, console=3, redis=4, host="127.0.0.1")
    secrets = {"WAYFINDER_RASA_JWT_SECRET": "j", "WAYFINDER_ACTION_TOKEN": "a"}
    alone = run.child_specs(ports, Path("m"), {"WAYFINDER_VAR_DIR": str(tmp_path)}, secrets)
    assert "redis" not in alone and workers.REDIS_URL_ENV not in alone["rasa"].env
    named = {
        "WAYFINDER_VAR_DIR": str(tmp_path),
        workers.WORKERS_ENV: "4",
        workers.REDIS_URL_ENV: "redis://r:6379/1",
    }
    specs = run.child_specs(ports, Path("m"), named, secrets)
    assert "redis" not in specs and specs["rasa"].env[workers.REDIS_URL_ENV] == "redis://r:6379/1"


def test_bot_run_says_how_to_get_redis_when_it_is_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    ports = run.Ports(rasa=1, actions=2, console=3, redis=4, host="127.0.0.1")
    env = {"WAYFINDER_VAR_DIR": str(tmp_path), workers.WORKERS_ENV: "2"}
    with pytest.raises(workers.WorkersError, match="apt-get install redis-server"):
        run.child_specs(
            ports, Path("m"), env, {"WAYFINDER_RASA_JWT_SECRET": "j", "WAYFINDER_ACTION_TOKEN": "a"}
        )


# ---------- rate limits shared through a real Redis ----------


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """A redis-server of the tests' own, configured as bot.run configures one."""
    require_redis_server()
    folder = tmp_path_factory.mktemp("redis")
    port, password = run.free_port(), "limits-test"
    config = folder / "redis.conf"
    url = workers.local_redis_url(port, password)
    spec = run.ChildSpec(
        name="redis",
        command=[workers.redis_server_binary(), str(config)],
        env={},
        health_url=url,
        log_path=folder / "redis.log",
        files=((config, workers.redis_server_config(port, password, folder)),),
    )
    processes = {"redis": run.Child(spec)}
    try:
        run.wait_until_up(url, processes["redis"], seconds=30)
        yield url
    finally:
        run.stop(processes)


def process_client(url: str):
    """A client of its own, as each Rasa process has."""
    import redis

    return redis.Redis.from_url(url)


def test_two_processes_share_one_limit_per_key(redis_url):
    clock = Clock()
    first = SharedSlidingWindow(process_client(redis_url), "test:shared", 3, 60.0, clock)
    second = SharedSlidingWindow(process_client(redis_url), "test:shared", 3, 60.0, clock)
    assert first.allow("web:a").allowed
    clock.now += 10
    assert second.allow("web:a").allowed
    assert first.allow("web:a").allowed
    refused = second.allow("web:a")
    assert not refused.allowed and refused.retry_after == pytest.approx(50.0)
    assert first.allow("web:b").allowed  # another key
    assert SharedSlidingWindow(process_client(redis_url), "test:other", 3, 60.0, clock).allow("web:a").allowed
    clock.now += 50.5  # the first event has left the window
    assert second.allow("web:a").allowed
    assert not first.allow("web:a").allowed


def test_a_refused_event_is_not_counted(redis_url):
    clock = Clock()
    window = SharedSlidingWindow(process_client(redis_url), "test:refused", 1, 60.0, clock)
    assert window.allow("k").allowed
    for _ in range(5):
        clock.now += 1
        assert not window.allow("k").allowed
    clock.now += 55.5
    assert window.allow("k").allowed


def test_without_redis_a_message_is_let_through():
    import redis

    unreachable = redis.Redis(host="127.0.0.1", port=run.free_port(), socket_connect_timeout=0.5)
    window = SharedSlidingWindow(unreachable, "test:down", 1, 60.0, Clock())
    assert window.allow("k").allowed and window.allow("k").allowed


def test_message_limits_are_shared_when_the_processes_share_a_redis(redis_url, monkeypatch):
    monkeypatch.delenv(workers.REDIS_URL_ENV, raising=False)
    assert isinstance(MessageLimits().conversation, SlidingWindow)
    monkeypatch.setenv(workers.REDIS_URL_ENV, redis_url)
    monkeypatch.setenv("WAYFINDER_MESSAGES_PER_MINUTE", "2")
    one, other = MessageLimits(), MessageLimits()
    assert isinstance(one.conversation, SharedSlidingWindow)
    conversation = f"web:{time.time_ns()}"
    assert one.admit("hi", conversation).allowed and other.admit("hi", conversation).allowed
    assert not one.admit("hi", conversation).allowed
    assert other.admit("i want to kill myself", conversation).allowed  # a crisis always gets through


def lock_store(url: str) -> AtomicRedisLockStore:
    """A lock store of its own, as each Rasa process has."""
    return AtomicRedisLockStore(**workers.RedisAddress.from_url(url).lock_store_settings())


def test_tickets_taken_at_once_by_many_processes_are_all_different(redis_url):
    conversation = f"web:tickets-{time.time_ns()}"
    stores = [lock_store(redis_url) for _ in range(16)]
    start = threading.Barrier(len(stores))
    tickets: list[int] = []

    def take(store: AtomicRedisLockStore) -> None:
        start.wait()
        tickets.append(store.issue_ticket(conversation))

    threads = [threading.Thread(target=take, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(tickets) == list(range(len(stores)))
    assert len(stores[0].get_lock(conversation).tickets) == len(stores)


def test_tickets_are_served_in_order_and_the_last_one_out_deletes_the_lock(redis_url):
    conversation = f"web:order-{time.time_ns()}"
    one, other = lock_store(redis_url), lock_store(redis_url)
    first, second = one.issue_ticket(conversation), other.issue_ticket(conversation)
    assert not one.get_lock(conversation).is_locked(first)
    assert other.get_lock(conversation).is_locked(second)
    one.cleanup(conversation, first)
    assert not other.get_lock(conversation).is_locked(second)
    other.cleanup(conversation, second)
    assert one.get_lock(conversation) is None


def test_the_lock_is_held_across_processes(redis_url):
    conversation = f"web:held-{time.time_ns()}"
    one, other = lock_store(redis_url), lock_store(redis_url)
    order: list[str] = []

    async def turn(store: AtomicRedisLockStore, name: str) -> None:
        async with store.lock(conversation, wait_time_in_seconds=0.05):
            order.append(f"{name} in")
            await asyncio.sleep(0.2)
            order.append(f"{name} out")

    async def both() -> None:
        await asyncio.gather(turn(one, "a"), turn(other, "b"))

    asyncio.run(both())
    assert order in (["a in", "a out", "b in", "b out"], ["b in", "b out", "a in", "a out"])
    assert one.get_lock(conversation) is None


# ---------- a real stack: two workers and a second server on one Redis ----------


@pytest.fixture(scope="module")
def replicas(tmp_path_factory, assistant_environment):
    require_redis_server()
    logs = tmp_path_factory.mktemp("workers-logs")
    first, _ports, processes = start_stack(
        tmp_path_factory.mktemp("workers-var"),
        {**assistant_environment, workers.WORKERS_ENV: "2"},
        log_dir=logs,
    )
    try:
        spec = processes["rasa"].spec
        port = run.free_port()
        second_spec = replace(
            spec,
            name="rasa-second",
            env={**spec.env, "WAYFINDER_RASA_PORT": str(port), workers.WORKERS_ENV: "1"},
            health_url=f"http://127.0.0.1:{port}/",
            log_path=logs / "rasa-second.log",
        )
        processes["rasa-second"] = run.Child(second_spec)
        run.wait_until_up(second_spec.health_url, processes["rasa-second"])
        second = replace(
            first,
            rest_url=f"http://127.0.0.1:{port}/webhooks/rest/webhook",
            api_url=f"http://127.0.0.1:{port}",
        )
        yield first, second, processes
    finally:
        run.stop(processes)


def test_the_stack_runs_two_rasa_workers_and_its_own_redis(replicas):
    _first, _second, processes = replicas
    rasa = processes["rasa"].pid
    children = Path(f"/proc/{rasa}/task/{rasa}/children").read_text().split()
    assert len(children) == 2
    assert workers.redis_answers(processes["rasa"].spec.env[workers.REDIS_URL_ENV])
    assert processes["redis"].poll() is None


def test_one_conversations_messages_sent_at_once_to_different_processes_are_handled_one_at_a_time(replicas):
    first, second, _processes = replicas
    sender = "two-processes-at-once"
    sent = [f"hello {number}" for number in range(8)]
    replies: dict[str, list[dict]] = {}

    def send(text: str, assistant: Assistant) -> None:
        replies[text] = assistant.say(sender, text)

    threads = [
        threading.Thread(target=send, args=(text, first if number % 2 else second))
        for number, text in enumerate(sent)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(replies.get(text) for text in sent)  # every message answered

    events = first.tracker(sender)["events"]
    said = [event["text"] for event in events if event["event"] == "user"]
    # Each turn saw the one before it: every message is in the transcript once, and each
    # followed the end of the turn before (an action_listen), never another message.
    assert sorted(said) == sorted(sent)
    kinds = [
        event["event"] if event["event"] == "user" else "listen"
        for event in events
        if event["event"] == "user" or (event["event"] == "action" and event["name"] == "action_listen")
    ]
    assert all(
        kinds[index - 1] == "listen" for index, kind in enumerate(kinds) if kind == "user" and index > 0
    )


def test_an_advocates_words_reach_a_socket_held_by_another_process(replicas):
    first, second, _processes = replicas
    callers = [SocketCaller(second) for _ in range(3)]
    try:
        for number, caller in enumerate(callers):
            conversation_id, _token = caller.start(session_id=None)
            text = f"Hi, this is Sam from the advocacy team ({number})."
            # Through the first server's HTTP API, as the console sends it; the socket is the second's.
            body = json.dumps([{"event": "bot", "text": text, "data": {}, "metadata": {}}]).encode()
            request = urllib.request.Request(
                f"{first.api_url}/conversations/{quote(conversation_id, safe='+:')}/tracker/events"
                f"?output_channel={output_channel_for(conversation_id)}&execute_side_effects=true",
                data=body,
                headers={**first.api_headers(), "Content-Type": "application/json"},
            )
            with urllib.request.urlopen(request, timeout=60) as reply:
                assert reply.status == 200
            assert caller.next("bot_uttered").get("text") == text
    finally:
        for caller in callers:
            caller.close()


def test_a_caller_in_crisis_is_answered_by_whichever_process_takes_the_message(replicas):
    first, second, _processes = replicas
    for assistant in (first, second):
        sender = f"crisis-{assistant.api_url.rsplit(':', 1)[1]}"
        reply = " ".join(m.get("text", "") for m in assistant.say(sender, "i want to kill myself tonight"))
        assert "988" in reply and "911" in reply


def test_a_callers_message_limit_holds_across_processes(replicas):
    first, second, _processes = replicas
    sender = "limit-across-processes"
    body = lambda number: json.dumps({"sender": sender, "message": f"hi {number}"}).encode()  # noqa: E731
    statuses = [(first if number % 2 else second).post(body(number))[0] for number in range(31)]
    # 30 a minute for each conversation (the default), however many processes take them.
    assert statuses[:30] == [200] * 30 and statuses[30] == 429
