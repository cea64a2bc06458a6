"""From the entity ruler's raw hits to the facts a caller stated, in our codes.

The spaCy entity ruler (``build.py``) finds the words; this module decides what
they mean in the whole message, without Rasa, so that it can be tested alone and
used by ``components.understanding``:

- **canonical values**: need, payment, population and access become taxonomy
  codes, a language an ISO 639 code ("russian" -> "ru", ASL -> "ase"), an age
  digits only ("is 45" -> "45", "sixteen" -> "16"), a place the gazetteer's
  label, and a relation one of ``RELATION_CODES``;
- **fuzzy matching** (rapidfuzz) for slips the ruler's exact phrases miss
  ("therapust", "kensingtin"), only for words that are not English words;
- **negation and loss**: insurance the caller lost, no longer has or does not
  have is ``sliding_fee`` (uninsured); "no kids" is no youth population and no
  child; "I'm not a veteran" is no veteran;
- **whom the help is for**: a relative who passed, left or is only mentioned
  ("my wife's starting to say something") is not the person helped;
- **when** the caller can go: ``today``, ``tonight``, ``now``, ``weekend``,
  ``weekday``, day codes ``MO``..``SU``, ``after HH:MM``, ``before HH:MM``,
  ``morning``, ``afternoon``, ``evening``;
- **which need first**: "mostly X, maybe Y later", "X first".

An entity inferred rather than said ("I'm 71" -> older adults) carries the role
``from_age``: the evaluation counts it, but a slot mapped ``from_entity`` without
a role does not take it, so an age never becomes a population filter by itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from rapidfuzz import fuzz, process

from bot.nlp.language import fold, guess, is_spanish_word
from bot.nlp.vocabulary import LANGUAGES, Vocabulary, default_vocabulary
from bot.nlp.words import is_known

RELATION_CODES = (
    "self",
    "child",
    "parent",
    "spouse",
    "partner",
    "sibling",
    "grandchild",
    "grandparent",
    "friend",
    "client",
    "other",
)

CODES_NOT_WORDS = frozenset({"other", "others", "self"})
# Who the help is for, in the words callers use (English and Spanish), to our codes.
RELATION_WORDS = {
    **{
        w: "parent"
        for w in [
            "mom",
            "mother",
            "mum",
            "mama",
            "mommy",
            "dad",
            "father",
            "papa",
            "daddy",
            "stepmom",
            "stepdad",
        ]
    },
    **{w: "parent" for w in ["mamá", "madre", "papá", "padre"]},
    **{
        w: "child"
        for w in [
            "son",
            "daughter",
            "kid",
            "kids",
            "child",
            "children",
            "teen",
            "teenager",
            "boy",
            "girl",
            "stepson",
        ]
    },
    **{
        w: "child"
        for w in [
            "stepdaughter",
            "toddler",
            "baby",
            "hijo",
            "hija",
            "hijos",
            "hijas",
            "niño",
            "niña",
            "niños",
        ]
    },
    **{
        w: "grandchild"
        for w in ["grandson", "granddaughter", "grandkid", "grandkids", "grandchild", "grandchildren"]
    },
    **{w: "grandchild" for w in ["nieto", "nieta", "nietos"]},
    **{
        w: "grandparent"
        for w in ["grandma", "grandmother", "grandpa", "grandfather", "granny", "nana", "abuela", "abuelo"]
    },
    **{w: "spouse" for w in ["wife", "husband", "esposo", "esposa", "marido"]},
    **{
        w: "partner"
        for w in ["partner", "boyfriend", "girlfriend", "fiance", "fiancee", "bf", "gf", "novio", "novia"]
    },
    **{w: "sibling" for w in ["brother", "sister", "hermano", "hermana"]},
    **{
        w: "friend"
        for w in [
            "friend",
            "neighbor",
            "neighbour",
            "roommate",
            "coworker",
            "amigo",
            "amiga",
            "vecino",
            "vecina",
        ]
    },
    **{
        w: "client"
        for w in ["client", "clients", "patient", "pt", "consumer", "student", "probationer", "parolee"]
    },
    **{
        w: "other" for w in ["cousin", "aunt", "uncle", "niece", "nephew", "tia", "tio", "sobrino", "sobrina"]
    },
    # More Spanish (accent-less spellings are read too, see relation_code).
    **dict.fromkeys(["mami", "papi", "mamita", "papito", "madrastra", "padrastro"], "parent"),
    **dict.fromkeys(["hijastro", "hijastra", "nene", "nena", "bebé", "bebito", "bebita", "niñas"], "child"),
    **dict.fromkeys(["abuelita", "abuelito"], "grandparent"),
    **dict.fromkeys(["nietas", "nietecito", "nietecita"], "grandchild"),
    **dict.fromkeys(["pareja", "compañero", "compañera"], "partner"),
    **dict.fromkeys(["hermanito", "hermanita"], "sibling"),
    **dict.fromkeys(["cliente", "clienta", "clientes", "paciente", "pacientes", "consumidor"], "client"),
    **dict.fromkeys(["estudiante", "alumno", "alumna"], "client"),
    **dict.fromkeys(
        [
            "tía",
            "tío",
            "primo",
            "prima",
            "sobrinos",
            "suegra",
            "suegro",
            "cuñado",
            "cuñada",
            "ahijado",
            "ahijada",
        ],
        "other",
    ),
}
# Accent-less spellings of the Spanish words, except those that are other words ("bebe": drinks).
RELATION_WORDS_FOLDED = {
    fold(word): code for word, code in RELATION_WORDS.items() if fold(word) not in ("bebe", "papas")
}

LANGUAGE_CODES = {
    **LANGUAGES,
    "spanish": "es",
    "español": "es",
    "espanol": "es",
    "asl": "ase",
    "kreyol": "ht",
    "kreyòl": "ht",
    "kreyòl ayisyen": "ht",
    "haitian": "ht",
    "vietnamese": "vi",
    "tiếng việt": "vi",
    "farsi": "fa",
    "persian": "fa",
    "hindi": "hi",
    "bengali": "bn",
    "nepali": "ne",
    "polish": "pl",
    "italian": "it",
    "german": "de",
    "japanese": "ja",
    "tagalog": "tl",
    "swahili": "sw",
    "somali": "so",
    "amharic": "am",
    "urdu": "ur",
    "albanian": "sq",
    "turkish": "tr",
    "greek": "el",
    "hebrew": "he",
    "punjabi": "pa",
    "gujarati": "gu",
    "burmese": "my",
    "cambodian": "km",
    "lao": "lo",
    "hmong": "hmn",
    "pashto": "ps",
    "dari": "prs",
    "yoruba": "yo",
    "twi": "tw",
    "wolof": "wo",
    "french creole": "ht",
    "english": "en",
    "inglés": "en",
    "ingles": "en",
}

LANGUAGE_CODES_FOLDED = {fold(word): code for word, code in LANGUAGE_CODES.items()}

NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
NUMBER_WORDS.update(
    {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
)
NUMBER_WORDS.update(
    {
        w: i
        for i, w in enumerate(
            [
                "cero",
                "uno",
                "dos",
                "tres",
                "cuatro",
                "cinco",
                "seis",
                "siete",
                "ocho",
                "nueve",
                "diez",
                "once",
                "doce",
                "trece",
                "catorce",
                "quince",
                "dieciséis",
                "diecisiete",
                "dieciocho",
                "diecinueve",
                "veinte",
            ]
        )
    }
)
NUMBER_WORDS.update({"dieciseis": 16, "un": 1, "una": 1})
NUMBER_WORDS.update(
    {
        "treinta": 30,
        "cuarenta": 40,
        "cincuenta": 50,
        "sesenta": 60,
        "setenta": 70,
        "ochenta": 80,
        "noventa": 90,
    }
)
VEINTI = {"uno": 1, "dos": 2, "dós": 2, "tres": 3, "trés": 3, "cuatro": 4, "cinco": 5, "seis": 6, "séis": 6}
VEINTI.update({"siete": 7, "ocho": 8, "nueve": 9})
NUMBER_WORDS.update({f"veinti{unit}": 20 + value for unit, value in VEINTI.items()})

DAYS = {
    "monday": "MO",
    "tuesday": "TU",
    "wednesday": "WE",
    "thursday": "TH",
    "friday": "FR",
    "saturday": "SA",
    "sunday": "SU",
    "tues": "TU",
    "weds": "WE",
    "thurs": "TH",
    "lunes": "MO",
    "martes": "TU",
    "miércoles": "WE",
    "miercoles": "WE",
    "jueves": "TH",
    "viernes": "FR",
    "sábado": "SA",
    "sabado": "SA",
    "domingo": "SU",
}

ACCESS_WORDS = [
    (
        re.compile(
            r"\b(?:over|by|on|via|por) video\b|\bvideo (?:is )?(?:ok|okay|fine|works)\b|"
            r"\bvideo (?:visits?|sessions?|therapy|appointments?|calls?|chat)\b|\bdoes video\b|\bpor videollamada\b",
            re.I,
        ),
        "telehealth",
    ),
    (re.compile(r"\bsin cita\b|\bwithout (?:an )?appt\b", re.I), "walk_in"),
]

ADULT_AGE = 18


@dataclass
class Found:
    """One fact: an entity in Rasa's shape (entity, value, start, end, extractor, role)."""

    entity: str
    value: str
    start: int
    end: int
    extractor: str = "Understanding"
    role: str | None = None
    extra: dict = field(default_factory=dict)

    def as_rasa(self) -> dict:
        entity = {
            "entity": self.entity,
            "value": self.value,
            "start": self.start,
            "end": self.end,
            "confidence": None,
            "extractor": self.extractor,
            **self.extra,
        }
        if self.role:
            entity["role"] = self.role
        return entity


def _words(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in re.finditer(r"[^\W_]+(?:['’][a-z]+)?", text)]


# --- canonical values -------------------------------------------------------


def number_in(text: str) -> int | None:
    """The first number of a span, in digits or words ("is 45", "sixteen", "nueve")."""
    digits = re.search(r"(?<!\d)(\d{1,3})(?!\d)", text)
    if digits:
        return int(digits.group(1))
    words = [w.casefold() for w, _, _ in _words(text)]
    for i, word in enumerate(words):
        if word in NUMBER_WORDS and word not in ("un", "una", "uno", "one"):
            value = NUMBER_WORDS[word]
            if value >= 20 and i + 1 < len(words) and words[i + 1] in NUMBER_WORDS:
                value += NUMBER_WORDS[words[i + 1]] if NUMBER_WORDS[words[i + 1]] < 10 else 0
            elif value >= 30 and i + 2 < len(words) and words[i + 1] == "y" and words[i + 2] in NUMBER_WORDS:
                value += (
                    NUMBER_WORDS[words[i + 2]] if NUMBER_WORDS[words[i + 2]] < 10 else 0
                )  # "treinta y cinco"
            return value
    return None


def language_code(text: str | None) -> str | None:
    """An ISO 639 code for a language a caller named ("Russian", "Spanish-speaking" -> "ru",
    "es"); a code passes through."""
    if not text:
        return None
    key = re.sub(r"[\s\-]+", " ", text.casefold()).strip()
    key = re.sub(r"[- ]?speaking$|[- ]?speaker$", "", key).strip()
    if key in LANGUAGE_CODES:
        return LANGUAGE_CODES[key]
    if fold(key) in LANGUAGE_CODES_FOLDED:  # "frances", "arabe", "lenguaje de senas"
        return LANGUAGE_CODES_FOLDED[fold(key)]
    if key in LANGUAGE_CODES.values() or re.fullmatch(r"[a-z]{2,3}", key):
        return key
    return None


def relation_code(text: str) -> str | None:
    key = re.sub(r"['’]s$", "", text.casefold().strip())
    if key in RELATION_CODES:
        return key
    if key in RELATION_WORDS:
        return RELATION_WORDS[key]
    if key.endswith("s") and key[:-1] in RELATION_WORDS:
        return RELATION_WORDS[key[:-1]]
    if fold(key) in RELATION_WORDS_FOLDED:  # "mama", "nino", "tia"
        return RELATION_WORDS_FOLDED[fold(key)]
    return None


@lru_cache(maxsize=1)
def _place_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for place in default_vocabulary().gazetteer.places:
        for alias in [place["name"], *place.get("aliases", [])]:
            labels.setdefault(alias.casefold(), place["name"])
    return labels


def place_label(text: str) -> str:
    return _place_labels().get(text.casefold().strip(), text)


