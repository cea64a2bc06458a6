"""Benchmark: the human-handoff path, live, against the real Rasa server, action server and console.

    cd /work/main && .venv/bin/python bench/handoff_live.py
    .venv/bin/python bench/handoff_live.py --callers 20 --messages 5 --crises 5
    .venv/bin/python bench/handoff_live.py --quick

Starts the three processes as the tests do (``bot.run.start_isolated``: free ports, a
scratch ``WAYFINDER_VAR_DIR`` with the sample directory imported, advocates always
on shift, plain-HTTP console cookies), adds an advocate account, signs in over HTTP,
opens the console's live websocket (``/api/live``) and connects widget callers on
Rasa's socket.io channel. After a warm-up it times:

1. a caller asking for a person until the queue entry is on the console's websocket;
2. a waiting caller's message until the console's websocket delivers its ``turn``;
3. an advocate's ``POST /api/handoffs/{id}/messages`` until the caller's socket.io
   client gets that ``bot_uttered`` (and the POST's own latency);
4. a crisis message from a waiting caller until the caller gets the crisis reply and
   until the console's websocket raises the ``alert``.

Prints p50/p95/p99/max, the console's peak RSS, the machine, the date, the command
and a Markdown table for the README. A benchmark, not a test: it never fails on
time, and exits 0 unless it cannot run at all. The processes are stopped at the
end, also on error or Ctrl-C. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

import aiohttp  # noqa: E402
import socketio  # noqa: E402
import sqlalchemy as sa  # noqa: E402
import websockets  # noqa: E402
from machine import begin, cpu_seconds, load_average, proc_status  # noqa: E402  (bench/, the script's own folder)
from machine import machine as describe_machine  # noqa: E402
from percentiles import percentile  # noqa: E402

from bot import run  # noqa: E402
from bot.console.accounts import Accounts  # noqa: E402

PASSWORD = "bench horse battery staple"
COOKIE = "wf_console"  # bot.console.app.COOKIE
ASK_FOR_PERSON = "talk to a person"
CRISIS_TEXT = "I want to kill myself"
WAIT_SECONDS = 60.0  # how long one expected message may take before it counts as lost
POLL_SECONDS = 0.3  # bot.console.app.ConsoleSettings.poll_seconds
# Callers use long-polling, as tests/console/test_console_live.py does: python-engineio's
# asyncio websocket transport needs aiohttp >= 3.10 (ClientWSTimeout), and Rasa 3.6 pins 3.9.
# A browser starts on long-polling too, then upgrades to a websocket.
TRANSPORTS = ["polling"]
# What waiting callers write: ordinary, never crisis; each gets a unique tag to match it.
CALLER_LINES = (
    "my landlord says we have to be out by Friday",
    "I have two kids and nowhere to go",
    "is there anyone who speaks Spanish",
    "I get SSI, about 900 a month",
    "we are in 19143 right now",
    "I can only come after 5pm because of work",
    "the shelter I called was full",
)
ADVOCATE_LINES = (
    "Thanks for waiting, I'm reading what you told the assistant.",
    "Let's look at emergency housing near you together.",
    "Can you tell me how many people are in your household?",
    "Here is a number that answers tonight.",
    "I'll stay with you while you call them.",
)


# --- the processes --------------------------------------------------------------


@dataclass
class Servers:
    var_dir: Path
    rasa_url: str
    console_url: str
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    logs: dict[str, Path] = field(default_factory=dict)

    def stop(self) -> None:
        run.stop(self.processes)

    def log_tail(self, lines: int = 15) -> str:
        parts = []
        for name, path in self.logs.items():
            try:
                tail = path.read_text(errors="replace").splitlines()[-lines:]
            except OSError:
                continue
            if tail:
                parts.append(f"--- {name} ({path}) ---\n" + "\n".join(tail))
        return "\n".join(parts)


def start_servers(scratch: Path) -> Servers:
    """The whole stack on its own ports and var/ (bot.run.start_isolated), logs in scratch."""
    var_dir = scratch / "var"
    var_dir.mkdir()
    ports, _token, processes = run.start_isolated(run.latest_model(), var_dir, log_dir=scratch)
    return Servers(
        var_dir=var_dir,
        rasa_url=f"http://127.0.0.1:{ports.rasa}",
        console_url=f"http://127.0.0.1:{ports.console}",
        processes=processes,
        logs={name: scratch / f"{name}.log" for name in processes},
    )


# --- clients --------------------------------------------------------------------


class Expectations:
    """Futures waiting for a message that matches; each incoming message is stamped on arrival."""

    def __init__(self) -> None:
        self.pending: list[tuple[Callable[[object], bool], asyncio.Future]] = []

    def expect(self, check: Callable[[object], bool]) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self.pending.append((check, future))
        return future

    def arrived(self, message: object) -> None:
        at = time.perf_counter(), time.time()
        kept = []
        for check, future in self.pending:
            if future.done():
                continue
            if check(message):
                future.set_result((at, message))
            else:
                kept.append((check, future))
        self.pending = kept


async def wait(future: asyncio.Future, timeout: float = WAIT_SECONDS):
    """((perf_counter, wall clock) of arrival, message), or None when it did not come in time."""
    try:
        return await asyncio.wait_for(future, timeout)
    except asyncio.TimeoutError:
        return None


class Caller:
    """A widget caller on Rasa's socket.io channel (as tests/console/test_console_live.py's Caller)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.session_id = ""
        self.expectations = Expectations()
        self.client = socketio.AsyncClient(reconnection=False)
        for event in ("session_confirm", "bot_uttered"):
            self.client.on(event, self._handler(event))

    def _handler(self, event: str):
        def handle(data=None) -> None:
            self.expectations.arrived((event, data))

        return handle

    def expect_bot(self, check: Callable[[dict], bool]) -> asyncio.Future:
        return self.expectations.expect(
            lambda m: m[0] == "bot_uttered" and isinstance(m[1], dict) and check(m[1])
        )

    async def connect(self, rasa_url: str, transports: list[str] | None) -> None:
        confirmed = self.expectations.expect(lambda m: m[0] == "session_confirm")
        await self.client.connect(rasa_url, transports=transports, socketio_path="/socket.io")
        await self.client.emit("session_request", {"session_id": None})
        got = await wait(confirmed)
        if got is None:
            raise RuntimeError(f"{self.name}: no session_confirm from Rasa's socket.io channel")
        data = got[1][1]
        self.session_id = data["session_id"] if isinstance(data, dict) else data

    async def say(self, text: str) -> tuple[float, float]:
        sent = time.perf_counter(), time.time()
        await self.client.emit("user_uttered", {"session_id": self.session_id, "message": text})
        return sent

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.client.disconnect()


