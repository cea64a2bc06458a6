"""How well the assistant understands single messages it was never trained on.

Two labelled sets, both written blind from persona and category descriptions before
any training change they measure: ``open.yml`` (the code may be improved against it)
and ``sealed.yml`` (never tuned against; its texts are never printed). Each message
is parsed by the real Rasa server (``/model/parse``) and scored:

- **need accuracy**: of the messages that state a need, those whose first recognised
  need is the one the caller wants first; of those that state none, those where no
  need was recognised;
- **entity accuracy**: of the facts a message states (payment, population, access,
  ZIP, place, age, relation, language), those recognised with the right value.

    python -m tests.nlu.evaluation http://127.0.0.1:5005   # JWT from var/rasa_jwt_secret
"""

from __future__ import annotations

import json
import re
import sys
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

HERE = Path(__file__).parent
SETS = ("open", "sealed")
SPANISH_SETS = ("es_open", "es_sealed")
# Intent labels the writers used that the domain names otherwise.
INTENT_NAMES = {"request_human": "human_handoff"}
ENTITY_KINDS = ("payment", "population", "access", "zip", "place", "age", "relation", "language")

Parse = Callable[[str], dict]


def load(name: str) -> list[dict]:
    return yaml.safe_load((HERE / f"{name}.yml").read_text())["messages"]


def gold_needs(case: dict) -> list[str]:
    need = case.get("need")
    if need is None:
        return []
    return list(need) if isinstance(need, list) else [need]


def recognised(parsed: dict) -> dict[str, list[str]]:
    """Entity values by kind: needs in the order the assistant takes them (the dialogue reads
    them in the pipeline's order), everything else in the order the message says it; a
    population the facts imply is recognised too (below)."""
    found: dict[str, list[str]] = {}
    entities = parsed.get("entities") or []
    for entity in [e for e in entities if e["entity"] == "need"] + sorted(
        (e for e in entities if e["entity"] != "need"), key=lambda e: e.get("start", 0)
    ):
        found.setdefault(entity["entity"], []).append(str(entity.get("value", "")).strip().casefold())
    implied = implied_populations(found)
    if implied:
        found["population"] = found.get("population", []) + implied
    return found


def implied_populations(found: dict[str, list[str]]) -> list[str]:
    """Who the facts say the help is for, as the search uses them: an age of 65 or more is an
    older adult, under 18 a young person (the search checks the age against each service's
    limits); veterans' services are for veterans, LGBTQ+ affirming care for LGBTQ+ people."""
    implied = []
    ages = [int(n) for value in found.get("age", []) for n in re.findall(r"\d+", value)[:1]]
    if ages and ages[0] >= 65:
        implied.append("seniors")
    if ages and ages[0] < 18:
        implied.append("youth")
    needs = found.get("need", [])
    if "veterans_services" in needs:
        implied.append("veterans")
    if "lgbtq_affirming_care" in needs:
        implied.append("lgbtq")
    return implied


def same_value(kind: str, gold: object, values: list[str]) -> bool:
    wanted = str(gold).strip().casefold()
    if kind == "relation" and wanted == "self":
        return not values or any(value in ("self", "me", "myself", "i") for value in values)  # the default
    if kind == "age":  # the ruler's span may carry its cue ("is 45", "age 9")
        return any(int(number) == int(gold) for value in values for number in re.findall(r"\d+", value)[:1])
    if kind == "place":
        # The assistant names a place by the gazetteer's label ("South Philly" is "South Philadelphia").
        names = {wanted, _place_label(wanted)} - {None}
        return any(name in value or value in name for name in names for value in values)
    return wanted in values


@cache
def _place_label(text: str) -> str | None:
    from bot.directory.places import PlaceError, default_gazetteer

    try:
        return default_gazetteer().resolve(text).label.casefold()
    except (PlaceError, ValueError):
        return None


