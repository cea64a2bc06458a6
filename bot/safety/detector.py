"""The rule layer of crisis recognition, built with spaCy.

Beside the trained ``crisis`` intent, every message is checked here, so that
recall never depends on the classifier alone. Two kinds of evidence:

- **statements** that are risk on their own ("kill myself"), in
  ``data/safety/patterns.yml``;
- **situations**: combinations of signals none of which is risk alone (a
  method and that it is ready; something swallowed and in a quantity; voices
  and a command to harm), in ``data/safety/situations.yml``.

Each carries a level: ``imminent`` (means at hand, an act under way) or
``possible`` (finality, hopelessness, farewell), which the response follows.

- English phrases are matched by lemma with spaCy's ``Matcher`` on a blank
  English pipeline with the lookup lemmatizer ("killing myself" is "kill
  myself"); ``exact`` phrases and Spanish ones as lower-case, accent-free text.
- Text-speak and typos: contractions typed without apostrophes are restored,
  digits and symbols inside words are read as letters ("su!c!de", "d13"), and
  unknown words close to a risk word are read as that word ("klil mysefl",
  "sucidal", "matrame"), with rapidfuzz's optimal string alignment distance.
- Suppression removes only the match it overlaps: idioms ("this wait is killing
  me"), explicit denials ("I'm not suicidal"), harm-reduction requests ("where
  can I get narcan"); and a match that is only a topic word ("suicide",
  "overdose") when the message asks for training or information or speaks of
  the past with nothing saying the risk is current.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import unicodedata
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import spacy
import yaml
from rapidfuzz import process
from rapidfuzz.distance import OSA
from spacy.matcher import Matcher

from bot.config import PROJECT_ROOT
from bot.nlp.words import KNOWN_WORD_LOG_PROB, word_log_probs
from bot.safety.finding import IMMINENT, POSSIBLE, Finding

PATTERNS_FILE = PROJECT_ROOT / "data" / "safety" / "patterns.yml"
SITUATIONS_FILE = PROJECT_ROOT / "data" / "safety" / "situations.yml"
MAX_GAP = 4
# Words that make a gap's far side about a person, not a thing.
NOT_A_THING_GAP = r"(?:i|i'm|im|me|my|myself|he|he's|hes|him|himself|she|she's|shes|her|herself|they|them|we|us|you|want|wanna|wants)"

CONTRACTIONS = {
    "im": "i'm",
    "ive": "i've",
    "id": "i'd",
    "ill": "i'll",
    "dont": "don't",
    "doesnt": "doesn't",
    "didnt": "didn't",
    "cant": "can't",
    "wont": "won't",
    "isnt": "isn't",
    "arent": "aren't",
    "wasnt": "wasn't",
    "werent": "weren't",
    "shouldnt": "shouldn't",
    "couldnt": "couldn't",
    "wouldnt": "wouldn't",
    "hes": "he's",
    "shes": "she's",
    "theyre": "they're",
    "youre": "you're",
    "thats": "that's",
    "whats": "what's",
}
# Text-speak, spelled out before matching.
SHORTHAND = {
    "2nite": "tonight",
    "2night": "tonight",
    "tn": "tonight",
    "tnite": "tonight",
    "rn": "right now",
    "imma": "i'm going to",
    "ima": "i'm going to",
    "tryna": "trying to",
    "gonna": "going to",
    "wanna": "want to",
    "2day": "today",
    "u": "you",
    "ur": "your",
    "w": "with",
    "abt": "about",
    "bc": "because",
    "cuz": "because",
    "idk": "i don't know",
    "pls": "please",
    "plz": "please",
    "yrs": "years",
    "yr": "year",
    "mins": "minutes",
    "wan2": "want to",
    "want2": "want to",
    "wana": "want to",
    "kero": "quiero",
    "kiero": "quiero",
    "qiero": "quiero",
    "bibir": "vivir",
    "xfa": "por favor",
    "mtr": "matar",
    "ot": "to",
    "b": "be",
    "wnt": "want",
    "dei": "die",
    "ded": "dead",
    "dne": "done",
    "aki": "aqui",
    "kitar": "quitar",
    "bida": "vida",
    "mtrme": "matarme",
    "hv": "have",
    "bn": "been",
    "xq": "porque",
    "wit": "with",
}
# Spanish text-speak ("q", "pa", "pq"), spelled out once a message is known to be Spanish
# ("pa" is also Pennsylvania in English).
SPANISH_SHORTHAND = {
    "q": "que",
    "k": "que",
    "pa": "para",
    "pq": "porque",
    "xk": "porque",
    "tb": "tambien",
    "tmb": "tambien",
    "d": "de",
    "x": "por",
}
# Words worth recognising through a typo ("kil myslef", "pils", "sucide", "noos"): an unknown
# word this close to one of them is read as it.
KEY_WORDS = (
    "kill",
    "killing",
    "myself",
    "himself",
    "herself",
    "themselves",
    "die",
    "dying",
    "dead",
    "suicide",
    "suicidal",
    "pills",
    "overdose",
    "overdosing",
    "cutting",
    "hurt",
    "hurting",
    "want",
    "end",
    "life",
    "alive",
    "live",
    "tonight",
    "jump",
    "jumping",
    "bridge",
    "breathing",
    "gun",
    "rope",
    "noose",
    "knife",
    "voices",
    "anymore",
    "everyone",
    "goodbye",
    "burden",
    "forever",
    "swallowed",
    "tylenol",
    "acetaminophen",
    "antifreeze",
    "bleach",
    "xanax",
    "sleeping",
    "loaded",
    "garage",
    "exhaust",
    "everything",
)
# The same for Spanish messages; a word the Spanish lemma tables know is never corrected.
SPANISH_KEY_WORDS = (
    "matar",
    "matarme",
    "morir",
    "morirme",
    "muerto",
    "muerta",
    "suicidio",
    "suicidarme",
    "suicida",
    "quitarme",
    "vida",
    "vivir",
    "pastillas",
    "soga",
    "pistola",
    "despedida",
    "despedirme",
    "carga",
    "cortarme",
    "lastimarme",
    "ahorcarme",
    "veneno",
    "puente",
    "siempre",
    "desaparecer",
    "quiero",
    "noche",
)
LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "@": "a", "$": "s", "!": "i"})
THIRD_PERSON = {
    "he",
    "she",
    "they",
    "him",
    "her",
    "them",
    "himself",
    "herself",
    "themselves",
    "his",
    "hers",
    "their",
}
RELATIONS = re.compile(
    r"\bmy (son|daughter|kid|child|friend|brother|sister|mom|mother|dad|father|husband|wife|partner|boyfriend|"
    r"girlfriend|student|client|patient|roommate|cousin|grandson|granddaughter|niece|nephew|aunt|uncle|coworker|"
    r"teen|teenager|neighbor|neighbour|grandma|grandpa|grandmother|grandfather|stepdad|stepmom|stepson|stepdaughter|"
    r"fiance|fiancee|spouse|grandchild|participant|resident|congregant)\b|\bmi (hijo|hija|hermano|hermana|esposo|esposa|"
    r"amigo|amiga|madre|padre|novio|novia|pareja|mama|papa|abuelo|abuela|tio|tia|primo|prima|sobrino|sobrina|nieto|nieta|"
    r"companero|companera|alumno|alumna|estudiante|cliente|paciente|vecino|vecina|hijastro|hijastra|suegro|suegra)\b"
)
FIRST_PERSON = re.compile(r"\b(i|i'm|me|my|myself|mine|i've|i'd|i'll|yo|me|mi)\b")
VETERAN = re.compile(
    r"\b(veteran|vet|vets|veterans|military|army|navy|marine|marines|air force|national guard|served|deployment|deployed|combat)\b"
)
# "if someone tells me...", "someone who is...": asking how to help in general, not about a person now.
HYPOTHETICAL = re.compile(
    r"\b(if (someone|somebody|a person|a student|a client|a friend|a teen|a teenager)|someone who|a person who|"
    r"people who|what are the (warning )?signs|warning signs?|a sign of|ask someone|(for|studying for) (my|a|an|the) "
    r"(exam|class|test|course|paper)|es para una clase)\b"
)
FIRST_PERSON_BEFORE = re.compile(
    r"\b(i'm|i am|im|i feel|feeling|i've been|i have been|i get|makes me)\s+(so\s+|very\s+|really\s+|kinda\s+)?$"
)
ADJECTIVES = {"suicidal", "psychotic", "homicidal"}
# Verbs that tell a statement in the past ("my friend hung himself in 2016"); regular ones end in -ed.
PAST_WORDS = {
    "was",
    "were",
    "had",
    "tried",
    "took",
    "did",
    "attempted",
    "used",
    "hung",
    "shot",
    "slit",
    "ate",
    "drank",
    "threw",
    "fell",
    "drove",
    "wrote",
    "gave",
    "went",
    "heard",
    "felt",
    "thought",
    "saw",
    "said",
    "told",
    "intente",
    "intento",
    "tuve",
    "tuvo",
    "estuve",
    "estuvo",
    "suicido",
    "murio",
    "mato",
    "tomo",
    "fue",
    "era",
    "estaba",
    "internaron",
}
WHOLE_MESSAGE_EVIDENCE = {"information_request", "past_history"}
YEAR = re.compile(r"\b(19[5-9]\d|20[0-2]\d)\b")


def fold(text: str) -> str:
    """Lower case without accents, as the Spanish and exact phrases are written."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise(text: str) -> str:
    """The message as the patterns expect it: lower case, contractions restored, leetspeak read."""
    text = fold(text).replace("’", "'").replace("‘", "'")
    text = re.sub(r"(^|\s)'+|'+(?=\s|$|[.,!?;:])", r"\1 ", text)  # quotes, not apostrophes
    text = re.sub(r'["“”«»]', " ", text)
    # Letters spelled with dots ("k.m.s.") are the word they spell.
    text = re.sub(r"\b(?:[a-z]\.){2,}[a-z]?\b\.?", lambda m: m.group(0).replace(".", ""), text)
    words = []
    for word in re.split(r"(\s+)", text):
        core = word.strip('.,;:?"()[]')
        if core in CONTRACTIONS:
            word = word.replace(core, CONTRACTIONS[core])
        elif core in SHORTHAND:
            word = word.replace(core, SHORTHAND[core])
        elif "*" in core and re.fullmatch(r"[a-z*]+", core):
            censored = re.compile(core.replace("*", "[a-z]{1,2}") + "$")
            word = word.replace(core, next((key for key in KEY_WORDS if censored.match(key)), core))
        elif (
            re.search(r"[a-z]", core)
            and re.search(r"[0-9@$!]", core.rstrip("!"))
            and not re.fullmatch(r"\d+[a-z]{1,2}", core)
        ):
            word = word.replace(core, core.translate(LEET))
        words.append(word)
    text = "".join(words)
    return re.sub(r"([a-z])\1{2,}", r"\1\1", text)


