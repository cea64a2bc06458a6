"""The per-conversation past states (bot/channels/dialogue_states.py) equal Rasa's own replay.

Every story and rule of the assistant's training data is grown event by event, both as one tracker
that grows during a turn and as a new copy at every event (as the tracker store hands out each turn),
and the states are compared with ``Domain.states_for_tracker_history`` for each way the policies ask.
Rewinds, undone actions, restarts, new sessions and a form's fold are made to happen on purpose.
"""

from __future__ import annotations

import tempfile
from functools import cache
from itertools import chain
from pathlib import Path

import pytest
import yaml
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.generator import TrainingDataGenerator
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.importers.importer import TrainingDataImporter

from bot.channels import dialogue_states
from bot.channels.dialogue_states import DialogueStates

ROOT = Path(__file__).resolve().parents[2]
RASA_STATES = dialogue_states.rasa_states()

# The ways Rasa's policies ask (rule policy: whole turns; memoization: rule-only turns and the
# rule-only slot and loops left out), and the other flags for good measure.
RULE_ONLY = {"rule_only_slots": ["crisis_level"], "rule_only_loops": ["crisis_check_form", "callback_form"]}
WAYS = [
    (False, False, None),
    (False, True, RULE_ONLY),
    (False, True, None),
    (True, False, None),
]


@cache
def training_data() -> tuple[Domain, list[list[Event]]]:
    domain, trackers = training_trackers()
    return domain, [list(tracker.events) for tracker in trackers]


@cache
def training_trackers() -> tuple[Domain, list]:
    importer = TrainingDataImporter.load_from_config(
        str(ROOT / "config.yml"), str(ROOT / "domain.yml"), [str(ROOT / "data" / "stories")]
    )
    domain = importer.get_domain()
    trackers = TrainingDataGenerator(
        importer.get_stories(), domain, remove_duplicates=False, augmentation_factor=0
    ).generate()
    return domain, trackers


def grown(domain: Domain, events: list[Event], sender: str = "caller"):
    """The tracker after each event: one tracker growing, as during a turn."""
    tracker = DialogueStateTracker(sender, domain.slots)
    for event in events:
        tracker.update(event)
        yield tracker


def copies(domain: Domain, events: list[Event], sender: str = "caller"):
    """The tracker after each event, a new copy each time, as each turn's retrieve gives."""
    for end in range(1, len(events) + 1):
        yield DialogueStateTracker.from_events(sender, events[:end], domain.slots)


def assert_same_states(domain: Domain, trackers, states: DialogueStates | None = None) -> int:
    states = states or DialogueStates(RASA_STATES)
    compared = 0
    for tracker in trackers:
        for way in WAYS:
            assert states(domain, tracker, *way) == RASA_STATES(domain, tracker, *way), (
                f"after {len(tracker.events)} events of {tracker.sender_id}, asked {way[:2]}"
            )
            compared += 1
    return compared


def test_every_story_and_rule_gives_rasas_states_as_it_grows():
    domain, stories = training_data()
    assert len(stories) > 50  # the assistant's stories and rules, not an empty import
    states = DialogueStates(RASA_STATES)  # one store for all of them, as in the server
    compared = 0
    for number, events in enumerate(stories):
        compared += assert_same_states(domain, grown(domain, events, f"story {number}"), states)
    assert compared > 1000


def test_every_story_and_rule_gives_rasas_states_from_a_new_copy_each_turn():
    domain, stories = training_data()
    states = DialogueStates(RASA_STATES)
    for number, events in enumerate(stories[::3]):
        assert_same_states(domain, copies(domain, events, f"story {number}"), states)


def user(intent: str, timestamp: float) -> UserUttered:
    return UserUttered(intent, {"name": intent, "confidence": 1.0}, timestamp=timestamp)


def action(name: str, timestamp: float, **kwargs) -> ActionExecuted:
    return ActionExecuted(name, timestamp=timestamp, **kwargs)


def turn(intent: str, replies: list[str], at: float) -> list[Event]:
    events: list[Event] = [user(intent, at)]
    for offset, name in enumerate(replies, start=1):
        events.append(action(name, at + offset / 100))
    events.append(action("action_listen", at + 0.9))
    return events


