"""Keyboard mash is not understood, whatever the classifier guesses.

DIET's character n-grams can give "kjhgfdsa" a confident ``affirm``, which at a
consent question would sign someone up. When no word of a message is a real
word (``bot.nlp.words``) and no entity was found in it, the intent becomes
``nlu_fallback``, so the assistant asks again. Runs before the crisis rule
layer, which has the last word.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlp.words import is_nonsense
from components.base import IntentOverride

NLU_FALLBACK = "nlu_fallback"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class NonsenseGuard(IntentOverride):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text or text.startswith("/") or message.get(ENTITIES) or not is_nonsense(text):
                continue
            self.set_intent(message, NLU_FALLBACK, 0.0)
        return messages