def option_regex(option: str) -> str:
    """One choice of a phrase: words separated by any space; ``#num`` is any number."""
    return r"\s+".join(r"\d+" if word == "#num" else re.escape(word) for word in option.split())


def phrase_regex(phrase: str) -> re.Pattern:
    """A phrase (``{a|b}`` one of, ``?word`` optional, ``...`` a gap, ``~...`` a gap without a
    person in it, ``#num`` a number) as a regular expression over normalised text."""
    pattern = ""
    for part in re.findall(r"\{[^}]*\}|\S+", phrase):
        if part in ("...", "?..."):
            # A comma or a full stop may end the word before a gap ("his pills, where do i...").
            pattern += rf"[.,;:!?]?(?:\s+\S+){{0,{MAX_GAP}}}"
            continue
        if part == "~...":
            # A gap no person stands in: "my car ... died", never "my car and i want to die".
            pattern += rf"[.,;:!?]?(?:\s+(?!{NOT_A_THING_GAP}(?![a-z0-9']))\S+){{0,{MAX_GAP}}}"
            continue
        optional = part.startswith("?")
        part = part.lstrip("?")
        options = part[1:-1].split("|") if part.startswith("{") else [part]
        body = "(?:" + "|".join(option_regex(option) for option in options) + ")"
        piece = (r"\s+" if pattern else "") + body
        pattern += f"(?:{piece})?" if optional else piece
    return re.compile(r"(?<![a-z0-9'])" + pattern + r"(?![a-z0-9])")


