"""Which language a message is in: enough to answer a Spanish speaker in Spanish and
tell someone writing in another language which languages we speak.

A word-list vote, not a model: callers' messages are short, and the question is
only "English, Spanish, or something else".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

SPANISH = set(
    [
        "hola",
        "necesito",
        "ayuda",
        "quiero",
        "tengo",
        "estoy",
        "para",
        "por",
        "favor",
        "donde",
        "dónde",
        "como",
        "cómo",
        "puedo",
        "busco",
        "buscando",
        "una",
        "uno",
        "unos",
        "unas",
        "el",
        "la",
        "los",
        "las",
        "de",
        "del",
        "que",
        "qué",
        "con",
        "sin",
        "mi",
        "mis",
        "hijo",
        "hija",
        "madre",
        "padre",
        "esposo",
        "esposa",
        "seguro",
        "médico",
        "medico",
        "terapeuta",
        "psiquiatra",
        "comida",
        "refugio",
        "vivienda",
        "hablar",
        "persona",
        "gracias",
        "hablas",
        "español",
        "espanol",
        "ayudar",
        "necesita",
        "también",
        "tambien",
        "cerca",
        "aquí",
        "aqui",
        "ahora",
        "hoy",
        "nadie",
        "muy",
        "bien",
        "mal",
        "salud",
        "drogas",
        "trabajo",
        "casa",
        "dinero",
        "no",
        "sí",
        "si",
        "es",
        "son",
        "está",
        "esta",
        "soy",
        "yo",
        "usted",
        "ustedes",
        "cuál",
        "cual",
        "cuándo",
        "cuando",
        "abierto",
        "abierta",
        "mañana",
        "noche",
        "días",
        "dias",
    ]
) | set(
    [
        "me",
        "te",
        "se",
        "lo",
        "le",
        "les",
        "nos",
        "dicen",
        "dice",
        "haga",
        "hago",
        "voces",
        "escucho",
        "ya",
        "pero",
        "porque",
        "nada",
        "algo",
        "mucho",
        "muchas",
        "pastillas",
        "puedo",
        "tiene",
        "hermano",
        "hermana",
        "amigo",
        "amiga",
        "novio",
        "novia",
        "casa",
        "miedo",
        "sola",
        "vida",
        "morir",
    ]
)
# More Spanish as callers type it on phones: without accents, with the usual
# abbreviations (q, xq, pq, tb, porfa) and Caribbean and Mexican everyday words. None
# is also a common English word.
SPANISH |= set(
    [
        "a",
        "ni",
        "importa",
        "igual",
        "cualquiera",
        "acuerdo",
        "ola",
        "holaa",
        "buen",
        "buena",
        "cuídate",
        "cuidate",
        "cuídese",
        "cuidese",
        "sii",
        "okey",
        "aja",
        "ajá",
        "órale",
        "orale",
        "nop",
        "nel",
        "interesa",
        "mejor",
        "olvídalo",
        "olvidalo",
        "así",
        "asi",
        "estan",
        "día",
        "dia",
        "mudé",
        "en",
        "un",
        "al",
        "q",
        "xq",
        "pq",
        "porq",
        "tb",
        "tmb",
        "tmbn",
        "porfa",
        "porfis",
        "xfa",
        "xfavor",
        "dale",
        "claro",
        "bueno",
        "pues",
        "vale",
        "entonces",
        "ahorita",
        "ahora",
        "hay",
        "ay",
        "eso",
        "esto",
        "ese",
        "esa",
        "este",
        "estos",
        "estas",
        "aquel",
        "alla",
        "allá",
        "alli",
        "allí",
        "tiene",
        "tienen",
        "tenemos",
        "tenia",
        "tenía",
        "quiere",
        "quieren",
        "queremos",
        "puede",
        "pueden",
        "podemos",
        "podria",
        "podría",
        "sabe",
        "sabes",
        "se",
        "sé",
        "saber",
        "está",
        "están",
        "estamos",
        "estas",
        "estás",
        "eres",
        "somos",
        "fue",
        "ser",
        "hace",
        "hacer",
        "hacen",
        "ir",
        "voy",
        "vamos",
        "vas",
        "vengo",
        "viene",
        "llevar",
        "llamar",
        "llamo",
        "llame",
        "llamen",
        "llámame",
        "llamame",
        "llamarme",
        "ayúdame",
        "ayudame",
        "ayudeme",
        "ayúdeme",
        "ayudenme",
        "ayúdenme",
        "ayudarme",
        "ayudarlo",
        "ayudarla",
        "necesitamos",
        "necesitan",
        "necesitaba",
        "busca",
        "buscar",
        "buscamos",
        "conseguir",
        "consigo",
        "encontrar",
        "encuentro",
        "hablan",
        "hable",
        "hablo",
        "habla",
        "hablen",
        "su",
        "sus",
        "tu",
        "tus",
        "tú",
        "nuestra",
        "nuestro",
        "nuestros",
        "nuestras",
        "mío",
        "mio",
        "mía",
        "mia",
        "él",
        "ella",
        "ellos",
        "ellas",
        "nosotros",
        "usted",
        "ud",
        "uds",
        "vos",
        "nada",
        "nadie",
        "algo",
        "alguien",
        "alguna",
        "alguno",
        "algún",
        "algun",
        "ningún",
        "ningun",
        "ninguna",
        "ninguno",
        "otro",
        "otra",
        "otros",
        "otras",
        "más",
        "menos",
        "todavía",
        "todavia",
        "aún",
        "tambien",
        "lejos",
        "cerca",
        "abierto",
        "abiertos",
        "abierta",
        "cerrado",
        "cerrada",
        "ayer",
        "semana",
        "semanas",
        "mes",
        "meses",
        "año",
        "años",
        "anos",
        "edad",
        "aseguranza",
        "plata",
        "chavos",
        "cuartos",
        "calle",
        "ciudad",
        "barrio",
        "gente",
        "cualquier",
        "cuál",
        "cuáles",
        "cuales",
        "primero",
        "primera",
        "segundo",
        "segunda",
        "tercero",
        "tercera",
        "último",
        "ultimo",
        "ultima",
        "última",
        "opción",
        "opcion",
        "opciones",
        "lugar",
        "lugares",
        "sitio",
        "vez",
        "después",
        "despues",
        "antes",
        "luego",
        "pero",
        "porque",
        "cuando",
        "donde",
        "adónde",
        "adonde",
        "qué",
        "que",
        "quien",
        "quién",
        "quienes",
        "cuánto",
        "cuanto",
        "cuánta",
        "cuanta",
        "cuántos",
        "cuantos",
        "mucha",
        "muchos",
        "pocos",
        "poco",
        "mamá",
        "papá",
        "mami",
        "papi",
        "hijos",
        "hijas",
        "niño",
        "niña",
        "niños",
        "niñas",
        "nene",
        "nena",
        "bebé",
        "esposo",
        "esposa",
        "marido",
        "abuela",
        "abuelo",
        "nieto",
        "nieta",
        "tía",
        "tia",
        "tío",
        "tio",
        "primo",
        "prima",
        "suegra",
        "cuñada",
        "cuñado",
        "sobrino",
        "sobrina",
        "buenas",
        "buenos",
        "días",
        "dias",
        "tardes",
        "noches",
        "adiós",
        "adios",
        "chao",
        "bendiciones",
        "bendición",
        "bendicion",
        "oiga",
        "oye",
        "mire",
        "disculpe",
        "perdón",
        "perdon",
        "gracias",
        "muchísimas",
        "muchisimas",
        "señora",
        "señor",
        "señorita",
        "doña",
        "mija",
        "mijo",
        "clínica",
        "clinica",
        "médica",
        "medica",
        "doctora",
        "cita",
        "citas",
        "consulta",
        "pagar",
        "pago",
        "cobran",
        "cobrar",
        "dinero",
        "seguro",
        "trabajo",
        "escuela",
        "iglesia",
        "carro",
        "guagua",
        "camión",
        "camion",
        "tren",
        "autobús",
        "autobus",
    ]
)
ENGLISH = set(
    [
        "i",
        "me",
        "my",
        "the",
        "a",
        "an",
        "to",
        "for",
        "and",
        "need",
        "help",
        "want",
        "have",
        "is",
        "are",
        "am",
        "you",
        "your",
        "can",
        "where",
        "what",
        "how",
        "near",
        "with",
        "no",
        "not",
        "please",
        "thanks",
        "thank",
        "this",
        "that",
        "it",
        "in",
        "on",
        "of",
        "be",
        "do",
        "does",
        "get",
        "find",
        "looking",
        "someone",
    ]
)
OTHER_LATIN = set(
    # French, Portuguese, Italian, German, Vietnamese and Haitian Creole function words.
    [
        "je",
        "suis",
        "besoin",
        "aide",
        "merci",
        "bonjour",
        "avec",
        "pour",
        "vous",
        "nous",
        "est",
        "les",
        "des",
        "une",
        "eu",
        "preciso",
        "ajuda",
        "obrigado",
        "você",
        "voce",
        "não",
        "nao",
        "ciao",
        "grazie",
        "sono",
        "aiuto",
        "ich",
        "bin",
        "brauche",
        "hilfe",
        "danke",
        "bitte",
        "und",
        "der",
        "die",
        "das",
        "tôi",
        "toi",
        "cần",
        "can",
        "giúp",
        "giup",
        "cảm",
        "cam",
        "ơn",
        "xin",
        "chào",
        "chao",
        "mwen",
        "bezwen",
        "èd",
        "ed",
        "mèsi",
    ]
)
NON_LATIN_SCRIPTS = (
    "CJK",
    "HIRAGANA",
    "KATAKANA",
    "HANGUL",
    "CYRILLIC",
    "ARABIC",
    "HEBREW",
    "DEVANAGARI",
    "THAI",
    "KHMER",
    "BENGALI",
    "GREEK",
)


def words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text.casefold())


def fold(text: str) -> str:
    """Lower case without accents: callers type "psicologo" and "anos" for "psicólogo" and "años"."""
    text = unicodedata.normalize("NFD", text.casefold().replace("ñ", "n"))
    return unicodedata.normalize("NFC", "".join(ch for ch in text if unicodedata.category(ch) != "Mn"))


SPANISH_WORD_LOG_PROB = -14.5  # as common in Spanish as a known English word is in English


@lru_cache(maxsize=1)
def spanish_word_log_probs() -> dict[str, float]:
    """Spanish words written often enough to be words (spacy-lookups-data's frequencies), and
    their log probability; a word and its accent-less spelling both."""
    from bot.nlp.words import frequent_words

    common: dict[str, float] = {}
    for word, prob in frequent_words("es", SPANISH_WORD_LOG_PROB):
        if prob > SPANISH_WORD_LOG_PROB:
            for form in (word.casefold(), fold(word)):
                common[form] = max(prob, common.get(form, -99.0))
    return common


def is_spanish_word(word: str, log_prob: float = SPANISH_WORD_LOG_PROB) -> bool:
    return spanish_word_log_probs().get(word.casefold(), -99.0) > log_prob


@lru_cache(maxsize=1)
def _names() -> frozenset[str]:
    """Words of the places and English service names callers type ("port richmond", "amerihealth
    caritas"): Spanish corpora have them too, and they say nothing of the caller's language."""
    from bot.directory.places import default_gazetteer
    from bot.directory.taxonomy import default_taxonomy

    phrases = [
        alias for place in default_gazetteer().places for alias in [place["name"], *place.get("aliases", [])]
    ]
    phrases += [word for term in default_taxonomy().terms.values() for word in term.synonyms]
    return frozenset(w for phrase in phrases for w in words(phrase))


def _only_spanish(word: str) -> bool:
    """A common Spanish word that is not an English one nor a name ("acepte", "desalojar")."""
    from bot.nlp.words import word_log_probs

    english = word_log_probs()
    return (
        len(word) >= 4
        and word not in OTHER_LATIN
        and is_spanish_word(word, -14.0)
        and max(english.get(word, -99.0), english.get(fold(word), -99.0)) < -15.5
        and word not in _names()
    )


def guess(text: str | None) -> str | None:
    """'en', 'es', 'other', or None when there is nothing to judge (empty, emoji, digits)."""
    if not text:
        return None
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return None
    foreign_script = sum(1 for ch in letters if any(s in unicodedata.name(ch, "") for s in NON_LATIN_SCRIPTS))
    if foreign_script > len(letters) / 2:
        return "other"
    tokens = words(text)
    votes = {
        "es": sum(w in SPANISH for w in tokens) + sum(ch in "ñ¿¡" for ch in text),
        "en": sum(w in ENGLISH for w in tokens),
        "other": sum(w in OTHER_LATIN and w not in SPANISH and w not in ENGLISH for w in tokens),
    }
    best = max(votes, key=votes.get)
    if votes[best] == 0 or (best == "es" and votes["es"] == votes["en"]):
        # No word of the lists, or as many of each ("me van a desalojar"): Spanish when a word
        # is common Spanish and not English; else English for a tie, nothing for none.
        plain = words(re.sub(r"\S+@\S+|https?://\S+", " ", text))
        if any(_only_spanish(w) for w in plain):
            return "es"
        return None if votes[best] == 0 else "en"
    return best


CALLER_LANGUAGE = "caller_language"  # the entity (and slot) of the language to answer in
SPANISH_MARKS = re.compile(r"[ñ¿¡áéíóú]", re.IGNORECASE)
SPANISH_ALONE = frozenset({"hola", "gracias", "buenas", "buenos", "ayuda", "adios", "adiós", "bueno"})


def conversation_language(text: str) -> str | None:
    """The language a caller writes in, when the message says so clearly.

    Spanish: two Spanish words ("necesito un therapist"), a Spanish mark (ñ, ¿, an accent) or a
    greeting alone ("hola"); a lone "si" or "no" is not enough. English: three English words for
    each Spanish one ("son" is both), so that a Spanish speaker's "ok thanks" does not count."""
    said = guess(text)
    tokens = words(text)
    spanish = sum(w in SPANISH for w in tokens)
    if said == "es" and (spanish >= 2 or SPANISH_MARKS.search(text) or set(tokens) & SPANISH_ALONE):
        return "es"
    if said == "en":
        english = sum(w in ENGLISH for w in tokens)
        if english >= 3 and english >= 3 * spanish:
            return "en"
    return None


def language_entity(text: str, entities: list[dict]) -> dict | None:
    """The caller_language entity of a Spanish message, on its first Spanish word that no other
    fact covers (so that it never overlaps one)."""
    taken = [(e.get("start", 0), e.get("end", 0)) for e in entities]
    for match in re.finditer(r"[^\W\d_]+", text):
        free = not any(start < match.end() and match.start() < end for start, end in taken)
        if free and match.group(0).casefold() in SPANISH:
            return {
                "entity": CALLER_LANGUAGE,
                "value": "es",
                "start": match.start(),
                "end": match.end(),
                "extractor": "Language",
            }
    return None