def handoff_state(data: dict) -> str | None:
    custom = data.get("custom") or {}
    return custom.get("state") if custom.get("type") == "handoff" else None


@dataclass
class Advocate:
    """The staff console over HTTP (cookie session + CSRF header) and its live websocket."""

    base_url: str
    http: aiohttp.ClientSession
    cookie: str = ""
    csrf: str = ""
    feed: Expectations = field(default_factory=Expectations)
    feed_messages: dict[str, int] = field(default_factory=dict)
    feed_bytes: int = 0
    reader: asyncio.Task | None = None
    ws: object = None

    def headers(self, csrf: bool = False) -> dict[str, str]:
        headers = {"Origin": self.base_url}
        if self.cookie:
            headers["Cookie"] = f"{COOKIE}={self.cookie}"
        if csrf:
            headers["X-CSRF-Token"] = self.csrf
        return headers

    async def sign_in(self, username: str) -> None:
        async with self.http.post(
            f"{self.base_url}/api/login",
            json={"username": username, "password": PASSWORD},
            headers={"Origin": self.base_url},
        ) as reply:
            body = await reply.json()
            if reply.status != 200:
                raise RuntimeError(f"sign-in failed: {reply.status} {body}")
            self.csrf = body["csrf_token"]
            self.cookie = reply.cookies[COOKIE].value

    async def post(self, path: str, body: dict | None = None) -> tuple[int, dict, float]:
        started = time.perf_counter()
        async with self.http.post(
            f"{self.base_url}{path}", json=body or {}, headers=self.headers(csrf=True)
        ) as reply:
            payload = await reply.json()
            return reply.status, payload, time.perf_counter() - started

    async def open_feed(self) -> None:
        url = self.base_url.replace("http://", "ws://") + "/api/live"
        first = self.feed.expect(lambda m: m.get("type") == "queue")
        self.ws = await websockets.connect(url, extra_headers=self.headers(), max_size=2**24)
        self.reader = asyncio.create_task(self._read())
        if await wait(first) is None:
            raise RuntimeError("the console's websocket sent no queue")

    async def _read(self) -> None:
        async for text in self.ws:
            message = json.loads(text)
            self.feed.arrived(message)
            kind = str(message.get("type"))
            self.feed_messages[kind] = self.feed_messages.get(kind, 0) + 1
            self.feed_bytes += len(text)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            self.reader.cancel()
            await asyncio.gather(self.reader, return_exceptions=True)


