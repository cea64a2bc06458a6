"""The handoff desk's Conversations in memory: what the desk said, paused, resumed and handed back,
and conversation events a test feeds in. For fast tests of the desk and the console; the
end-to-end console tests use the real Rasa server (bot.handoff.rasa_conversations)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.handoff.conversations import ConversationEvent, ConversationsUnavailable, Said, Turn
from bot.messages import Payload


@dataclass
class FakeEvents:
    pending: list[ConversationEvent] = field(default_factory=list)

    def skip_to_end(self) -> None:
        self.pending.clear()

    def new_events(self) -> list[ConversationEvent]:
        taken, self.pending[:] = list(self.pending), []
        return taken

    def close(self) -> None:
        pass


@dataclass
class FakeConversations:
    said: list[Said] = field(default_factory=list)
    paused: set[str] = field(default_factory=set)
    steps: list[tuple[str, str]] = field(default_factory=list)  # (step, conversation id), in order
    turns: dict[str, list[Turn]] = field(default_factory=dict)
    events: FakeEvents = field(default_factory=FakeEvents)
    # Set to make every call fail as an unreachable Rasa server would.
    down: bool = False

    def _check(self) -> None:
        if self.down:
            raise ConversationsUnavailable("the fake assistant is down")

    async def transcript(self, conversation_id: str) -> list[Turn]:
        self._check()
        return list(self.turns.get(conversation_id, []))

    async def say(
        self, conversation_id: str, text: str, payload: Payload, advocate_name: str | None = None
    ) -> None:
        self._check()
        self.said.append(Said(conversation_id, text, payload.to_json(), advocate_name))
        self.steps.append(("say", conversation_id))
        who = "advocate" if advocate_name else "assistant"
        self.turns.setdefault(conversation_id, []).append(Turn(who=who, text=text, advocate=advocate_name))

    async def pause(self, conversation_id: str) -> None:
        self._check()
        self.paused.add(conversation_id)
        self.steps.append(("pause", conversation_id))

    async def resume(self, conversation_id: str) -> None:
        self._check()
        self.paused.discard(conversation_id)
        self.steps.append(("resume", conversation_id))

    async def hand_back(self, conversation_id: str) -> None:
        await self.resume(conversation_id)
        self.steps.append(("hand_back", conversation_id))

    def follow(self) -> FakeEvents:
        return self.events

    async def close(self) -> None:
        pass

    def told(self, conversation_id: str) -> list[Said]:
        return [said for said in self.said if said.conversation_id == conversation_id]
