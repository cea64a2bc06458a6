"""The words callers use, turned into our codes.

One source for both the spaCy entity ruler (``build.py``) and the actions that
read entity values: the taxonomy's synonyms and the gazetteer's aliases, plus
the small closed lists below (who the help is for, languages, choices).
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.directory.places import Gazetteer, default_gazetteer
from bot.directory.taxonomy import ACCESS, NEEDS, PAYMENT, POPULATION, Taxonomy, default_taxonomy
from bot.nlp.language import fold, is_spanish_word
from bot.nlp.words import is_known

# Entity labels the ruler produces, by taxonomy.
LABELS = {NEEDS: "need", PAYMENT: "payment", POPULATION: "population", ACCESS: "access"}

RELATIONS = {
    "mom": "parent",
    "mother": "parent",
    "mum": "parent",
    "mama": "parent",
    "dad": "parent",
    "father": "parent",
    "papa": "parent",
    "son": "child",
    "daughter": "child",
    "kid": "child",
    "child": "child",
    "teen": "child",
    "boy": "child",
    "girl": "child",
    "grandma": "grandparent",
    "grandmother": "grandparent",
    "grandpa": "grandparent",
    "grandfather": "grandparent",
    "wife": "partner",
    "husband": "partner",
    "partner": "partner",
    "boyfriend": "partner",
    "girlfriend": "partner",
    "brother": "sibling",
    "sister": "sibling",
    "friend": "friend",
    "neighbor": "friend",
    "neighbour": "friend",
    "client": "client",
    "patient": "client",
    "cousin": "relative",
    "aunt": "relative",
    "uncle": "relative",
    "niece": "relative",
    "nephew": "relative",
    "grandson": "relative",
    "granddaughter": "relative",
}
# Who the help is for, in Spanish (with and without accents): the ruler's words; the values
# become codes in bot.nlp.understanding (RELATION_WORDS).
RELATIONS_ES = {
    **dict.fromkeys(
        ["mamá", "mami", "madre", "papá", "papi", "padre", "madrastra", "padrastro", "mamita", "papito"],
        "parent",
    ),
    **dict.fromkeys(
        ["hijo", "hija", "hijos", "hijas", "hijastro", "hijastra", "niño", "niña", "nene", "nena", "bebé"],
        "child",
    ),
    **dict.fromkeys(["abuela", "abuelo", "abuelita", "abuelito", "abuelos"], "grandparent"),
    **dict.fromkeys(["nieto", "nieta", "nietos", "nietas", "nietecito"], "grandchild"),
    **dict.fromkeys(["esposo", "esposa", "marido"], "spouse"),
    **dict.fromkeys(["novio", "novia", "pareja", "compañero", "compañera"], "partner"),
    **dict.fromkeys(["hermano", "hermana", "hermanos", "hermanas", "hermanito", "hermanita"], "sibling"),
    **dict.fromkeys(["amigo", "amiga", "vecino", "vecina", "compañera de cuarto"], "friend"),
    **dict.fromkeys(["cliente", "clienta", "clientes", "paciente", "pacientes", "consumidor"], "client"),
    **dict.fromkeys(
        [
            "tía",
            "tío",
            "primo",
            "prima",
            "sobrino",
            "sobrina",
            "suegra",
            "suegro",
            "cuñado",
            "cuñada",
            "ahijado",
        ],
        "relative",
    ),
}

LANGUAGES = {
    "vietnamese": "vi",
    "chinese": "zh",
    "mandarin": "zh",
    "cantonese": "zh",
    "russian": "ru",
    "ukrainian": "uk",
    "arabic": "ar",
    "french": "fr",
    "haitian creole": "ht",
    "creole": "ht",
    "portuguese": "pt",
    "korean": "ko",
    "khmer": "km",
    "sign language": "ase",
    "american sign language": "ase",
    # Spanish names of languages (accent-less forms are added by the ruler).
    "vietnamita": "vi",
    "chino": "zh",
    "mandarín": "zh",
    "cantonés": "zh",
    "ruso": "ru",
    "ucraniano": "uk",
    "árabe": "ar",
    "francés": "fr",
    "criollo haitiano": "ht",
    "creole haitiano": "ht",
    "kreyol": "ht",
    "portugués": "pt",
    "coreano": "ko",
    "lenguaje de señas": "ase",
    "lengua de señas": "ase",
}

ORDINALS = {
    "first": 1,
    "1st": 1,
    "one": 1,
    "second": 2,
    "2nd": 2,
    "two": 2,
    "third": 3,
    "3rd": 3,
    "three": 3,
    "fourth": 4,
    "4th": 4,
    "four": 4,
    "fifth": 5,
    "5th": 5,
    "five": 5,
    "last": -1,
}


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w&'+\- ]+", " ", text.casefold())).strip()


def typos(word: str) -> set[str]:
    """The commonest slips in a long word: one letter left out, two letters swapped.

    Only slips that are not themselves English words, so "therapst" means therapist
    and nothing real is taken over.
    """
    if " " in word or not word.isalpha() or len(word) < 6:
        return set()
    slips = {word[:i] + word[i + 1 :] for i in range(1, len(word))}
    slips |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(1, len(word) - 1)}
    slips.discard(word)
    return {slip for slip in slips if not is_known(slip)}


# Spanish words typed short on phones: "pa mi hijo", "pal norte", "lo q pueda pagar".
PHONE_WORDS = [(r"\bpara el\b", "pal"), (r"\bpara\b", "pa"), (r"\bque\b", "q"), (r"\bporque\b", "xq")]


def phone_spellings(phrase: str) -> set[str]:
    """A Spanish phrase as written, without accents, and with the short words of phone typing."""
    forms = {phrase, fold(phrase)}
    for pattern, short in PHONE_WORDS:
        forms |= {re.sub(pattern, short, form) for form in forms}
    return forms


def spanish_slips(word: str) -> set[str]:
    """The commonest slips in a long Spanish word: a letter left out or two swapped, and the
    spellings of the same sound ("desintosicacion", "abogao", "alvergue", "sicologo"); only
    slips that are neither Spanish nor English words, so nothing real is taken over."""
    if " " in word or not word.isalpha() or len(word) < 6:
        return set()
    word = fold(word)
    slips = {word[:i] + word[i + 1 :] for i in range(1, len(word))}
    slips |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(1, len(word) - 1)}
    for sound, spelt in (("ci", "si"), ("ce", "se"), ("z", "s"), ("v", "b"), ("b", "v"), ("ll", "y"),
                         ("ps", "s"), ("cc", "c"), ("ado", "ao"), ("x", "s"), ("qu", "k")):  # fmt: skip
        slips |= {word.replace(sound, spelt)}
    if word.startswith("h"):
        slips.add(word[1:])
    slips.discard(word)
    return {s for s in slips if len(s) >= 5 and not is_known(s) and not is_spanish_word(s, -16.0)}


def plural(word: str) -> str | None:
    """A naive plural for one-word synonyms, so that "therapists" matches too."""
    if " " in word or not word.isalpha() or word.endswith("s") or len(word) < 4:
        return None
    if word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


class Vocabulary:
    def __init__(self, taxonomy: Taxonomy, gazetteer: Gazetteer):
        self.taxonomy = taxonomy
        self.gazetteer = gazetteer
        self._codes: dict[str, dict[str, str]] = {}
        spanish: dict[str, dict[str, str]] = {}
        for (taxonomy_name, code), term in taxonomy.terms.items():
            table = self._codes.setdefault(LABELS[taxonomy_name], {})
            for phrase in self.phrases(term.synonyms, term.name, code):
                table.setdefault(_key(phrase), code)
            # Spanish (``synonyms_es``, ``name_es``), as written and without accents.
            words_es = [*term.synonyms_es, *([term.name_es] if term.name_es else [])]
            for phrase in words_es + [p for p in (plural(w) for w in words_es) if p]:
                for form in {_key(v) for v in phone_spellings(phrase)}:
                    spanish.setdefault(LABELS[taxonomy_name], {}).setdefault(form, code)
        for label, table in spanish.items():
            for phrase, code in table.items():
                self._codes[label].setdefault(phrase, code)
        for label in ("need", "payment"):
            table = self._codes[label]
            for word, code in list(table.items()):
                for typo in sorted(typos(word)):
                    table.setdefault(typo, code)
            for word, code in sorted(spanish.get(label, {}).items()):
                for slip in sorted(spanish_slips(word)):
                    table.setdefault(slip, code)

    @staticmethod
    def phrases(synonyms, name: str, code: str) -> list[str]:
        words = [*synonyms, name, code.replace("_", " ")]
        return words + [p for p in (plural(w) for w in words) if p]

    def entries(self, label: str) -> dict[str, str]:
        """Every phrase of an entity label (synonyms, plurals, slips) and its code."""
        return dict(self._codes.get(label, {}))

    def code(self, label: str, text: str | None) -> str | None:
        """Our code for an entity value ("therapist" -> "counseling"); codes map to themselves."""
        if not text:
            return None
        table = self._codes.get(label, {})
        key = _key(text)
        if key in table.values():
            return key
        return table.get(key)

    def patterns(self) -> list[dict]:
        """Entity ruler patterns: every synonym, alias and closed-list word, with our code as id."""
        patterns: list[dict] = []
        for label, table in sorted(self._codes.items()):
            patterns += [
                {"label": label, "pattern": phrase, "id": code} for phrase, code in sorted(table.items())
            ]
        for place in self.gazetteer.places:
            for alias in sorted({place["name"], *place.get("aliases", [])}):
                patterns.append({"label": "place", "pattern": alias, "id": place["name"]})
        patterns += [{"label": "relation", "pattern": word, "id": kind} for word, kind in RELATIONS.items()]
        relations_es = {form: kind for word, kind in RELATIONS_ES.items() for form in (word, fold(word))}
        patterns += [
            {"label": "relation", "pattern": word, "id": kind}
            for word, kind in sorted(relations_es.items())
            if word not in RELATIONS
        ]
        patterns += [
            {"label": "relation", "pattern": p, "id": RELATIONS[w]}
            for w in RELATIONS
            if (p := plural(w)) and p not in RELATIONS
        ]
        languages = {form: code for word, code in LANGUAGES.items() for form in (word, fold(word))}
        patterns += [{"label": "language", "pattern": word, "id": code} for word, code in languages.items()]
        patterns += [
            {"label": "zip", "pattern": [{"TEXT": {"REGEX": r"^\d{5}(-\d{4})?$"}}]},
        ]
        # An age is a number a person can be (0-120) or a number word: "is 267" in a phone
        # number is not an age.
        for age in AGE_TOKENS:
            patterns += [
                {
                    "label": "age",
                    "pattern": [
                        age,
                        {"LOWER": {"IN": ["years", "year", "yrs", "yr", "yo", "y/o", "yrs.", "years-old"]}},
                        {"LOWER": "old", "OP": "?"},
                    ],
                },
                {"label": "age", "pattern": [{"LOWER": {"IN": ["age", "aged", "ages"]}}, age]},
                # "tengo 45 años", "tiene 15", "cumplió 13", "va a cumplir 18"
                {
                    "label": "age",
                    "pattern": [
                        {"LOWER": {"IN": AGE_VERBS_ES}},
                        age,
                        {"LOWER": {"IN": ["años", "anos", "año", "ano", "añitos", "anitos"]}, "OP": "?"},
                    ],
                },
                # "she's 70", "my son is 15": the verb and the number, so that "son" stays a relation.
                {
                    "label": "age",
                    "pattern": [
                        {
                            "LOWER": {
                                "IN": ["is", "'s", "s", "am", "'m", "m", "are", "'re", "turned", "turns"]
                            }
                        },
                        {"LOWER": {"IN": ["just", "only", "about", "almost"]}, "OP": "?"},
                        age,
                    ],
                },
            ]
        patterns += [
            {
                "label": "option",
                "pattern": [
                    {"LOWER": {"IN": ["number", "option", "#", "no", "no."]}},
                    {"TEXT": {"REGEX": r"^#?[1-9]$"}},
                ],
            },
            {
                "label": "option",
                "pattern": [
                    {"LOWER": {"IN": list(ORDINALS)}},
                    {"LOWER": {"IN": ["one", "option", "place", "service"]}},
                ],
            },
        ]
        return patterns


# Spanish words an age follows: "tengo 52", "tiene 8 años", "cumplió 15", "edad 40".
AGE_VERBS_ES = [
    "tengo",
    "tiene",
    "tienes",
    "edad",
    "cumplió",
    "cumplio",
    "cumple",
    "cumplir",
    "cumplí",
    "cumpli",
]

AGE_TOKENS = (
    {"TEXT": {"REGEX": r"^(?:120|1[01]\d|[1-9]?\d)$"}},
    {"IS_ALPHA": True, "LIKE_NUM": True},
)


def age_from_text(text: str | None) -> int | None:
    """The age in "she's 70", "15 years old", "15"; None when there is no plausible one."""
    if not text:
        return None
    match = re.search(r"(?<!\d)(\d{1,3})(?!\d)", text)
    if not match:
        return None
    age = int(match.group(1))
    return age if 0 <= age <= 120 else None


def option_from_text(text: str | None) -> int | None:
    """Which listed option a caller means: "2", "#2", "the second one", "last"."""
    if not text:
        return None
    key = _key(text)
    digits = re.search(r"(?:^|\s|#)([1-9])(?:\s|$)", key)
    if digits:
        return int(digits.group(1))
    for word in key.split():
        if word in ORDINALS:
            return ORDINALS[word]
    return None


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    return Vocabulary(default_taxonomy(), default_gazetteer())
