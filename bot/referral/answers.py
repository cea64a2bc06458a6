"""Reading a caller's answers to the referral questions: which to ask, and what an answer means."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.copy import say
from bot.directory import Directory, PlaceError
from bot.directory.taxonomy import NEEDS, Taxonomy
from bot.nlp.vocabulary import Vocabulary, age_from_text
from bot.referral.needs import SKIP

# What each need requires us to ask; a need inherits from its parent. A food
# pantry needs no insurance question, a warmline no place, but its age: many lines
# are for teens or for older adults only.
QUESTIONS: dict[str, tuple[str, ...]] = {
    "mental_health": ("location", "payment", "age"),
    "warmline": ("age",),
    "crisis_lines": (),
    "crisis_walk_in": ("location",),
    "mobile_crisis": ("location",),
    "peer_support": ("location",),
    "lgbtq_affirming_care": ("location", "payment", "age"),
    "substance_use": ("location", "payment", "age"),
    "recovery_housing": ("location", "age"),  # rent from the resident, not insurance
    "basic_needs": ("location",),
    "shelter": ("location", "age"),
    "legal_advocacy": ("location",),
    "benefits": ("location",),
    "child_youth": ("location", "payment", "age"),
    "family_support": ("location",),
    "veterans_services": ("location",),
}
SKIP_WORDS = re.compile(
    r"^\s*(skip|pass|not sure|unsure|idk|i don'?t know|no idea|dunno|prefer not|rather not|any|anything|n/?a|none)\b",
    re.I,
)


def questions_for(taxonomy: Taxonomy, need: str | None) -> tuple[str, ...]:
    if need is None:
        return ("location", "payment", "age")
    code: str | None = need
    while code is not None:
        if code in QUESTIONS:
            return QUESTIONS[code]
        code = taxonomy.term(NEEDS, code).parent
    return ("location",)


def is_skip(text: str | None) -> bool:
    return bool(text) and (text == SKIP or bool(SKIP_WORDS.match(text)))


@dataclass
class Answer:
    """A validated slot value, or why it was refused (``problem`` is said to the caller, in
    the language the reader was given)."""

    value: object = None
    problem: str | None = None


def read_need(vocabulary: Vocabulary, values: list[str]) -> tuple[str | None, list[str]]:
    """The first recognised need, and the others to offer afterwards."""
    codes: list[str] = []
    for value in values:
        code = vocabulary.code("need", value)
        if code and code not in codes:
            codes.append(code)
    if not codes:
        return None, []
    # "therapy for my depression" is one need, the most specific one named: counseling,
    # not also mental health care.
    taxonomy = vocabulary.taxonomy
    related = taxonomy.with_descendants(NEEDS, codes[0]) | set(taxonomy.ancestors(NEEDS, codes[0]))
    family = [code for code in codes if code in related]
    first = max(family, key=lambda code: len(taxonomy.ancestors(NEEDS, code)))
    return first, [code for code in codes if code not in related]


def read_location(directory: Directory, text: str | None, language: str = "en") -> Answer:
    if is_skip(text):
        return Answer(SKIP)
    try:
        place = directory.gazetteer.resolve(text or "")
    except PlaceError as error:
        if error.kind == "unknown_zip":
            return Answer(problem=say("answer.zip_unknown", language, problem=error.said_in(language)))
        return Answer(problem=say("answer.place_unknown", language))
    return Answer(place.postal_code if place.kind == "zip" else place.label)


# "nothing rn", "none", "nada", said to "how would you pay?": no insurance, so a sliding fee or
# free care. Read only as that answer: a "nothing" said to another question pays for nothing.
NO_COVERAGE = re.compile(
    r"^\W*(?:nothing|none|nada|ninguno|ninguna|zero|zip)\b(?:\W+(?:rn|right now|at the moment|for now|"
    r"yet|ahora|por ahora|todav[ií]a|really|at all|de nada))*\W*$",
    re.IGNORECASE,
)


def read_payment(vocabulary: Vocabulary, text: str | None, language: str = "en") -> Answer:
    if text and NO_COVERAGE.match(text):  # before the skip words, which have "none"
        return Answer("sliding_fee")
    if is_skip(text):
        return Answer(SKIP)
    code = vocabulary.code("payment", text)
    if code is None:
        return Answer(problem=say("answer.payment_unknown", language))
    return Answer(code)


def read_age(text: str | None, language: str = "en") -> Answer:
    if is_skip(text):
        return Answer(SKIP)
    age = age_from_text(text)
    if age is None:
        return Answer(problem=say("answer.age_not_a_number", language))
    return Answer(str(age))


# Words every kind of service has in its name: they name no service in particular.
GENERIC_NAME_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "for",
        "in",
        "at",
        "on",
        "to",
        "with",
        "by",
        "&",
        "-",
        "center",
        "centre",
        "centers",
        "services",
        "service",
        "program",
        "programs",
        "clinic",
        "clinics",
        "health",
        "mental",
        "behavioral",
        "behavioural",
        "adult",
        "adults",
        "outpatient",
        "inpatient",
        "support",
        "group",
        "groups",
        "recovery",
        "treatment",
        "crisis",
        "line",
        "lines",
        "care",
        "family",
        "families",
        "youth",
        "teen",
        "child",
        "children",
        "counseling",
        "counselling",
        "therapy",
        "therapist",
        "psychiatry",
        "psychiatric",
        "medication",
        "management",
        "individual",
        "peer",
        "drop-in",
        "drop",
        "in",
        "walk-in",
        "walk",
        "community",
        "philadelphia",
        "philly",
        "county",
        "pa",
        "nj",
        "inc",
        "llc",
        "residential",
        "house",
        "housing",
        "home",
        "homes",
        "emergency",
        "shelter",
        "food",
        "pantry",
        "legal",
        "help",
        "assistance",
        "benefits",
        "line",
        "hotline",
        "warmline",
        "network",
        "partners",
        "associates",
    ]
)
NAMED_MATCH = 88


def distinctive(name: str) -> str:
    """The words of a name that tell it apart ("Lantern Path" of "Lantern Path Recovery Center")."""
    words = re.findall(r"[\w'’]+", name.casefold())
    return " ".join(word for word in words if word not in GENERIC_NAME_WORDS)


def services_named(text: str, names: Mapping[str, Sequence[str]]) -> list[str]:
    """The services (ids) a caller names in ``text``, by their own or their organization's name."""
    said = " ".join(re.findall(r"[\w'’]+", text.casefold()))

    def named(form_of: Callable[[str], str], shortest: int) -> list[str]:
        def said_in(form: str) -> bool:
            return len(form) >= shortest and fuzz.partial_ratio(form, said) >= NAMED_MATCH

        return [
            service_id
            for service_id, candidates in names.items()
            if any(said_in(form_of(name)) for name in candidates)
        ]

    # The whole name first; else its first words, as callers shorten "Casa Aurora Salud
    # Mental y Familia" (every service of that organization).
    return named(distinctive, 4) or named(lambda name: " ".join(distinctive(name).split()[:2]), 8)


