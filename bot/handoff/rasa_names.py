"""Every Rasa name the handoff desk and the console rely on, in one place and without Rasa.

The assistant's domain, its channels and its event broker use these names; the console
only ever refers to them through this module, so a rename is one change here.
"""

from __future__ import annotations

# The intent the desk triggers when an advocate hands a conversation back (domain.yml's rule answers it).
HANDED_BACK_INTENT = "EXTERNAL_handed_back"
# Intents triggered from outside start with this; they are never something a caller typed.
EXTERNAL_INTENT_PREFIX = "EXTERNAL_"
# The intent the NLU (classifier or rule layer) gives a message that may be a crisis.
CRISIS_INTENT = "crisis"
# The table Rasa's SQL event broker writes (bot/channels/stores.py creates it under this name).
BROKER_TABLE = "rasa_broker_events"
# Signals the channels put on the broker that are not conversation events (bot/channels/signals.py).
CALLER_TYPING = "user_typing"
CALLER_LEFT = "user_left"


def is_external(intent: str | None, text: str | None = None) -> bool:
    """A user event that a program triggered (``/trigger_intent``), not words from the caller."""
    if intent and intent.startswith(EXTERNAL_INTENT_PREFIX):
        return True
    return bool(text) and text.startswith("EXTERNAL:")
