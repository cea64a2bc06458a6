"""Every path the dialogue knows (each rule and story in data/stories/) is walked through the real
assistant over REST, and each of its caller turns must be answered by the dialogue itself.

The channel's guard (bot.channels.safety) answers a silent turn with ``NOT_UNDERSTOOD``, so the
caller always gets something; here a turn answered only by the guard counts as silent, and the
test names the path, the turn and what the assistant did. Turns are sent as button payloads
(``/intent{...}``) so that the path walked is the rule's, whatever the NLU makes of words.

It runs on the off-shift assistant (tests/conversation/conftest.py), so that asking for a
person never pauses the walk.
"""

from __future__ import annotations

import json
import uuid

import yaml

from bot.channels.safety import NOT_UNDERSTOOD
from bot.config import PROJECT_ROOT
from tests.assistant import texts

STORIES = PROJECT_ROOT / "data" / "stories"
SEARCH = {"need": "counseling", "zip": "19143", "payment": "medicaid", "age": "34"}
# What a caller sends for an intent: a payload with what that intent usually carries.
MESSAGES = {
    "request_help": '/request_help{"need": "counseling"}',
    "inform": '/inform{"zip": "19104"}',
    "choose_option": '/choose_option{"option": "1"}',
    "relax_search": '/relax_search{"constraint": "radius"}',
}
# How a conversation gets to a rule's condition (an open form) or to the action a rule starts after.
OPEN_LOOP = {
    "referral_form": ['/request_help{"need": "counseling"}'],
    "newsletter_form": ["/newsletter_signup"],
    "advocacy_form": ["/individual_advocacy"],
    "callback_form": ["/request_callback"],
    # A possible risk: the direct question follows, in crisis_check_form.
    "crisis_check_form": ["i just want it all to stop for good"],
}
AFTER_ACTION = {
    "action_crisis_response": ["/crisis"],
    "action_offer_next_need": [f"/request_help{json.dumps(SEARCH)}"],
    "action_request_human": ["/human_handoff"],
}


def paths() -> list[tuple[str, list[str]]]:
    """Each rule and story as the messages that walk it: what gets there, then its caller turns."""
    walked = []
    for path in sorted(STORIES.glob("*.yml")):
        data = yaml.safe_load(path.read_text())
        for kind in ("rules", "stories"):
            for entry in data.get(kind) or []:
                steps = entry.get("steps") or []
                messages: list[str] = []
                for condition in entry.get("condition") or []:
                    messages += OPEN_LOOP.get(condition.get("active_loop") or "", [])
                if steps and "action" in steps[0]:
                    messages += AFTER_ACTION.get(steps[0]["action"], [])
                for step in steps:
                    if "intent" in step:
                        messages.append(MESSAGES.get(step["intent"], f"/{step['intent']}"))
                if {"crisis_level": "possible"} in [
                    s for step in steps for s in step.get("slot_was_set") or []
                ]:
                    # A pressed crisis button is met as imminent; a possible risk is said in words.
                    messages[messages.index("/crisis")] = OPEN_LOOP["crisis_check_form"][0]
                if messages:
                    walked.append((f"{path.name}: {entry.get('rule') or entry.get('story')}", messages))
    return walked


def test_the_paths_cover_every_rule_and_story():
    names = [name for name, _ in paths()]
    assert any("Not understood" in name for name in names)
    assert any("A typed yes answers the last question" in name for name in names)
    assert len(names) >= 50


def test_every_caller_turn_on_every_path_is_answered_by_the_dialogue(off_shift_assistant):
    walker = off_shift_assistant
    silent = []
    for name, messages in paths():
        sender = f"path-{uuid.uuid4().hex[:10]}"
        for number, message in enumerate(messages, 1):
            reply = walker.say(sender, message)
            said = texts(reply)
            if not reply or said.strip() == NOT_UNDERSTOOD:
                tracker = walker.tracker(sender)
                actions = [e["name"] for e in tracker["events"][-8:] if e["event"] == "action"]
                silent.append(f"{name}, turn {number} ({message}): {actions}")
                break
    assert not silent, "turns the dialogue left silent:\n" + "\n".join(silent)
