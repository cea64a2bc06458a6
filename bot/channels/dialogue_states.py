"""A conversation's past dialogue states, extended turn by turn instead of replayed from the start.

Before each action Rasa's policies ask for the conversation's past states
(``Domain.states_for_tracker_history``): the rule policy twice, memoization once. Rasa replays the
whole conversation every time, so a turn costs more the longer the conversation is (issue 13: 22 ms a
prediction at turn 100 against 2 ms at turn 5, nearly all of it this replay).

The states of actions already taken do not change as a conversation grows, except where Rasa's own
reading of the history rewinds it: a form's happy path folds the turns since its last run, a rewind
or an undone action drops the last ones, a restart or new session drops everything. So this keeps,
per conversation, the events as Rasa applies them, the state at each action and a snapshot of the
replayed tracker before each of the last actions; a new call applies only the new events, the same
way ``DialogueStateTracker.applied_events`` does, and replays from the last action still in place.
Anything it cannot follow (other events than it saw, a name that turns out to be a form after it ran
twice, a rewind past the kept snapshots) makes it start again from the first event, as Rasa does.

``bot.channels.server`` installs it in the Rasa server; ``tests/channels/test_dialogue_states.py``
compares it with Rasa's own replay, state for state.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice
from typing import Any

from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

# Snapshots are kept for this many of the latest actions: a form's fold reaches back to the form's
# previous run, a turn or two, and a rewind to the last user message.
SNAPSHOTS_KEPT = 48
DEFAULT_CONVERSATIONS = 200  # histories: one per conversation and way of asking (three)
DEFAULT_EVENTS = 60_000  # counted once per history: about 20,000 events (50 MB) asked for three ways

RasaStates = Callable[..., list[State]]
_RASA_STATES: RasaStates = Domain.states_for_tracker_history


def rasa_states() -> RasaStates:
    """Rasa's own ``Domain.states_for_tracker_history``, the replay from the first event."""
    return _RASA_STATES


@dataclass
class _Snapshot:
    """What applying an event can change in a replayed tracker."""

    slots: tuple[tuple[Any, bool], ...]
    latest_message: Any
    latest_action: Any
    latest_bot_utterance: Any
    followup_action: Any
    active_loop: Any
    paused: bool

    @classmethod
    def of(cls, tracker: DialogueStateTracker) -> _Snapshot:
        loop = tracker.active_loop
        return cls(
            tuple((slot._value, slot._has_been_set) for slot in tracker.slots.values()),
            tracker.latest_message,
            tracker.latest_action,
            tracker.latest_bot_utterance,
            tracker.followup_action,
            None if loop is None else _copy_loop(loop),
            tracker._paused,
        )

    def restore(self, tracker: DialogueStateTracker) -> None:
        for slot, (value, has_been_set) in zip(tracker.slots.values(), self.slots, strict=True):
            slot._value, slot._has_been_set = value, has_been_set
        tracker.latest_message = self.latest_message
        tracker.latest_action = self.latest_action
        tracker.latest_bot_utterance = self.latest_bot_utterance
        tracker.followup_action = self.followup_action
        tracker.active_loop = None if self.active_loop is None else _copy_loop(self.active_loop)
        tracker._paused = self.paused


def _copy_loop(loop: Any) -> Any:
    # Events change a loop's flags in place (interrupted, rejected).
    return type(loop)(loop.name, loop.is_interrupted, loop.rejected, loop.trigger_message)


@dataclass
class _Action:
    """One action in the applied events: where, its state, and what the next state builds on."""

    index: int
    event: ActionExecuted
    before: _Snapshot | None
    state: State | None  # None when it is a rule-only turn that the policy does not see
    last_ml_action: Any
    turn_was_hidden: bool


