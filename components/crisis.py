"""The crisis rule layer inside Rasa's NLU pipeline.

It runs after the classifiers (and after the FallbackClassifier), on every
message in every state: when ``bot.safety`` recognises risk, the message's
intent becomes ``crisis`` whatever DIET said, so that the same rules answer it
inside and outside every form. The classifier's own verdict is kept in
``crisis_rule_layer`` beside the categories found, for the console and for
evaluation.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.safety.detector import assess

CRISIS_INTENT = "crisis"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CrisisRuleLayer(GraphComponent, IntentClassifier):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CrisisRuleLayer:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text or text.startswith("/"):
                continue  # a button press: its intent decides
            assessment = assess(text)
            if not assessment.is_crisis:
                continue
            classified = message.get(INTENT) or {}
            crisis = {INTENT_NAME_KEY: CRISIS_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
            ranking = [
                r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != CRISIS_INTENT
            ]
            message.set(INTENT, crisis, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [crisis, *ranking], add_to_output=True)
            message.set(
                "crisis_rule_layer",
                {
                    "categories": assessment.categories,
                    "third_party": assessment.third_party,
                    "language": assessment.language,
                    "classified_as": classified.get(INTENT_NAME_KEY),
                },
                add_to_output=True,
            )
        return messages