WORD_RUN = re.compile(r"[a-z0-9']+|[a-z0-9]+|[^\sa-z0-9']")


def text_words(normal: str) -> frozenset[str]:
    """The words a phrase may start with: runs of letters and digits (with and without
    apostrophes), and every other visible character (an emoji)."""
    return frozenset(WORD_RUN.findall(normal)) | frozenset(re.findall(r"[a-z0-9]+", normal))


@dataclass(frozen=True)
class Phrase:
    """A compiled phrase, and the words one of which it must start with (None: any)."""

    regex: re.Pattern
    triggers: frozenset[str] | None

    def finditer(self, normal: str, words: frozenset[str]):
        if self.triggers is not None and self.triggers.isdisjoint(words):
            return iter(())
        return self.regex.finditer(normal)

    def search(self, normal: str, words: frozenset[str]) -> bool:
        return bool(next(self.finditer(normal, words), None))


def phrase(text: str) -> Phrase:
    """``phrase_regex`` with its first words indexed, so a message runs only the phrases it can match."""
    text = fold(text)
    parts = re.findall(r"\{[^}]*\}|\S+", text)
    first = parts[0] if parts else "?"
    triggers: frozenset[str] | None = None
    if not first.startswith("?") and first != "...":
        options = first[1:-1].split("|") if first.startswith("{") else [first]
        leads = [option.split()[0] if option.split() else "" for option in options]
        if all(lead and lead != "#num" for lead in leads):
            triggers = frozenset(WORD_RUN.findall(lead)[0] for lead in leads)
    return Phrase(phrase_regex(text), triggers)