class _History:
    """One conversation's applied events and states, for one way of asking for them."""

    def __init__(self, tracker: DialogueStateTracker, domain: Domain) -> None:
        self.domain = domain
        self.replayed = tracker.init_copy()
        self.start = _Snapshot.of(self.replayed)
        self.tracker: weakref.ref[DialogueStateTracker] | None = None
        self.seen: list[tuple[type, float]] = []
        self.last_seen: Event | None = None
        self.applied: list[Event] = []
        self.loop_names: set[str] = set()
        self.runs: dict[str, int] = {}
        self.actions: list[_Action] = []

    def follows(self, tracker: DialogueStateTracker) -> bool:
        """Whether the tracker's events begin with the events this history has applied."""
        events = tracker.events
        seen = len(self.seen)
        if len(events) < seen:
            return False
        if seen == 0:
            return True
        if self.tracker is not None and self.tracker() is tracker and events[seen - 1] is self.last_seen:
            return True  # the same tracker, grown during the turn: events are only ever added
        # Another copy of the conversation (the tracker store's next turn): the same events, by
        # kind and time, in the same order.
        return [(type(event), event.timestamp) for event in islice(events, seen)] == self.seen

    def take(self, tracker: DialogueStateTracker) -> bool:
        """Applies the tracker's new events; False when Rasa would read the history differently."""
        new = list(islice(tracker.events, len(self.seen), None))
        for event in new:
            if not self._apply(event):
                return False
        self.seen.extend((type(event), event.timestamp) for event in new)
        if new:
            self.last_seen = new[-1]
        self.tracker = weakref.ref(tracker)
        return True

    def _apply(self, event: Event) -> bool:
        # As DialogueStateTracker.applied_events, one event at a time.
        if isinstance(event, ActiveLoop) and event.name and event.name not in self.loop_names:
            # Rasa knows every form of the conversation before reading it: a name seen to run
            # more than once before it became a form would have been folded.
            if self.runs.get(event.name, 0) > 1:
                return False
            self.loop_names.add(event.name)
        if isinstance(event, ActionExecuted) and event.action_name:
            self.runs[event.action_name] = self.runs.get(event.action_name, 0) + 1

        applied = self.applied
        if isinstance(event, (Restarted, SessionStarted)):
            applied.clear()
        elif isinstance(event, ActionReverted):
            DialogueStateTracker._undo_till_previous(ActionExecuted, applied)
        elif isinstance(event, UserUtteranceReverted):
            DialogueStateTracker._undo_till_previous(UserUttered, applied)
            DialogueStateTracker._undo_till_previous(ActionExecuted, applied)
        elif (
            isinstance(event, ActionExecuted)
            and event.action_name in self.loop_names
            and not DialogueStateTracker._first_loop_execution_or_unhappy_path(
                self.replayed, event.action_name, applied
            )
        ):
            DialogueStateTracker._undo_till_previous_loop_execution(event.action_name, applied)
        else:
            applied.append(event)
        return True

    def states(
        self, omit_unset_slots: bool, ignore_rule_only_turns: bool, rule_only_data: dict | None
    ) -> list[State] | None:
        """The states of the applied events (as Domain.states_for_tracker_history), or None when
        the history changed before the oldest snapshot kept."""
        actions = self.actions
        kept = len(actions)
        while kept and not _in_place(actions[kept - 1], self.applied):
            kept -= 1
        if kept and actions[kept - 1].before is None:
            return None
        del actions[kept:]

        replayed = self.replayed
        if actions:
            resume = actions[-1]
            resume.before.restore(replayed)
            first = resume.index
            last_ml_action, turn_was_hidden = resume.last_ml_action, resume.turn_was_hidden
            previous = next((action.state for action in reversed(actions) if action.state is not None), None)
        else:
            self.start.restore(replayed)
            first, last_ml_action, turn_was_hidden, previous = 0, None, False, None

        domain = self.domain
        for index in range(first, len(self.applied)):
            event = self.applied[index]
            if isinstance(event, ActionExecuted) and not (actions and index == first):
                before = _Snapshot.of(replayed)
                state, last_ml_action, turn_was_hidden = _state(
                    domain, replayed, event.hide_rule_turn, last_ml_action, turn_was_hidden,
                    previous, omit_unset_slots, ignore_rule_only_turns, rule_only_data,
                )  # fmt: skip
                actions.append(_Action(index, event, before, state, last_ml_action, turn_was_hidden))
                if state is not None:
                    previous = state
            event.apply_to(replayed)
        oldest_kept = len(actions) - SNAPSHOTS_KEPT
        while oldest_kept > 0 and actions[oldest_kept - 1].before is not None:
            oldest_kept -= 1
            actions[oldest_kept].before = None

        final, _, _ = _state(
            domain, replayed, False, last_ml_action, turn_was_hidden, previous,
            omit_unset_slots, ignore_rule_only_turns, rule_only_data,
        )  # fmt: skip
        states = [action.state for action in actions if action.state is not None]
        if final is not None:
            states.append(final)
        return _copies(states)


def _in_place(action: _Action, applied: list[Event]) -> bool:
    # Events are only ever removed from the end or added at the end, so an action still at its
    # own place has everything before it unchanged.
    return action.index < len(applied) and applied[action.index] is action.event


def _state(
    domain: Domain,
    tracker: DialogueStateTracker,
    hide_rule_turn: bool,
    last_ml_action: Any,
    turn_was_hidden: bool,
    previous: State | None,
    omit_unset_slots: bool,
    ignore_rule_only_turns: bool,
    rule_only_data: dict | None,
) -> tuple[State | None, Any, bool]:
    # The body of Domain.states_for_tracker_history's loop, for one prior tracker.
    if ignore_rule_only_turns:
        if not turn_was_hidden:
            last_ml_action = domain._get_prev_action_sub_state(tracker)
        if not tracker.followup_action and tracker.latest_action_name != tracker.active_loop_name:
            turn_was_hidden = hide_rule_turn
        if turn_was_hidden:
            return None, last_ml_action, turn_was_hidden
    state = domain.get_active_state(tracker, omit_unset_slots=omit_unset_slots)
    if ignore_rule_only_turns:
        domain._remove_rule_only_features(state, rule_only_data)
        if previous is not None:
            domain._substitute_rule_only_user_input(state, previous)
        if last_ml_action:
            state["prev_action"] = last_ml_action
    return domain._clean_state(state), last_ml_action, turn_was_hidden


