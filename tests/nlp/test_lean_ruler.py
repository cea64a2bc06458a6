"""The entity ruler that keeps no Doc per phrase pattern (bot/nlp/lean_ruler.py) finds what
spaCy's own finds, on the assistant's real pipeline and the open NLU sets' messages."""

from __future__ import annotations

from functools import cache

import pytest
import spacy
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc

from bot.nlp import lean_ruler
from bot.nlp.build import SPACY_MODEL_DIR
from tests.nlu.evaluation import load

pytestmark = pytest.mark.skipif(
    not (SPACY_MODEL_DIR / "meta.json").exists(),
    reason="the spaCy pipeline is built by `make` (bot.nlp.build)",
)


@cache
def pipelines() -> tuple[spacy.Language, spacy.Language]:
    spacys = spacy.load(SPACY_MODEL_DIR)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(EntityRuler, "add_patterns", lean_ruler.add_patterns)
        lean = spacy.load(SPACY_MODEL_DIR)
    return spacys, lean


def entities(nlp: spacy.Language, text: str) -> list[tuple]:
    return [(ent.start_char, ent.end_char, ent.label_, ent.ent_id_) for ent in nlp(text).ents]


def test_the_same_entities_in_every_open_message():
    spacys, lean = pipelines()
    messages = [message["text"] for name in ("open", "es_open") for message in load(name)]
    assert len(messages) > 200
    found = 0
    for text in messages:
        expected = entities(spacys, text)
        assert entities(lean, text) == expected, text
        found += len(expected)
    assert found > 200  # the ruler found things to compare


def test_no_doc_is_kept_and_the_patterns_read_back_as_spacys():
    spacys, lean = pipelines()
    ours, theirs = lean.get_pipe("entity_ruler"), spacys.get_pipe("entity_ruler")
    kept = [pattern for patterns in ours.phrase_patterns.values() for pattern in patterns]
    assert len(kept) > 10_000
    assert not any(isinstance(pattern, Doc) for pattern in kept)
    assert any(
        isinstance(pattern, Doc) for patterns in theirs.phrase_patterns.values() for pattern in patterns
    )
    assert ours.patterns == theirs.patterns
    assert len(ours) == len(theirs) and ours.labels == theirs.labels


def test_installing_it_changes_spacys_entity_ruler(monkeypatch):
    monkeypatch.setattr(EntityRuler, "add_patterns", lean_ruler.spacy_add_patterns())
    lean_ruler.install()
    assert EntityRuler.add_patterns is lean_ruler.add_patterns
