"""Messages the assistant cannot have understood are a fallback, whatever the classifier guesses.

DIET's n-grams can give keyboard mash ("kjhgfdsa") or word salad ("purple monkey
dishwasher") a confident intent, which at a consent question would sign someone
up. Two signs that a message was not understood, when it also holds no entity:
no word of it is a real word (``bot.nlp.words``), or most of its words (of three or
more; all of one or two) occur nowhere in the training data (the vocabulary is
learned at training time). A
message in a language we do not speak (``bot.nlp.language``: neither English nor
Spanish) is not understood either, so the fallback tells the caller which
languages we speak, whatever the classifier made of it. Numbers and email
addresses are answers, never nonsense. The intent becomes ``nlu_fallback``, so
the assistant asks again. A ``crisis`` classification is never touched: the
crisis rule layer, which runs next, has the last word; the guard only marks the
message (``NOT_UNDERSTOOD``) when it is keyboard mash or word salad in a
language we speak, so that the rule layer can tell.
"""

from __future__ import annotations

import json
import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlp.language import guess
from bot.nlp.words import is_nonsense
from components.base import IntentOverride, Learns

NLU_FALLBACK = "nlu_fallback"
CRISIS_INTENT = "crisis"
NOT_UNDERSTOOD = "not_understood"
WORD = re.compile(r"[^\W\d_]+")
AN_ANSWER = re.compile(r"\d|@")


def words_of(text: str) -> set[str]:
    return set(WORD.findall(text.casefold()))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class NonsenseGuard(Learns, IntentOverride):
    STATE_FILE = "vocabulary.json"

    def use(self, vocabulary: set[str] | None) -> None:
        self.vocabulary = vocabulary or set()

    def dump(self) -> bytes:
        return json.dumps(sorted(self.vocabulary)).encode()

    @classmethod
    def restore(cls, data: bytes) -> set[str]:
        return set(json.loads(data))

    def train(self, training_data: TrainingData) -> Resource:
        vocabulary: set[str] = set()
        for example in training_data.intent_examples:
            vocabulary |= words_of(example.get(TEXT) or "")
        self.vocabulary = vocabulary
        return self.keep()

    def not_understood(self, text: str) -> bool:
        if AN_ANSWER.search(text):
            return False
        if is_nonsense(text) or guess(text) == "other":
            return True
        words = words_of(text)
        if not words or not self.vocabulary:
            return False
        # Word salad shares a word or two with a large training set ("purple" is in "his lips are
        # purple"): three words or more are not understood when most of them were never seen.
        known = len(words & self.vocabulary)
        return known * 2 < len(words) if len(words) >= 3 else not known

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text or text.startswith("/") or message.get(ENTITIES):
                continue
            if not self.not_understood(text):
                continue
            if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == CRISIS_INTENT:
                if guess(text) != "other":  # another language may well say something we must hear
                    message.set(NOT_UNDERSTOOD, True)
                continue
            self.set_intent(message, NLU_FALLBACK, 0.0)
        return messages