def _copies(states: Iterable[State]) -> list[State]:
    """Copies the policies may change (they delete a message's text or intent), keeping the
    sub-states that Rasa shares between states shared between the copies."""
    copied: dict[int, dict] = {}
    result = []
    for state in states:
        result.append(
            {
                kind: copied.setdefault(id(sub_state), dict(sub_state))
                if isinstance(sub_state, dict)
                else sub_state
                for kind, sub_state in state.items()
            }
        )
    return result


def _frozen(rule_only_data: dict | None) -> tuple:
    return tuple(sorted((key, tuple(value)) for key, value in (rule_only_data or {}).items()))


class DialogueStates:
    """Past states per conversation, least recently used first out. Bounded in histories and in
    the events they hold (each keeps its conversation's event objects alive: about 3 MB for a
    100-turn conversation), so that long conversations cannot grow the Rasa server without end."""

    def __init__(
        self,
        rasa_states: RasaStates,
        conversations: int = DEFAULT_CONVERSATIONS,
        events: int = DEFAULT_EVENTS,
    ) -> None:
        self._rasa_states = rasa_states
        self._conversations = conversations
        self._most_events = events
        self._events = 0
        self._histories: OrderedDict[tuple, _History] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(
        self,
        domain: Domain,
        tracker: DialogueStateTracker,
        omit_unset_slots: bool = False,
        ignore_rule_only_turns: bool = False,
        rule_only_data: dict[str, Any] | None = None,
    ) -> list[State]:
        arguments = (omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        if not isinstance(tracker, DialogueStateTracker) or type(tracker).past_states is not (
            DialogueStateTracker.past_states
        ):
            return self._rasa_states(domain, tracker, *arguments)  # training's own trackers
        key = (tracker.sender_id, omit_unset_slots, ignore_rule_only_turns, _frozen(rule_only_data))
        with self._lock:
            history = self._histories.pop(key, None)
            if history is not None:
                self._events -= len(history.seen)  # what it was stored with: it grows only when taken out
            states = None
            if history is not None and history.domain is domain and history.follows(tracker):
                states = _extended(history, tracker, arguments)
            if states is None:
                history = _History(tracker, domain)
                states = _extended(history, tracker, arguments)
            if states is None:
                return self._rasa_states(domain, tracker, *arguments)
            if len(history.seen) <= self._most_events:
                self._histories[key] = history
                self._events += len(history.seen)
            while len(self._histories) > self._conversations or self._events > self._most_events:
                self._events -= len(self._histories.popitem(last=False)[1].seen)
            return states


def _extended(history: _History, tracker: DialogueStateTracker, arguments: tuple) -> list[State] | None:
    return history.states(*arguments) if history.take(tracker) else None


def rule_lookback(policy: RulePolicy) -> int:
    """How many of the latest states can decide which of the policy's rules apply: one more than
    its longest rule (an earlier state matches any rule, and a conversation's first state, which
    a rule starting the conversation needs, is then out of reach either way)."""
    lookback = policy.__dict__.get("_wayfinder_lookback")
    if lookback is None:
        rules = [*policy.lookup.get(RULES, {}), *policy.lookup.get(RULES_FOR_LOOP_UNHAPPY_PATH, {})]
        longest = max((len(RulePolicy._rule_key_to_state(rule)) for rule in rules), default=0)
        lookback = policy.__dict__["_wayfinder_lookback"] = longest + 1
    return lookback


_RASA_RULE_STATES = RulePolicy._prediction_states


def rasa_rule_states() -> Callable[..., list[State]]:
    """Rasa's own ``RulePolicy._prediction_states``: every state of the conversation."""
    return _RASA_RULE_STATES


def rule_prediction_states(policy: RulePolicy, *args: Any, **kwargs: Any) -> list[State]:
    # Rasa's rule policy formats, matches and keys every state of the conversation on each
    # prediction; only the last few can change which rule applies.
    return _RASA_RULE_STATES(policy, *args, **kwargs)[-rule_lookback(policy) :]


_installed: DialogueStates | None = None


def install(conversations: int = DEFAULT_CONVERSATIONS) -> DialogueStates:
    """Routes Rasa's past states through the per-conversation histories, and gives the rule
    policy only the states its rules can reach (once per process)."""
    global _installed
    if _installed is None:
        _installed = DialogueStates(_RASA_STATES, conversations)

        def states_for_tracker_history(domain: Domain, *args: Any, **kwargs: Any) -> list[State]:
            return _installed(domain, *args, **kwargs)

        Domain.states_for_tracker_history = states_for_tracker_history
        RulePolicy._prediction_states = rule_prediction_states
    return _installed