def canonical(vocabulary: Vocabulary, entity: str, value: str) -> str | None:
    """Our code for one entity value; None when it cannot be one."""
    value = str(value).strip()
    if entity in ("need", "payment", "population", "access"):
        return vocabulary.code(entity, value)
    if entity == "language":
        return language_code(value)
    if entity == "relation":
        return relation_code(value)
    if entity == "age":
        age = number_in(value)
        return str(age) if age is not None and 0 <= age <= 120 else None
    if entity == "zip":
        digits = re.match(r"\d{5}", value)
        return digits.group(0) if digits else None
    if entity == "place":
        return place_label(value)
    return value


# --- fuzzy matching ----------------------------------------------------------


@lru_cache(maxsize=1)
def _fuzzy_choices() -> dict[str, tuple[str, str]]:
    """Single words the ruler knows, long enough to judge a slip: word -> (label, value)."""
    vocabulary = default_vocabulary()
    choices: dict[str, tuple[str, str]] = {}
    for label in ("need", "payment", "population"):
        for phrase, code in vocabulary.entries(label).items():
            if " " not in phrase and phrase.isalpha() and len(phrase) >= 6 and is_known(phrase):
                choices.setdefault(phrase, (label, code))
    for alias, name in _place_labels().items():
        if " " not in alias and alias.isalpha() and len(alias) >= 6:
            choices.setdefault(alias, ("place", name))
    return choices


def fuzzy_matches(text: str, taken: list[tuple[int, int]]) -> list[Found]:
    """Slips of known words ("psychiatrst", "kensingtin"): only words that are not English."""
    found: list[Found] = []
    choices = _fuzzy_choices()
    spanish = guess(text) == "es"
    for word, start, end in _words(text):
        low = word.casefold()
        if len(low) < 6 or not low.isalpha() or any(s < end and start < e for s, e in taken):
            continue
        if low in choices or is_known(low) or low in NOT_SLIPS:
            continue
        if spanish and is_spanish_word(low, -13.0):
            continue  # "medicinas" is not a slip of "medicaid"
        match = process.extractOne(low, list(choices), scorer=fuzz.ratio, score_cutoff=84)
        if not match:
            continue
        best, score, _ = match
        if abs(len(best) - len(low)) > 2 or best[0] != low[0]:
            continue
        label, value = choices[best]
        found.append(
            Found(
                label, value, start, end, extractor="FuzzyMatcher", extra={"confidence_entity": score / 100}
            )
        )
    return found


# Words that look like slips of vocabulary but are Spanish or names.
NOT_SLIPS = {"terapia", "terapeuta", "comida", "refugio", "ayuda", "necesito", "persona", "personas"}


# --- negation, loss, and whom the help is for --------------------------------

# "... but he lost his job": the insurance went with it (LOSS_AFTER and UNINSURED).
JOB_LOST = r"(?:lost|got laid off from|got fired from)\s+(?:his|her|their|my|our)\s+job"
LOSS_BEFORE = re.compile(
    r"(?:(?:lost|lose|losing|no longer (?:have|got|has)|don'?t have|do not have|doesn'?t have|dont got|"
    r"kicked off|dropped from|cut me off)\s+(?:(?:my|any|the|his|her|their|our|a|mi|el|su)\s+)?(?:\w+\s+){0,4}"
    r"|(?:without|\bno|not on|\boff|denied|apply for|applying for|sign up for|signing up for|get on|"
    r"\bwas on|\bwere on|used to (?:have|be on|get)|"
    r"aplicar para|aplicar a|no tengo|\bsin)\s+(?:(?:my|any|the|his|her|their|our|a|mi|el|su)\s+)?(?:\w+\s+)?)$",
    re.IGNORECASE,
)
LOSS_AFTER = re.compile(
    r"^(?:\s+\w+){0,2}?\s+(?:ran out|run out|expired|lapsed|got cut|was cut|cut off|got canceled|"
    r"got cancelled|was canceled|was cancelled|ended|stopped|is gone|got terminated|was terminated|"
    rf"got dropped|denied|(?:but|and|,)\s+(?:\w+\s+){{0,2}}?{JOB_LOST})",
    re.IGNORECASE,
)
# "has Medicare, not Medical Assistance": a correction, not a loss (no sliding fee guessed from it).
NOT_THIS_PAYMENT = re.compile(r"(?:\bnot|\bno es)\s+(?:(?:the|a|an|el|la)\s+)?$", re.IGNORECASE)
# A need word right after these is a need ("apply for medicaid" is benefits), not how they pay.
NEGATED_POPULATION = re.compile(
    r"(?:\bno|\bnot (?:a|an)?|\bnever (?:was )?(?:a|an)?|\bisn'?t (?:a|an)?|\bain'?t (?:a|an)?|"
    r"\bnot for)\s*(?:\w+\s+)?$",
    re.IGNORECASE,
)
NOT_THE_PERSON_AFTER = re.compile(
    r"^(?:['’]s)?\s+(?:\w+\s+)?(?:passed|died|left|took|kicked|threw|put me|went to|says|said|"
    r"is starting|starting|keeps telling|doesn'?t believe|dont believe|don'?t believe|told|thinks|"
    r"wants me|made me|won'?t let|found out|here\b|murió|falleció|me echó)",
    re.IGNORECASE,
)
NOT_THE_PERSON_BEFORE = re.compile(
    r"(?:since|after|when|told|at|took|with|than|like|me and|from|of|on|as a|as the|single|"
    r"her|his|their|your|the)\s+(?:my\s+|the\s+|mis\s+)?(?:\d+\s+)?$",
    re.IGNORECASE,
)
GROUP_OF = re.compile(
    r"^s?\s+(?:support\s+)?(?:groups?|classes?|programs?|training|network|meetings?|circles?)\b", re.I
)
INSURANCE_WORDS = re.compile(
    r"^['’]?s?\s+(?:\w+\s+)?(?:insurance|plan|cigna|aetna|medicaid|coverage|card)", re.I
)


# The same in Spanish: "perdí mi medicaid", "le quitaron el seguro", "el medicaid se me venció",
# "quiero sacar el medicaid" (applying: benefits, not how they pay).
LOSS_BEFORE_ES = re.compile(
    r"(?:\bperd[ií]|\bperdi[oó]|\bperdimos|\bperdieron|\b(?:me|le|nos|les) (?:quitaron|cortaron|cancelaron|negaron|"
    r"sacaron del?)|\bse (?:me|le|nos) (?:venci[oó]|acab[oó]|cay[oó]|cancel[oó])|\bya no (?:tengo|tiene|tenemos|tienen)|"
    r"\bno (?:tiene|tenemos|tienen)|\bsin|\bsolicitar|\bsolicitando|\bsacar|\bconseguir|\binscribir(?:me|lo|la|nos)? en|"
    r"\baplicar al|\baplicando (?:para|a|al)|\bmeter(?:me|lo|la)? en)\s+"
    r"(?:(?:mi|mis|el|la|su|sus|nuestro|nuestra|un|una)\s+)?(?:\w+\s+)?$",
    re.IGNORECASE,
)
LOSS_AFTER_ES = re.compile(
    r"^(?:\s+\w+){0,2}?\s+(?:se (?:me |le |nos |les )?(?:venci[oó]|acab[oó]|cay[oó]|cancel[oó]|cort[oó]|termin[oó])|"
    r"(?:me |le |nos |les )?(?:lo |la )?(?:cancelaron|cortaron|quitaron|negaron)|expir[oó]|ya no (?:sirve|vale|funciona))",
    re.IGNORECASE,
)
# Losing the card is not losing the insurance ("perdí la tarjeta de medicaid").
CARD = re.compile(r"\btarjeta\b", re.I)


# "i dont want anything going through my moms insurance": insurance the caller will not use,
# for privacy or cost, is as good as none (a sliding fee or free care).
NOT_USED = re.compile(
    r"\b(?:don'?t|do not|doesn'?t|does not|won'?t|can'?t|cannot)\s+(?:want\s+(?:to\s+)?|wanna\s+)?"
    r"(?:use|using|go through|going through|bill|billed|anything|it|this)\b(?:\s+\S+){0,5}\s+$",
    re.IGNORECASE,
)


def _payment_lost(text: str, start: int, end: int) -> bool:
    if LOSS_BEFORE.search(text[:start]) or LOSS_AFTER.match(text[end:]) or NOT_USED.search(text[:start]):
        return True
    spanish = LOSS_BEFORE_ES.search(text[:start]) or LOSS_AFTER_ES.match(text[end:])
    if spanish and CARD.search(text[start:end]) and re.search(r"perd", spanish.group(0), re.I):
        return False
    return bool(spanish)


UNINSURED = re.compile(
    r"(?:lost|lose|losing|no longer (?:have|has|got))\s+(?:my|his|her|our|their)?\s*(?:job\s+(?:and|,)\s+"
    r"(?:with it\s+)?(?:my|his|her)?\s*)?(?:health\s+)?insurance|insurance\s+(?:ran out|expired|lapsed|ended|"
    r"got cut|was cut|is gone)|(?:job|insurance)\s+(?:and|,)\s+(?:my\s+)?insurance\s+with\s+it|"
    r"no tengo seguro|sin seguro|no insurance|not insured|uninsured|(?:don'?t|do not|doesn'?t|dont)"
    r"\s+have\s+(?:any\s+)?(?:health\s+)?insurance|insurance\s+yet|"
    # "i was on my dad's insurance but he lost his job"
    r"(?:was|were|used to be)\s+on\s+(?:(?:my|his|her|their|our|the)\s+)?(?:\w+['’]?s?\s+)?(?:health\s+)?insurance\b|"
    rf"insurance\s+(?:but|and|,)\s+(?:\w+\s+){{0,2}}?{JOB_LOST}",
    re.IGNORECASE,
)
UNINSURED_ES = re.compile(
    r"\b(?:no (?:tengo|tiene|tenemos|tienen)|ya no (?:tengo|tiene|tenemos|tienen)|sin|perd[ií]|perdi[oó]|"
    r"(?:me|le|nos) (?:quitaron|cortaron|cancelaron))\s+(?:(?:el|mi|su|ning[uú]n|ningun|nada de)\s+)?"
    r"(?:seguro(?: m[eé]dico)?|aseguranza|plan m[eé]dico|cobertura)\b(?!\s+social)|"
    r"\bse (?:me|le|nos) (?:venci[oó]|acab[oó]|cay[oó]) (?:el|mi|su) (?:seguro|aseguranza|plan m[eé]dico)\b|"
    r"\bni (?:seguro|aseguranza|plan m[eé]dico) (?:tengo|tiene|tenemos|tienen)\b|\bno (?:tengo|tiene|tenemos) ni seguro\b",
    re.IGNORECASE,
)
# Spanish words for "insurance" that say no plan: a named plan said with them is the plan
# ("tengo seguro de medicaid"); "tengo seguro social" is Social Security, not a plan.
GENERIC_INSURANCE_ES = re.compile(r"(?:tengo|mi) (?:seguro|aseguranza|plan m[eé]dico)", re.I)
STATED_PAYMENT = [
    (re.compile(r"\bMA\b"), "medicaid"),
    (re.compile(r"\bseguro del estado\b|\bel estado\b.{0,20}seguro|\bmedicaid\b", re.I), "medicaid"),
    (re.compile(r"\bseguro (?:del|de mi|por el) trabajo\b", re.I), "private_insurance"),
    (re.compile(r"\bkeystone\b(?! health)", re.I), "medicaid"),
    # "on my parents' insurance" (to 26), "on my husband's plan": a family member's job's plan.
    (
        re.compile(
            r"\b(?:on|under|through|thru) (?:my |her |his |their )?(?:parents?|mom|dad|mother|father|husband|wife|spouse|"
            r"partner)['’]?s?['’]? (?:health )?(?:insurance|plan|coverage)\b",
            re.I,
        ),
        "private_insurance",
    ),
    # "el seguro de mi esposo", "el plan de mis padres": a family member's job's plan.
    (
        re.compile(
            r"\b(?:seguro|plan|aseguranza)(?: m[eé]dico)? (?:de|del) (?:trabajo de )?(?:mi|mis) "
            r"(?:espos[oa]|marido|mam[aá]|pap[aá]|padres|pareja|mujer)\b",
            re.I,
        ),
        "private_insurance",
    ),
]


