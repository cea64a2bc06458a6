"""Benchmark: whole conversations over REST, Wayfinder against a `rasa init` assistant, in one run.

    cd /work/main && .venv/bin/python bench/conversation.py
    .venv/bin/python bench/conversation.py --levels 1,5,20 --rounds 2 --long 100
    .venv/bin/python bench/conversation.py --quick

Wayfinder runs as the tests run it (``bot.run.start_isolated``: the Rasa server, action server
and console on free ports, a scratch ``WAYFINDER_VAR_DIR`` with the sample directory, SQLite
tracker store and broker) with ``WAYFINDER_TIMINGS=1``, so that its Rasa server reports where a
turn's time goes (``bot/channels/timings.py``). The baseline is the moodbot that ``rasa init``
makes, trained once into ``var/bench/moodbot`` (``--moodbot DIR``) and served by ``rasa run``
from the same venv on another free port, with Rasa's defaults (in-memory tracker and lock stores).

Both take the same closed-loop load through ``POST /webhooks/rest/webhook``: at each level,
N concurrent callers each hold conversations one after the other (a new sender each), sending
the next message as soon as the reply comes. Wayfinder's conversation is "hi / I need a
therapist who takes medicaid near 19143 / 34 / 1 / more options" (needs, place, payment, age,
details, more options); the moodbot's is its own five messages. The two alternate, level by
level and round by round, so that a busy machine hurts both alike.

Prints, for each level and each assistant: messages/s, p50/p95/p99 per turn, and the ratios;
where Wayfinder's time goes per turn (the whole turn, lock wait, NLU and each NLU component,
prediction and each policy, each action call and the check of its response, tracker retrieve
and save, the broker); a long conversation (``--long`` turns, the script repeated) with the cost
of its first and last turns; every process's peak RSS (VmHWM); the machine, date and command, and
a Markdown table for the README; and where the long conversation's first and last ten turns
spend their time. A benchmark, not a test: it never fails on time, and exits 0
unless it cannot run at all. Processes are stopped at the end, also on error or Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

import aiohttp  # noqa: E402
from machine import begin, load_average, machine, proc_status  # noqa: E402  (bench/, the script's own folder)
from percentiles import percentile  # noqa: E402

from bot import run  # noqa: E402

WAYFINDER_SCRIPT = (
    "hi",
    "I need a therapist who takes medicaid near 19143",
    "34",
    "1",
    "more options",
)
MOODBOT_SCRIPT = ("hello", "I am feeling very sad", "yes", "great, thanks", "bye")
MOODBOT_DIR = PROJECT_ROOT / "var" / "bench" / "moodbot"
TIMINGS_PATH = "/wayfinder/timings"
REPLY_TIMEOUT = 120


# Wayfinder's REST channel answers only clients with a key (bot.identity); the bench is one.
BENCH_REST_CLIENT = "bench"
BENCH_REST_KEY = f"bench-{uuid.uuid4().hex}"
WAYFINDER_ENVIRONMENT = {
    "WAYFINDER_TIMINGS": "1",
    "WAYFINDER_REST_KEYS": f"{BENCH_REST_CLIENT}:{BENCH_REST_KEY}",
    "WAYFINDER_REST_CLIENT_MESSAGES_PER_MINUTE": "1000000",
    # A caller may send 30 messages a minute; the long conversation sends them as fast as it can.
    "WAYFINDER_MESSAGES_PER_MINUTE": "1000000",
}


@dataclass
class Assistant:
    name: str
    url: str
    script: tuple[str, ...]
    pids: dict[str, int] = field(default_factory=dict)
    timings: bool = False
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Phase:
    """One assistant at one level of concurrency: every turn's latency, and the phase's length."""

    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    failures: int = 0
    spans: dict[str, dict[str, float]] = field(default_factory=dict)

    def add(self, other: Phase) -> None:
        self.latencies += other.latencies
        self.seconds += other.seconds
        self.failures += other.failures
        for name, span in other.spans.items():
            mine = self.spans.setdefault(name, {"calls": 0, "seconds": 0.0})
            mine["calls"] += span["calls"]
            mine["seconds"] += span["seconds"]

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else float("nan")

    def ms(self, share: float) -> float:
        return percentile(self.latencies, share) * 1000


# --- the load ---------------------------------------------------------------------


async def say(session: aiohttp.ClientSession, assistant: Assistant, sender: str, text: str) -> float:
    started = time.perf_counter()
    async with session.post(
        f"{assistant.url}/webhooks/rest/webhook",
        json={"sender": sender, "message": text},
        headers=assistant.headers,
    ) as reply:
        body = await reply.read()
        if reply.status != 200:
            raise RuntimeError(f"{assistant.name}: HTTP {reply.status}: {body[:200]!r}")
    return time.perf_counter() - started


async def converse(session, assistant: Assistant, phase: Phase, turns: list[str]) -> list[float]:
    sender = f"bench-{uuid.uuid4().hex[:10]}"
    latencies = []
    for text in turns:
        try:
            latencies.append(await say(session, assistant, sender, text))
        except Exception as problem:  # a failed turn is counted, never hidden
            phase.failures += 1
            print(f"  {assistant.name}: a turn failed: {problem}", file=sys.stderr)
    phase.latencies += latencies
    return latencies


async def spans(session: aiohttp.ClientSession, assistant: Assistant, method: str) -> dict:
    if not assistant.timings:
        return {}
    async with session.request(method, f"{assistant.url}{TIMINGS_PATH}") as reply:
        return json.loads(await reply.read()) if reply.status == 200 else {}


async def load(assistant: Assistant, callers: int, conversations: int) -> Phase:
    """``callers`` concurrent callers, each holding ``conversations`` conversations in turn."""
    phase = Phase()
    timeout = aiohttp.ClientTimeout(total=REPLY_TIMEOUT)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as session:
        await spans(session, assistant, "DELETE")

        async def caller() -> None:
            for _ in range(conversations):
                await converse(session, assistant, phase, list(assistant.script))

        started = time.perf_counter()
        await asyncio.gather(*(caller() for _ in range(callers)))
        phase.seconds = time.perf_counter() - started
        phase.spans = await spans(session, assistant, "GET")
    return phase


async def long_conversation(assistant: Assistant, turns: int, window: int = 10) -> tuple[Phase, Phase, Phase]:
    """One conversation of ``turns`` turns; the whole of it, and its first and last ``window``
    turns with the server's timings for those turns only."""
    script = [assistant.script[i % len(assistant.script)] for i in range(turns)]
    whole, first, last = Phase(), Phase(), Phase()
    sender = f"bench-{uuid.uuid4().hex[:10]}"
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=REPLY_TIMEOUT)) as session:
        for number, text in enumerate(script, start=1):
            window_phase = first if number <= window else last if number > turns - window else None
            if number in (1, turns - window + 1):
                await spans(session, assistant, "DELETE")
            try:
                latency = await say(session, assistant, sender, text)
            except Exception as problem:  # a failed turn is counted, never hidden
                whole.failures += 1
                print(f"  {assistant.name}: a turn failed: {problem}", file=sys.stderr)
                continue
            whole.latencies.append(latency)
            if window_phase is not None:
                window_phase.latencies.append(latency)
            if number in (window, turns):
                (first if number == window else last).spans = await spans(session, assistant, "GET")
    return whole, first, last


