"""Needs and facts from the whole message, in our codes (``bot.nlp.understanding``).

Runs after the classifiers and the nonsense guard, before the crisis rule layer
(which stays last). The spaCy entity ruler's hits come in; out come canonical,
corrected entities (codes, ISO languages, digit ages, negation and loss, ``when``),
with the need decided from the whole message by a need classifier trained on
need-labelled examples (``bot.nlp.need_model``) together with the ruler's hits.
When the classifier finds a clear need in a message the intent classifier called
vague or could not place, or called a request for a person without naming one
(a person, an advocate, staff), the intent becomes ``request_help``.
"""

from __future__ import annotations

import pickle
import re
from functools import lru_cache

import spacy
from rasa.engine.graph import GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlp.language import CALLER_LANGUAGE, conversation_language, language_entity
from bot.nlp.need_model import NONE, NeedModel, need_examples
from bot.nlp.understanding import (
    NEED_CLASSIFIER,
    asks_for_a_call,
    asks_for_a_person,
    asks_for_legal_help,
    understand,
)
from bot.nlp.vocabulary import default_vocabulary
from components.base import IntentOverride, Learns, best_guess

# Intents whose examples ask for no service: the classifier's "none".
NO_NEED_INTENTS = {
    "greet", "goodbye", "thank", "affirm", "deny", "bot_challenge", "restart", "what_can_you_do",
    "privacy", "out_of_scope", "vague_need", "skip", "more_options", "choose_option", "ask_open_now",
    "ask_closest", "relax_search", "newsletter_signup", "become_advocate", "peer_specialist_practicum",
    "peer_training", "human_handoff", "request_callback", "exclude_option",
}  # fmt: skip
# Intents after which a classifier-only need is not added (the ruler's words still count).
ANSWER_INTENTS = {"affirm", "deny", "greet", "thank", "goodbye", "choose_option", "more_options",
                  "skip", "exclude_option", "ask_open_now", "ask_closest", "restart", "privacy",
                  "bot_challenge", "newsletter_signup", "request_callback"}  # fmt: skip
# The organisation's own programs: a question about them is no search, so no need is guessed
# from the whole message ("are there any peer trainings coming up" asks for no peer support).
PROGRAM_INTENTS = {"peer_training", "peer_specialist_practicum", "become_advocate"}
LIFT_TO_REQUEST = {"nlu_fallback", "vague_need"}
BARE_PHONE = re.compile(r"\s*\+?1?[\s.-]?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\s*")
SENTENCE_WORDS = 8  # a message this long is a request or a story, not a bare answer
ADVOCACY_NEEDS = {"legal_advocacy", "benefits", NONE}  # what the advocacy program itself helps with
LIFT_CONFIDENCE = 0.6


@lru_cache(maxsize=1)
def _ruler():
    from bot.nlp.build import SPACY_MODEL_DIR

    return spacy.load(SPACY_MODEL_DIR)


def ruler_needs(text: str) -> list[str]:
    vocabulary = default_vocabulary()
    codes = []
    for ent in _ruler()(text).ents:
        if ent.label_ == "need":
            code = vocabulary.code("need", ent.text) or ent.ent_id_
            if code:
                codes.append(code)
    return codes


