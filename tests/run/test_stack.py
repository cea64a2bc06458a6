"""The processes bot.run starts, as an attacker on the network or another user of the machine
meets them: a stack of its own (real Rasa server, action server and console, from
``run.start_isolated``) over a var/ left open as an older Wayfinder made it.

The last test kills a child and lets the Supervisor bring it back, so it stays last.
"""

from __future__ import annotations

import asyncio
import http.client
import itertools
import json
import os
import signal
import socket
import stat
import threading
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot import run
from bot.handoff.rasa_http import RasaClient
from bot.rasa_auth import ACTION_TOKEN_ENV, SECRET_ENVS, admin_jwt
from tests.assistant import Assistant, rest_conversation_id, start_stack
from tests.polling import answers, eventually


@dataclass
class Stack:
    assistant: Assistant
    ports: run.Ports
    processes: dict[str, run.Child]

    @property
    def action_token(self) -> str:
        return self.processes["rasa"].spec.env[ACTION_TOKEN_ENV]

    def secrets(self) -> set[str]:
        return {
            value
            for process in self.processes.values()
            for name, value in process.spec.env.items()
            if name in SECRET_ENVS
        }


@pytest.fixture(scope="module")
def stack(tmp_path_factory, assistant_environment) -> Iterator[Stack]:
    var_dir = tmp_path_factory.mktemp("run-var")
    # As an older Wayfinder left it: a folder anyone on the machine could read.
    var_dir.chmod(0o755)
    left = var_dir / "left-behind.txt"
    left.write_text("made before this run")
    left.chmod(0o644)
    assistant, ports, processes = start_stack(var_dir, assistant_environment)
    try:
        yield Stack(assistant, ports, processes)
    finally:
        run.stop(processes)


