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


def test_word_salad_sharing_one_trained_word_is_not_understood_but_a_mostly_known_message_is(tmp_path):
    storage, resource = LocalModelStorage(tmp_path), Resource("nonsense")
    guard = NonsenseGuard.create({}, storage, resource, None)
    guard.train(training_data())
    assert guard.not_understood("purple monkey therapist")
    assert not guard.not_understood("i need a therapist today")
    assert not guard.not_understood("hello therapist")


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


def test_the_language_to_answer_in_needs_a_clear_message():
    from bot.nlp.language import conversation_language

    assert conversation_language("hola") == "es"
    assert conversation_language("necesito un therapist que acepte Medicaid") == "es"
    assert conversation_language("sí") == "es"  # an accent is Spanish
    assert conversation_language("si") is None  # a lone "si" could be anyone's
    assert conversation_language("no") is None and conversation_language("ok thanks") is None
    assert conversation_language("I need a therapist who takes Medicaid near 19143") == "en"


def test_a_spanish_message_is_marked_on_a_word_no_other_fact_covers():
    from bot.nlp.language import language_entity

    need = {"entity": "need", "value": "psychiatry", "start": 0, "end": 5}
    marker = language_entity("busco un psiquiatra", [need])
    assert (marker["entity"], marker["value"], marker["start"], marker["end"]) == (
        "caller_language",
        "es",
        6,
        8,
    )


def test_a_bare_phone_number_is_an_answer_not_a_request():
    from components.understanding import BARE_PHONE

    assert BARE_PHONE.fullmatch("215-555-0123") and BARE_PHONE.fullmatch("(215) 555 0123")
    assert not BARE_PHONE.fullmatch("call me back at 215-555-0123")