def need_label(message: Message) -> str | None:
    """The need a training example asks for first; ``none``; or None to leave it out."""
    metadata = message.get("metadata") or {}
    for part in (metadata.get("example") or {}, metadata.get("intent") or {}):
        if isinstance(part, dict) and part.get("need"):
            return str(part["need"])
    intent = message.get(INTENT)
    if intent in ("crisis", "spanish"):
        return None
    if intent == "individual_advocacy":
        return "legal_advocacy"
    needs = ruler_needs(message.get(TEXT) or "")
    if intent in NO_NEED_INTENTS:
        return NONE if not needs else None
    if intent == "inform":
        return needs[0] if needs else NONE
    return needs[0] if needs else None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class Understanding(Learns, GraphComponent):
    STATE_FILE = "need_model.pkl"

    def use(self, model: NeedModel | None) -> None:
        self.model = model or NeedModel()

    def dump(self) -> bytes:
        return pickle.dumps(self.model)

    @classmethod
    def restore(cls, data: bytes) -> NeedModel:
        return pickle.loads(data)

    def train(self, training_data: TrainingData) -> Resource:
        texts, labels = [], []
        for example in training_data.intent_examples:
            text = example.get(TEXT)
            label = need_label(example)
            if text and label:
                texts.append(text)
                labels.append(label)
        for text, need in need_examples():
            texts.append(text)
            labels.append(need)
        self.model.train(texts, labels)
        return self.keep()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text or text.startswith("/"):
                continue
            intent = message.get(INTENT) or {}
            name = intent.get(INTENT_NAME_KEY)
            nonsense = name == "nlu_fallback" and not intent.get(PREDICTED_CONFIDENCE_KEY)
            # An answer to a question ("Medical Assistance", "we're in Mt Airy") names no need
            # but the words it says: the whole-message guess is for requests. A sentence is a
            # request even when the intent classifier read it as a bare answer ("inform") or the
            # advocacy program (on the open set, 22 needs were lost that way).
            sentence = len(text.split()) >= SENTENCE_WORDS
            guess = (
                not nonsense
                and name not in ANSWER_INTENTS
                and name not in PROGRAM_INTENTS
                and (sentence or name not in ("inform", "individual_advocacy"))
            )
            scores = self.model.scores(text) if guess else {}
            entities = understand(text, message.get(ENTITIES) or [], scores)
            # The language to answer in: every clear message says it (actions read it); a Spanish
            # one also fills the caller_language slot, so that the fixed responses turn Spanish
            # on the same turn. English takes the slot back through the actions (actions/common.py).
            spoken = conversation_language(text)
            if spoken:
                message.set(CALLER_LANGUAGE, spoken, add_to_output=True)
            marker = language_entity(text, entities) if spoken == "es" else None
            if marker:
                entities.append(marker)
            message.set(ENTITIES, entities, add_to_output=True)
            needs = [e for e in entities if e["entity"] == "need"]
            top = max(scores, key=scores.get) if scores else None
            # "Someone to talk to about my depression" names a need; "an actual person" a handoff.
            # "Evenings are best" is when they can go, not a call back.
            lift = (
                name in LIFT_TO_REQUEST
                or (name == "human_handoff" and not asks_for_a_person(text))
                or (name == "request_callback" and not asks_for_a_call(text))
            )
            # A classifier unsure between crisis and the rest is the crisis layer's to decide.
            lift = lift and best_guess(message) != "crisis"
            # A sentence whose need the classifier decided is a request, even when the intent
            # classifier could not choose (a story that ends "are there groups for grandparents?").
            confident = top not in (None, NONE) and (
                scores[top] >= LIFT_CONFIDENCE or (sentence and any(e["value"] == top for e in needs))
            )
            # A need word the ruler found ("depression", "therapist") is clear enough on its own.
            named = any(e.get("extractor") != NEED_CLASSIFIER for e in needs)
            legal = name == "individual_advocacy" and asks_for_legal_help(text)
            # The advocacy program is for rights, complaints and benefits; "who can I see to
            # change my meds" is a request for a service, whatever the intent classifier said.
            for_a_service = (
                name == "individual_advocacy"
                and confident
                and top not in ADVOCACY_NEEDS
                and needs[:1]
                and needs[0]["value"] == top
                and not asks_for_a_person(text)
            )
            if (legal and any(e["value"] == "legal_advocacy" for e in needs)) or for_a_service:
                IntentOverride.set_intent(
                    message, "request_help", intent.get(PREDICTED_CONFIDENCE_KEY) or 1.0
                )
            elif lift and not nonsense and needs and (confident or named):
                IntentOverride.set_intent(message, "request_help", max(scores.get(top, 0.0), LIFT_CONFIDENCE))
            elif name == "request_callback" and BARE_PHONE.fullmatch(text):
                # "215-555-0123" alone answers a question (the number to call), it asks for nothing.
                IntentOverride.set_intent(message, "inform", intent.get(PREDICTED_CONFIDENCE_KEY) or 1.0)
        return messages