# A clause that turns a service down: "and not riverward on frankford ave", "pero no casa
# aurora porfa", "anywhere except Lantern Path", "ya fui a Casa Aurora".
TURNING_DOWN = re.compile(
    r"\b(?:not|no|don'?t|dont|never|except|besides|other than|anywhere but|already (?:been|went|tried)|"
    r"been there|went there|no me mande\w*|menos|excepto|salvo|ya fui|ya estuve|ya estuvo|ya fue|nunca)\b",
    re.IGNORECASE,
)
# Refusals said after the name ("Riverward, been there"); any other refusal names what follows it
# ("has Medicare, not Medical Assistance" turns down no "Medicare Counseling").
SAID_AFTER_THE_NAME = re.compile(
    r"\b(?:already (?:been|went|tried)|been there|went there|ya (?:fui|estuve|estuvo|fue))\b", re.IGNORECASE
)
NAME_WORDS = re.compile(r"[\w'’]{4,}")
CLAUSE_BREAK = re.compile(r"[.;!?\n]+|,\s*(?=(?:and|but|y|pero|o|or)\b)|\b(?:but|pero)\b", re.IGNORECASE)


def services_turned_down(text: str, names: Mapping[str, Sequence[str]]) -> list[str]:
    """The services a caller turns down in passing, named in a clause with a refusal in it
    ("I work til 5, and not Riverward, I went there last year"); a question about one ("what
    do I bring to Cedar Park? I don't have ID") turns nothing down."""
    turned_down: list[str] = []
    for service_ids, _start, _end in refusals(text, names):
        turned_down += [s for s in service_ids if s not in turned_down]
    return turned_down


def refusals(text: str, names: Mapping[str, Sequence[str]]) -> list[tuple[list[str], int, int]]:
    """Each clause of ``text`` that turns services down: those services, and where it starts and ends
    (a place said in it, "not Riverward on Frankford Ave", is the service's, not the caller's)."""
    text = text or ""
    bounds, start = [], 0
    for piece in CLAUSE_BREAK.finditer(text):
        bounds.append((start, piece.start()))
        start = piece.end()
    bounds.append((start, len(text)))
    clauses = [(s, e) for s, e in bounds if TURNING_DOWN.search(text[s:e])]
    if not clauses:
        return []
    # Only services with a word of their name begun in the message are matched closely: "no"
    # and "not" are in many answers, and a close match against every name of a large directory
    # would cost every such turn tens of milliseconds.
    begun = {word[:4] for word in NAME_WORDS.findall(text.casefold())}
    candidates = {
        service_id: forms
        for service_id, forms in names.items()
        if any(
            word[:4] in begun
            for form in forms
            for word in NAME_WORDS.findall(form.casefold())
            if word not in GENERIC_NAME_WORDS
        )
    }
    found = []
    for start, end in clauses:
        clause = text[start:end]
        refused = (
            clause if SAID_AFTER_THE_NAME.search(clause) else clause[TURNING_DOWN.search(clause).start() :]
        )
        named = services_named(refused, candidates)
        if named:
            found.append((named, start, end))
    return found
