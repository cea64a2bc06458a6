"""The rule layer of crisis recognition, built with spaCy.

Beside the trained ``crisis`` intent, every message is checked here, so that
recall never depends on the classifier alone. Phrases live in
``data/safety/patterns.yml`` (see its header for the syntax):

- English phrases are matched by lemma with spaCy's ``Matcher`` on a blank
  English pipeline with the lookup lemmatizer ("killing myself" is "kill
  myself"); ``exact`` phrases and Spanish ones as lower-case, accent-free text.
- Text-speak and typos: contractions typed without apostrophes are restored,
  digits and symbols inside words are read as letters ("su!c!de", "d13"), and
  near-misses of a few key words count ("sucidal").
- Suppression removes only the match it overlaps: idioms ("this wait is killing
  me"), explicit denials ("I'm not suicidal"), harm-reduction requests ("where
  can I get narcan"); and a match that is only a topic word ("suicide",
  "overdose") when the message asks for training or information or speaks of
  the past with nothing saying the risk is current.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import spacy
import yaml
from spacy.matcher import Matcher

from bot.config import PROJECT_ROOT
from bot.nlp.words import KNOWN_WORD_LOG_PROB, word_log_probs

PATTERNS_FILE = PROJECT_ROOT / "data" / "safety" / "patterns.yml"
MAX_GAP = 4

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
}
# Words worth recognising through a typo ("kil myslef", "pils", "sucide").
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
    "knife",
    "voices",
    "anymore",
    "everyone",
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
    r"teen|teenager|neighbor|neighbour)\b|\bmi (hijo|hija|hermano|hermana|esposo|esposa|amigo|amiga|madre|padre|"
    r"novio|novia)\b"
)
FIRST_PERSON = re.compile(r"\b(i|i'm|me|my|myself|mine|i've|i'd|i'll|yo|me|mi)\b")
VETERAN = re.compile(
    r"\b(veteran|vet|vets|veterans|military|army|navy|marine|marines|air force|national guard|served|deployment|deployed|combat)\b"
)
# "if someone tells me...", "someone who is...": asking how to help in general, not about a person now.
HYPOTHETICAL = re.compile(
    r"\b(if (someone|somebody|a person|a student|a client|a friend|a teen|a teenager)|someone who|a person who|people who|what are the (warning )?signs)\b"
)
FIRST_PERSON_BEFORE = re.compile(
    r"\b(i'm|i am|im|i feel|feeling|i've been|i have been|i get|makes me)\s+(so\s+|very\s+|really\s+|kinda\s+)?$"
)
ADJECTIVES = {"suicidal", "psychotic", "homicidal"}
YEAR = re.compile(r"\b(19[5-9]\d|20[0-2]\d)\b")


def fold(text: str) -> str:
    """Lower case without accents, as the Spanish and exact phrases are written."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise(text: str) -> str:
    """The message as the patterns expect it: lower case, contractions restored, leetspeak read."""
    text = fold(text).replace("’", "'").replace("‘", "'")
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


def expand(phrase: str) -> list[list[str]]:
    """'{a|b c} d ?e ... f' -> token lists, one per choice; '?x' optional, '...' a gap."""
    parts = re.findall(r"\{[^}]*\}|\S+", phrase)
    choices = []
    for part in parts:
        if part.startswith("{"):
            choices.append([option.split() for option in part[1:-1].split("|")])
        else:
            choices.append([[part]])
    return [[token for group in combo for token in group] for combo in itertools.product(*choices)]


def phrase_regex(phrase: str) -> re.Pattern:
    """The same phrase syntax as ``expand``, as a regular expression over normalised text."""
    pattern = ""
    for part in re.findall(r"\{[^}]*\}|\S+", phrase):
        if part == "...":
            pattern += rf"(?:\s+\S+){{0,{MAX_GAP}}}"
            continue
        optional = part.startswith("?")
        part = part.lstrip("?")
        options = part[1:-1].split("|") if part.startswith("{") else [part]
        body = "(?:" + "|".join(re.escape(option).replace(r"\ ", r"\s+") for option in options) + ")"
        piece = (r"\s+" if pattern else "") + body
        pattern += f"(?:{piece})?" if optional else piece
    return re.compile(r"(?<![a-z0-9'])" + pattern + r"(?![a-z0-9])")


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance, stopping early past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