async def warm_up(assistant: Assistant) -> None:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=REPLY_TIMEOUT)) as session:
        await converse(session, assistant, Phase(), list(assistant.script))


# --- the processes ----------------------------------------------------------------


def make_moodbot(folder: Path) -> Path:
    """`rasa init`'s assistant, trained once; its newest model."""
    models = sorted((folder / "models").glob("*.tar.gz")) if (folder / "models").exists() else []
    if models:
        return models[-1]
    folder.mkdir(parents=True, exist_ok=True)
    print(f"making the moodbot with `rasa init` in {folder} (once; a few minutes) ...", flush=True)
    subprocess.run(
        [str(Path(sys.executable).parent / "rasa"), "init", "--no-prompt", "--init-dir", str(folder)],
        cwd=folder,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return sorted((folder / "models").glob("*.tar.gz"))[-1]


def start_moodbot(folder: Path, model: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = run.free_port()
    command = [
        str(Path(sys.executable).parent / "rasa"),
        "run",
        "--model",
        str(model),
        "--port",
        str(port),
        "--interface",
        "127.0.0.1",
    ]
    env = {**os.environ, **run.quiet_environment()}
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=folder, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    run.wait_until_up(url + "/", process)
    return process, url


def child_pids(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except (OSError, ValueError):
        return []


def rss_mb(pid: int | None) -> str:
    value = proc_status(pid, "VmHWM") if pid else None
    return f"{value / 1024:.0f} MB" if value else "unknown"


# --- the report -------------------------------------------------------------------


def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}×" if theirs else "n/a"


def level_table(results: dict[int, dict[str, Phase]]) -> list[str]:
    lines = [
        "| concurrent conversations | moodbot msg/s | Wayfinder msg/s | throughput ratio "
        "| moodbot p50 / p95 / p99 | Wayfinder p50 / p95 / p99 | p50 ratio |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for level, phases in results.items():
        mood, ours = phases["moodbot"], phases["wayfinder"]
        lines.append(
            f"| {level} | {mood.rate:.1f} | {ours.rate:.1f} | {ratio(ours.rate, mood.rate)} "
            f"| {mood.ms(0.5):.0f} / {mood.ms(0.95):.0f} / {mood.ms(0.99):.0f} ms "
            f"| {ours.ms(0.5):.0f} / {ours.ms(0.95):.0f} / {ours.ms(0.99):.0f} ms "
            f"| {ratio(ours.ms(0.5), mood.ms(0.5))} |"
        )
    return lines


def where_time_goes(phase: Phase, title: str) -> list[str]:
    turns = len(phase.latencies)
    if not phase.spans or not turns:
        return [f"{title}: no timings (the server was not started with WAYFINDER_TIMINGS=1)"]
    whole = phase.spans.get("turn (whole)", {}).get("seconds") or 0.0
    lines = [
        f"{title} ({turns} turns; ms per turn; share of the whole turn; spans nest, so shares do not add up):",
        "",
        "| step | calls per turn | ms per turn | share of the turn |",
        "| --- | --- | --- | --- |",
    ]
    ordered = sorted(phase.spans.items(), key=lambda item: -item[1]["seconds"])
    for name, span in ordered:
        per_turn = span["seconds"] * 1000 / turns
        if per_turn < 0.05:
            continue
        share = f"{span['seconds'] / whole:.0%}" if whole else ""
        lines.append(f"| {name} | {span['calls'] / turns:.2f} | {per_turn:.1f} | {share} |")
    return lines


def long_lines(name: str, phase: Phase, window: int = 10) -> str:
    latencies = phase.latencies
    if phase.failures or len(latencies) < 2 * window:
        return f"{name}: {len(latencies)} turns answered, {phase.failures} failed: not measured"
    first = percentile(latencies[:window], 0.5) * 1000
    last = percentile(latencies[-window:], 0.5) * 1000
    return (
        f"{name}: {len(latencies)} turns; median of turns 1-{window} {first:.0f} ms, "
        f"of turns {len(latencies) - window + 1}-{len(latencies)} {last:.0f} ms ({ratio(last, first)})"
    )


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--levels", default="1,5,20", help="concurrent conversations, comma-separated")
    parser.add_argument("--conversations", type=int, default=40, help="conversations per level and round")
    parser.add_argument("--rounds", type=int, default=2, help="alternations of the two assistants per level")
    parser.add_argument("--long", type=int, default=100, help="turns of the long conversation (0: none)")
    parser.add_argument(
        "--moodbot", type=Path, default=MOODBOT_DIR, help="where `rasa init` makes the baseline"
    )
    parser.add_argument(
        "--quick", action="store_true", help="levels 1 and 5, 10 conversations, 1 round, 30 turns"
    )
    parser.add_argument(
        "--rasa-workers",
        type=int,
        default=1,
        help="Wayfinder's Rasa server processes (WAYFINDER_RASA_WORKERS; above 1 they share a Redis "
        "that bot.run starts, and the server's timings, which each process keeps to itself, are off)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder (logs)")
    args = parser.parse_args(argv)
    if args.quick:
        args.levels, args.conversations, args.rounds, args.long = "1,5", 10, 1, 30
    args.levels = [int(level) for level in args.levels.split(",")]
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    command, started_at = begin(
        f"Conversation benchmark: levels {args.levels}, {args.conversations} conversations per level and round, "
        f"{args.rounds} round(s), a {args.long}-turn conversation, {args.rasa_workers} Rasa process(es)"
    )
    scratch = Path(tempfile.mkdtemp(prefix="wayfinder-conversation-bench-"))
    processes: dict[str, subprocess.Popen] = {}
    moodbot: subprocess.Popen | None = None
    peaks: dict[str, str] = {}
    try:
        model = make_moodbot(args.moodbot)
        print("starting Wayfinder (Rasa server, action server, console) and the moodbot ...", flush=True)
        var_dir = scratch / "var"
        var_dir.mkdir()
        timed = args.rasa_workers == 1
        environment = {**WAYFINDER_ENVIRONMENT, "WAYFINDER_RASA_WORKERS": str(args.rasa_workers)}
        if not timed:
            environment.pop("WAYFINDER_TIMINGS")
        ports, _secret, processes = run.start_isolated(
            run.latest_model(), var_dir, environment, log_dir=scratch
        )
        moodbot, moodbot_url = start_moodbot(args.moodbot, model, scratch / "moodbot.log")
        assistants = {
            "moodbot": Assistant("moodbot", moodbot_url, MOODBOT_SCRIPT, {"rasa": moodbot.pid}),
            "wayfinder": Assistant(
                "wayfinder",
                f"http://127.0.0.1:{ports.rasa}",
                WAYFINDER_SCRIPT,
                {name: process.pid for name, process in processes.items()},
                timings=timed,
                headers={"Authorization": f"Bearer {BENCH_REST_KEY}"},
            ),
        }
        for assistant in assistants.values():
            asyncio.run(warm_up(assistant))

        results: dict[int, dict[str, Phase]] = {}
        for level in args.levels:
            results[level] = {name: Phase() for name in assistants}
            conversations = max(1, args.conversations // level)
            for round_number in range(args.rounds):
                order = list(assistants) if round_number % 2 == 0 else list(reversed(assistants))
                for name in order:
                    phase = asyncio.run(load(assistants[name], level, conversations))
                    results[level][name].add(phase)
                    print(
                        f"  level {level}, round {round_number + 1}, {name}: {len(phase.latencies)} turns "
                        f"in {phase.seconds:.1f} s, {phase.rate:.1f} msg/s, p50 {phase.ms(0.5):.0f} ms",
                        flush=True,
                    )
        long_runs, long_windows = {}, {}
        if args.long:
            for name, assistant in assistants.items():
                long_runs[name], *long_windows[name] = asyncio.run(long_conversation(assistant, args.long))
        for name, assistant in assistants.items():
            for process, pid in assistant.pids.items():
                peaks[f"{name} {process}"] = rss_mb(pid)
                # Several Rasa processes are Sanic's workers, forked by the one bot.run started.
                for number, worker in enumerate(child_pids(pid), start=1):
                    peaks[f"{name} {process} worker {number}"] = rss_mb(worker)
    except KeyboardInterrupt:
        print("\ninterrupted; stopping the servers", file=sys.stderr)
        return 130
    except Exception as problem:
        print(f"cannot run: {problem}; logs in {scratch}", file=sys.stderr)
        args.keep = True
        return 1
    finally:
        if moodbot is not None:
            moodbot.terminate()
            moodbot.wait(timeout=30)
        run.stop(processes)
        if args.keep:
            print(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)

    print(f"after: {load_average()}")
    print("\n## Results\n")
    print("\n".join(level_table(results)))
    failures = sum(p.failures for phases in results.values() for p in phases.values())
    print(f"\nfailed turns: {failures}")
    print("peak RSS (VmHWM): " + "; ".join(f"{name} {value}" for name, value in peaks.items()))
    for name, phase in long_runs.items():
        print(long_lines(name, phase))
    print(f"machine: {machine()}; date {started_at.date().isoformat()}")
    print(f"Command: cd {PROJECT_ROOT} && {command}")
    print("\n## Where Wayfinder's time goes\n")
    for level in (min(results), max(results)):
        print("\n".join(where_time_goes(results[level]["wayfinder"], f"{level} concurrent")))
        print()
    if "wayfinder" in long_windows and args.long >= 20:
        first, last = long_windows["wayfinder"]
        print("\n".join(where_time_goes(first, f"The {args.long}-turn conversation, turns 1-10")))
        print()
        print(
            "\n".join(
                where_time_goes(last, f"The {args.long}-turn conversation, turns {args.long - 9}-{args.long}")
            )
        )
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
