"""Benchmark: the tracker store alone, Rasa's SQLTrackerStore against Wayfinder's, by conversation length.

    cd /work/main && .venv/bin/python bench/tracker_store.py
    .venv/bin/python bench/tracker_store.py --turns 100 --backends sqlite,postgresql --postgres-url URL

Each store holds one conversation of ``--turns`` turns the way Rasa's processor does (retrieve the
tracker, add the turn's events, save), on a fresh SQLite file and, when there is one, PostgreSQL
(``--postgres-url``, ``WAYFINDER_BENCH_POSTGRES_URL`` or ``scripts/postgres.sh wayfinder_bench``).
A turn is what Wayfinder's turns write: the caller's message with its whole parse (intent ranking,
entities), two actions, slots, a reply with buttons and cards, action_listen; about 9 events.
Prints the median retrieve and save at turns 1-5, 16-20, 46-50 and 96-100 for Rasa's store,
Wayfinder's, and Wayfinder's with its cache off (``cached_conversations: 0``).

Then what handing out a tracker costs, for the trackers of those lengths: Rasa's replay (parse
each stored event's JSON, find its class, replay), ``copy.deepcopy`` of a kept tracker, and
unpickling a kept pickle (what a cached read does), with pickling (what a save adds) and a replay
of kept event objects (cheap, but those objects would be shared with the cache) for reference.
A benchmark, not a test: it never fails on time.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from machine import begin, load_average  # noqa: E402  (bench/, the script's own folder)
from percentiles import percentile  # noqa: E402

from bot.db import temporary_postgres_database  # noqa: E402

WINDOWS = ((1, 5), (16, 20), (46, 50), (96, 100))


def domain():
    from rasa.shared.core.domain import Domain

    return Domain.load(str(PROJECT_ROOT / "domain.yml"))


def turn_events(number: int, now: float) -> list:
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

    ranking = [{"name": f"intent_{k}", "confidence": 0.9 / (k + 1)} for k in range(10)]
    entities = [
        {"entity": "zip", "value": "19143", "start": 44, "end": 49, "extractor": "RegexEntityExtractor"}
    ]
    text = f"I need a therapist who takes medicaid near 19143 ({number})"
    parse = {
        "text": text,
        "intent": ranking[0],
        "entities": entities,
        "intent_ranking": ranking,
        "message_id": f"m{number}",
        "metadata": {},
        "response_selector": {"all_retrieval_intents": [], "default": {"response": {}, "ranking": []}},
    }
    cards = [{"name": f"Service {k}", "phone": "+12155550100", "address": "1 Market St"} for k in range(3)]
    buttons = [{"title": str(k), "payload": f'/choose{{"number": {k}}}'} for k in range(1, 6)]
    return [
        UserUttered(text, ranking[0], entities, parse, now, input_channel="rest", message_id=f"m{number}"),
        ActionExecuted("action_search_services", policy="RulePolicy", confidence=1.0, timestamp=now + 0.01),
        SlotSet("location", "19143", now + 0.02),
        SlotSet("results", [card["name"] for card in cards], now + 0.03),
        ActionExecuted("validate_referral_form", policy="RulePolicy", confidence=1.0, timestamp=now + 0.04),
        BotUttered(
            "Here are some services near 19143:",
            {"buttons": buttons, "custom": {"cards": cards}},
            {},
            now + 0.05,
        ),
        ActionExecuted("action_offer_next_need", policy="TEDPolicy", confidence=0.97, timestamp=now + 0.06),
        BotUttered("Anything else?", {}, {}, now + 0.07),
        ActionExecuted("action_listen", policy="RulePolicy", confidence=1.0, timestamp=now + 0.08),
    ]


def session_start(now: float) -> list:
    from rasa.shared.core.events import ActionExecuted, SessionStarted

    return [ActionExecuted("action_session_start", timestamp=now), SessionStarted(now + 0.01)]


async def hold_conversation(store, sender: str, turns: int) -> tuple[list[float], list[float]]:
    """Seconds per retrieve and per save, turn by turn, in one event loop as in the server."""
    retrieves, saves = [], []
    now = time.time()
    for number in range(1, turns + 1):
        started = time.perf_counter()
        tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
        retrieves.append(time.perf_counter() - started)
        events = (session_start(now) if number == 1 else []) + turn_events(number, now + number)
        for event in events:
            tracker.update(event)
        started = time.perf_counter()
        await store.save(tracker)
        saves.append(time.perf_counter() - started)
    return retrieves, saves


def window_ms(values: list[float], low: int, high: int) -> str:
    chosen = values[low - 1 : high]
    return f"{percentile(chosen, 0.5) * 1000:.2f}" if chosen else "-"


def stores_on(url: str, the_domain, turns: int) -> list[str]:
    from rasa.core.tracker_store import SQLTrackerStore

    from bot.channels.stores import WayfinderTrackerStore

    os.environ["WAYFINDER_DATABASE_URL"] = url
    kinds = {
        "Rasa's SQLTrackerStore": SQLTrackerStore(domain=the_domain, host=url),
        "Wayfinder's, cached": WayfinderTrackerStore(domain=the_domain),
        "Wayfinder's, cache off": WayfinderTrackerStore(domain=the_domain, cached_conversations=0),
    }
    windows = [(low, high) for low, high in WINDOWS if high <= turns]
    lines = [
        "| store | " + " | ".join(f"retrieve / save, turns {low}-{high}" for low, high in windows) + " |",
        "| --- |" + " --- |" * len(windows),
    ]
    try:
        for name, store in kinds.items():
            retrieves, saves = asyncio.run(hold_conversation(store, f"bench-{name}", turns))
            cells = [
                f"{window_ms(retrieves, low, high)} / {window_ms(saves, low, high)} ms"
                for low, high in windows
            ]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    finally:
        for store in kinds.values():
            store.engine.dispose()
    return lines


def timed_ms(work, repeat: int) -> float:
    work()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
    return percentile(samples, 0.5) * 1000


def handing_out(the_domain, repeat: int, turns: int) -> list[str]:
    lines = [
        "| turns (events) | Rasa's replay | deepcopy | unpickle (a cached read) "
        "| pickle (a save) | replay of kept events (shared) | pickle size |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for length in [high for _low, high in WINDOWS if high <= turns]:
        lines.append(hand_out_row(the_domain.slots, length, repeat))
    return lines


def hand_out_row(slots, length: int, repeat: int) -> str:
    from rasa.shared.core.trackers import DialogueStateTracker

    now = time.time()
    events = session_start(now)
    for number in range(1, length + 1):
        events += turn_events(number, now + number)
    stored = [json.dumps(event.as_dict()) for event in events]
    tracker = DialogueStateTracker.from_dict("bench", [json.loads(data) for data in stored], slots)
    kept = list(tracker.events)
    pickled = pickle.dumps(tracker, protocol=pickle.HIGHEST_PROTOCOL)
    cells = [
        timed_ms(
            lambda: DialogueStateTracker.from_dict("bench", [json.loads(d) for d in stored], slots), repeat
        ),
        timed_ms(lambda: copy.deepcopy(tracker), repeat),
        timed_ms(lambda: pickle.loads(pickled), repeat),
        timed_ms(lambda: pickle.dumps(tracker, protocol=pickle.HIGHEST_PROTOCOL), repeat),
        timed_ms(lambda: DialogueStateTracker.from_events("bench", kept, slots), repeat),
    ]
    values = " | ".join(f"{value:.2f} ms" for value in cells)
    return f"| {length} ({len(events)}) | {values} | {len(pickled) / 1024:.0f} kB |"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--turns", type=int, default=100, help="length of the conversation (at most 100 shown)"
    )
    parser.add_argument("--repeat", type=int, default=30, help="timings per figure in the hand-out table")
    parser.add_argument("--backends", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql")
    parser.add_argument(
        "--postgres-url", help="default: WAYFINDER_BENCH_POSTGRES_URL, else scripts/postgres.sh"
    )
    args = parser.parse_args(argv)
    command, started_at = begin(f"Tracker store benchmark: a {args.turns}-turn conversation per store")
    the_domain = domain()
    backends = [name.strip() for name in args.backends.split(",") if name.strip()]
    with tempfile.TemporaryDirectory(prefix="wayfinder-tracker-bench-") as scratch:
        os.environ["WAYFINDER_VAR_DIR"] = scratch
        for backend in backends:
            if backend == "sqlite":
                print("\n## SQLite: ms per call, median over the turns named\n")
                print(
                    "\n".join(
                        stores_on(f"sqlite:///{Path(scratch) / 'tracker.sqlite3'}", the_domain, args.turns)
                    )
                )
                continue
            from directory_search import postgres_url

            server, skipped = postgres_url(args)
            if server is None:
                print(f"\nPostgreSQL skipped: {skipped}")
                continue
            with temporary_postgres_database(server, "wf_bench") as url:
                print("\n## PostgreSQL: ms per call, median over the turns named\n")
                print("\n".join(stores_on(url, the_domain, args.turns)))
    print("\n## Handing a tracker out: ms per tracker, median\n")
    print("\n".join(handing_out(the_domain, args.repeat, args.turns)))
    print(f"\nafter: {load_average()}; date {started_at.date().isoformat()}")
    print(f"Command: cd {PROJECT_ROOT} && {command}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
