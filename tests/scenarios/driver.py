"""Callers from ``open.yml`` and ``sealed.yml`` talking to the real assistant over REST.

A scenario is a persona, what they write unprompted (``turns``), the facts they give
when asked (``facts``) and what a good conversation must end with (``expect``). The
driver sends the first turn, then answers each question the assistant asks from the
facts, as a person would type it, slipping in the caller's other turns as it goes; it
asks for more options once, to see the second page. A scenario passes when the
outcome is the expected one, at least one ``must_offer_any`` service was offered, and
no ``must_not_offer`` service was. The directory is ``directory/`` (a 211's HSDS
export, imported through the AIRS/211 crosswalk), not the sample.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).parent
SETS = ("open", "sealed")
SPANISH_SETS = ("es_open", "es_sealed")
MAX_TURNS = 14

Say = Callable[[str, str], list[dict]]

# What the assistant's question asks for, by its words; the first match wins.
# No scenario's caller is at risk (their briefs say so): asked directly, they say they are not,
# as a person would, and then go back to what they came for. Without this, the default "yes"
# answered "are you thinking about killing yourself?", and a false alarm ended the conversation.
RISK_QUESTION = re.compile(
    r"thinking about (?:killing yourself|suicide|ending your life)|in immediate danger|"
    r"quitarse la vida|suicid|peligro inmediato",
    re.I,
)
QUESTIONS = (
    (re.compile(r"what would help most|qu[eé] le ayudar[ií]a m[aá]s", re.I), "need"),
    (
        re.compile(
            r"what kind of help|what can i help you find|what are you looking for|which should we start with",
            re.I,
        ),
        "need",
    ),
    (re.compile(r"where should i look|zip code|neighbo", re.I), "location"),
    (re.compile(r"how would you pay|insurance", re.I), "payment"),
    (re.compile(r"how old", re.I), "age"),
    (re.compile(r"language", re.I), "language"),
    (re.compile(r"phone number|reach you|email address", re.I), "contact"),
    (re.compile(r"what happened", re.I), "need"),
    # The same questions in Spanish.
    (
        re.compile(
            r"qu[eé] tipo de ayuda|en qu[eé] (?:le )?puedo ayudar|qu[eé] (?:est[aá]|anda) buscando|"
            r"con cu[aá]l (?:empezamos|quiere empezar|empiezo)",
            re.I,
        ),
        "need",
    ),
    (
        re.compile(r"d[oó]nde (?:debo |puedo |quiere que )?busc|c[oó]digo postal|barrio|vecindario", re.I),
        "location",
    ),
    (
        re.compile(r"c[oó]mo (?:va a |podr[ií]a |)pagar|seguro m[eé]dico|qu[eé] seguro|\bseguro\b", re.I),
        "payment",
    ),
    (re.compile(r"cu[aá]ntos a[nñ]os|qu[eé] edad", re.I), "age"),
    (re.compile(r"idioma", re.I), "language"),
    (
        re.compile(
            r"n[uú]mero de tel[eé]fono|correo electr[oó]nico|c[oó]mo (?:le )?(?:podemos|puede) (?:contactar|comunicar)",
            re.I,
        ),
        "contact",
    ),
    (re.compile(r"qu[eé] (?:le )?pas[oó]", re.I), "need"),
)
MORE_OPTIONS = {"en": "more options", "es": "más opciones"}


def load(name: str) -> list[dict]:
    return yaml.safe_load((HERE / f"{name}.yml").read_text())["scenarios"]


@dataclass
class Conversation:
    scenario: dict
    offered: list[str] = field(default_factory=list)
    handoff: bool = False
    intake: bool = False
    nothing_fits: bool = False
    silent_turns: int = 0
    transcript: list[tuple[str, str]] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        if self.offered:
            return "referral"
        if self.intake:
            return "intake"
        if self.handoff:
            return "handoff"
        return "nothing_fits" if self.nothing_fits else "none"

    def problems(self) -> list[str]:
        expect = self.scenario.get("expect") or {}
        found = []
        wanted = expect.get("outcome")
        acceptable = {wanted, "handoff"} if wanted == "intake" else {wanted}
        if wanted and self.outcome not in acceptable:
            found.append(f"outcome {self.outcome}, wanted {wanted}")
        must = expect.get("must_offer_any") or []
        if must and not set(must) & set(self.offered):
            found.append("none of the services it must offer")
        wrong = set(expect.get("must_not_offer") or []) & set(self.offered)
        if wrong:
            found.append(f"{len(wrong)} service(s) it must not offer")
        if self.silent_turns:
            found.append(f"{self.silent_turns} turn(s) with no reply")
        return found


def answer_for(question: str, facts: dict) -> str | None:
    """What the caller types in answer to the assistant's last words."""
    if RISK_QUESTION.search(question):
        return "no"
    for pattern, key in QUESTIONS:
        if pattern.search(question) and facts.get(key):
            return str(facts[key])
    if question.rstrip().endswith("?"):
        return str(facts.get("yes_no_default") or "yes")
    return None