NOT_THE_PERSON_AFTER_ES = re.compile(
    # "mi mamá dice que necesito terapia" (but "mi hijo me dijo que es gay" is about him), "mi
    # marido y yo" (both: the caller).
    r"^\s+(?:\w+\s+)?(?:(?:me |le )?(?:dice|dijo|dicen|dijeron) (?:que|q) (?:yo )?(?:necesito|tengo|busque|vaya|debo|"
    r"deber[ií]a|hable|estoy|soy|me)\b|quiere que|cree que|piensa que|me mand[oó]|me manda|me bot[oó]|me sac[oó]|"
    r"se fue|me dej[oó]|muri[oó]|falleci[oó]|no me deja|me obliga|me trajo|me recomend[oó]|me ech[oó]|me corri[oó]|"
    r"est[aá] aqu[ií] conmigo|me est[aá] ayudando|me ayuda|me lleva|trabaja|y yo\b)",
    re.IGNORECASE,
)
NOT_THE_PERSON_BEFORE_ES = re.compile(
    r"(?:\bdesde que|\bdespu[eé]s de que|\bdespu[eé]s que|\bcuando|\bsoy (?:la|el)|\bvivo con|\bvive con|"
    r"\bsu|\bsus|\btu|\btus|\bno tengo|\bno tiene|\bsin|\ble dije a|\byo y|\b(?:yo )?como|"
    r"\b(?:terapia|terapeuta|consejer[ií]a|consejer[oa]|psic[oó]log[oa]|grupo|clases?) (?:de|para)|"
    r"\b(?:seguro|plan|aseguranza|medicaid|tarjeta|trabajo)(?: m[eé]dico)? (?:de|del))\s+(?:mi\s+|mis\s+)?$",
    re.IGNORECASE,
)


def _relation_for_someone_else(text: str, start: int, end: int) -> bool:
    """True when the relative named is the person helped, not someone only mentioned."""
    word = text[start:end].casefold()
    if word in ("parents", "padres") or re.match(r"(?:mom|dad|mother|father|mama|papa)s$", word):
        return False
    if NOT_THE_PERSON_AFTER.match(text[end:]):
        return False
    if NOT_THE_PERSON_AFTER_ES.match(text[end:]) or NOT_THE_PERSON_BEFORE_ES.search(text[:start]):
        return False
    if INSURANCE_WORDS.match(text[end:]):
        return False
    if GROUP_OF.match(text[end:]):
        return False  # "a parent group for me": who is in the group, not whom the help is for
    before = text[:start]
    # "since my dad died", "her mom", "no kids"
    return not (NOT_THE_PERSON_BEFORE.search(before) or re.search(r"\bno\s+$", before, re.I))


# --- when the caller can go ---------------------------------------------------

TIME = r"(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?"


def _clock(hour: str, minute: str | None, half: str | None, after: bool) -> str | None:
    h = int(hour)
    m = int(minute or 0)
    if h > 23 or m > 59:
        return None
    half = (half or "").replace(".", "").casefold()
    if half == "pm" and h < 12:
        h += 12
    elif half == "am" and h == 12:
        h = 0
    elif not half and 1 <= h <= 7:
        h += 12  # "after 6", "before 5": the afternoon and evening
    return f"{h:02d}:{m:02d}"


WHEN_RULES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"\b(?:right now|right away|immediately|asap|ahora mismo)\b", re.I), "now"),
    (re.compile(r"\b(?:today|this (?:morning|afternoon)|hoy)\b", re.I), "today"),
    (re.compile(r"\b(?:tonight|esta noche)\b", re.I), "tonight"),
    (re.compile(r"\b(?:weekends?|saturdays? (?:and|or|&) sundays?|fines? de semana)\b", re.I), "weekend"),
    (re.compile(r"\b(?:weekdays?|during the week|entre semana)\b", re.I), "weekday"),
    (re.compile(r"\b(?:mornings?|por la mañana|en la mañana)\b", re.I), "morning"),
    (re.compile(r"\b(?:afternoons?|por la tarde|en la tarde)\b", re.I), "afternoon"),
    (re.compile(r"\b(?:evenings?|after work|por la noche)\b", re.I), "evening"),
]
NOT_WHEN = re.compile(r"\b(?:good|this) morning\b|\bgood (?:evening|afternoon)\b", re.I)
# Spanish beyond the rules above (accents optional: callers type "manana", "sabado").
WHEN_RULES_ES: list[tuple[re.Pattern, str]] = [
    (
        re.compile(
            r"\b(?:ahorita|ahora mismito|ya mismo|en este momento|lo antes posible|lo m[aá]s pronto posible|"
            r"cuanto antes|de inmediato|inmediatamente)\b",
            re.I,
        ),
        "now",
    ),
    (re.compile(r"\besta (?:ma[ñn]ana|tarde)\b", re.I), "today"),
    (re.compile(r"\bhoy (?:en|por) la noche\b", re.I), "tonight"),
    (re.compile(r"\b(?:el finde|los findes|s[aá]bados? (?:y|o) domingos?)\b", re.I), "weekend"),
    (
        re.compile(
            r"\b(?:durante la semana|d[ií]as de semana|d[ií]as laborables|(?:de )?lunes a viernes)\b", re.I
        ),
        "weekday",
    ),
    (re.compile(r"\b(?:por|en) (?:las ma[ñn]anas|la manana)\b", re.I), "morning"),
    (re.compile(r"\b(?:por|en) las tardes\b|\bde tarde\b", re.I), "afternoon"),
    (
        re.compile(
            r"\b(?:por|en) las noches\b|\ben la noche\b|\bde noche\b|\b(?:despu[eé]s|al salir|saliendo) del? "
            r"(?:trabajo|trabajar)\b",
            re.I,
        ),
        "evening",
    ),
]
NOT_WHEN_ES = re.compile(r"\bbuen(?:os|as)? (?:d[ií]as|tardes|noches)\b|\bbuen d[ií]a\b", re.I)
# "después de las 6", "antes de las 10 de la mañana", "a partir de la 1".
CLOCK_ES = re.compile(
    r"\b(despu[eé]s|a partir|desde|antes) de las?\s+(\d{1,2})(?::(\d{2}))?\s*"
    r"(?:(a\.?m\.?|p\.?m\.?)|(?:de|en|por) la (ma[ñn]ana|tarde|noche))?",
    re.I,
)


# "8 to 10", "between 1 and 3", "7-9am": a window the caller can come in. Read only with a word
# that makes the numbers times (am/pm, between/from, minutes, a part of the day, work or a
# shift): "my kids are 8 to 10" is no window.
TIME_RANGE = re.compile(
    r"\b(?:(between|from|entre|desde las?|de las?|de)\s+)?(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?\s*"
    r"(?:-|–|\bto\b|\btil+\b|\buntil\b|\band\b|\bhasta(?: las?)?\b|\ba(?: las?)?\b|\by\b)\s*"
    r"(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?"
    r"(?!\s*(?:years?|yrs?|yo\b|kids|children|days?|weeks?|months?|hours?|hrs?|minutes?|mins?|people|times|"
    r"a[nñ]os|meses|d[ií]as|semanas|horas|minutos|personas|ni[nñ]os|veces|%|\d))",
    re.I,
)
TIMES_OF_DAY = re.compile(
    r"\b(?:mornings?|afternoons?|evenings?|nights?|shift|work|o'?clock|open|ma[ñn]anas?|tardes?)\b", re.I
)


def _time_ranges(text: str) -> list[Found]:
    found = []
    for m in TIME_RANGE.finditer(text):
        opener, h1, m1, half1, h2, m2, half2 = m.groups()
        joined_loosely = re.search(r"\b(?:and|a|a las?|y)\b", m.group(0), re.I)
        if joined_loosely and not opener:
            continue  # "8 and 10", "8 y 10" alone are two numbers
        if not (opener or half1 or half2 or m1 or m2 or TIMES_OF_DAY.search(text)):
            continue
        half1 = half1 or (half2 if half2 and int(h1) <= int(h2) else None)
        start = _clock(h1, m1, half1, True)
        end = _clock(h2, m2, half2, False)
        if not start or not end:
            continue
        if end <= start and not half2 and int(h2) < 12:
            end = f"{int(h2) + 12:02d}:{int(m2 or 0):02d}"  # "6 to 8": the evening
        if end <= start:
            continue
        found.append(Found("when", f"after {start}", m.start(), m.end()))
        found.append(Found("when", f"before {end}", m.start(), m.end()))
    return found


WORKS_UNTIL = (
    r"\b(?:(?:i|we)\s+)?(?:work|working|get off|gets? out|off work|shift ends|class ends|school ends|"
    r"trabajo|salgo(?: del trabajo)?)\s+(?:til|till|until|untill|'til|at|around|hasta(?: las?)?|a las?)\s+"
)


def when_values(text: str) -> list[Found]:
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for m in CLOCK_ES.finditer(text):
        half = m.group(4) or {"tarde": "pm", "noche": "pm"}.get(
            fold(m.group(5) or ""), "am" if m.group(5) else None
        )
        after = fold(m.group(1)) != "antes"
        clock = _clock(m.group(2), m.group(3), half, after)
        if clock:
            found.append(Found("when", f"{'after' if after else 'before'} {clock}", m.start(), m.end()))
            taken.append((m.start(), m.end()))
    for m in re.finditer(r"\b(despu[eé]s|antes) del medio ?d[ií]a\b", text, re.I):
        kind = "before" if fold(m.group(1)) == "antes" else "after"
        found.append(Found("when", f"{kind} 12:00", m.start(), m.end()))
        taken.append((m.start(), m.end()))
    for item in _time_ranges(text):
        found.append(item)
        taken.append((item.start, item.end))
    for pattern, half in ((r"\bafter\s+", True), (r"\bbefore\s+", False)):
        for m in re.finditer(
            pattern + TIME + r"(?!\s*(?:days?|weeks?|months?|years?|yrs?|hours?|minutes?|mins?|kids|\d))",
            text,
            re.I,
        ):
            rest = text[m.end() :]
            # A bare number is a time only before words that go with one, or at the end ("after 6").
            if (
                not m.group(3)
                and not re.match(
                    r"\s*(?:o'?clock|on|pm|am|,|\.|$|or|and|at|in|during|weekdays?|every)", rest, re.I
                )
                and rest.strip()
                and rest.lstrip()[:1] not in ".,!?;"
            ):
                continue
            clock = _clock(m.group(1), m.group(2), m.group(3), half)
            if clock:
                found.append(Found("when", f"{'after' if half else 'before'} {clock}", m.start(), m.end()))
                taken.append((m.start(), m.end()))
    # "I work til 5", "i get off at 4:30", "salgo del trabajo a las 5": free after that time.
    for m in re.finditer(WORKS_UNTIL + TIME, text, re.I):
        clock = _clock(m.group(1), m.group(2), m.group(3), True)
        if clock and not any(s <= m.start() < e for s, e in taken):
            found.append(Found("when", f"after {clock}", m.start(), m.end()))
            taken.append((m.start(), m.end()))
    for m in re.finditer(r"\b(?:after|before)\s+(noon|midday|lunch)\b", text, re.I):
        kind = "after" if m.group(0).casefold().startswith("after") else "before"
        found.append(Found("when", f"{kind} 12:00", m.start(), m.end()))
        taken.append((m.start(), m.end()))
    text_for_parts = NOT_WHEN.sub(lambda m: " " * len(m.group(0)), text)  # "good morning" is no time
    text_for_parts = NOT_WHEN_ES.sub(lambda m: " " * len(m.group(0)), text_for_parts)
    for pattern, value in [*WHEN_RULES, *WHEN_RULES_ES]:
        for m in pattern.finditer(text_for_parts):
            if any(s <= m.start() < e for s, e in taken):
                continue
            found.append(Found("when", value, m.start(), m.end()))
    day_words = "|".join(sorted(DAYS, key=len, reverse=True))
    for m in re.finditer(rf"\b({day_words})(?:s|es)?\b", text, re.I):
        found.append(Found("when", DAYS[m.group(1).casefold()], m.start(), m.end()))
    found = _days_the_caller_can_go(text, found)
    found = _days_or_a_time(text, found)
    # One value once, in the order said.
    seen: set[str] = set()
    unique = []
    for item in sorted(found, key=lambda f: f.start):
        if item.value not in seen:
            seen.add(item.value)
            unique.append(item)
    return unique


WEEK = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_VALUES = {"weekday": WEEK[:5], "weekend": WEEK[5:], **{code: (code,) for code in WEEK}}
# "can't do weekdays", "not on weekends", "I work monday to friday", "except monday",
# "no puedo entre semana": days the caller cannot go, said before them...
CANNOT_BEFORE = re.compile(
    r"(?:\bcan'?t|\bcannot|\bcan not|\bcouldn'?t|\bnot|\bno|\bnever|\bexcept|\bbesides|\bother than|"
    r"\bi work|\bi'?m working|\bworking|\bno puedo|\bexcepto|\bmenos|\bsalvo|\bnunca|\btrabajo)\s+"
    r"(?:(?:do|go|make it|come|get there|on|the|any|during|in|en|los|las|el|la|ir|de|from|\w+ (?:to|through|thru|a)|"
    r"or|and|y|o)\s+){0,3}$",
    re.IGNORECASE,
)
# ... or after them ("weekdays are out", "entre semana no puedo").
CANNOT_AFTER = re.compile(
    r"^\s*(?:(?:are|is|'re|'s)\s+)?(?:out\b|no good|not good|bad\b|impossible|don'?t work|doesn'?t work|"
    r"won'?t work|no puedo|no me (?:queda|sirve)|imposible|(?:i|we) (?:work|can'?t))",
    re.IGNORECASE,
)