def form_turns(at: float) -> list[Event]:
    """A form that runs over three turns: Rasa folds the turns inside its happy path."""
    events: list[Event] = [action("action_session_start", at), SessionStarted(timestamp=at + 0.01)]
    events += [action("action_listen", at + 0.02)]
    events += [user("request_help", at + 1), action("referral_form", at + 1.1)]
    events += [
        ActiveLoop("referral_form", timestamp=at + 1.2),
        SlotSet("need", "counseling", timestamp=at + 1.3),
    ]
    events += [action("action_listen", at + 1.4)]
    events += [user("inform", at + 2), action("referral_form", at + 2.1)]
    events += [SlotSet("zip", "19104", timestamp=at + 2.2), action("action_listen", at + 2.3)]
    events += [user("inform", at + 3), action("referral_form", at + 3.1)]
    events += [SlotSet("age", 34, timestamp=at + 3.2), ActiveLoop(None, timestamp=at + 3.3)]
    events += [action("action_search_services", at + 3.4), action("action_listen", at + 3.5)]
    return events


@pytest.mark.parametrize(
    "tail",
    [
        pytest.param(lambda at: [UserUtteranceReverted(timestamp=at)], id="rewind"),
        pytest.param(lambda at: [ActionReverted(timestamp=at)], id="undone action"),
        pytest.param(lambda at: [Restarted(timestamp=at)], id="restart"),
        pytest.param(
            lambda at: [action("action_session_start", at), SessionStarted(timestamp=at + 0.01)],
            id="new session",
        ),
    ],
)
def test_history_rewound_or_restarted_gives_rasas_states(tail):
    domain, _ = training_data()
    events = form_turns(1000) + turn("greet", ["action_greet"], 1010)
    events += tail(1020) + turn("goodbye", ["utter_goodbye"], 1030)
    assert_same_states(domain, grown(domain, events))
    assert_same_states(domain, copies(domain, events))


def test_a_slot_set_in_a_turn_that_is_rewound_is_unset_again():
    domain, _ = training_data()
    events = turn("greet", ["action_greet"], 1000)
    events += [user("crisis", 1010), action("action_crisis_response", 1010.1)]
    events += [SlotSet("crisis_level", "possible", timestamp=1010.2), action("action_listen", 1010.3)]
    events += [user("deny", 1020), SlotSet("crisis_level", "imminent", timestamp=1020.1)]
    events += [UserUtteranceReverted(timestamp=1020.2), ActionReverted(timestamp=1020.3)]
    events += turn("greet", ["action_greet"], 1030)
    assert_same_states(domain, grown(domain, events))
    assert_same_states(domain, copies(domain, events))


def test_an_empty_first_state_is_still_the_state_before_the_next():
    domain, _ = training_data()
    events = [action("action_greet", 1000), user("greet", 1001), action("utter_goodbye", 1002)]
    events += [action("action_listen", 1003)]
    assert_same_states(domain, grown(domain, events))


def test_snapshots_are_kept_for_the_latest_actions_only():
    domain, stories = training_data()
    states = DialogueStates(RASA_STATES)
    events = list(chain.from_iterable(stories[:20]))
    long = DialogueStateTracker.from_events("long caller", events, domain.slots)
    assert_same_states(domain, [long], states)  # a long conversation read the first time: one call
    assert_same_states(domain, grown(domain, events, "growing caller"), states)
    for history in states._histories.values():
        assert len(history.actions) > dialogue_states.SNAPSHOTS_KEPT
        assert sum(action.before is not None for action in history.actions) <= dialogue_states.SNAPSHOTS_KEPT


def test_a_form_fold_that_reaches_past_the_kept_snapshots_starts_again(monkeypatch):
    monkeypatch.setattr(dialogue_states, "SNAPSHOTS_KEPT", 1)
    domain, _ = training_data()
    events = form_turns(1000)
    assert_same_states(domain, grown(domain, events))
    assert_same_states(domain, copies(domain, events))


def test_a_name_seen_running_before_it_became_a_form_is_read_as_rasa_reads_it():
    domain, _ = training_data()
    events = [user("request_help", 1), action("referral_form", 1.1), action("action_listen", 1.2)]
    events += [user("inform", 2), action("referral_form", 2.1), action("action_listen", 2.2)]
    events += [user("inform", 3), action("referral_form", 3.1), ActiveLoop("referral_form", timestamp=3.2)]
    events += [action("action_listen", 3.3)]
    assert_same_states(domain, grown(domain, events))
    assert_same_states(domain, copies(domain, events))


def test_another_conversation_under_the_same_id_is_not_taken_for_the_first():
    domain, _ = training_data()
    states = DialogueStates(RASA_STATES)
    first = form_turns(1000)
    longer = turn("greet", ["action_greet"], 5000) + form_turns(5010) + turn("bye", ["utter_goodbye"], 5020)
    assert_same_states(domain, copies(domain, first, "same id"), states)
    assert_same_states(domain, [DialogueStateTracker.from_events("same id", longer, domain.slots)], states)
    assert_same_states(domain, copies(domain, first, "same id"), states)