def take_in(conversation: Conversation, messages: list[dict]) -> str:
    """Note what the assistant offered; returns its words, joined."""
    if not messages:
        conversation.silent_turns += 1
    words = []
    for message in messages:
        custom = message.get("custom") or {}
        kind = custom.get("type")
        if kind == "referrals":
            services = custom.get("services") or []
            conversation.offered += [s["id"] for s in services if s.get("id") not in conversation.offered]
            if not services:
                conversation.nothing_fits = True
        elif kind == "handoff" and custom.get("state") == "waiting":
            conversation.handoff = True
        elif kind == "callback" and custom.get("state") == "requested":
            # Off shift, a call back the caller agreed to is how a person takes over.
            conversation.handoff = True
        elif kind == "advocacy_intake":
            conversation.intake = True
        if message.get("text"):
            words.append(message["text"])
    return "\n".join(words)


def converse(scenario: dict, say: Say, sender: str) -> Conversation:
    conversation = Conversation(scenario)
    facts = scenario.get("facts") or {}
    waiting = list(scenario.get("turns") or [])
    asked_more = False
    text = waiting.pop(0)
    for _ in range(MAX_TURNS):
        conversation.transcript.append(("caller", text))
        reply = take_in(conversation, say(sender, text))
        conversation.transcript.append(("assistant", reply))
        if waiting:
            text = waiting.pop(0)
            continue
        answer = answer_for(reply.strip().splitlines()[-1] if reply.strip() else "", facts)
        if answer is None and conversation.offered and not asked_more:
            asked_more, answer = (
                True,
                MORE_OPTIONS["es" if "es" in str(scenario.get("lang") or "en") else "en"],
            )
        if answer is None:
            break
        text = answer
    return conversation


def run(name: str, say: Say, sender_prefix: str) -> list[Conversation]:
    return [converse(s, say, f"{sender_prefix}-{name}-{s['id']}") for s in load(name)]


def report(name: str, conversations: list[Conversation], show: bool) -> list[str]:
    passed = sum(not c.problems() for c in conversations)
    lines = [
        f"{name}: {passed}/{len(conversations)} scenarios passed ({passed / max(1, len(conversations)):.0%})"
    ]
    problems: dict[str, int] = {}
    for c in conversations:
        for problem in c.problems():
            key = re.sub(r"\d+", "N", problem)
            problems[key] = problems.get(key, 0) + 1
    lines.append(f"  problems: {problems}")
    if show:
        lines += [f"  {c.scenario['id']}: {'; '.join(c.problems())}" for c in conversations if c.problems()]
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run an OPEN set against a stack of its own and write every failing transcript.

    python -m tests.scenarios.driver /tmp/open-transcripts.txt [open|es_open]

    Only the open set: the sealed one is run by ``make test`` and reports counts alone.
    """
    import sys
    import tempfile
    import uuid

    from bot import run as processes
    from tests.assistant import TEST_REST_CLIENT, TEST_REST_KEY, start_stack
    from tests.scenarios.test_scenarios import CROSSWALK, DIRECTORY

    args = argv or sys.argv[1:] or ["/tmp/open-transcripts.txt"]
    out = Path(args[0])
    name = args[1] if len(args) > 1 else "open"
    if name not in ("open", "es_open"):
        raise SystemExit("only an open set (open, es_open) is written out; sealed sets report counts alone")
    environment = {
        "WAYFINDER_REST_KEYS": f"{TEST_REST_CLIENT}:{TEST_REST_KEY}",
        "WAYFINDER_REST_ANONYMOUS": "0",
        "WAYFINDER_REST_CLIENT_MESSAGES_PER_MINUTE": "100000",
    }
    assistant, _ports, started = start_stack(
        Path(tempfile.mkdtemp(prefix="scenarios-")), environment, directory=DIRECTORY, crosswalk=CROSSWALK
    )
    try:
        conversations = run(name, assistant.say, f"dev-{uuid.uuid4().hex[:6]}")
    finally:
        processes.stop(started)
    lines = report(name, conversations, show=True)
    for c in conversations:
        if c.problems():
            lines += [
                "",
                f"=== {c.scenario['id']}: {'; '.join(c.problems())}",
                f"persona: {c.scenario['persona']}",
            ]
            lines += [f"{who}: {words}" for who, words in c.transcript]
            lines.append(f"offered: {c.offered}")
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines[:2]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