def in_queue(session_id: str) -> Callable[[dict], bool]:
    return lambda m: (
        m.get("type") == "queue"
        and any(h.get("conversation_id") == session_id for h in m.get("handoffs") or [])
    )


# --- the measurements -----------------------------------------------------------


@dataclass
class Figures:
    queue_ms: list[float] = field(default_factory=list)
    waiting_reply_ms: list[float] = field(default_factory=list)
    to_advocate_ms: list[float] = field(default_factory=list)
    to_advocate_rasa_ms: list[float] = field(default_factory=list)
    to_advocate_console_ms: list[float] = field(default_factory=list)
    claim_http_ms: list[float] = field(default_factory=list)
    to_caller_ms: list[float] = field(default_factory=list)
    to_caller_http_ms: list[float] = field(default_factory=list)
    crisis_reply_ms: list[float] = field(default_factory=list)
    crisis_alert_ms: list[float] = field(default_factory=list)
    lost: dict[str, int] = field(default_factory=dict)
    phase_seconds: dict[str, float] = field(default_factory=dict)
    offered_rate: dict[str, float] = field(default_factory=dict)

    def lose(self, what: str) -> None:
        self.lost[what] = self.lost.get(what, 0) + 1


def ms(since: float, at: float) -> float:
    return (at - since) * 1000


async def ask_for_person(caller: Caller, advocate: Advocate, figures: Figures | None) -> dict | None:
    """'talk to a person' → the queue entry on the console's websocket (and the caller's 'waiting')."""
    queued = advocate.feed.expect(in_queue(caller.session_id))
    waiting = caller.expect_bot(lambda d: handoff_state(d) == "waiting")
    sent, _ = await caller.say(ASK_FOR_PERSON)
    got_queue, got_waiting = await asyncio.gather(wait(queued), wait(waiting))
    if figures is not None:
        if got_queue:
            figures.queue_ms.append(ms(sent, got_queue[0][0]))
        else:
            figures.lose("queue entry")
        if got_waiting:
            figures.waiting_reply_ms.append(ms(sent, got_waiting[0][0]))
        else:
            figures.lose("caller's 'waiting' reply")
    if got_queue is None:
        return None
    return next(h for h in got_queue[1]["handoffs"] if h["conversation_id"] == caller.session_id)


async def caller_writes(
    caller: Caller,
    advocate: Advocate,
    messages: int,
    think: float,
    rng: random.Random,
    figures: Figures | None,
) -> None:
    """A waiting caller's messages, each until the console's websocket delivers its turn."""
    await asyncio.sleep(rng.uniform(0, think))
    for number in range(messages):
        text = f"{rng.choice(CALLER_LINES)} ({caller.name}-{number})"
        turned = advocate.feed.expect(
            lambda m, text=text: (
                m.get("type") == "turn"
                and m.get("conversation_id") == caller.session_id
                and (m.get("turn") or {}).get("who") == "caller"
                and (m.get("turn") or {}).get("text") == text
            )
        )
        sent, sent_wall = await caller.say(text)
        got = await wait(turned)
        if figures is not None:
            if got is None:
                figures.lose("caller → advocate turn")
            else:
                (at, at_wall), message = got
                figures.to_advocate_ms.append(ms(sent, at))
                stamped = message["turn"].get("at")
                if stamped:
                    event_wall = datetime.fromisoformat(stamped).timestamp()
                    figures.to_advocate_rasa_ms.append(ms(sent_wall, event_wall))
                    figures.to_advocate_console_ms.append(ms(event_wall, at_wall))
        await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))


async def advocate_writes(
    advocate: Advocate,
    caller: Caller,
    handoff_id: int,
    messages: int,
    think: float,
    rng: random.Random,
    figures: Figures | None,
) -> None:
    """The advocate's messages to one held caller, each until the caller's socket.io client has it."""
    await asyncio.sleep(rng.uniform(0, think))
    for number in range(messages):
        text = f"{rng.choice(ADVOCATE_LINES)} [{caller.name}-{number}]"
        spoken = caller.expect_bot(lambda d, text=text: d.get("text") == text)
        started = time.perf_counter()
        status, body, seconds = await advocate.post(f"/api/handoffs/{handoff_id}/messages", {"text": text})
        if status != 200:
            if figures is not None:
                figures.lose(f"advocate message refused ({status}: {body.get('error')})")
            continue
        got = await wait(spoken)
        if figures is not None:
            figures.to_caller_http_ms.append(seconds * 1000)
            if got is None:
                figures.lose("advocate → caller bot_uttered")
            else:
                figures.to_caller_ms.append(ms(started, got[0][0]))
        await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))