def _days_the_caller_can_go(text: str, found: list[Found]) -> list[Found]:
    """Days said as days the caller cannot go are left out; said alone, they mean the other days
    ("can't do weekdays" is the weekend)."""
    cannot = [
        f
        for f in found
        if f.value in DAY_VALUES
        and (CANNOT_BEFORE.search(text[max(0, f.start - 40) : f.start]) or CANNOT_AFTER.match(text[f.end :]))
    ]
    if not cannot:
        return found
    kept = [f for f in found if f not in cannot]
    if any(f.value in DAY_VALUES for f in kept):
        return kept
    excluded = {code for f in cannot for code in DAY_VALUES[f.value]}
    others = [code for code in WEEK if code not in excluded]
    start, end = cannot[0].start, cannot[-1].end
    if set(others) == set(WEEK[5:]):
        return [*kept, Found("when", "weekend", start, end)]
    if set(others) == set(WEEK[:5]):
        return [*kept, Found("when", "weekday", start, end)]
    return [*kept, *(Found("when", code, start, end) for code in others)]


# "after 6 or saturdays", "los sábados o después de las 6": either will do, not both at once.
OR_BETWEEN = re.compile(r"^[\s,]*(?:or|o)(?:\s+(?:on|a|an|any|el|los|un|una|en))?[\s,]*$", re.IGNORECASE)
# Marks a `when` value as a day the caller can go at any hour ("SA any time").
ANY_TIME = " any time"


def day_codes(value: str) -> tuple[str, ...]:
    """A `when` value's days: "weekend", "weekday" or a day's code ("SA"); () for any other value."""
    key = value.strip()
    if key.casefold() in ("weekday", "weekend"):
        return DAY_VALUES[key.casefold()]
    return DAY_VALUES.get(key.upper()[:2], ()) if len(key) <= 3 else ()


def _days_or_a_time(text: str, found: list[Found]) -> list[Found]:
    """Days said as the other choice to a time of day are days the caller can go at any hour."""
    clocks = [f for f in found if f.value.startswith(("after ", "before "))]
    if not clocks:
        return found
    marked = []
    for item in found:
        if item.value in DAY_VALUES and any(
            OR_BETWEEN.match(text[c.end : item.start] if c.end <= item.start else text[item.end : c.start])
            for c in clocks
        ):
            item = Found("when", item.value + ANY_TIME, item.start, item.end)
        marked.append(item)
    return marked


# --- ages said in ways the ruler does not know ---------------------------------

NOT_AN_AGE_AFTER = re.compile(
    r"^\s*(?:months?|weeks?|days?|hours?|hrs?|minutes?|mins?|times|behind|late|o'?clock|a\.?m\.?|p\.?m\.?|%|"
    r"years? (?:ago|sober|clean|behind|late|since|in recovery)|meses|semanas|d[ií]as|horas|veces|atrasad[oa]s?)\b",
    re.IGNORECASE,
)
AGE_PATTERNS = [
    re.compile(r"\b(\d{1,3})\s*(?:y/?o|yo|yrs?|years?)\b(?:\s*old)?", re.I),
    # Staff shorthand: "client 29M", "pt 33F d/c'ing", "45M w/ schizophrenia" (capitals only).
    re.compile(r"\b(?:client|pt|patient|probationer|parolee|consumer|resident|member)\s+(\d{1,2})\s?[MF]\b"),
    re.compile(
        r"\b(\d{1,2})[MF](?=,|\s+(?:w/|with|on|needs|needing|requesting|d/c|who|is|in|at|from|has|had)\b)"
    ),
    # An age set off by itself: "vet here, 44, been...", "my son, 25, schizoaffective", "45, no
    # insurance rn", "...ashamed. 22, on my moms cigna", "8th grader (13)". Never a number alone.
    re.compile(r"(?<=[a-z]),\s*(\d{1,2})\s*,(?=\s*[a-z])", re.I),
    re.compile(r"(?:^|(?<=[.!?])\s+)([1-9]\d)\s*,(?=\s*[a-z])", re.I),
    re.compile(
        r"\b(?:grader|son|daughter|kid|child|teen|boy|girl|client|pt|patient|grandson|granddaughter|student|"
        r"male|female|man|woman|husband|wife|mom|dad|mother|father)\s*\((\d{1,2})\)",
        re.I,
    ),
    re.compile(
        r"\b(?:son|daughter|boy|girl|kid|teen|child|grandson|granddaughter|client|pt|patient)\s+(?:is\s+)?(\d{1,2})\b(?!\s*(?:days?|weeks?|months?|times?|%|/|:|am|pm|\d))",
        re.I,
    ),
    re.compile(
        r"\b(?:i'?m|im|i am|she'?s|he'?s|she is|he is|is|turned|turns)\s+("
        + "|".join(w for w, v in NUMBER_WORDS.items() if v > 1 and len(w) > 3)
        + r")\b(?!\s+(?:times|days|weeks|months|kids|children|of))",
        re.I,
    ),
]
MONTHS_OLD = re.compile(r"\b(\d{1,2})[\s-]*months?[\s-]*old\b", re.I)
_SPANISH_NUMBER = "|".join(sorted((w for w in NUMBER_WORDS if len(w) > 3), key=len, reverse=True))
# Spanish: "de 17 años", "tiene ocho años", "cumplió treinta y cinco", "mi hija de 15" (a relative
# and "de" and a number), "mi bebé de 8 meses". Not "hace 10 años", "llevo 5 años limpio".
AGE_PATTERNS_ES = [
    re.compile(r"\b(\d{1,3})\s*(?:años|anos|añitos|anitos)\b", re.I),
    re.compile(
        rf"\b(?:de|tiene|tengo|tienes|cumpli[oó]|cumple|cumplir|edad de)\s+((?:{_SPANISH_NUMBER})(?:\s+y\s+\w+)?)"
        r"(?:\s+(?:años|anos|añitos))?\b",
        re.I,
    ),
    re.compile(
        r"\b(?:hij[oa]s?|niñ[oa]|nin[oa]|nene|nena|niet[oa]|sobrin[oa]|herman(?:it)?[oa]|mam[aá]|pap[aá]|mami|papi|"
        r"abuel(?:it)?[oa]|espos[oa]|marido|client[ea]|paciente|chamac[oa]|muchach[oa]|adolescente|joven|"
        r"se[ñn]ora|se[ñn]or|t[ií][oa]|prim[oa])\s+(?:de|tiene|que tiene)\s+(\d{1,3})\b"
        r"(?!\s*(?:meses|mes|semanas?|d[ií]as?|horas?|:|/|\d|%|pm|am|de la|hijos|niños|ninos))",
        re.I,
    ),
]
MONTHS_OLD_ES = re.compile(
    r"\b(?:beb[eé]|bebit[oa]|beba|nene|nena|niñ[oa]|nin[oa]|hij[oa]|niet[oa])\s+(?:de|tiene)\s+(\d{1,2})\s+mes(?:es)?\b",
    re.I,
)


