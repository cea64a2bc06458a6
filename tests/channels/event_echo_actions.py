"""An action package for tests/channels/test_action_calls.py: says which events it was given."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher


class ActionCountEvents(Action):
    def name(self) -> str:
        return "action_count_events"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        dispatcher.utter_message(
            json_message={
                "count": len(tracker.events),
                "timestamps": [event.get("timestamp") for event in tracker.events],
                "latest": tracker.latest_message.get("text"),
            }
        )
        return []
