"""The crisis rule layer inside Rasa's NLU pipeline.

It runs after the classifiers (and after the FallbackClassifier), on every
message in every state:

- when ``bot.safety`` recognises risk, the intent becomes ``crisis`` whatever
  the classifier said, so that the same rules answer it inside and outside
  every form;
- when the classifier alone says ``crisis`` but the rule layer found no risk
  and positive evidence of a known hard negative (an idiom, a request for
  training or information, past history with nothing current, harm-reduction
  supplies), the classifier's next intent is used instead. Without such
  evidence the classifier's ``crisis`` stands.

What happened is kept in ``crisis_rule_layer`` for the console and evaluation.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.safety.detector import assess
from components.base import IntentOverride

CRISIS_INTENT = "crisis"
NLU_FALLBACK = "nlu_fallback"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CrisisRuleLayer(IntentOverride):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text or text.startswith("/"):
                continue  # a button press: its intent decides
            assessment = assess(text)
            classified = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            ranking = message.get(INTENT_RANKING_KEY) or []
            report = {
                "categories": assessment.categories,
                "third_party": assessment.third_party,
                "language": assessment.language,
                "classified_as": classified,
                "negatives": assessment.negatives,
            }
            if assessment.is_crisis:
                self.set_intent(message, CRISIS_INTENT, 1.0)
            elif classified == CRISIS_INTENT and assessment.negatives:
                others = [r for r in ranking if r.get(INTENT_NAME_KEY) not in (CRISIS_INTENT, NLU_FALLBACK)]
                if not others:
                    continue
                self.set_intent(
                    message,
                    others[0][INTENT_NAME_KEY],
                    others[0]["confidence"],
                    (CRISIS_INTENT, NLU_FALLBACK),
                )
                report["overruled_classifier"] = True
            else:
                continue
            message.set("crisis_rule_layer", report, add_to_output=True)
        return messages
