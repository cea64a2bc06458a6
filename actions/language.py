"""Callers who write in a language we do not speak: say which we do, and offer a person."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import utter
from bot.copy import button


def answer_other_language(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """Both languages we speak, and a person who can arrange an interpreter."""
    utter(
        dispatcher,
        tracker,
        "language.other",
        buttons=[button("button.person_bilingual", None, "/human_handoff")],
    )