@dataclass
class Score:
    name: str
    messages: int = 0
    needs_right: int = 0
    need_misses: Counter = field(default_factory=Counter)  # gold need (or "none") -> misses
    entities: int = 0
    entities_right: int = 0
    entity_misses: Counter = field(default_factory=Counter)  # kind -> misses
    missed_texts: list[str] = field(default_factory=list)
    intents: int = 0  # messages labelled with a conversation move (greet, affirm, a person...)
    intents_right: int = 0
    intent_misses: Counter = field(default_factory=Counter)  # gold intent -> misses

    @property
    def need_accuracy(self) -> float:
        return self.needs_right / self.messages if self.messages else 0.0

    @property
    def entity_accuracy(self) -> float:
        return self.entities_right / self.entities if self.entities else 0.0

    @property
    def intent_accuracy(self) -> float:
        return self.intents_right / self.intents if self.intents else 0.0

    def lines(self, show_texts: bool) -> list[str]:
        lines = [
            f"{self.name}: needs understood {self.needs_right}/{self.messages} ({self.need_accuracy:.1%}); "
            f"entities {self.entities_right}/{self.entities} ({self.entity_accuracy:.1%})",
            f"  need misses by gold need: {dict(self.need_misses.most_common())}",
            f"  entity misses by kind: {dict(self.entity_misses.most_common())}",
        ]
        if self.intents:
            lines.append(
                f"  conversation moves (intents) {self.intents_right}/{self.intents} ({self.intent_accuracy:.1%}); "
                f"misses: {dict(self.intent_misses.most_common())}"
            )
        if show_texts:
            lines += [f"  missed: {text}" for text in self.missed_texts]
        return lines


def score(name: str, parse: Parse) -> Score:
    result = Score(name)
    for case in load(name):
        parsed = parse(case["text"])
        found = recognised(parsed)
        gold = gold_needs(case)
        predicted = found.get("need", [])
        result.messages += 1
        right = (predicted[:1] == gold[:1]) if gold else not predicted
        if right:
            result.needs_right += 1
        else:
            result.need_misses[gold[0] if gold else "none"] += 1
            result.missed_texts.append(
                f"{case['text']!r}: wanted {gold or 'no need'}, got {predicted or 'none'}"
            )
        intent = INTENT_NAMES.get(case.get("intent"), case.get("intent"))
        if intent:
            result.intents += 1
            got = (parsed.get("intent") or {}).get("name")
            if got == intent:
                result.intents_right += 1
            else:
                result.intent_misses[intent] += 1
                result.missed_texts.append(f"{case['text']!r}: wanted intent {intent}, got {got}")
        for kind, value in (case.get("entities") or {}).items():
            if kind not in ENTITY_KINDS or value is None:
                continue
            result.entities += 1
            if same_value(kind, value, found.get(kind, [])):
                result.entities_right += 1
            else:
                result.entity_misses[kind] += 1
    return result


def http_parser(api_url: str, headers: Callable[[], dict[str, str]]) -> Parse:
    """Parses by the Rasa server's HTTP API; ``headers`` authenticates each call (JWTs expire)."""

    def parse(text: str) -> dict:
        request = urllib.request.Request(
            f"{api_url.rstrip('/')}/model/parse",
            data=json.dumps({"text": text}).encode(),
            headers={"Content-Type": "application/json", **headers()},
        )
        with urllib.request.urlopen(request, timeout=60) as reply:
            return json.loads(reply.read())

    return parse


def main(argv: list[str]) -> int:
    from bot.rasa_auth import rasa_api_headers, rasa_jwt_secret

    url = argv[1] if len(argv) > 1 else "http://127.0.0.1:5005"
    secret = rasa_jwt_secret()
    parse = http_parser(url, lambda: rasa_api_headers(secret))
    for name in (*SETS, *SPANISH_SETS):
        print("\n".join(score(name, parse).lines(show_texts=not name.endswith("sealed"))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