def ages(text: str, taken: list[tuple[int, int]]) -> list[Found]:
    found = []
    for m in [*MONTHS_OLD.finditer(text), *MONTHS_OLD_ES.finditer(text)]:
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        found.append(Found("age", str(int(m.group(1)) // 12), m.start(), m.end()))
        taken = [*taken, (m.start(), m.end())]
    for pattern in [*AGE_PATTERNS, *AGE_PATTERNS_ES]:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            if pattern in AGE_PATTERNS_ES and (
                NOT_AN_AGE_BEFORE_ES.search(text[: m.start()]) or YEARS_NOT_AN_AGE_ES.match(text[m.end() :])
            ):
                continue  # "hace 10 años", "llevo 5 años limpio"
            if re.search(
                r"\bin (?:my|his|her|their) \d0s\b", text[max(0, m.start() - 8) : m.end() + 2], re.I
            ):
                continue
            value = m.group(1)
            age = int(value) if value.isdigit() else NUMBER_WORDS.get(value.casefold())
            if age is None and pattern in AGE_PATTERNS_ES:
                age = number_in(value)
            if age is None or not 0 <= age <= 120:
                continue
            found.append(Found("age", str(age), m.start(), m.end()))
            taken = [*taken, (m.start(), m.end())]
    return found


# Who writes about someone else's care as their job (in the shorthand staff use).
STAFF_WRITING = re.compile(
    r"\b(?:rn|np|lpn|md|nurse|sw|msw|lcsw|social worker|counselor|caseworker|case ?mgr|case manager|tcm|"
    r"therapist|teacher|clinic|hospital|outreach|po|probation officer|parole officer|fqhc|cps|crs|"
    r"peer specialist|navigator|chw|discharge planner)\b",
    re.IGNORECASE,
)
# A person described in staff shorthand: "61yo male", "33F", "27 y/o", "a 50 year old woman".
SOMEONE_DESCRIBED = re.compile(
    r"\b\d{1,2}\s?(?:yo|y/o|yr old|year old)\s+(?:male|female|man|woman|m|f|pt|guy|lady)\b|\b\d{1,2}[MF]\b"
)
YOUNG_ONE = re.compile(
    r"\b(?:\d+(?:st|nd|rd|th) grader|my (?:\d{1,2}|\w+teen) ?(?:yo|y/o|year old|month old))\b", re.IGNORECASE
)
COURT_ORDERED = re.compile(
    r"\b(?:per|by|under|a|on)\s+(?:a\s+)?court[- ]order(?:ed)?\b|\bcourt[- ]ordered\b", re.IGNORECASE
)
LINE_USED_BEFORE = re.compile(
    r"\b(?:called|texted|talked to|spoke (?:to|with)|tried|went through|from)\s+(?:the\s+)?$", re.IGNORECASE
)
NAMED_LINES = re.compile(
    r"\b(?:trevor(?: project| lifeline)?|trans lifeline|samhsa(?:'?s)?(?: one| national)?(?: helpline| hotline| line)?|"
    r"national (?:substance abuse |suicide )?(?:helpline|hotline|lifeline)|veterans crisis line|crisis text line|"
    r"suicide (?:hotline|lifeline)|988)\b",
    re.IGNORECASE,
)
NEED_PHRASES = [
    # "OP D&A tx", "IOP for SUD", "outpt drug and alcohol": outpatient substance use treatment.
    (
        re.compile(
            r"\b(?:op|iop|outpt|out-?patient)\s+(?:d\s?&\s?a|a\s?&\s?d|d and a|sud|substance(?: use)?|"
            r"drug(?: and alcohol)?|alcohol)\b(?:\s+(?:tx|treatment|program))?",
            re.IGNORECASE,
        ),
        "substance_use_outpatient",
    ),
    (
        re.compile(
            r"(?<![\w&])(?:d\s?&\s?a|a\s?&\s?d)(?![\w&])(?:\s+(?:tx|treatment|program|eval))?", re.IGNORECASE
        ),
        "substance_use",
    ),
    # "where can I get my son tested for autism", "an ADHD evaluation".
    (
        re.compile(
            r"\b(?:tested|testing|evaluated|assessed|screened|an? eval(?:uation)?|assessment) for (?:autism|adhd|add|asd|"
            r"learning (?:disabilit(?:y|ies)|problems)|dyslexia|bipolar|depression|anxiety)\b|"
            r"\b(?:autism|adhd|asd|psych(?:ological)?|neuropsych(?:ological)?) (?:eval|evaluation|testing|assessment)\b",
            re.IGNORECASE,
        ),
        "mental_health",
    ),
    # "is there a program for rides", "a ride to my appointments".
    (
        re.compile(
            r"\b(?:rides?|medical transport(?:ation)?|paratransit)\b(?=\s+(?:to|for|program|service)\b|\s*[?.!]|\s*$)",
            re.IGNORECASE,
        ),
        "basic_needs",
    ),
    # "need to get on medicaid", "apply for SNAP": the benefit is the need, not how they pay.
    (
        re.compile(
            r"\b(?:get on|get back on|sign (?:me |us )?up for|apply(?:ing)? for|enroll(?:ing)? in|get approved for)\s+"
            r"(?:medicaid|medical assistance|ma|chip|snap|food stamps|ssi|ssdi|disability|medicare|wic)\b",
            re.IGNORECASE,
        ),
        "benefits",
    ),
]
REGULARLY = re.compile(
    r"\b(?:every week|each week|weekly|every other week|regularly|on a regular basis|ongoing|long[- ]term|"
    r"every (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b",
    re.IGNORECASE,
)
NEW_PARENT = re.compile(
    r"\b(?:(?:had|have had|just had) (?:my|a|the|our) (?:baby|son|daughter)|gave birth|giving birth|"
    r"since (?:the|my) baby|after (?:the|my) baby|since (?:having|i had) (?:the|my) baby|postpartum|post partum|"
    r"post-partum|baby blues|new mom|new mother|tuve (?:a )?mi beb[eé]|di a luz|despu[eé]s del parto|posparto)\b",
    re.IGNORECASE,
)
# The caller telling how they themselves are.
FEELS = re.compile(
    r"\b(?:i|i'?m|im|i am|i'?ve|ive|i have been|me|my mood|myself|(?:me )?siento|estoy|no puedo)\b.{0,40}?"
    r"\b(?:feel|feeling|crying|cry|sad|depressed|anxious|overwhelmed|underwater|sleep|numb|not myself|"
    r"struggling|hopeless|empty|scared|angry|llorando|triste|deprimida|ansiosa|dormir)",
    re.IGNORECASE,
)
YOUTH_PERSON = re.compile(
    r"\b(?:teen|teens|teenager|teenage|adolescent|\d{1,2}(?:st|nd|rd|th) grader|middle school(?:er)?|"
    r"high school(?:er)?|toddler|preschooler|kindergarten|daycare|pediatrician|my baby|minor)\b",
    re.IGNORECASE,
)


# --- which need first ------------------------------------------------------------

FIRST_CUES = re.compile(
    r"\b(?:first of all|first|mostly|mainly|most importantly|most of all|the main thing is|above all|"
    r"priority is|more important(?:ly)?|primero|sobre todo|lo más importante|lo mas importante|m[aá]s que nada|"
    r"principalmente|lo principal|antes que nada|lo primero|lo m[aá]s urgente)\b",
    re.IGNORECASE,
)
LATER_CUES = re.compile(
    r"\b(?:eventually|later|later on|after that|afterwards|then|maybe|down the road|someday|"
    r"at some point|also|too|después|tambien|también|despues|luego|m[aá]s adelante|m[aá]s tarde|alg[uú]n d[ií]a|"
    r"tal vez|quiz[aá]s?|a lo mejor|eventualmente|aparte)\b",
    re.IGNORECASE,
)


# A message that takes back what the caller asked for: "actually no wait, what I need is...",
# "sorry, I meant...", "pensándolo bien, mejor...". A need it names replaces the one being
# searched instead of waiting its turn.
CORRECTION = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|oh|hm+|um+|uh+|no|nah|wait|sorry|oops|ay|perd[oó]n|espera|espere)\W+)*(?:actually|no wait|i meant|"
    r"i mean|scratch that|never ?mind|forget (?:that|it)|on second thought|change of plans?|my bad|"
    r"i said (?:that )?wrong|i explained (?:that|it) wrong|not (?:that|what i (?:need|meant|want))|"
    r"pens[aá]ndolo bien|mejor dicho|en realidad|la verdad es que|me equivoqu[eé]|olv[ií]d(?:a|e)lo|"
    r"quise decir|no,? espere|mejor)\b"
    r"|\b(?:instead|en vez de eso|en lugar de eso)\b",
    re.IGNORECASE,
)


# Words that say what the caller is asking for: in a correction, the whole-message classifier's
# guess at a need counts only beside them ("what i really need is someone to talk to"), not in a
# correction of who the help is for ("it's not for me, it's for my mom... she has Medicare").
ASKING_FOR = re.compile(
    r"\b(?:need|needs|needed|want|wants|looking for|look for|find|something (?:for|to)|some(?:one|body) (?:to|for|who)|"
    r"help (?:with|for)|necesit\w*|quier\w*|busc\w*|algo para|alguien (?:que|para|con))\b",
    re.IGNORECASE,
)


def corrects_the_need(text: str) -> bool:
    """Whether the message takes back the need asked for before (``CORRECTION``)."""
    return bool(CORRECTION.search(text or ""))


def asks_for_something(text: str) -> bool:
    """Whether the message says, in words, that the caller needs or looks for something."""
    return bool(ASKING_FOR.search(text or ""))


def need_priority(text: str, start: int, end: int) -> int:
    """+1 when the caller put this need first ("food first", "mostly X"), -1 when later."""
    before = text[max(0, start - 40) : start]
    after = text[end : end + 25]
    # The words right before the need, back to the last break ("mostly X, and maybe Y later").
    clause_before = re.split(r"[.;:!?,]|\b(?:but|and)\b", before)[-1]
    if re.match(r"\s*(?:later|after|afterwards|eventually|too|as well|down the road)\b", after, re.I):
        return -1
    if re.match(r"\s*(?:despu[eé]s|luego|m[aá]s adelante|m[aá]s tarde|tambi[eé]n)\b", after, re.I):
        return -1
    if LATER_CUES.search(clause_before):
        return -1
    if re.match(r"\s*(?:first|1st|primero|antes que nada|lo primero)\b", after, re.I) or FIRST_CUES.search(
        clause_before
    ):
        return 1
    return 0


# --- the whole message -------------------------------------------------------------

# The classifier's need is added where no need word was recognised at this probability
# (0.33: on the fresh and open sets, written blind, its guesses at 0.33-0.40 were mostly
# right, Spanish above all, where the ruler has few words), and overrides a recognised
# one (by moving it first, or adding it first) only when far surer.
ADD_THRESHOLD = 0.33
PROMOTE_THRESHOLD = 0.50
OVERRIDE_THRESHOLD = 0.80
CHILD_GENERAL_NEEDS = {"mental_health", "counseling", "psychiatry"}
ORDER_UNSURE = "order_unsure"  # on the first need entity: which need first was not said
SAID_FIRST = "said_first"  # on the first need entity: the caller put it first in words ("food first")
# Words that name a condition, not a kind of help ("my husband has PTSD"): a need read from them
# alone gives way to the classifier's surer reading of the whole message ("anything for spouses?").
CONDITION_WORDS = re.compile(
    r"(?:depress\w*|anxiety|panic attacks?|bipolar|schizophrenia|ptsd|trauma|ocd|hearing voices|mental illness|"
    r"nerves|addiction|addicted|alcohol|alcoholic|drinking problem|drinking too much|drinking again|opioids|"
    r"opiates|heroin|fentanyl|dope|crack|tranq|xylazine|using again|started using|keeps using|still using|"
    r"relapsed|relapse|using drugs|"
    # Spanish (accents optional)
    r"depresi[oó]n|deprimid[oa]|depre|ansiedad|ansios[oa]|angusti\w*|ataques? de (?:p[aá]nico|nervios)|nervios|"
    r"los nervios|nervios[oa]|esquizofrenia|trastorno bipolar|estr[eé]s postraum[aá]tico|escucha voces|oye voces|"
    r"enfermedad mental|problemas mentales|adicci[oó]n|adict[oa]s?|alcoholismo|alcoh[oó]lic[oa]|drogas|las drogas|"
    r"usa drogas|usando drogas|uso de drogas|bebe mucho|bebe demasiado|problema con (?:la bebida|el alcohol|las drogas)|"
    r"hero[ií]na|fentanilo|coca[ií]na|opioides|opi[aá]ceos|tecata|xilacina|reca[ií]da|recay[oó]|volvi[oó] a usar|"
    r"sigue usando|usando otra vez|no come|no quiere comer|dej[oó] de comer|v[oó]mito|vomita|vomitar|"
    r"temblores|los temblores|tembladera)",
    re.IGNORECASE,
)
# A specialty named beside a kind of care ("an ED therapist", "a trans-competent counselor") is
# what they ask for.
SPECIALTIES = {"eating_disorders", "lgbtq_affirming_care"}
FAMILY_CONTEXT_NEEDS = {"mental_health", "substance_use", "peer_support"}
GENERAL_CARE = {"counseling", "psychiatry", "mental_health"}
NEED_CLASSIFIER = "NeedClassifier"  # the extractor name of needs decided from the whole message


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def understand(
    text: str,
    entities: list[dict],
    need_scores: dict[str, float] | None = None,
    vocabulary: Vocabulary | None = None,
) -> list[dict]:
    """The message's entities, canonical and corrected (see the module's docstring).

    ``entities`` are the ruler's (Rasa's shape; values raw or already mapped to codes);
    ``need_scores`` the need classifier's probabilities by code, with ``"none"``.
    """
    vocabulary = vocabulary or default_vocabulary()
    taxonomy = vocabulary.taxonomy
    found: list[Found] = []
    for entity in entities:
        label = entity.get("entity")
        value = canonical(vocabulary, label, entity.get("value", ""))
        if label == "relation" and value is None:
            continue
        if value is None:
            value = str(entity.get("value", ""))
        found.append(
            Found(
                label,
                value,
                int(entity.get("start", 0)),
                int(entity.get("end", 0)),
                extractor=entity.get("extractor", "SpacyEntityExtractor"),
                role=entity.get("role"),
            )
        )
    spanish = guess(text) == "es" or bool(re.search(r"[¿¡ñáéíóú]", text))
    if spanish:
        found = [f for f in found if not _spanish_misreading(text, f)]
    spans = [(f.start, f.end) for f in found]
    found += fuzzy_matches(text, spans)
    spans = [(f.start, f.end) for f in found]
    if spanish:
        found += spanish_needs(text, spans)
        spans = [(f.start, f.end) for f in found]

    # Relations the ruler does not know (Spanish, "pt", "grandkids"), and whom the help is for.
    for word, start, end in _words(text):
        # "other tenants", "other queer kids": the codes "other" and "self" are no words for a person.
        code = relation_code(word) if word.casefold() not in CODES_NOT_WORDS else None
        if (
            not code
            and spanish
            and word.casefold() == "bebe"
            and re.search(r"\b(?:mi|mis|su|sus|tu|el|la|nuestr[oa])\s+$", text[:start], re.I)
        ):
            code = "child"  # "mi bebe de 18 meses" (but "mi esposo bebe mucho" drinks)
        if not code:
            continue
        relation_spans = [(f.start, f.end) for f in found if f.entity == "relation"]
        taken_by_other = any(_overlaps((start, end), s) for s in spans)
        possessed = re.search(r"\b(?:my|our|mi|mis|nuestr[oa]s?)\s+(?:\d+\s+)?$", text[:start], re.I)
        if taken_by_other and not possessed:
            continue  # "a hotline for teens" is a population, "my teens" are my children
        if not any(_overlaps((start, end), s) for s in relation_spans):
            if word.casefold() in ("pt", "student", "students") and not STAFF_WRITING.search(text):
                continue
            if fold(word) in STUDENT_WORDS_ES and not STAFF_WORDS_ES.search(text):
                continue  # "mi hijo es estudiante": a student is a client only of the staff who write
            found.append(Found("relation", code, start, end))
    relations = []
    for item in found:
        if item.entity != "relation" or _relation_for_someone_else(text, item.start, item.end):
            relations.append(item)
    found = relations
    # "my 14 yo", "a 10th grader" (from a school counselor): who the help is for.
    said = YOUNG_ONE.search(text)
    if said and not any(f.entity == "relation" for f in found):
        found.append(
            Found("relation", "client" if "grader" in said.group(0) else "child", said.start(), said.end())
        )
    # "outreach - 61yo male on the street", "case mgr - client 29M": staff writing about a person.
    described = SOMEONE_DESCRIBED.search(text)
    if described and STAFF_WRITING.search(text) and not any(f.entity == "relation" for f in found):
        found.append(Found("relation", "client", described.start(), described.end()))

    # A number the ruler took for an age that counts something else: "I'm 2 months behind".
    found = [f for f in found if not (f.entity == "age" and NOT_AN_AGE_AFTER.match(text[f.end :]))]
    # Ages said in ways the ruler misses; every age as digits.
    spans = [(f.start, f.end) for f in found if f.entity == "age"]
    found += ages(text, spans)

    # Negation and loss: payment.
    payments = []
    uninsured = UNINSURED.search(text) or (UNINSURED_ES.search(text) if spanish else None)
    lost = None
    for item in found:
        insured = item.entity == "payment" and item.value in ("medicaid", "medicare", "private_insurance")
        if insured and NOT_THIS_PAYMENT.search(text[: item.start]):
            continue
        if insured and _payment_lost(text, item.start, item.end):
            lost = lost or item
            continue
        payments.append(item)
    found = payments
    if lost and not uninsured and not any(f.entity == "payment" for f in found):
        found.append(Found("payment", "sliding_fee", lost.start, lost.end))
    if uninsured and not any(f.entity == "payment" and f.value in ("sliding_fee", "free") for f in found):
        found.append(Found("payment", "sliding_fee", uninsured.start(), uninsured.end()))
    elif uninsured:
        # "lost my insurance... for free": uninsured first, free as well.
        found = [f for f in found if not (f.entity == "payment" and f.value == "private_insurance")]
        found.append(Found("payment", "sliding_fee", uninsured.start(), uninsured.end()))
    if spanish:
        found = _without_generic_insurance(text, found)
    if not any(f.entity == "payment" for f in found):
        for pattern, code in STATED_PAYMENT:
            m = pattern.search(text)
            if m:
                # Insurance lost or not to be used is none: a sliding fee, as for the ruler's words.
                lost_here = _payment_lost(text, m.start(), m.end())
                found.append(Found("payment", "sliding_fee" if lost_here else code, m.start(), m.end()))
                break

    # Negation: population ("no kids, just me", "I'm not a veteran").
    kept = []
    for item in found:
        negated = NEGATED_POPULATION.search(text[: item.start]) or (
            spanish and NEGATED_POPULATION_ES.search(text[: item.start])
        )
        if negated and (item.entity == "population" or item.value == "veterans_services"):
            continue
        if item.entity == "population" and item.value == "youth":
            word = text[item.start : item.end].casefold()
            before = text[max(0, item.start - 20) : item.start].casefold()
            if word in ("kids", "children", "child", "kid") and re.search(
                r"\b(?:my|the|our|his|her|their|2|3|4|5|two|three|four)\s+$", before
            ):
                continue  # "my kids": the caller's children, not a population they ask for
            if fold(word) in ("ninos", "ninas", "nino", "nina", "menores") and re.search(
                r"\b(?:mis|mi|los|las|nuestros|nuestras|sus|su|2|3|4|5|dos|tres|cuatro|cinco)\s+$",
                fold(before),
            ):
                continue  # "mis niños": the caller's children
        kept.append(item)
    found = kept

    # A place the caller will not go is not where to look: "just not in Kensington".
    found = [
        f
        for f in found
        if not (
            f.entity in ("place", "zip")
            and (NOT_THERE.search(text[: f.start]) or (spanish and NOT_THERE_ES.search(text[: f.start])))
        )
    ]

    # Languages: codes; Spanish said as a population, ASL, Kreyòl.
    if any(f.entity == "population" and f.value == "spanish_speaking" for f in found) or re.search(
        r"\b(?:habl\w+|en) (?:español|espanol)\b|\bspanish\b", text, re.I
    ):
        m = re.search(r"español|espanol|spanish", text, re.I)
        found.append(Found("language", "es", m.start() if m else 0, m.end() if m else 0))
    for m in re.finditer(
        r"\b(?:asl|sign language|signs)\b|\bkrey[oò]l\b|\bcantonese\b|\bmandarin\b", text, re.I
    ):
        code = (
            "ase" if m.group(0).casefold() in ("asl", "sign language", "signs") else language_code(m.group(0))
        )
        if code and (code != "ase" or re.search(r"\b(?:deaf|asl|sign)", text, re.I)):
            found.append(Found("language", code, m.start(), m.end()))
    if spanish:  # "lenguaje de señas", "usa señas": American Sign Language
        for m in re.finditer(r"\b(?:lenguaje de se[ñn]as|lengua de se[ñn]as|se[ñn]as)\b", text, re.I):
            found.append(Found("language", "ase", m.start(), m.end()))
            break

    # Who is helped, by age: a fact inferred, marked as such.
    helped_age = next((int(f.value) for f in found if f.entity == "age" and f.value.isdigit()), None)
    # An age is not a population (a 67-year-old is not only served by services for older
    # adults): the age stays the fact, and no population is inferred from it.
    # A new parent telling how they feel ("i had my baby in june and i just feel like im
    # underwater"): the help is for the parent, not the baby.
    new_parent = NEW_PARENT.search(text)
    if new_parent and not FEELS.search(text):
        new_parent = None
    if new_parent:
        found = [f for f in found if not (f.entity == "relation" and f.value == "child")]
        if not any(f.entity == "population" and f.value == "pregnant_postpartum" for f in found):
            found.append(Found("population", "pregnant_postpartum", new_parent.start(), new_parent.end()))
    young = (helped_age is not None and helped_age < ADULT_AGE) or (
        bool(YOUTH_PERSON.search(text)) and not new_parent
    )

    # When they can go.
    found += when_values(text)

    # Access said in other words: "video is fine", "sin cita", a bed "tonight".
    accesses = {f.value for f in found if f.entity == "access"}
    for pattern, code in ACCESS_WORDS:
        m = pattern.search(text)
        if m and code not in accesses:
            found.append(Found("access", code, m.start(), m.end()))
            accesses.add(code)
    if "same_day" not in accesses and any(
        f.entity == "when" and f.value in ("today", "tonight", "now") for f in found
    ):
        when = next(f for f in found if f.entity == "when" and f.value in ("today", "tonight", "now"))
        found.append(Found("access", "same_day", when.start, when.end))

    # Hotlines by name ("Trevor Project number?", "the samhsa one"): the crisis and help lines.
    for m in NAMED_LINES.finditer(text):
        if LINE_USED_BEFORE.search(text[: m.start()]):
            continue  # "I called 988 and they said...": a line used, not asked for
        # The words inside a line's name ("the national substance abuse helpline") name the line.
        found = [f for f in found if not (f.entity == "need" and m.start() <= f.start and f.end <= m.end())]
        found.append(Found("need", "crisis_lines", m.start(), m.end()))
    # Needs said in words the ruler does not know: staff shorthand, an evaluation, rides,
    # applying for a benefit.
    for pattern, code in NEED_PHRASES:
        for m in pattern.finditer(text):
            needs_in = [
                f for f in found if f.entity == "need" and _overlaps((m.start(), m.end()), (f.start, f.end))
            ]
            if any(f.start < m.start() or f.end > m.end() for f in needs_in):
                continue  # inside words another need was read from
            found = [f for f in found if f not in needs_in]  # "OP D&A tx": outpatient, not only D&A
            found.append(Found("need", code, m.start(), m.end()))
    adult = helped_age is not None and helped_age >= ADULT_AGE
    found = _decide_needs(text, found, need_scores, taxonomy, young, adult)
    # "Someone to talk to every week" is counseling, not a warmline for the moment.
    if REGULARLY.search(text):
        found = [
            replace(f, value="counseling") if f.entity == "need" and f.value == "warmline" else f
            for f in found
        ]
    if spanish:
        found = _spanish_decisions(text, found, taxonomy)
    first_need = next((f.value for f in found if f.entity == "need"), None)
    if new_parent and first_need == "child_youth":
        # The baby named is no child to find care for: the parent's own care.
        found = [
            replace(f, value="mental_health") if f.entity == "need" and f.value == "child_youth" else f
            for f in found
        ]
        first_need = "mental_health"
    if first_need == "family_support":
        # Support for a family is for the caller: the relative named is the one who is ill
        # ("my brother has bipolar and I'm his caregiver... when does family to family start").
        found = [f for f in found if f.entity != "relation"]

    # One entity per (kind, value, role), in the order said; needs keep their decided order.
    unique: list[Found] = []
    seen: set[tuple] = set()
    for item in found:
        key = (item.entity, item.value, item.role)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return [f.as_rasa() for f in unique]


NOT_THERE_ES = re.compile(
    r"\b(?:no|menos|excepto|salvo|lejos de|fuera de|cualquier lugar menos|que no sea|no quiero ir a|"
    r"no puedo ir a|no me mandes a|no me manden a)\s+(?:(?:en|cerca de|por|a|al|de|del)\s+)?(?:el\s+|la\s+)?$",
    re.IGNORECASE,
)
NEGATED_POPULATION_ES = re.compile(
    r"(?:\bno (?:es|son|soy|somos|fui|era|eres) (?:para |un |una )?|\bnunca (?:fui|he sido|estuve en) "
    r"(?:un |una |el |la )?|\bsin )(?:\w+\s+)?$",
    re.IGNORECASE,
)
STUDENT_WORDS_ES = {"estudiante", "estudiantes", "alumno", "alumna", "alumnos", "alumnas"}
STAFF_WORDS_ES = re.compile(
    r"\b(?:maestr[oa]|profesor(?:a)?|consejer[oa]|trabajador(?:a)? social|enfermer[oa]|escuela|cl[ií]nica|hospital)\b",
    re.I,
)
# "va" is the veterans' VA in English, and "goes" in Spanish: "mi hijo va a la escuela".
VA_AS_A_VERB_AFTER = re.compile(
    r"^\s+(?:a|al|pa|para|bien|mal|mejor|peor|muy|tan|de|en|y|con|ser|estar|hacer|ir|por|todo|cada|siempre|"
    r"nunca|solo|sola|a la|contra|empeorando|mejorando)\b",
    re.I,
)
VA_AS_A_NAME_BEFORE = re.compile(r"\b(?:del|al|el|la|en el|con el|por el|hospital del|clínica del)\s+$", re.I)
# A number after "tengo"/"tiene" that is not an age: "tengo 3 hijos", "tiene 2 meses sin trabajar".
NOT_AN_AGE_AFTER_ES = re.compile(
    r"^\s*(?:hij|niñ|nin|niet|nen|beb|mes|semana|d[ií]a|hora|minuto|d[oó]lar|peso|perro|gato|trabajo|cita|vez|veces|"
    r"cuarto|chavo|persona|herman|carta|recibo|factura|biles|cheque|pastilla|caso|a[ñn]os? (?:sin|limpi|sobri|"
    r"usando|tomando|bebiendo|viviendo|trabajando|aqu[ií]|en |de casad|casad|esperando|con |clean|sober))",
    re.I,
)
YEARS_NOT_AN_AGE_ES = re.compile(
    r"^\s+(?:sin|limpi|sobri|usando|tomando|bebiendo|viviendo|trabajando|aqu[ií]|en (?:el|la|este|esta|filadelfia|"
    r"philly|estados)|de casad|casad|esperando|clean|sober)",
    re.I,
)
NOT_AN_AGE_BEFORE_ES = re.compile(
    r"\b(?:hace|hac[ií]a|llevo|lleva|llevamos|llevan|desde hace|por|durante|m[aá]s de|menos de|cada|tras|"
    r"despu[eé]s de|en|hasta)\s+(?:como\s+|unos\s+|casi\s+|m[aá]s de\s+)?$",
    re.I,
)


def _spanish_misreading(text: str, item: Found) -> bool:
    """A ruler's hit a Spanish message does not mean: "va" the verb, "tengo 3 hijos" as an age,
    "hace 10 años" as one."""
    said = text[item.start : item.end]
    if item.entity == "need" and item.value == "veterans_services" and said == "va":
        return bool(
            VA_AS_A_VERB_AFTER.match(text[item.end :]) or not VA_AS_A_NAME_BEFORE.search(text[: item.start])
        )
    if item.entity == "age" and re.match(r"(?:tengo|tiene|tienes|edad|cumpl)", fold(said)):
        if re.search(r"an(?:itos|os?)\b", fold(said)):  # "tengo 5 años limpio": years clean
            return bool(YEARS_NOT_AN_AGE_ES.match(text[item.end :]))
        return bool(NOT_AN_AGE_AFTER_ES.match(text[item.end :]))
    return False


# Care from an LGBTQ+ caller or for one ("mi hijo es gay, busco un consejero que lo apoye") is
# affirming care, as the labelling guide has it, even when "therapist" is also said.
GENERAL_CARE_ES = {"counseling", "psychiatry", "mental_health"}
# Support for a family member or a caregiver is for the caller: the relative is the reason.
FOR_THE_CALLER = {"family_support"}


def _spanish_decisions(text: str, found: list[Found], taxonomy) -> list[Found]:
    from bot.directory.taxonomy import NEEDS

    needs = [f for f in found if f.entity == "need"]
    if not needs:
        return found
    first = needs[0]
    # General care the classifier put first, on the words of a kind of care named for it ("una
    # consejera" for "ansiedad"), is that kind of care: the guide's general care is for when no
    # kind of care is asked, and the most specific need the words justify goes first.
    if first.extractor == NEED_CLASSIFIER:
        words = text[first.start : first.end]
        named = default_vocabulary().code("need", words)
        if (
            named
            and named != first.value
            and (NEEDS, named) in taxonomy.terms
            and first.value in taxonomy.ancestors(NEEDS, named)
            and not CONDITION_WORDS.fullmatch(words)
        ):
            specific = replace(first, value=named, extractor="Understanding", extra={})
            found = [specific if f is first else f for f in found]
            first = specific
    lgbtq = any(f.entity == "population" and f.value == "lgbtq" for f in found)
    if first.value in GENERAL_CARE_ES and lgbtq and not any(f.value == "lgbtq_affirming_care" for f in needs):
        affirming = replace(first, value="lgbtq_affirming_care", extractor="Understanding", extra={})
        found = [affirming if f is first else f for f in found]
    if first.value in FOR_THE_CALLER:
        found = [f for f in found if f.entity != "relation"]
    return found


def _without_generic_insurance(text: str, found: list[Found]) -> list[Found]:
    """ "tengo seguro", "mi aseguranza" give way to the plan said with them ("tengo seguro de
    medicaid"), and "tengo seguro social" is Social Security."""
    named = {f.value for f in found if f.entity == "payment" and f.value != "private_insurance"}
    kept = []
    for item in found:
        generic = item.entity == "payment" and GENERIC_INSURANCE_ES.fullmatch(text[item.start : item.end])
        if generic and (named or re.match(r"\s+social\b", text[item.end :], re.I)):
            continue
        kept.append(item)
    return kept


NOT_THERE = re.compile(
    r"\b(?:not|anywhere but|anywhere except|away from|far from|except|stay out of|"
    r"get out of|avoid)\s+(?:(?:in|near|around|by|to)\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)
NEGATED_NEED = re.compile(
    # Not "no": "there's no food in the house" is a need for food.
    r"(?:\bnot|\bdon'?t (?:need|want)|\bdont (?:need|want)|\bno more|\balready (?:have|see|got)|\binstead of|"
    r"\bcan'?t (?:do|go to)|\bcannot (?:do|go to)|\bwon'?t (?:do|go to))"
    r"\s+(?:(?:a|an|another|the|my|any)\s+)?$",
    re.IGNORECASE,
)
# A stay the caller has been through, in the clause before its words: "just finished detox",
# "he's been to detox twice", "I've already been to X and to the Y detox place". Only stays
# one steps down from: "I've been to three therapists" may well want a fourth.
DONE_BEFORE = re.compile(
    r"\b(?:finished|completed|graduated from|got out of|came out of|just left|walked out of|left|"
    r"been (?:to|in|through)|went (?:to|through)|done with|kicked out of|discharged from)\b"
    r"(?!.*\b(?:need|needs|want|wants|looking for|find)\b)",
    re.IGNORECASE,
)
STAYS = {"detox", "residential_treatment", "intensive_mental_health"}
# Being in or leaving one's home is not a housing need: "I can't leave my apartment"
# (but "I'm losing my apartment", "kicked out of my house" are).
HOME_WORDS = re.compile(
    r"\b(?:leave|leaving|in|at|inside|around|clean|cleaning)\s+(?:my|our|his|her|their|the)\s+$",
    re.IGNORECASE,
)
DWELLINGS = {"apartment", "house", "home", "place", "building", "room"}
# The caller's own job, not a service: "Hospital social worker here", "I'm a case manager at...".
MY_ROLE_BEFORE = re.compile(r"(?:^|[.!?]\s*|\b(?:i'?m|i am|im|as|this is)\s+)(?:an?\s+)?(?:\w+\s+)?$", re.I)
MY_ROLE_AFTER = re.compile(
    r"^\s*(?:(?i:here)\b(?!\s+(?i:in|near|around)\b)|(?i:at|from)\s+(?:[A-Z]|(?i:the|a)\s+(?i:hospital|clinic|"
    r"school|jail|prison|shelter|agency|county))|[-:]\s*(?i:(?:my\s+)?(?:client|pt|patient|consumer|resident)\b|\d))"
)
# Someone of the caller's own care, who said or suggested something: "my counselor said I
# should get a peer specialist" asks for the peer specialist.
WHO_SAID_AFTER = re.compile(
    r"^\s+(?:said|says|told|tells|recommended|recommends|suggested|suggests|referred|thinks|wants me|wanted me|"
    r"gave me|sent me)\b",
    re.I,
)
# What a caller is on ("I'm on SSI", "on meds"): a fact about them, not a request.
# Not "getting" alone: "help getting food stamps" asks for them.
ON_BEFORE = re.compile(
    r"(?:\bon|\b(?:i|we|she|he|they)\s+(?:already\s+)?(?:receive|receives|get|gets))\s+(?:my\s+|her\s+|his\s+|the\s+)?$",
    re.I,
)
WHAT_ONE_IS_ON = re.compile(
    r"meds|medications?|medicines?|ssi|ssdi|disability|snap|food stamps|welfare|tanf|wic|section 8", re.I
)
VETERAN = re.compile(r"(?:army |navy |marine |air force |combat )?(?:vet|vets|veteran|veterans)", re.I)
# "vet here", "I'm a veteran and...", "as a vet": who the caller is.
SELF_INTRO_AFTER = re.compile(r"\s*(?:here\b|,)", re.I)
SELF_INTRO_BEFORE = re.compile(r"(?:^|\b(?:i'?m|im|i am|as)\s+(?:an?\s+)?)(?:\w+\s+)?$", re.I)
# What a caller says they have is not what they ask for.
HAVE_BEFORE = re.compile(
    r"\b(?:i|we|she|he|they)\s+(?:already\s+)?(?:have|has|got)\s+(?:(?:a|an|my|her|his|their|our)\s+)?"
    r"(?:(?:kinship|legal|full|joint|temporary)\s+)?$",
    re.I,
)
HELD = re.compile(r"(?:(?:kinship|legal|full|joint|temporary)\s+)?custody|lawyer|attorney|guardianship", re.I)
ROLES = re.compile(
    r"(?:(?:hospital |school |medical |clinical )?social worker|case ?manager|case ?worker|care coordinator|"
    r"counselor|counsellor|therapist|nurse|peer specialist|recovery coach|psychiatrist|sw|cm)s?",
    re.I,
)


# The same in Spanish: "no quiero pastillas", "ya tengo terapeuta", "en vez de un albergue",
# "un psiquiatra, no un terapeuta" (but "no tengo comida", "no hay comida" ask for food).
NEGATED_NEED_ES = re.compile(
    r"(?:\bno (?:quiero|necesito|busco|me interesa|nos interesa|queremos|necesitamos|quiere|necesita|busca|"
    r"me gusta|le gusta|voy a|va a|puedo ir a|puede ir a)|\bya (?:tengo|tiene|tenemos|tienen|veo|ve|vemos)|"
    r"\ben (?:vez|lugar) de|\bnada de|(?:,|\bpero|\by|\bo)\s+no|\bmenos)\s+"
    r"(?:(?:ir|volver) (?:a|al|a la|a un|a una)\s+)?"
    r"(?:(?:un|una|unos|unas|el|la|los|las|mi|mis|más|mas|otro|otra|otra vez|al|a la|a un|a una|con un|con una|"
    r"ning[uú]n|ninguna)\s+)?$",
    re.IGNORECASE,
)
DONE_BEFORE_ES = re.compile(
    r"\b(?:termin[eéoó]|complet[eéoó]|sal[ií]|sali[oó]|acab[oa] de salir|ya estuve en|ya estuvo en|estuve en|"
    r"estuvo en|ya fui a|ya fue a|(?:me|le|lo|la) dieron de alta|(?:me|lo|la) botaron|(?:me|lo|la) echaron|"
    r"(?:me|se) fue|me fui|pas[eé] por|pas[oó] por)(?:\s+(?:de|del|de la))?\b"
    r"(?!.*\b(?:necesit\w*|quier\w*|busc\w*|encontrar)\b)",
    re.IGNORECASE,
)
HOME_WORDS_ES = re.compile(
    r"\b(?:salir|sale|salgo|sales|saliendo)\s+(?:de|del)\s+(?:mi\s+|su\s+|nuestro\s+)?$|"
    r"\b(?:en|dentro de|limpiar|limpio|limpia)\s+(?:mi|su|nuestro|el)\s+$",
    re.IGNORECASE,
)
DWELLINGS_ES = {"apartamento", "apartamentos", "casa", "cuarto", "hogar", "vivienda"}
ROLES_ES = re.compile(
    r"(?:trabajador(?:a|es|as)? social(?:es)?|(?:trabajador|manejador)(?:a|es|as)? (?:de|del) casos?|"
    r"consejer[oa]s?(?: escolar)?|terapeutas?|terapistas?|enfermer[oa]s?|especialistas? de pares|psiquiatras?|"
    r"psic[oó]log[oa]s?|coordinador(?:a)? de cuidado|especialistas? (?:certificad[oa]s? )?(?:de|en) (?:pares|"
    r"recuperaci[oó]n)|coach de recuperaci[oó]n|especialistas? certificad[oa]s? de pares)",
    re.I,
)
# Training to become one ("el entrenamiento para ser especialista de pares") is not asking for one.
BECOME_BEFORE_ES = re.compile(
    r"\b(?:para ser|pa ser|quiero ser|como ser|hacerme|certificarme (?:como|de)|certificaci[oó]n (?:de|como|para)|"
    r"curso (?:de|para)|entrenamiento (?:de|para)(?: ser)?|capacitaci[oó]n (?:de|para)(?: ser)?|"
    r"pr[aá]ctica (?:de|para)(?: ser)?|clases? (?:de|para)(?: ser)?)\s+(?:(?:un|una)\s+)?$",
    re.I,
)
MY_ROLE_BEFORE_ES = re.compile(
    r"\b(?:soy|trabajo como|trabajo de)\s+(?:(?:un|una|el|la)\s+)?(?:\w+\s+)?$", re.I
)
HAVE_BEFORE_ES = re.compile(
    r"(?<!no )\b(?:ya )?(?:tengo|tiene|tenemos|tienen)\s+(?:(?:un|una|mi|su|el|la|nuestro|nuestra)\s+)?$",
    re.I,
)
HELD_ES = re.compile(r"(?:la )?(?:custodia|tutela)|abogad[oa]s?", re.I)


def _refused(text: str, item: Found) -> bool:
    before = text[max(0, item.start - 30) : item.start]
    return bool(NEGATED_NEED.search(before) or NEGATED_NEED_ES.search(before))


def _not_asked_for_es(text: str, item: Found) -> bool:
    """The Spanish of _not_asked_for: "terminé el detox", "salir de mi apartamento",
    "soy trabajadora social", "ya tengo abogado"."""
    before = text[max(0, item.start - 30) : item.start]
    clause = re.split(r"[.;!?]|\bpero\b", text[: item.start])[-1]
    if item.value in STAYS and DONE_BEFORE_ES.search(clause):
        return True
    words = text[item.start : item.end].casefold()
    if item.value in ("housing", "shelter") and words in DWELLINGS_ES and HOME_WORDS_ES.search(before):
        return True
    if (ROLES_ES.fullmatch(words) or HELD_ES.fullmatch(words)) and HAVE_BEFORE_ES.search(before):
        return True
    if ROLES_ES.fullmatch(words) and BECOME_BEFORE_ES.search(before):
        return True
    return bool(ROLES_ES.fullmatch(words) and MY_ROLE_BEFORE_ES.search(text[: item.start]))


def _not_asked_for(text: str, item: Found) -> bool:
    """A need's words that ask for nothing: refused, already been through, a home, a job."""
    before = text[max(0, item.start - 30) : item.start]
    if _refused(text, item) or _not_asked_for_es(text, item):
        return True
    clause = re.split(r"[.;!?]|\bbut\b", text[: item.start])[-1]
    if item.value in STAYS and DONE_BEFORE.search(clause):
        return True
    words = text[item.start : item.end].casefold()
    if item.value in ("housing", "shelter") and words in DWELLINGS and HOME_WORDS.search(before):
        return True
    if (ROLES.fullmatch(words) or HELD.fullmatch(words)) and HAVE_BEFORE.search(before):
        return True  # "I have a therapist (but need a psychiatrist)", "I have kinship custody"
    if re.search(r"\b(?:my|our|her|his|their)\s+$", before, re.I) and WHO_SAID_AFTER.match(text[item.end :]):
        return True  # "my counselor said i should get a peer specialist": who said it, not what is asked
    if item.value == "legal_advocacy" and any(
        _overlaps((item.start, item.end), m.span()) for m in COURT_ORDERED.finditer(text)
    ):
        return True  # "needs OP D&A tx per court order": treatment a court ordered, not legal help
    if item.value == "crisis_lines" and LINE_USED_BEFORE.search(text[: item.start]):
        return True  # "I called 988 last week and they said...": a line already used
    if ON_BEFORE.search(before) and WHAT_ONE_IS_ON.fullmatch(words):
        return True  # "I'm on SSI", "I'm on meds that cost a fortune": what they have
    if (
        item.value == "veterans_services"
        and VETERAN.fullmatch(words)
        and (SELF_INTRO_AFTER.match(text, item.end) or SELF_INTRO_BEFORE.search(text[: item.start]))
        and re.search(r"\b(?:need|want|looking for|help)\b", text, re.I)
    ):
        return True  # "vet here, drinking way too much, need detox": who they are (a population)
    return bool(
        ROLES.fullmatch(words)
        and MY_ROLE_BEFORE.search(text[: item.start])
        and MY_ROLE_AFTER.match(text[item.end :])
    )


# Spanish need words are the taxonomy's ``synonyms_es`` (the entity ruler reads them, with and
# without accents). These are the few a list of phrases cannot say: a word's every ending, or
# words apart ("sin cita ... emergencia"). Whole-word patterns to codes, for Spanish messages.
SPANISH_NEEDS = [
    (r"recet(?:aron|ado|ada|an|ando|arle|arlo|arla)\b", "psychiatry"),
    (r"sin cita.{0,30}(?:crisis|emergencia)", "crisis_walk_in"),
    (r"(?:manejador|trabajador)(?:a|es|as)? (?:de|del) casos?", "case_management"),
    (r"desaloj\w+", "housing"),
    (r"desintoxic\w*", "detox"),
    # The guide's "a program during the day so I can sleep at home".
    (
        r"de d[ií]a y (?:vuelv\w*|volver|regres\w*|duerm\w*|dormir) (?:a|en) (?:mi|su|la) casa",
        "substance_use_outpatient",
    ),
    (r"rehab\w* intern\w*", "residential_treatment"),
    (r"toma (?:mucho|demasiado)(?!\s+(?:tiempo|rato|agua|caf[eé]|medicina|pastilla))", "substance_use"),
]


def spanish_needs(text: str, taken: list[tuple[int, int]]) -> list[Found]:
    found = []
    for pattern, code in SPANISH_NEEDS:
        for m in re.finditer(rf"\b(?:{pattern})", text, re.IGNORECASE):
            if not any(_overlaps((m.start(), m.end()), t) for t in taken):
                found.append(Found("need", code, m.start(), m.end(), extractor="SpanishNeeds"))
                taken = [*taken, (m.start(), m.end())]
    return found


def _need_span(text: str, needs: list[Found], others: list[Found], code: str, taxonomy) -> tuple[int, int]:
    """Where a need decided from the whole message sits: on a related need's words, else on
    the first stretch of words no other fact covers, else on the whole message."""
    from bot.directory.taxonomy import NEEDS

    family = taxonomy.with_descendants(NEEDS, code) | set(taxonomy.ancestors(NEEDS, code))
    if code == "child_youth":
        family |= set(CHILD_GENERAL_NEEDS)
    for item in needs:
        if item.value in family:
            return item.start, item.end
    covered = sorted((f.start, f.end) for f in [*needs, *others] if f.end > f.start)
    cursor = 0
    for start, end in [*covered, (len(text), len(text))]:
        gap = text[cursor:start]
        words = re.search(r"\S(?:.*\S)?", gap)
        if words and len(words.group(0)) >= 3:
            return cursor + words.start(), cursor + words.end()
        cursor = max(cursor, end)
    return 0, len(text)


def _decide_needs(
    text, found: list[Found], scores, taxonomy, young: bool, adult: bool = False
) -> list[Found]:
    from bot.directory.taxonomy import NEEDS

    needs = sorted((f for f in found if f.entity == "need"), key=lambda f: f.start)
    # "a psychiatrist NOT a therapist", "i dont need a therapist", "just finished detox": not
    # what they ask for.
    # A need refused in one place but asked for in another ("discharged from the psych unit...
    # she needs PHP") is asked for.
    # Only a refusal in words ("NOT a therapist") also vetoes the classifier's whole-message
    # guess; a stay been through ("discharged from the psych unit") leaves the next step open.
    dropped = [f for f in needs if _not_asked_for(text, f)]
    needs = [f for f in needs if f not in dropped]
    refused = {f.value for f in dropped if _refused(text, f)} - {f.value for f in needs}
    others = [f for f in found if f.entity != "need"]
    # Most specific of a family: "therapy for my depression" is counseling.
    codes: list[str] = []
    for item in needs:
        if item.value not in codes:
            codes.append(item.value)
    scores = scores or {}
    top = max(scores, key=scores.get) if scores else None
    top_p = scores.get(top, 0.0) if top else 0.0

    def related(a: str, b: str) -> bool:
        return (
            a in taxonomy.with_descendants(NEEDS, b)
            or b in taxonomy.with_descendants(NEEDS, a)
            or (
                taxonomy.terms[(NEEDS, a)].parent is not None
                and taxonomy.terms[(NEEDS, a)].parent == taxonomy.terms[(NEEDS, b)].parent
            )
        )

    # The first need read only from a condition's name ("PTSD"), when the classifier is sure
    # of another: the classifier's.
    only_condition = bool(codes) and all(
        CONDITION_WORDS.fullmatch(text[f.start : f.end]) for f in needs if f.value == codes[0]
    )
    # "Somewhere I can walk in today and see a counselor": a walk-in read as the way to reach
    # the talking therapy named, not a crisis centre, which the classifier knows best by "walk
    # in". A condition or medication is no such care ("off her meds and manic, where can we
    # walk in right now", "he's hearing voices...").
    walks_in_to_named_care = (
        top == "crisis_walk_in"
        and bool(codes)
        and not only_condition
        and codes[0] in taxonomy.with_descendants(NEEDS, "counseling")
        and any(f.entity == "access" and f.value == "walk_in" for f in others)
    )
    decided = None
    if walks_in_to_named_care:
        pass
    elif (
        only_condition
        and top not in (None, "none", codes[0])
        and top not in refused
        and top_p >= PROMOTE_THRESHOLD
        and (NEEDS, top) in taxonomy.terms
    ):
        decided = top
    elif top and top != "none" and top not in refused and (NEEDS, top) in taxonomy.terms:
        if (not codes and top_p >= ADD_THRESHOLD) or (codes and top in codes and top_p >= PROMOTE_THRESHOLD):
            decided = top
        elif codes and top_p >= PROMOTE_THRESHOLD and any(related(top, c) for c in codes[:1]):
            if top_p - scores.get(codes[0], 0.0) >= 0.3:
                decided = top
        elif codes and top_p >= OVERRIDE_THRESHOLD and scores.get(codes[0], 0.0) < 0.05:
            decided = top
    # Priority said in words ("food first", "mostly X ... maybe Y later") outranks position.
    order: dict[str, int] = {}
    for item in needs:
        said = need_priority(text, item.start, item.end)
        order[item.value] = max(order.get(item.value, -1), said)
    ranked = sorted(codes, key=lambda c: -order[c])
    if any(order[c] != 0 for c in codes) and decided in codes and order[decided] < order[ranked[0]]:
        decided = ranked[0]
    if decided is None and ranked and ranked[0] != codes[0]:
        decided = ranked[0]
    if decided is None and codes and codes[0] in GENERAL_CARE and not any(order.values()):
        decided = next((c for c in codes if c in SPECIALTIES), None)
    # Within a family, the most specific one named.
    first = decided or (ranked[0] if ranked else None)
    if first and decided is None:
        family = [
            c
            for c in ranked
            if related(first, c)
            and (c in taxonomy.with_descendants(NEEDS, first) or first in taxonomy.with_descendants(NEEDS, c))
        ]
        first = max(family, key=lambda c: len(taxonomy.ancestors(NEEDS, c))) if family else first
    # A child's general mental-health need is child and youth services; a son or daughter who
    # is an adult ("my daughter is 24 and hasn't left her room in months") is no child.
    if first in CHILD_GENERAL_NEEDS and young:
        first = "child_youth"
    elif first == "child_youth" and adult and "child_youth" not in codes:
        first = "mental_health"
    result: list[Found] = []
    if first:
        spans = [f for f in needs if f.value == first]
        if spans and first == (codes[0] if codes else None):
            result.append(spans[0])
        else:
            # Decided from the whole message: it goes first, on the words that the need it
            # replaces was said with, or else on words no other fact was read from (a span
            # inside another entity's could not be marked, or read back, as its own).
            start, end = _need_span(text, needs, others, first, taxonomy)
            result.append(
                Found(
                    "need",
                    first,
                    start,
                    end,
                    extractor=NEED_CLASSIFIER,
                    extra={"confidence_entity": round(top_p, 3)} if first == top else {},
                )
            )
        taken = (result[0].start, result[0].end)
        rest = [
            f
            for f in needs
            if f.value != first
            and not (first == "child_youth" and f.value in CHILD_GENERAL_NEEDS)
            # Support for a family is about a relative's illness, in a group: not other needs.
            and not (first == "family_support" and f.value in FAMILY_CONTEXT_NEEDS)
            and (f.start, f.end) != taken
        ]
        rest.sort(key=lambda f: (-order.get(f.value, 0), f.start))
        result += rest
        if order.get(first, 0) > 0:
            result[0] = replace(result[0], extra={**result[0].extra, SAID_FIRST: True})
        # Two unrelated needs, no word of which comes first, and no sure classifier: the
        # dialogue asks which to start with (ORDER_UNSURE on the first need).
        unrelated = [f for f in rest if not related(first, f.value)]
        if decided is None and unrelated and not any(order.get(c, 0) for c in codes):
            result[0] = replace(result[0], extra={**result[0].extra, ORDER_UNSURE: True})
    return result + others


# Words that ask for a person of ours, not for a kind of help: "an actual person", "one of
# your advocates", "a human", "staff", "call me back".
PERSON_WORDS = re.compile(
    r"\b(person|persona|human|humano|advocate|advocates|staff|representative|operator|agent|"
    # Spanish: "una persona real", "un ser humano", "alguien de ustedes", "no un robot".
    r"ser humano|alguien (?:real|de verdad|de carne y hueso|de ustedes|del personal|de la oficina|de su equipo)|"
    r"uno de ustedes|una de ustedes|representante|operador(?:a)?|agente|defensor(?:a)? de ustedes|"
    r"(?:sus|uno de sus|una de sus) (?:defensor(?:a)?es|defensoras|intercesor(?:a)?es)|intercesor(?:a)?|"
    r"el personal|no (?:quiero (?:hablar con )?)?(?:un|una|con un|con una) (?:robot|bot|m[aá]quina|computadora)|"
    r"somebody real|someone real|real (?:person|someone|somebody|human)|actual (?:person|human|someone)|"
    r"one of (?:you|your)|someone (?:from|there|at) (?:your|the) (?:org|organi[sz]ation|office|team)|"
    r"call me back|call back|callback|live (?:chat|agent)|not a (?:bot|robot|computer|machine))\b",
    re.IGNORECASE,
)


def asks_for_a_person(text: str) -> bool:
    """Whether a message asks for a person of the organisation, not only describes a need."""
    return bool(PERSON_WORDS.search(text))


CALL_WORDS = re.compile(
    r"\b(?:call me|give me a call|phone me|ring me|reach me|text me|my (?:phone|number|cell)|llámame|llamarme)\b|"
    # Spanish: "llámenme", "que alguien me llame", "me pueden llamar", "mi número es".
    r"\b(?:ll[aá]m(?:e|en|a)me|ll[aá]meme|me (?:llame|llamen|llamas|llama|puede llamar|pueden llamar|podr[ií]an llamar|"
    r"devuelvan la llamada|escriban|textean)|devolverme la llamada|una llamada|mi (?:tel[eé]fono|n[uú]mero|cel|celular))\b",
    re.IGNORECASE,
)


def asks_for_a_call(text: str) -> bool:
    """Whether a message asks to be called or written to, not only says when suits them."""
    return asks_for_a_person(text) or bool(CALL_WORDS.search(text))


# Asking for a lawyer is asking for legal services (a referral), not only for the
# organisation's own advocates, who do not give legal advice.
LEGAL_HELP = re.compile(
    r"\b(?:lawyer|attorney|legal (?:help|aid|advice|services?|representation|clinic)|abogad[oa]|"
    r"ayuda legal|asesor[ií]a legal|servicios legales|consejo legal)s?\b",
    re.I,
)


def asks_for_legal_help(text: str) -> bool:
    return bool(LEGAL_HELP.search(text))
