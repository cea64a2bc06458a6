"""spaCy's entity ruler without a Doc kept for each phrase pattern.

``EntityRuler.add_patterns`` makes a Doc of every phrase pattern and keeps it in
``phrase_patterns`` after its phrase matcher has taken what it matches on; it needs the Doc
again only to give the pattern's text back (``patterns``, ``to_disk``). Our pipeline's 12,873
patterns (the taxonomy's words, the gazetteer) made that about 70 MB of Python objects per loaded
pipeline, and the Rasa server loads two (issue 13: the Rasa server's memory). Installed, the ruler
adds patterns a few hundred at a time and keeps each phrase pattern's text only. What it matches
does not change: ``tests/nlp/test_lean_ruler.py`` compares the entities found.
"""

from __future__ import annotations

from typing import Any

from spacy.pipeline import EntityRuler
from spacy.tokens import Doc

BATCH = 256
_SPACY_ADD_PATTERNS = EntityRuler.add_patterns


class PhrasePattern(str):
    """A phrase pattern's text, standing where spaCy kept its Doc (``pattern.text``)."""

    @property
    def text(self) -> str:
        return str(self)


def add_patterns(ruler: EntityRuler, patterns: list[dict[str, Any]]) -> None:
    patterns = list(patterns)
    for start in range(0, len(patterns), BATCH):
        _SPACY_ADD_PATTERNS(ruler, patterns[start : start + BATCH])
        for label, kept in ruler.phrase_patterns.items():
            if any(isinstance(pattern, Doc) for pattern in kept):
                ruler.phrase_patterns[label] = [
                    PhrasePattern(pattern.text) if isinstance(pattern, Doc) else pattern for pattern in kept
                ]


def install() -> None:
    """Every entity ruler loaded after this keeps texts, not Docs (once per process)."""
    EntityRuler.add_patterns = add_patterns


def spacy_add_patterns() -> Any:
    """spaCy's own ``EntityRuler.add_patterns``."""
    return _SPACY_ADD_PATTERNS
