"""Score a labelled crisis set through a real assistant: recall, false alarms, and where they fall.

Two sets: ``cases.yml`` (open: misses are listed with their text, to fix) and
``sealed.yml`` (written blind before the recognisers changed: misses are
reported by kind and language only, so that nobody tunes against its texts).

    python -m tests.safety.evaluation http://127.0.0.1:5005/webhooks/rest/webhook
    (with WAYFINDER_REST_KEY=KEY when the server requires a REST API key)

scores both sets against a running server (``make run``) and prints the report.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).parent
SETS = {"open": HERE / "cases.yml", "sealed": HERE / "sealed.yml"}


def load(name: str) -> dict[str, list[dict]]:
    return yaml.safe_load(SETS[name].read_text(encoding="utf-8"))


@dataclass
class Score:
    name: str
    crisis: int
    negatives: int
    misses: list[dict] = field(default_factory=list)
    false_alarms: list[dict] = field(default_factory=list)
    levels: Counter = field(default_factory=Counter)

    @property
    def recall(self) -> float:
        return 1 - len(self.misses) / self.crisis

    @property
    def false_alarm_rate(self) -> float:
        return len(self.false_alarms) / self.negatives

    def lines(self, show_texts: bool) -> list[str]:
        lines = [
            f"{self.name}: crisis recall {self.crisis - len(self.misses)}/{self.crisis} = {self.recall:.1%}; "
            f"false alarms {len(self.false_alarms)}/{self.negatives} = {self.false_alarm_rate:.1%}; "
            f"levels of the recognised: {dict(sorted(self.levels.items()))}",
        ]
        for title, cases in (("missed", self.misses), ("false alarm", self.false_alarms)):
            if not cases:
                continue
            kinds = Counter(f"{case['kind']}/{case['lang']}" for case in cases)
            lines.append(f"  {title} by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
            if show_texts:
                lines += [f"  {title} ({case['kind']}, {case['lang']}): {case['text']}" for case in cases]
        return lines


Reply = list[dict]


def crisis_level(messages: Reply) -> str | None:
    """The level of the crisis response among a reply's messages, or None without one."""
    for message in messages:
        custom = message.get("custom") or {}
        if custom.get("crisis") is True:
            return custom.get("level") or "unspecified"
    return None


def score(name: str, say: Callable[[str, str], Reply]) -> Score:
    """Send every case of set ``name`` as the first message of a new conversation."""
    cases = load(name)
    result = Score(name, len(cases["crisis"]), len(cases["not_crisis"]))
    for label, bucket in (("crisis", result.misses), ("not_crisis", result.false_alarms)):
        for case in cases[label]:
            level = crisis_level(say(f"safety-{name}-{uuid.uuid4().hex[:12]}", case["text"]))
            if level:
                result.levels[level] += label == "crisis"
            if (level is None) == (label == "crisis"):
                bucket.append(case)
    return result


def rest_sayer(url: str, key: str | None = None) -> Callable[[str, str], Reply]:
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {key}"} if key else {})}

    def say(sender: str, text: str) -> Reply:
        body = json.dumps({"sender": sender, "message": text}).encode()
        request = urllib.request.Request(url, data=body, headers=headers)
        with urllib.request.urlopen(request, timeout=60) as reply:
            return json.loads(reply.read())

    return say


def main(argv: list[str]) -> int:
    url = argv[1] if len(argv) > 1 else "http://127.0.0.1:5005/webhooks/rest/webhook"
    say = rest_sayer(url, os.environ.get("WAYFINDER_REST_KEY"))
    for name in SETS:
        print("\n".join(score(name, say).lines(show_texts=name == "open")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
