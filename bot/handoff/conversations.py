"""What the handoff desk needs from the assistant's conversations, as a small interface.

The desk reads a transcript, speaks into a conversation, pauses and resumes the
assistant, hands a conversation back, and follows what happens in every conversation.
``bot.handoff.rasa_conversations`` does this over Rasa's HTTP API and event broker;
``tests/fakes/conversations.py`` does it in memory for fast tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

from bot.messages import Payload


class ConversationsUnavailable(RuntimeError):
    """The assistant's server did not answer, or refused; the message says which."""


@dataclass(frozen=True)
class Turn:
    """One message in a transcript: the caller's, the assistant's or an advocate's."""

    who: Literal["caller", "assistant", "advocate"]
    text: str
    at: str | None = None
    advocate: str | None = None
    intent: str | None = None
    custom: dict | None = None
    buttons: tuple[str, ...] = ()
    left: bool = False

    def to_json(self) -> dict:
        return {
            "who": self.who,
            "text": self.text,
            "at": self.at,
            "advocate": self.advocate,
            "intent": self.intent,
            "custom": self.custom,
            "buttons": list(self.buttons),
            "left": self.left,
        }


@dataclass(frozen=True)
class ConversationEvent:
    """Something that happened in a conversation, as the desk and the console's live feed see it."""

    conversation_id: str
    kind: Literal["turn", "typing", "left"]
    turn: Turn | None = None
    # The NLU read the caller's message as a possible crisis.
    crisis: bool = False


@dataclass
class Said:
    """A message the desk sent into a conversation (kept by the fake; handy in logs)."""

    conversation_id: str
    text: str
    payload: dict = field(default_factory=dict)
    advocate_name: str | None = None


class Conversations(Protocol):
    async def transcript(self, conversation_id: str) -> list[Turn]: ...

    async def say(
        self, conversation_id: str, text: str, payload: Payload, advocate_name: str | None = None
    ) -> None:
        """Send a message to the caller through their own channel; ``advocate_name`` is who callers see."""

    async def pause(self, conversation_id: str) -> None:
        """Stop the assistant answering: an advocate answers from now on."""

    async def resume(self, conversation_id: str) -> None:
        """Let the assistant answer the caller's next message again."""

    async def hand_back(self, conversation_id: str) -> None:
        """Resume, and have the assistant tell the caller it is back."""

    def follow(self) -> EventSource: ...

    async def close(self) -> None: ...


class EventSource(Protocol):
    """New conversation events, in order, since the source was opened (never history)."""

    def skip_to_end(self) -> None: ...

    def new_events(self) -> list[ConversationEvent]: ...

    def close(self) -> None: ...