def request(
    url: str, body: object | None = None, headers: dict[str, str] | None = None
) -> tuple[int, bytes, http.client.HTTPMessage]:
    data = json.dumps(body).encode() if body is not None else None
    sent = urllib.request.Request(
        url, data=data, headers={"Content-Type": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(sent, timeout=60) as reply:
            return reply.status, reply.read(), reply.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


def handoff_rows(assistant: Assistant, conversation_id: str) -> int:
    [(count,)] = assistant.query(
        "SELECT count(*) FROM wf_handoff WHERE conversation_id = :c", c=conversation_id
    )
    return count


def action_call(sender: str) -> dict:
    """What the Rasa server sends the action server to run ``action_request_human``."""
    return {
        "next_action": "action_request_human",
        "sender_id": sender,
        "version": "3.6.2",
        "domain": {},
        "tracker": {
            "sender_id": sender,
            "slots": {},
            "latest_message": {"text": "talk to a person", "intent": {"name": "request_human"}},
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
            "latest_input_channel": "rest",
        },
    }


def test_the_action_server_runs_no_action_without_its_token(stack):
    webhook = f"http://127.0.0.1:{stack.ports.actions}/webhook"
    forged = f"forged-{uuid.uuid4().hex[:8]}"
    for headers in (
        {},
        {"Authorization": "Bearer not-the-token"},
        {"Authorization": stack.action_token},  # the token without its scheme
        {"Authorization": f"Bearer {stack.action_token[:-1]}"},
    ):
        status, body, _ = request(webhook, action_call(forged), headers)
        assert status == 401, (headers, body)
    status, _, _ = request(f"http://127.0.0.1:{stack.ports.actions}/actions")
    assert status == 401
    assert handoff_rows(stack.assistant, forged) == 0

    # The very same call with the token runs: the refusals above are what kept the queue empty.
    status, body, _ = request(webhook, action_call(forged), {"Authorization": f"Bearer {stack.action_token}"})
    assert status == 200, body
    assert handoff_rows(stack.assistant, forged) == 1
    # A load balancer's health check needs no token.
    assert request(f"http://127.0.0.1:{stack.ports.actions}/health")[0] == 200


def listening_addresses(port: int) -> set[str]:
    """The local addresses of sockets listening on ``port`` (the kernel's tables, /proc/net)."""
    found = set()
    for table, family in (("/proc/net/tcp", socket.AF_INET), ("/proc/net/tcp6", socket.AF_INET6)):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, port_hex = fields[1].split(":")
            if fields[3] != "0A" or int(port_hex, 16) != port:  # 0A: LISTEN
                continue
            raw = bytes.fromhex(address)
            # The kernel writes each 32-bit word in host (little-endian) order.
            words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
            found.add(socket.inet_ntop(family, words))
    return found


def own_non_loopback_addresses() -> set[str]:
    """This machine's IPv4 addresses other than loopback (the kernel's local routes)."""
    lines = Path("/proc/net/fib_trie").read_text().splitlines()
    local = {previous.split()[-1] for previous, line in itertools.pairwise(lines) if "/32 host LOCAL" in line}
    return {address for address in local if not address.startswith("127.")}


def test_every_server_listens_on_the_configured_host_only(stack):
    ports = {"rasa": stack.ports.rasa, "actions": stack.ports.actions, "console": stack.ports.console}
    for name, port in ports.items():
        assert listening_addresses(port) == {"127.0.0.1"}, name
    for address in own_non_loopback_addresses():
        for port in ports.values():
            with pytest.raises(OSError):
                socket.create_connection((address, port), timeout=5).close()


def test_the_rasa_api_takes_a_jwt_in_the_authorization_header_and_nothing_else(stack):
    api = stack.assistant.api_url
    secret = stack.assistant.jwt_secret
    routes = ("/status", "/conversations/anyone/tracker")
    for route in routes:
        assert request(api + route)[0] == 401
        # No secret in a URL: neither a plain token nor the JWT itself is accepted there.
        assert request(f"{api}{route}?token={secret}")[0] == 401
        assert request(f"{api}{route}?token={admin_jwt(secret)}")[0] == 401
        assert request(f"{api}{route}?access_token={admin_jwt(secret)}")[0] == 401
        assert request(api + route, headers={"Authorization": f"Bearer {admin_jwt('0' * 64)}"})[0] == 401
        expired = admin_jwt(secret, lifetime_seconds=-3600)
        assert request(api + route, headers={"Authorization": f"Bearer {expired}"})[0] == 401
        assert request(api + route, headers=stack.assistant.api_headers())[0] == 200


def test_the_rasa_server_refuses_large_requests_and_sends_safe_headers(stack):
    connection = http.client.HTTPConnection("127.0.0.1", stack.ports.rasa, timeout=60)
    try:
        connection.putrequest("POST", "/webhooks/rest/webhook")
        connection.putheader("Content-Type", "application/json")
        connection.putheader("Content-Length", str(2_000_000))
        connection.endheaders()
        assert connection.getresponse().status == 413
    finally:
        connection.close()
    answers = (
        request(stack.assistant.rest_url, {"sender": "run-headers", "message": "hello"}),
        request(stack.assistant.api_url + "/"),
        request(stack.assistant.api_url + "/status", headers=stack.assistant.api_headers()),
        request(stack.assistant.api_url + "/status"),
    )
    for status, _, headers in answers:
        assert headers["X-Content-Type-Options"] == "nosniff", status
        assert headers["Referrer-Policy"] == "no-referrer", status


def test_browsers_may_call_from_the_allowed_origins_only(stack):
    allowed = f"http://127.0.0.1:{stack.ports.console}"
    _, _, headers = request(stack.assistant.api_url + "/", headers={"Origin": allowed})
    assert headers["Access-Control-Allow-Origin"] == allowed
    _, _, headers = request(stack.assistant.api_url + "/", headers={"Origin": "https://attacker.example"})
    assert "Access-Control-Allow-Origin" not in headers


def process_tree(pid: int) -> list[int]:
    """``pid`` and every process under it (a Sanic worker, say)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue  # gone meanwhile
            children.setdefault(parent, []).append(int(entry.name))
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        pending.extend(children.get(current, []))
    return found


def test_no_secret_is_on_any_command_line_and_each_child_holds_only_its_own(stack):
    secrets = stack.secrets()
    assert len(secrets) == 2
    for name, process in stack.processes.items():
        for pid in process_tree(process.pid):
            command_line = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            for value in secrets:
                assert value not in command_line, name
    environment = {
        name: Path(f"/proc/{process.pid}/environ").read_bytes().decode(errors="replace")
        for name, process in stack.processes.items()
    }
    jwt_secret, action_token = stack.assistant.jwt_secret, stack.action_token
    assert action_token in environment["actions"] and jwt_secret not in environment["actions"]
    assert jwt_secret in environment["console"] and action_token not in environment["console"]
    assert jwt_secret in environment["rasa"] and action_token in environment["rasa"]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_var_and_its_databases_are_readable_by_their_owner_only(stack):
    stack.assistant.say(f"run-{uuid.uuid4().hex[:8]}", "talk to a person")
    var_dir = stack.assistant.var_dir
    files = {path.name: mode(path) for path in var_dir.rglob("*") if path.is_file()}
    assert {"directory.sqlite3", "wayfinder.sqlite3", "tracker.sqlite3", "events.sqlite3"} <= set(files)
    assert mode(var_dir) == 0o700
    assert {name: file_mode for name, file_mode in files.items() if file_mode != 0o600} == {}


def test_an_advocates_message_reaches_an_sms_caller_through_the_channel_the_id_names(stack, fake_twilio):
    # No message from this caller yet: "latest" would name no channel, and the text would go nowhere.
    phone = f"+1267{uuid.uuid4().int % 10**7:07d}"
    client = RasaClient(stack.assistant.api_url, stack.assistant.jwt_secret)

    async def say() -> None:
        try:
            await client.say(f"sms:{phone}", "This is Sam, an advocate. I can help from here.")
        finally:
            await client.close()

    asyncio.run(say())
    assert eventually(lambda: any("This is Sam" in body for body in fake_twilio.bodies(phone)))


def test_a_killed_child_is_started_again_while_the_rasa_server_keeps_answering(stack, capsys):
    supervisor = run.Supervisor(stack.processes)
    thread = threading.Thread(target=supervisor.run, kwargs={"interval": 0.2}, daemon=True)
    thread.start()
    killed = stack.processes["actions"]
    sender = f"run-{uuid.uuid4().hex[:8]}"
    statuses: list[int] = []
    try:
        os.kill(killed.pid, signal.SIGKILL)

        def back() -> bool:
            statuses.append(
                stack.assistant.post(json.dumps({"sender": sender, "message": "hello"}).encode())[0]
            )
            current = stack.processes["actions"]
            return current is not killed and answers(current.spec.health_url)

        assert eventually(back, timeout=180, interval=0.5)
        assert killed.returncode == -signal.SIGKILL
        assert statuses and set(statuses) == {200}, statuses
        assert stack.processes["rasa"].poll() is None and stack.processes["console"].poll() is None

        # The new action server runs actions for the Rasa server (its token came with it).
        asker = f"run-{uuid.uuid4().hex[:8]}"
        stack.assistant.say(asker, "talk to a person")
        assert eventually(lambda: handoff_rows(stack.assistant, rest_conversation_id(asker)) == 1)
        assert "actions stopped (killed by SIGKILL)" in capsys.readouterr().err
    finally:
        supervisor.request_stop()
        thread.join(timeout=30)
