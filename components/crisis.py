"""The crisis rule layer inside Rasa's NLU pipeline.

It runs after the classifiers (and after the FallbackClassifier), on every
message in every state:

- when ``bot.safety`` recognises risk (a statement or a situation), the intent
  becomes ``crisis`` whatever the classifier said, at the level the rule layer
  found (``imminent`` or ``possible``), so that the same rules answer it inside
  and outside every form;
- when the classifier alone says ``crisis``, that stands at the ``possible``
  level (the caller is asked directly), unless the message is positive evidence
  of an ordinary request (an idiom, training, past history, a schedule, a
  relative's treatment...) with not one risk word beside it: then the
  classifier's next intent is used, or the fallback for keyboard mash.

What was found is reported with every parse in ``crisis_rule_layer`` (a
``bot.safety.finding.Finding``, with what the layer decided), which the action server
answers from without recognising again, and kept in the channel's open turn
(``bot.safety.turn``), so that the channel can answer a crisis that the action
server did not.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlp.understanding import NEED_CLASSIFIER
from bot.safety import turn
from bot.safety.detector import POSSIBLE, assess, default_detector
from components.base import NLU_FALLBACK, IntentOverride, best_guess
from components.nonsense import NOT_UNDERSTOOD

CRISIS_INTENT = "crisis"
REQUEST_HELP = "request_help"
# Intents that carry the needs they name: kept when second, so that an advocacy request
# ("kicked out of my recovery house, they kept my deposit") is not made a search.
ASKS_FOR_A_SERVICE = {REQUEST_HELP, "individual_advocacy"}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CrisisRuleLayer(IntentOverride):
    def __init__(self) -> None:
        default_detector()  # built when the model loads (seconds), not on the first message

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text or text.startswith("/"):
                continue  # a button press: its intent decides
            assessment = assess(text)
            classified = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            ranking = message.get(INTENT_RANKING_KEY) or []
            finding = assessment.finding()
            report = {**finding.to_json(), "classified_as": classified}
            others = [r for r in ranking if r.get(INTENT_NAME_KEY) not in (CRISIS_INTENT, NLU_FALLBACK)]
            if classified == NLU_FALLBACK and best_guess(message) == CRISIS_INTENT:
                # Unsure, but its best guess is a crisis: a possible risk, asked about directly,
                # never a "could you say that another way?" (the branches below still let
                # keyboard mash and an ordinary request with no risk word go).
                confidence = next(r["confidence"] for r in ranking if r.get(INTENT_NAME_KEY) == CRISIS_INTENT)
                self.set_intent(message, CRISIS_INTENT, confidence)
                classified = CRISIS_INTENT
                report["classified_as"] = CRISIS_INTENT
            if assessment.is_crisis:
                self.set_intent(message, CRISIS_INTENT, 1.0)
                # "I just want the pain to stop" asks for no detox: a need guessed from the
                # whole message of a person at risk is dropped (the need classifier never learnt
                # from crisis messages; need words said stay), except for a psychiatric emergency
                # ("he's hearing voices, where can he walk in tonight" asks for a walk-in centre).
                entities = message.get(ENTITIES) or []
                kept = [e for e in entities if e.get("extractor") != NEED_CLASSIFIER]
                if "psychosis" not in assessment.categories and len(kept) != len(entities):
                    message.set(ENTITIES, kept, add_to_output=True)
            elif classified == CRISIS_INTENT and message.get(NOT_UNDERSTOOD) and not assessment.risk_words:
                self.set_intent(message, NLU_FALLBACK, 1.0, (CRISIS_INTENT,))
                report["overruled_classifier"] = True
            elif classified == CRISIS_INTENT and assessment.hides_no_risk and others:
                # An ordinary request that named a need is a request for it, whatever other intent
                # the classifier ranked second ("I want to detox safely... since my wife died").
                names_a_need = any(e.get("entity") == "need" for e in message.get(ENTITIES) or [])
                instead = (
                    others[0]
                    if not names_a_need or others[0].get(INTENT_NAME_KEY) in ASKS_FOR_A_SERVICE
                    else {INTENT_NAME_KEY: REQUEST_HELP, "confidence": 1.0}
                )
                self.set_intent(
                    message,
                    instead[INTENT_NAME_KEY],
                    instead["confidence"],
                    (CRISIS_INTENT, NLU_FALLBACK),
                )
                report["overruled_classifier"] = True
            elif classified == CRISIS_INTENT:
                report["level"] = POSSIBLE  # the classifier alone: ask directly
            else:
                # No risk: the finding still goes with the parse, for the action server, which
                # reads an answer to the direct question from it (its risk words).
                message.set("crisis_rule_layer", report, add_to_output=True)
                continue
            crisis = (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == CRISIS_INTENT
            turn.record(text, crisis, report["level"] if crisis else None, finding)
            message.set("crisis_rule_layer", report, add_to_output=True)
        return messages
