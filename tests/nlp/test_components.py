"""The trained NLU components keep what they learn in Rasa's model storage and read it back."""

from __future__ import annotations

from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.nonsense import NonsenseGuard
from components.understanding import Understanding


def training_data() -> TrainingData:
    return TrainingData(
        [
            Message(data={"text": "i need a therapist", "intent": "request_help"}),
            Message(data={"text": "hello there", "intent": "greet"}),
        ]
    )


def test_the_nonsense_guard_reads_back_the_words_it_learned(tmp_path):
    storage, resource = LocalModelStorage(tmp_path), Resource("nonsense")
    NonsenseGuard.create({}, storage, resource, None).train(training_data())
    loaded = NonsenseGuard.load({}, storage, resource, None)
    assert loaded.vocabulary == {"i", "need", "a", "therapist", "hello", "there"}
    assert loaded.not_understood("asdkjh qwpoei") and not loaded.not_understood("i need a therapist")


def test_the_need_classifier_reads_back_what_it_learned(tmp_path):
    storage, resource = LocalModelStorage(tmp_path), Resource("understanding")
    trained = Understanding.create({}, storage, resource, None)
    trained.train(training_data())
    loaded = Understanding.load({}, storage, resource, None)
    text = "my son is 6 and the school says get him evaluated for his behavior"
    assert loaded.model.trained
    assert loaded.model.scores(text) == trained.model.scores(text)
    assert max(loaded.model.scores(text), key=loaded.model.scores(text).get) == "child_youth"


def test_a_model_without_the_state_file_starts_untrained(tmp_path):
    storage, resource = LocalModelStorage(tmp_path), Resource("missing")
    assert not Understanding.load({}, storage, resource, None).model.trained
    assert NonsenseGuard.load({}, storage, resource, None).vocabulary == set()
