"""Every sentence a caller can see, by id and language: the copy catalog.

The catalog is ``data/copy/caller.yml``: one entry per id, with the same sentence in
each language (``{en: ..., es: ...}``) and ``{name}`` placeholders filled by ``say``.
Python code, the widget (``/widget/copy.json``) and SMS all read it, so a sentence is
written once per language and a Spanish caller never meets an English one.
"""

from __future__ import annotations

import re
import string
from functools import cache
from pathlib import Path

import yaml

from bot.config import PROJECT_ROOT

CATALOG_FILE = PROJECT_ROOT / "data" / "copy" / "caller.yml"
LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"


@cache
def catalog(path: Path = CATALOG_FILE) -> dict[str, dict[str, str]]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(key): {lang: str(text) for lang, text in value.items()} for key, value in entries.items()}


def reply_language(value: str | None) -> str:
    """The language to answer in: one the catalog has ("es-MX" is "es"), else English."""
    code = (value or "").strip().lower()[:2]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def say(key: str, language: str | None = DEFAULT_LANGUAGE, /, **params: object) -> str:
    """The sentence ``key`` in ``language``, its placeholders filled from ``params``."""
    entry = catalog()[key]
    language = reply_language(language)
    text = (entry.get(language) or entry[DEFAULT_LANGUAGE]).format(**params)
    # Spanish contracts "de el" and "a el" wherever a filled-in phrase begins with "el"; a
    # sentence's full stop after a filled-in "6 p. m." is not written twice.
    if language == "es":
        text = SPANISH_CONTRACTIONS.sub(_contract, text)
        text = ABBREVIATION_THEN_STOP.sub(r"\1", text)
    return text


SPANISH_CONTRACTIONS = re.compile(r"\b([Dd]e|[Aa]) el\b")
ABBREVIATION_THEN_STOP = re.compile(r"(\b[ap]\. m\.)\.")


def _contract(match: re.Match) -> str:
    return match.group(1)[0] + ("el" if match.group(1).lower() == "de" else "l")


def listing(words: list[str], language: str | None, last: str = "and") -> str:
    """ "a, b and c" ("a, b y c" in Spanish); ``last`` is "and" or "or"."""
    if len(words) == 1:
        return words[0]
    return say(f"list.{last}", language, first=", ".join(words[:-1]), last=words[-1])


def button(key: str, language: str | None, payload: str, /, **params: object) -> dict[str, str]:
    """A button whose title is the sentence ``key`` in ``language``."""
    return {"title": say(key, language, **params), "payload": payload}


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def section(prefix: str, language: str | None) -> dict[str, str]:
    """Every sentence whose id starts with ``prefix``, keyed by the rest of the id (for the widget)."""
    lang = reply_language(language)
    return {
        key[len(prefix) :]: entry.get(lang) or entry[DEFAULT_LANGUAGE]
        for key, entry in catalog().items()
        if key.startswith(prefix)
    }