@dataclass(frozen=True)
class Match:
    category: str
    text: str
    start: int  # character offsets in the normalised text
    end: int
    topic: bool = False

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


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
    # information, past history, harm-reduction supplies), found anywhere in it.
    negatives: list[str] = field(default_factory=list)

    @property
    def is_crisis(self) -> bool:
        return bool(self.matches)

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
        )
        found = {("suicidal" if m.category == "slang" else m.category) for m in self.matches}
        return [category for category in order if category in found]


class CrisisDetector:
    def __init__(self, patterns_path: Path = PATTERNS_FILE):
        document = yaml.safe_load(patterns_path.read_text(encoding="utf-8"))
        self.nlp = spacy.blank("en")
        self.nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        self.nlp.initialize()
        self.matcher = Matcher(self.nlp.vocab)
        self.regexes: list[tuple[str, str, re.Pattern]] = []  # (category or suppress kind, language, regex)
        self.topic_words = {normalise(word) for word in document["topic_words"]}
        for category, languages in document["categories"].items():
            for phrase in languages.get("en", []):
                self._add_lemma_phrase(category, phrase)
            for key in ("exact", "es"):
                for phrase in languages.get(key, []):
                    self.regexes.append((category, key, phrase_regex(fold(phrase))))
        for kind, languages in document["suppress"].items():
            for language, phrases in languages.items():
                for phrase in phrases:
                    self.regexes.append((f"suppress:{kind}", language, phrase_regex(fold(phrase))))
        self.fuzzy_words = [fold(word) for word in document["fuzzy_words"]]
        self.information = {
            language: [phrase_regex(fold(word)) for word in words]
            for language, words in document["information_context"].items()
        }
        self.past = {
            language: [phrase_regex(fold(w)) for w in words]
            for language, words in document["past_markers"].items()
        }
        self.past.setdefault("en", []).append(
            re.compile(r"\b\d+\s+(years?|months?|weeks?)\s+(ago|clean|sober)\b")
        )
        self.past.setdefault("es", []).append(re.compile(r"\bhace\s+\d+\s+(anos|meses)\b"))
        self.word_log_probs = word_log_probs()
        self.present = {
            language: [phrase_regex(fold(w)) for w in words]
            for language, words in document["present_markers"].items()
        }

    def _lemma(self, word: str) -> str:
        return self.nlp(word)[0].lemma_.lower() if " " not in word else word

    def _add_lemma_phrase(self, category: str, phrase: str) -> None:
        patterns = []
        for tokens in expand(phrase):
            pattern = []
            for token in tokens:
                if token == "...":
                    pattern += [{"OP": "?"}] * MAX_GAP
                    continue
                optional = token.startswith("?")
                word = token.lstrip("?")
                words = [w for w in (t.text for t in self.nlp.make_doc(word))]
                for piece in words:
                    spec: dict = {"LEMMA": {"IN": sorted({piece, self._lemma(piece)})}}
                    if optional:
                        spec["OP"] = "?"
                    pattern.append(spec)
            patterns.append(pattern)
        self.matcher.add(category, patterns)

    def correct_typos(self, normal: str) -> str:
        """Unknown words one or two letters away from a key word become that word."""

        def fix(match: re.Match) -> str:
            word = match.group(0)
            if len(word) < 3 or self.word_log_probs.get(word, -99.0) > KNOWN_WORD_LOG_PROB:
                return word
            if any(word.startswith(key) for key in KEY_WORDS):
                return word  # an inflection ("overdosed"), not a typo
            for key in KEY_WORDS:
                limit = 2 if len(key) >= 7 else 1
                if word[0] == key[0] and edit_distance(word, key, limit) <= limit:
                    return key
            return word

        return re.sub(r"[a-z]+", fix, normal)

    def assess(self, text: str | None) -> Assessment:
        text = (text or "")[:5000]
        normal = normalise(text)
        if not self._looks_spanish(normal):
            normal = self.correct_typos(normal)
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
        for name, language, regex in self.regexes:
            for hit in regex.finditer(normal):
                if name.startswith("suppress:"):
                    suppressors.append((name.split(":", 1)[1], hit.start(), hit.end()))
                else:
                    found.append(self._match(name, hit.group(0), hit.start(), hit.end()))
                    spanish_hits += language == "es"
        for token in doc:
            word = token.lower_
            if len(word) >= 5 and word not in self.fuzzy_words:
                for target in self.fuzzy_words:
                    limit = 2 if len(target) >= 8 else 1
                    if word[0] == target[0] and edit_distance(word, target, limit) <= limit:
                        category = "overdose" if target.startswith("overdos") else "suicidal"
                        found.append(self._match(category, word, token.idx, token.idx + len(word)))
                        break
        assessment.language = "es" if spanish_hits or self._looks_spanish(normal) else "en"
        kept = self._suppress(found, suppressors, normal, assessment)
        assessment.negatives = sorted({kind for kind, _start, _end in suppressors} | self._contexts(normal))
        assessment.matches = sorted(set(kept), key=lambda m: (m.start, m.category))
        if assessment.matches:
            assessment.third_party = self._third_party(normal, assessment.matches)
            assessment.veteran = bool(VETERAN.search(normal))
        return assessment

    def _match(self, category: str, text: str, start: int, end: int) -> Match:
        return Match(category, text, start, end, topic=normalise(text) in self.topic_words)

    def _suppress(self, found: list[Match], suppressors, normal: str, assessment: Assessment) -> list[Match]:
        informational = any(
            regex.search(normal) for regexes in self.information.values() for regex in regexes
        )
        past = bool(YEAR.search(normal)) or any(
            regex.search(normal) for regexes in self.past.values() for regex in regexes
        )
        present = any(regex.search(normal) for regexes in self.present.values() for regex in regexes)
        hypothetical = bool(HYPOTHETICAL.search(normal))
        kept = []
        for match in found:
            reason = next((kind for kind, start, end in suppressors if match.overlaps(start, end)), None)
            about_me = bool(FIRST_PERSON_BEFORE.search(normal[max(0, match.start - 20) : match.start]))
            if (
                reason is None
                and informational
                and not about_me
                and (match.topic or match.text in ADJECTIVES or hypothetical)
            ):
                reason = "information_request"
            if reason is None and past and not present and (match.topic or self._past_tense(match, normal)):
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

    def _contexts(self, normal: str) -> set[str]:
        contexts = set()
        if any(regex.search(normal) for regexes in self.information.values() for regex in regexes):
            contexts.add("information_request")
        past = bool(YEAR.search(normal)) or any(
            regex.search(normal) for regexes in self.past.values() for regex in regexes
        )
        present = any(regex.search(normal) for regexes in self.present.values() for regex in regexes)
        if past and not present:
            contexts.add("past_history")
        return contexts

    @staticmethod
    def _past_tense(match: Match, normal: str) -> bool:
        """A statement told in the past: "self harmed", "had suicidal thoughts", "used to cut"."""
        words = match.text.split()
        before = normal[: match.start].split()[-2:]
        past_words = {
            "was",
            "were",
            "had",
            "tried",
            "took",
            "did",
            "attempted",
            "used",
            "intente",
            "tuve",
            "estuve",
        }
        # "relapsed" says it is happening again, whatever the tense.
        return any((w.endswith(("ed", "'d")) and w != "relapsed") or w in past_words for w in words) or any(
            w in past_words for w in before
        )

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


@lru_cache(maxsize=1)
def default_detector() -> CrisisDetector:
    return CrisisDetector()


def assess(text: str | None) -> Assessment:
    return default_detector().assess(text)