def closest(word: str, keys: tuple[str, ...]) -> str | None:
    """The key word an unknown word is a typo of: one edit for short words, two for long ones
    (a swap of two letters is one edit)."""
    if len(word) < 3:
        return None
    limit = 2 if len(word) >= 7 else 1
    found = process.extractOne(word, keys, scorer=OSA.distance, score_cutoff=limit)
    if found is None:
        return None
    key = found[0]
    if len(word) < 5 and key[0] != word[0] and sorted(key) != sorted(word):
        return None  # a short word keeps its first letter, unless two letters were swapped ("ikll")
    return key


@dataclass(frozen=True)
class Match:
    category: str
    text: str
    start: int  # character offsets in the normalised text
    end: int
    topic: bool = False
    level: str = IMMINENT
    situation: str | None = None  # the situation's name, for a match made of signals

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


@dataclass(frozen=True)
class Situation:
    """Signals that together are risk: every entry of ``all`` present (a tuple: any one of it)."""

    name: str
    category: str
    level: str
    all: tuple[tuple[str, ...], ...]
    # Told in the present whatever the past around it ("he died two years ago and i want to be
    # with him"): the message's history never makes it one.
    current: bool = False


@dataclass
class Assessment:
    """What the rule layer found in one message."""

    text: str
    matches: list[Match] = field(default_factory=list)
    suppressed: list[tuple[str, Match]] = field(default_factory=list)
    language: str = "en"
    third_party: bool = False
    veteran: bool = False
    # Evidence that the message is a known hard negative (an idiom, a request for
    # information, past history, harm-reduction supplies, disposal, a schedule), found anywhere in it.
    negatives: list[str] = field(default_factory=list)
    # Risk words standing outside idioms and denials: while there are any, negative
    # evidence never overrules the classifier.
    risk_words: list[str] = field(default_factory=list)

    @property
    def is_crisis(self) -> bool:
        return bool(self.matches)

    @property
    def level(self) -> str | None:
        """``imminent`` when any match is, ``possible`` when all are, None without a match."""
        if not self.matches:
            return None
        return IMMINENT if any(m.level == IMMINENT for m in self.matches) else POSSIBLE

    @property
    def situations(self) -> list[str]:
        return sorted({m.situation for m in self.matches if m.situation})

    @property
    def categories(self) -> list[str]:
        order = (
            "overdose",
            "suicidal",
            "plan_or_means",
            "self_harm",
            "harm_to_others",
            "danger_at_home",
            "psychosis",
            "exploitation",
        )
        found = {("suicidal" if m.category in ("slang", "finality") else m.category) for m in self.matches}
        return [category for category in order if category in found]

    def finding(self) -> Finding:
        """What the response and the action server need of this assessment."""
        return Finding(
            categories=tuple(self.categories),
            situations=tuple(self.situations),
            level=self.level,
            third_party=self.third_party,
            veteran=self.veteran,
            language=self.language,
            risk_words=tuple(self.risk_words),
            negatives=tuple(self.negatives),
        )

    @property
    def hides_no_risk(self) -> bool:
        """Positive evidence of an ordinary request, and not one risk word beside it; a request for
        information or history with nothing current speaks for the whole message, its risk words too."""
        if self.matches or not self.negatives:
            return False
        return not self.risk_words or bool(WHOLE_MESSAGE_EVIDENCE & set(self.negatives))