async def claim(advocate: Advocate, caller: Caller, handoff_id: int, figures: Figures | None) -> bool:
    joined = caller.expect_bot(lambda d: handoff_state(d) == "with_advocate")
    status, body, seconds = await advocate.post(f"/api/handoffs/{handoff_id}/claim")
    if status != 200:
        if figures is not None:
            figures.lose(f"claim refused ({status}: {body.get('error')})")
        return False
    if figures is not None:
        figures.claim_http_ms.append(seconds * 1000)
    await wait(joined)
    return True


async def crisis(caller: Caller, advocate: Advocate, figures: Figures | None) -> None:
    """A waiting caller in crisis: the caller's crisis reply, and the console's alert."""
    reply = caller.expect_bot(lambda d: (d.get("custom") or {}).get("crisis") is True)
    alert = advocate.feed.expect(
        lambda m: m.get("type") == "alert" and m.get("conversation_id") == caller.session_id
    )
    sent, _ = await caller.say(CRISIS_TEXT)
    got_reply, got_alert = await asyncio.gather(wait(reply), wait(alert))
    if figures is None:
        return
    if got_reply:
        figures.crisis_reply_ms.append(ms(sent, got_reply[0][0]))
    else:
        figures.lose("crisis reply to the caller")
    if got_alert:
        figures.crisis_alert_ms.append(ms(sent, got_alert[0][0]))
    else:
        figures.lose("crisis alert on the console")


async def connect_callers(servers: Servers, names: list[str], transports: list[str] | None) -> list[Caller]:
    callers = [Caller(name) for name in names]
    # A few at a time: each connect is a handful of HTTP round trips to the Rasa server.
    for start in range(0, len(callers), 5):
        await asyncio.gather(*(c.connect(servers.rasa_url, transports) for c in callers[start : start + 5]))
    return callers


async def measure(args, servers: Servers, username: str) -> tuple[Figures, dict]:
    rng = random.Random(args.seed)
    figures = Figures()
    info: dict = {}
    transports = TRANSPORTS
    callers: list[Caller] = []
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as http:
        advocate = Advocate(servers.console_url, http)
        await advocate.sign_in(username)
        await advocate.open_feed()
        try:
            # Warm-up: one caller through the whole path, and one crisis, untimed.
            print("warm-up ...", flush=True)
            warm = await connect_callers(servers, ["warm-a", "warm-b"], transports)
            callers.extend(warm)
            info["transport"] = warm[0].client.transport()
            entry = await ask_for_person(warm[0], advocate, None)
            if entry is None:
                raise RuntimeError("the warm-up caller never reached the console's queue")
            await caller_writes(warm[0], advocate, 2, 0.2, rng, None)
            await claim(advocate, warm[0], entry["id"], None)
            await advocate_writes(advocate, warm[0], entry["id"], 2, 0.2, rng, None)
            crisis_entry = await ask_for_person(warm[1], advocate, None)
            await crisis(warm[1], advocate, None)
            for record in (entry, crisis_entry):
                if record:
                    await advocate.post(f"/api/handoffs/{record['id']}/resolve", {"disposition": "other"})
            await asyncio.sleep(1.0)

            # 1. N callers ask for a person, arriving over a few seconds.
            print(f"{args.callers} callers ask for a person ...", flush=True)
            cpu_before = cpu_seconds(servers.processes["console"].pid)
            phase = time.perf_counter()
            group = await connect_callers(servers, [f"c{i}" for i in range(args.callers)], transports)
            callers.extend(group)
            spread = args.arrivals

            async def arrive(caller: Caller) -> dict | None:
                await asyncio.sleep(rng.uniform(0, spread))
                return await ask_for_person(caller, advocate, figures)

            entries = await asyncio.gather(*(arrive(c) for c in group))
            figures.phase_seconds["queue"] = time.perf_counter() - phase
            waiting = [(c, e) for c, e in zip(group, entries, strict=True) if e is not None]

            # 2. Waiting callers write; the console shows each message live.
            print(f"{len(waiting)} waiting callers write {args.messages} messages each ...", flush=True)
            phase = time.perf_counter()
            await asyncio.gather(
                *(caller_writes(c, advocate, args.messages, args.think, rng, figures) for c, _ in waiting)
            )
            figures.phase_seconds["caller → advocate"] = time.perf_counter() - phase
            figures.offered_rate["caller → advocate"] = (
                len(figures.to_advocate_ms) / figures.phase_seconds["caller → advocate"]
            )

            # 3. Crisis while waiting: fresh callers, one at a time.
            print(f"{args.crises} waiting callers send a crisis message, one at a time ...", flush=True)
            in_crisis = await connect_callers(servers, [f"k{i}" for i in range(args.crises)], transports)
            callers.extend(in_crisis)
            for caller in in_crisis:
                if await ask_for_person(caller, advocate, figures) is None:
                    continue
                # Random pauses: ask_for_person ends on a console poll, and a fixed pause would send
                # every crisis at the same point of the console's 0.3 s poll cycle.
                await asyncio.sleep(rng.uniform(0.5, 1.5))
                await crisis(caller, advocate, figures)
                await asyncio.sleep(rng.uniform(0.5, 1.5))

            # 4. The advocate claims the N waiting callers and writes to them.
            print(f"the advocate claims {len(waiting)} callers and writes {args.messages} messages each ...")
            held = []
            for caller, entry in waiting:
                if await claim(advocate, caller, entry["id"], figures):
                    held.append((caller, entry))
            phase = time.perf_counter()
            await asyncio.gather(
                *(
                    advocate_writes(advocate, c, e["id"], args.messages, args.think, rng, figures)
                    for c, e in held
                )
            )
            figures.phase_seconds["advocate → caller"] = time.perf_counter() - phase
            figures.offered_rate["advocate → caller"] = (
                len(figures.to_caller_ms) / figures.phase_seconds["advocate → caller"]
            )
            cpu_after = cpu_seconds(servers.processes["console"].pid)
            if cpu_before is not None and cpu_after is not None:
                info["console_cpu_s"] = cpu_after - cpu_before
            info["feed_messages"] = dict(advocate.feed_messages)
            info["feed_bytes"] = advocate.feed_bytes
        finally:
            await asyncio.gather(*(c.close() for c in callers), return_exceptions=True)
            await advocate.close()
    return figures, info


