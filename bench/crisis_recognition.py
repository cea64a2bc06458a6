"""What crisis recognition adds to a turn, beside the NLU parse it runs in.

    .venv/bin/python bench/crisis_recognition.py [--repeat 3] [--parses 300]

Every message of the open and sealed crisis sets (crisis and hard negatives) is
assessed by the rule layer (``bot.safety.detector.assess``) ``--repeat`` times
after a warm-up, and timed one by one. The baseline, in the same run, is the
trained model's whole NLU parse of the same messages (tokeniser, featurisers,
DIET, the fallback and the rule layer itself), as the Rasa server runs it for
every message. Prints p50/p95/p99/max of each, the share of the parse that
recognition takes, where the rule layer's time goes (statements, situations,
typo correction), the detector's load time and the process's peak RSS.
Budget (issue 9): at most 5 ms added at the p95. Never fails on time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.percentiles import percentile
from tests.safety import evaluation

BUDGET_MS = 5.0


def texts() -> list[str]:
    return [
        case["text"] for name in evaluation.SETS for label in evaluation.load(name).values() for case in label
    ]


def row(name: str, values_ms: list[float]) -> str:
    cells = [percentile(values_ms, share) for share in (0.5, 0.95, 0.99)] + [max(values_ms)]
    return f"| {name} | {len(values_ms)} | " + " | ".join(f"{value:.2f}" for value in cells) + " |"


def time_each(function, messages: list[str], repeat: int) -> list[float]:
    timings = []
    for _ in range(repeat):
        for text in messages:
            start = time.perf_counter()
            function(text)
            timings.append((time.perf_counter() - start) * 1000)
    return timings


def parse_timings(messages: list[str]) -> list[float] | None:
    """The trained model's NLU parse of each message, as the Rasa server runs it."""
    from bot.run import latest_model

    try:
        model = latest_model()
    except SystemExit:
        print("no trained model in models/ (make run trains one): the parse baseline is skipped")
        return None
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))

    async def run() -> list[float]:
        for text in messages[:20]:
            await agent.parse_message(text)
        timings = []
        for text in messages:
            start = time.perf_counter()
            await agent.parse_message(text)
            timings.append((time.perf_counter() - start) * 1000)
        return timings

    return asyncio.run(run())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="times each message is assessed")
    parser.add_argument("--parses", type=int, default=300, help="messages parsed by the whole NLU (0: none)")
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

    from bot.safety import detector

    messages = texts()
    start = time.perf_counter()
    found = detector.default_detector()
    load_seconds = time.perf_counter() - start
    for text in messages[:50]:
        found.assess(text)  # warm-up

    whole = time_each(found.assess, messages, args.repeat)
    parts = {
        "normalise + typo correction": lambda text: found.correct_typos(detector.normalise(text)),
        "situations (signals and combinations)": lambda text: found._situations(
            detector.normalise(text), detector.text_words(detector.normalise(text)), []
        ),
    }
    part_timings = {name: time_each(function, messages, 1) for name, function in parts.items()}
    parses = parse_timings(messages[: args.parses]) if args.parses else None

    print(
        f"{len(messages)} messages (open and sealed sets, crisis and hard negatives); load {load_seconds:.1f} s"
    )
    print(f"load average: {os.getloadavg()[0]:.2f}")
    print("| timed | n | p50 ms | p95 ms | p99 ms | max ms |")
    print("| --- | --- | --- | --- | --- | --- |")
    print(row("rule layer: assess(), what recognition adds", whole))
    for name, timings in part_timings.items():
        print(row(f"  of which {name}", timings))
    if parses:
        print(row("baseline: the whole NLU parse (rule layer included)", parses))
        share = percentile(whole, 0.5) / percentile(parses, 0.5)
        print(f"recognition's share of a parse at p50: {share:.0%}")
    p95 = percentile(whole, 0.95)
    verdict = "within" if p95 <= BUDGET_MS else "OVER"
    print(f"p95 added by recognition: {p95:.2f} ms, {verdict} the {BUDGET_MS:.0f} ms budget")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