@dataclass(frozen=True)
class Context:
    """What a whole message says about time and purpose."""

    informational: bool  # asks for training or information
    past: bool  # speaks of the past ("years ago", "sober since")
    present: bool  # says something is current ("tonight", "again"), or "today" with nothing stable now
    hypothetical: bool  # "if someone...", "what are the warning signs"

    @property
    def history(self) -> bool:
        """The past with nothing current: topic words and situations are history, not risk."""
        return self.past and not self.present

    @property
    def kinds(self) -> set[str]:
        kinds = set()
        if self.informational:
            kinds.add("information_request")
        if self.history:
            kinds.add("past_history")
        return kinds


def _phrases(languages: dict[str, list[str]]) -> list[Phrase]:
    return [phrase(text) for texts in languages.values() for text in texts]


class CrisisDetector:
    def __init__(self, patterns_path: Path = PATTERNS_FILE, situations_path: Path = SITUATIONS_FILE):
        document = yaml.safe_load(patterns_path.read_text(encoding="utf-8"))
        self.levels: dict[str, str] = document["levels"]
        self.nlp = spacy.blank("en")
        self.nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        self.nlp.initialize()
        self.matcher = Matcher(self.nlp.vocab)
        self.regexes: list[tuple[str, str, Phrase]] = []  # (category or suppress kind, language, phrase)
        self.topic_words = {normalise(word) for word in document["topic_words"]}
        for category, languages in document["categories"].items():
            for text in languages.get("en", []):
                self._add_lemma_phrase(category, text)
            for key in ("exact", "es"):
                for text in languages.get(key, []):
                    self.regexes.append((category, key, phrase(text)))
        for kind, languages in document["suppress"].items():
            for language, phrases in languages.items():
                for text in phrases:
                    self.regexes.append((f"suppress:{kind}", language, phrase(text)))
        self.evidence = {kind: _phrases(languages) for kind, languages in document["evidence"].items()}
        self.risk_words = {fold(word) for words in document["risk_words"].values() for word in words}
        self.fuzzy_words = [fold(word) for word in document["fuzzy_words"]]
        self.information = _phrases(document["information_context"])
        self.past = [
            *_phrases(document["past_markers"]),
            Phrase(
                re.compile(
                    r"\b\d+\s+(years?|months?)\s+(ago|clean|sober)\b|\b\d+\s+weeks?\s+(clean|sober)\b"
                ),
                None,
            ),
            Phrase(re.compile(r"\bhace\s+\d+\s+(anos|meses)\b"), None),
        ]
        self.word_log_probs = word_log_probs()
        self.spanish_words = spanish_words()
        self.present = _phrases(document["present_markers"])
        self.weak_present = _phrases(document["weak_present_markers"])
        self.stability = _phrases(document["stability_markers"])
        situations = yaml.safe_load(situations_path.read_text(encoding="utf-8"))
        self.signals = {name: _phrases({"any": phrases}) for name, phrases in situations["signals"].items()}
        self.situations = [
            Situation(
                name=entry["name"],
                category=entry["category"],
                level=entry["level"],
                all=tuple(tuple(part) if isinstance(part, list) else (part,) for part in entry["all"]),
                current=entry.get("current", False),
            )
            for entry in situations["situations"]
        ]
        self.current_situations = frozenset(s.name for s in self.situations if s.current)
        # Words our own phrases use ("unalive", "sewerslide", "oxys") are never typos of something else.
        self.own_words = frozenset(
            word
            for document_ in (document, situations)
            for word in re.findall(r"[a-z']+", fold(yaml.safe_dump(document_, allow_unicode=True)))
        )
        unknown = {name for s in self.situations for part in s.all for name in part} - set(self.signals)
        if unknown:
            raise ValueError(f"{situations_path}: situations name unknown signals {sorted(unknown)}")

    def _lemma(self, word: str) -> str:
        return self.nlp(word)[0].lemma_.lower() if " " not in word else word

    def _add_lemma_phrase(self, category: str, phrase: str) -> None:
        """A phrase as Matcher patterns: a choice of single words is one token (any of their lemmas);
        only choices of several words are spelled out, one pattern each."""
        slots: list[list[list[dict]]] = []  # per part, its alternatives, each a run of token specs
        for part in re.findall(r"\?\{[^}]*\}|\{[^}]*\}|\S+", phrase):
            if part == "...":
                slots.append([[{"OP": "?"}] * MAX_GAP])
                continue
            optional = {"OP": "?"} if part.startswith("?") else {}
            part = part.lstrip("?")
            options = part[1:-1].split("|") if part.startswith("{") else [part]
            runs = [[token.text for token in self.nlp.make_doc(option)] for option in options]
            singles = {word for run in runs if len(run) == 1 for word in (run[0], self._lemma(run[0]))}
            alternatives = [[{"LEMMA": {"IN": sorted(singles)}, **optional}]] if singles else []
            for run in (run for run in runs if len(run) > 1):
                alternatives.append(
                    [{"LEMMA": {"IN": sorted({word, self._lemma(word)})}, **optional} for word in run]
                )
            slots.append(alternatives)
        patterns = [
            [spec for run in combination for spec in run] for combination in itertools.product(*slots)
        ]
        self.matcher.add(category, patterns)

    def correct_typos(self, normal: str, spanish: bool = False) -> str:
        """Unknown words one or two edits from a risk word become that word."""
        keys = SPANISH_KEY_WORDS if spanish else KEY_WORDS

        def known(word: str) -> bool:
            if word in self.own_words:
                return True
            if spanish:
                return is_spanish_word(word, self.spanish_words)
            return self.word_log_probs.get(word, -99.0) > KNOWN_WORD_LOG_PROB

        def fix(match: re.Match) -> str:
            word = match.group(0)
            if len(word) < 3 or known(word):
                return word
            if any(word.startswith(key) for key in keys):
                return word  # an inflection ("overdosed"), not a typo
            return closest(word, keys) or word

        return re.sub(r"[a-z]+", fix, normal)

    def assess(self, text: str | None) -> Assessment:
        text = (text or "")[:5000]
        normal = normalise(text)
        spanish = self._looks_spanish(normal)
        if spanish:
            normal = re.sub(
                r"(?<![a-z0-9'])[a-z]+(?![a-z0-9'])",
                lambda m: SPANISH_SHORTHAND.get(m.group(0), m.group(0)),
                normal,
            )
        normal = self.correct_typos(normal, spanish=spanish)
        words = text_words(normal)
        doc = self.nlp(normal)
        assessment = Assessment(text=text)
        found: list[Match] = []
        for match_id, start, end in self.matcher(doc):
            span = doc[start:end]
            found.append(
                self._match(self.nlp.vocab.strings[match_id], span.text, span.start_char, span.end_char)
            )
        suppressors: list[tuple[str, int, int]] = []
        spanish_hits = 0
        for name, language, compiled in self.regexes:
            for hit in compiled.finditer(normal, words):
                if name.startswith("suppress:"):
                    suppressors.append((name.split(":", 1)[1], hit.start(), hit.end()))
                else:
                    found.append(self._match(name, hit.group(0), hit.start(), hit.end()))
                    spanish_hits += language == "es"
        for token in doc:
            word = token.lower_
            if len(word) >= 5 and word not in self.fuzzy_words:
                target = closest(word, tuple(self.fuzzy_words))
                if target and word[0] == target[0]:
                    category = "overdose" if target.startswith("overdos") else "suicidal"
                    match = self._match(category, word, token.idx, token.idx + len(word))
                    if target in self.topic_words:  # "suicdie" is the topic word "suicide"
                        match = dataclasses.replace(match, topic=True)
                    found.append(match)
        found += self._situations(normal, words, suppressors)
        assessment.language = "es" if spanish_hits or spanish else "en"
        context = Context(
            informational=any(p.search(normal, words) for p in self.information),
            past=bool(YEAR.search(normal)) or any(p.search(normal, words) for p in self.past),
            present=any(p.search(normal, words) for p in self.present)
            or (
                any(p.search(normal, words) for p in self.weak_present)
                and not any(p.search(normal, words) for p in self.stability)
            ),
            hypothetical=bool(HYPOTHETICAL.search(normal)),
        )
        kept = self._suppress(found, suppressors, normal, context, assessment)
        evidence = {
            kind for kind, phrases in self.evidence.items() if any(p.search(normal, words) for p in phrases)
        }
        assessment.negatives = sorted({kind for kind, _start, _end in suppressors} | context.kinds | evidence)
        assessment.risk_words = self._risk_words(
            normal, suppressors + [(reason, m.start, m.end) for reason, m in assessment.suppressed]
        )
        assessment.matches = sorted(set(kept), key=lambda m: (m.start, m.category))
        if assessment.matches:
            assessment.third_party = self._third_party(normal, assessment.matches)
            assessment.veteran = bool(VETERAN.search(normal))
        return assessment

    def _match(self, category: str, text: str, start: int, end: int) -> Match:
        return Match(
            category,
            text,
            start,
            end,
            topic=normalise(text) in self.topic_words,
            level=self.levels.get(category, IMMINENT),
        )

    def _situations(
        self, normal: str, words: frozenset[str], suppressors: list[tuple[str, int, int]]
    ) -> list[Match]:
        """Situations whose every signal stands in the message outside an idiom or a denial."""
        hits: dict[str, list[tuple[int, int]]] = {}
        for name, phrases in self.signals.items():
            spans = [
                (hit.start(), hit.end())
                for compiled in phrases
                for hit in compiled.finditer(normal, words)
                if not any(start < hit.end() and hit.start() < end for _kind, start, end in suppressors)
            ]
            if spans:
                hits[name] = spans
        matches = []
        for situation in self.situations:
            spans = []
            for alternatives in situation.all:
                present = [span for name in alternatives for span in hits.get(name, [])]
                if not present:
                    break
                spans += present
            else:
                start, end = min(s for s, _e in spans), max(e for _s, e in spans)
                matches.append(
                    Match(
                        situation.category,
                        normal[start:end],
                        start,
                        end,
                        level=situation.level,
                        situation=situation.name,
                    )
                )
        return matches

    def _risk_words(self, normal: str, suppressors: list[tuple[str, int, int]]) -> list[str]:
        words = []
        for hit in re.finditer(r"[a-z]+", normal):
            if hit.group(0) in self.risk_words and not any(
                start < hit.end() and hit.start() < end for _kind, start, end in suppressors
            ):
                words.append(hit.group(0))
        return sorted(set(words))

    def _suppress(
        self, found: list[Match], suppressors, normal: str, context: Context, assessment: Assessment
    ) -> list[Match]:
        kept = []
        for match in found:
            reason = None
            if match.situation is None:
                reason = next((kind for kind, start, end in suppressors if match.overlaps(start, end)), None)
            about_me = bool(FIRST_PERSON_BEFORE.search(normal[max(0, match.start - 20) : match.start]))
            if (
                reason is None
                and context.informational
                and not about_me
                and (match.topic or match.text in ADJECTIVES or context.hypothetical)
            ):
                reason = "information_request"
            if (
                reason is None
                and context.history
                and match.situation not in self.current_situations
                and (match.topic or match.situation is not None or self._past_tense(match, normal))
            ):
                reason = "past_history"
            if (
                reason is None
                and match.category == "overdose"
                and any(kind == "harm_reduction" for kind, _s, _e in suppressors)
                and match.topic
            ):
                reason = "harm_reduction"
            if reason:
                assessment.suppressed.append((reason, match))
            else:
                kept.append(match)
        return kept

    @staticmethod
    def _past_tense(match: Match, normal: str) -> bool:
        """A statement told in the past: "self harmed", "had suicidal thoughts", "my friend hung himself"."""

        def past(word: str) -> bool:
            # "relapsed" says it is happening again, whatever the tense; "need" is no past tense.
            regular = word.endswith(("ed", "'d")) and not word.endswith("eed") and word != "relapsed"
            return regular or word in PAST_WORDS

        before = normal[: match.start].split()[-5:]
        return any(past(w) for w in match.text.split()) or any(past(w) for w in before)

    @staticmethod
    def _third_party(normal: str, matches: list[Match]) -> bool:
        words = {word for match in matches for word in re.findall(r"[a-z']+", match.text)}
        if words & {
            "myself",
            "me",
            "i",
            "my",
            "i'm",
            "mi",
            "matarme",
            "morirme",
            "suicidarme",
            "cortarme",
            "lastimarme",
        }:
            return False
        return bool(words & THIRD_PERSON) or bool(RELATIONS.search(normal))

    @staticmethod
    def _looks_spanish(normal: str) -> bool:
        from bot.nlp.language import guess

        return guess(normal) == "es"


