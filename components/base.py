"""What Wayfinder's NLU components share: they may change a message's intent, train nothing
unless they say so, and keep what they learn as one file in Rasa's model storage."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

NLU_FALLBACK = "nlu_fallback"


def best_guess(message: Message) -> str | None:
    """The intent classifier's own top intent, under the fallback the FallbackClassifier put first."""
    ranking = message.get(INTENT_RANKING_KEY) or []
    return next((r.get(INTENT_NAME_KEY) for r in ranking if r.get(INTENT_NAME_KEY) != NLU_FALLBACK), None)


class IntentOverride(GraphComponent, IntentClassifier):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> IntentOverride:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    @staticmethod
    def set_intent(message: Message, name: str, confidence: float, leave_out: tuple[str, ...] = ()) -> None:
        """Make ``name`` the message's intent, first in its ranking, without ``leave_out``."""
        intent = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
        ranking = [
            r
            for r in message.get(INTENT_RANKING_KEY) or []
            if r.get(INTENT_NAME_KEY) not in (name, *leave_out)
        ]
        message.set(INTENT, intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)


class Learns:
    """A component that keeps what it learned as one file (``STATE_FILE``) in the model:
    Rasa's create, load and persist, written once. A subclass says how its state is written
    (``dump``) and read back (``restore``), and calls ``keep`` at the end of ``train``."""

    STATE_FILE: str

    def __init__(self, model_storage: ModelStorage, resource: Resource, state: Any = None) -> None:
        self.model_storage = model_storage
        self.resource = resource
        self.use(state)

    def use(self, state: Any) -> None:
        raise NotImplementedError

    def dump(self) -> bytes:
        raise NotImplementedError

    @classmethod
    def restore(cls, data: bytes) -> Any:
        raise NotImplementedError

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> Learns:
        return cls(model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> Learns:
        try:
            with model_storage.read_from(resource) as directory:
                state = cls.restore((directory / cls.STATE_FILE).read_bytes())
        except (ValueError, FileNotFoundError):
            state = None
        return cls(model_storage, resource, state)

    def keep(self) -> Resource:
        with self.model_storage.write_to(self.resource) as directory:
            (directory / self.STATE_FILE).write_bytes(self.dump())
        return self.resource