def test_states_handed_out_are_copies_a_policy_may_change():
    domain, _ = training_data()
    states = DialogueStates(RASA_STATES)
    tracker = DialogueStateTracker.from_events("caller", form_turns(1000), domain.slots)
    handed_out = states(domain, tracker)
    expected = RASA_STATES(domain, tracker)
    for state in handed_out:
        state.get("user", {}).clear()
        state.pop("prev_action", None)
    assert states(domain, tracker) == expected


def test_conversations_are_kept_up_to_the_bound():
    domain, _ = training_data()
    states = DialogueStates(RASA_STATES, conversations=2)
    for sender in ("a", "b", "c"):
        states(domain, DialogueStateTracker.from_events(sender, form_turns(1000), domain.slots))
    assert [key[0] for key in states._histories] == ["b", "c"]


def test_histories_are_bounded_in_events_and_one_too_long_is_not_kept():
    domain, _ = training_data()
    events = form_turns(1000)  # 20 events
    states = DialogueStates(RASA_STATES, events=50)
    for sender in ("a", "b", "c"):
        tracker = DialogueStateTracker.from_events(sender, events, domain.slots)
        assert states(domain, tracker) == RASA_STATES(domain, tracker)
    assert [key[0] for key in states._histories] == ["b", "c"]  # 60 events would be too many
    longer = DialogueStateTracker.from_events(
        "d", events + turn("greet", ["action_greet"], 2000) * 2, domain.slots
    )
    smaller = DialogueStates(RASA_STATES, events=len(longer.events) - 1)
    assert smaller(domain, longer) == RASA_STATES(domain, longer)
    assert not smaller._histories


def test_once_installed_past_states_come_from_the_kept_histories():
    domain, _ = training_data()
    installed = dialogue_states.install()
    assert dialogue_states.install() is installed  # once per process
    tracker = DialogueStateTracker.from_events("installed", form_turns(1000), domain.slots)
    assert tracker.past_states(domain) == RASA_STATES(domain, tracker)
    assert any(key[0] == "installed" for key in installed._histories)


@cache
def rule_policy() -> RulePolicy:
    """The assistant's rule policy, trained on its stories and rules as config.yml sets it."""
    domain, trackers = training_trackers()
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    settings = next(policy for policy in config["policies"] if policy["name"] == "RulePolicy")
    settings = {key: value for key, value in settings.items() if key != "name"}
    storage = LocalModelStorage(Path(tempfile.mkdtemp(prefix="rules-")))
    policy = RulePolicy.create(
        {**RulePolicy.get_default_config(), **settings},
        storage,
        Resource("rules"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    policy.train(trackers, domain)
    return policy


def prediction(policy: RulePolicy, tracker: DialogueStateTracker, domain: Domain) -> tuple:
    predicted = policy.predict_action_probabilities(tracker, domain)
    return (
        predicted.probabilities,
        predicted.events,
        predicted.hide_rule_turn,
        predicted.is_end_to_end_prediction,
        predicted.is_no_user_prediction,
    )


def test_the_rule_policy_predicts_the_same_from_the_states_its_rules_can_reach(monkeypatch):
    domain, stories = training_data()
    policy = rule_policy()
    lookback = dialogue_states.rule_lookback(policy)
    assert 2 < lookback < 30
    # Callers who go on: every story, then the same caller through several stories in a row.
    conversations = list(stories)
    conversations += [
        list(chain.from_iterable(stories[start : start + 6])) for start in range(0, len(stories), 6)
    ]
    longest = 0
    for number, events in enumerate(conversations):
        tracker = DialogueStateTracker(f"caller {number}", domain.slots)
        for event in events:
            if isinstance(event, ActionExecuted):  # a prediction Rasa would make here
                with monkeypatch.context() as rasa:
                    rasa.setattr(RulePolicy, "_prediction_states", dialogue_states.rasa_rule_states())
                    expected = prediction(policy, tracker, domain)
                    longest = max(longest, len(policy._prediction_states(tracker, domain)))
                with monkeypatch.context() as bounded:
                    bounded.setattr(RulePolicy, "_prediction_states", dialogue_states.rule_prediction_states)
                    assert prediction(policy, tracker, domain) == expected, f"{number}, {len(tracker.events)}"
            tracker.update(event)
    assert longest > 3 * lookback  # conversations long enough that the bound cut states off