JSON_STRING = re.compile(r'"([^"\\]*)"')


class SortedWords:
    """A set of words held as one sorted blob: membership by binary search. Half a million
    Spanish forms as a frozenset of str took 44 MB in every Rasa server; this takes about 7."""

    def __init__(self, words: Iterable[str]) -> None:
        encoded = sorted({word.encode() for word in words})
        self._blob = b"".join(encoded)
        self._ends = array("I", itertools.accumulate(len(word) for word in encoded))

    def __len__(self) -> int:
        return len(self._ends)

    def _word(self, index: int) -> bytes:
        return self._blob[self._ends[index - 1] if index else 0 : self._ends[index]]

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        wanted = word.encode()
        low, high = 0, len(self._ends)
        while low < high:
            middle = (low + high) // 2
            if self._word(middle) < wanted:
                low = middle + 1
            else:
                high = middle
        return low < len(self._ends) and self._word(low) == wanted


@lru_cache(maxsize=1)
def spanish_words() -> SortedWords:
    """Every Spanish word form spaCy's Spanish lemma table knows, accents folded. The table's
    strings are read straight from its text (plain UTF-8, no escapes): a dict of its 600,000
    pairs would only be thrown away."""
    import gzip
    import os

    import spacy_lookups_data

    path = os.path.join(os.path.dirname(spacy_lookups_data.__file__), "data", "es_lemma_lookup.json.gz")
    with gzip.open(path) as handle:
        text = handle.read().decode()
    return SortedWords(fold(match[1]) for match in JSON_STRING.finditer(text))


# Pronouns that attach to an infinitive or a gerund: "mudarme" is "mudar" + "me".
CLITICS = re.compile(r"(?:me|te|se|nos|os|lo|la|le|los|las|les)+$")
VERB_STEM = re.compile(r"(?:ar|er|ir|ando|iendo|yendo)$")


def is_spanish_word(word: str, words: SortedWords | frozenset[str]) -> bool:
    """A form the lemma table knows, or one of its infinitives or gerunds with pronouns attached
    ("mudarme", "cambiarnos"): a real word, never a typo of a risk word ("matarme")."""
    if word in words:
        return True
    return any(
        CLITICS.fullmatch(word[cut:]) and VERB_STEM.search(word[:cut]) and word[:cut] in words
        for cut in range(2, len(word) - 1)
    )


@lru_cache(maxsize=1)
def default_detector() -> CrisisDetector:
    return CrisisDetector()


def assess(text: str | None) -> Assessment:
    return default_detector().assess(text)