# --- report ---------------------------------------------------------------------


def row(what: str, values: list[float], p99: bool = True) -> str:
    if not values:
        return f"| {what} | 0 | | | | |"
    p99_text = f"{percentile(values, 0.99):.0f}" if p99 and len(values) >= 20 else "–"
    return (
        f"| {what} | {len(values)} | {percentile(values, 0.5):.0f} | {percentile(values, 0.95):.0f} "
        f"| {p99_text} | {max(values):.0f} |"
    )


def table(figures: Figures) -> str:
    return "\n".join(
        [
            "| handoff path (real processes) | samples | p50 ms | p95 ms | p99 ms | max ms |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
            row(
                "caller → advocate: socket.io `user_uttered` → console websocket `turn`",
                figures.to_advocate_ms,
            ),
            row("advocate → caller: `POST …/messages` → socket.io `bot_uttered`", figures.to_caller_ms),
            row("advocate's `POST /api/handoffs/{id}/messages` (HTTP reply)", figures.to_caller_http_ms),
            row("crisis while waiting → caller's crisis reply", figures.crisis_reply_ms),
            row("crisis while waiting → console websocket `alert`", figures.crisis_alert_ms),
            row('"talk to a person" → entry in a websocket `queue`', figures.queue_ms),
        ]
    )


