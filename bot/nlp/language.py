"""Which language a message is in: enough to answer a Spanish speaker in Spanish and
tell someone writing in another language which languages we speak.

A word-list vote, not a model: callers' messages are short, and the question is
only "English, Spanish, or something else".
"""

from __future__ import annotations

import re
import unicodedata

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
        "mental",
        "drogas",
        "alcohol",
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
    ["me", "te", "se", "lo", "le", "les", "nos", "dicen", "dice", "haga", "hago", "voces", "escucho", "ya", "pero", "porque", "nada", "algo", "mucho", "muchas", "pastillas", "puedo", "tiene", "hermano", "hermana", "amigo", "amiga", "novio", "novia", "casa", "miedo", "sola", "vida", "morir"]
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


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text.casefold())


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
    words = _words(text)
    votes = {
        "es": sum(w in SPANISH for w in words) + sum(ch in "ñ¿¡" for ch in text),
        "en": sum(w in ENGLISH for w in words),
        "other": sum(w in OTHER_LATIN and w not in SPANISH and w not in ENGLISH for w in words),
    }
    best = max(votes, key=votes.get)
    if votes[best] == 0:
        return None
    if best == "es" and votes["es"] == votes["en"]:
        return "en"
    return best