def summary(values: list[float]) -> str:
    if not values:
        return "no samples"
    return (
        f"p50 {percentile(values, 0.5):.0f} ms, p95 {percentile(values, 0.95):.0f} ms, "
        f"max {max(values):.0f} ms (n={len(values)})"
    )


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--callers", type=int, default=20, help="waiting widget callers (default 20)")
    parser.add_argument("--messages", type=int, default=5, help="messages each way per caller (default 5)")
    parser.add_argument(
        "--crises", type=int, default=5, help="crisis messages from waiting callers (default 5)"
    )
    parser.add_argument(
        "--think",
        type=float,
        default=2.0,
        help="mean seconds between one caller's (or the advocate's) messages, uniform ±50%% (default 2)",
    )
    parser.add_argument(
        "--arrivals",
        type=float,
        default=5.0,
        help="seconds over which the callers ask for a person (default 5)",
    )
    parser.add_argument("--seed", type=int, default=20250312)
    parser.add_argument("--quick", action="store_true", help="a tiny run: 3 callers, 2 messages, 2 crises")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder (var/ and server logs)")
    args = parser.parse_args(argv)
    if args.quick:
        args.callers, args.messages, args.crises, args.think, args.arrivals = 3, 2, 2, 0.5, 1.0
    if args.callers < 1 or args.messages < 1 or args.crises < 0:
        parser.error("--callers and --messages must be at least 1, --crises at least 0")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    command, started_at = begin(
        f"Handoff live benchmark: {args.callers} callers × {args.messages} messages each way, "
        f"{args.crises} crises, think {args.think:g} s, arrivals over {args.arrivals:g} s, seed {args.seed}"
    )
    machine = describe_machine()
    scratch = Path(tempfile.mkdtemp(prefix="wayfinder-handoff-bench-"))
    servers: Servers | None = None
    rss: dict[str, int | None] = {}
    try:
        print("starting the Rasa server, action server and console ...", flush=True)
        boot = time.perf_counter()
        try:
            servers = start_servers(scratch)
        except SystemExit as problem:
            print(f"cannot run: {problem}", file=sys.stderr)
            return 1
        boot_seconds = time.perf_counter() - boot
        print(f"up in {boot_seconds:.0f} s", flush=True)
        username = f"adv{uuid.uuid4().hex[:8]}"
        accounts = Accounts(sa.create_engine(f"sqlite:///{servers.var_dir / 'wayfinder.sqlite3'}"))
        accounts.add_user(username, PASSWORD, "advocate", "Sam")
        accounts.engine.dispose()
        try:
            figures, info = asyncio.run(measure(args, servers, username))
        except Exception:
            print("\nthe run failed; the servers' last log lines:\n" + servers.log_tail(), file=sys.stderr)
            raise
        for name, process in servers.processes.items():
            rss[name] = proc_status(process.pid, "VmHWM")
            rss[name + "_now"] = proc_status(process.pid, "VmRSS")
    except KeyboardInterrupt:
        print("\ninterrupted; stopping the servers", file=sys.stderr)
        return 130
    finally:
        if servers is not None:
            servers.stop()
        if args.keep:
            print(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)

    print(f"after: {load_average()}")
    print("\n## Results\n")
    print(table(figures))

    def mb(name: str) -> str:
        return f"{rss[name] / 1024:.0f} MB" if rss.get(name) else "unknown"

    print(
        f"\nconsole peak RSS (VmHWM): {mb('console')} (now {mb('console_now')}); "
        f"Rasa server {mb('rasa')}, action server {mb('actions')}"
    )
    print(f"machine: {machine}; date {started_at.date().isoformat()}")
    print(f"Command: cd {PROJECT_ROOT} && {command}")

    print("\n## Details\n")
    print(f"servers up in {boot_seconds:.0f} s; callers' socket.io transport: {info.get('transport')}")
    print(
        "caller → advocate, split by the event's own timestamp (same clock): "
        f"until Rasa stamped the user event {summary(figures.to_advocate_rasa_ms)}; "
        f"from the stamp to the console's websocket (tracker save, broker row, {POLL_SECONDS:g} s poll, push) "
        f"{summary(figures.to_advocate_console_ms)}"
    )
    print(f"caller's own 'waiting' reply after \"talk to a person\": {summary(figures.waiting_reply_ms)}")
    print(f"claim (POST …/claim, HTTP reply): {summary(figures.claim_http_ms)}")
    for name, seconds in figures.phase_seconds.items():
        rate = figures.offered_rate.get(name)
        print(f"phase {name}: {seconds:.1f} s" + (f", {rate:.1f} timed messages/s" if rate else ""))
    if "console_cpu_s" in info:
        print(f"console CPU time during the timed phases: {info['console_cpu_s']:.1f} s")
    print(
        f"console websocket: {sum(info.get('feed_messages', {}).values())} messages "
        f"({', '.join(f'{k} {v}' for k, v in sorted(info.get('feed_messages', {}).items()))}), "
        f"{info.get('feed_bytes', 0) / 1024:.0f} KiB"
    )
    if figures.lost:
        print(
            "lost (no matching message within "
            f"{WAIT_SECONDS:.0f} s, or refused): "
            + ", ".join(f"{what} {count}" for what, count in figures.lost.items())
        )
    else:
        print("lost: none")
    print(
        f"The console polls Rasa's broker table every {POLL_SECONDS:g} s, so a caller's message waits "
        f"0-{POLL_SECONDS * 1000:.0f} ms (about {POLL_SECONDS * 500:.0f} ms on average) before the console sees it."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
