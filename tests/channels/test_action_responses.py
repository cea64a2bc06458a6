"""Action server responses are checked as Rasa checks them, against a schema compiled once."""

from __future__ import annotations

import jsonschema
import pytest
from jsonschema.exceptions import ValidationError
from rasa.core.actions.action import RemoteAction

from bot.channels import action_responses

VALID = {
    "events": [{"event": "slot", "name": "need", "value": "counseling"}],
    "responses": [
        {"text": "Here are three services.", "buttons": [{"title": "1", "payload": "/choose_option"}]}
    ],
}
INVALID = [
    {"events": [{"name": "need"}]},  # an event without its type
    {"events": "slot need"},
    {"responses": "Here are three services."},  # responses are a list
]


ACTION = RemoteAction("action_search_services", None)
RASA_CHECK = RemoteAction._validate_action_result  # Rasa's own, as imported (before any install)


def rasa_check(result: dict) -> bool:
    return RASA_CHECK(ACTION, result)


def test_a_valid_response_passes_both_checks():
    assert rasa_check(VALID) is True
    assert action_responses.check_action_result(ACTION, VALID) is True


@pytest.mark.parametrize("result", INVALID)
def test_an_invalid_response_fails_both_checks_with_the_same_error(result):
    with pytest.raises(ValidationError) as rasa_error:
        rasa_check(result)
    with pytest.raises(ValidationError) as our_error:
        action_responses.check_action_result(ACTION, result)
    assert our_error.value.message == rasa_error.value.message


def test_the_schema_is_checked_and_compiled_once(monkeypatch):
    action_responses.response_validator.cache_clear()
    checks = []
    validator_class = jsonschema.validators.validator_for(RemoteAction.action_response_format_spec())
    original = validator_class.check_schema
    monkeypatch.setattr(validator_class, "check_schema", lambda schema: checks.append(1) or original(schema))

    for _ in range(5):
        action_responses.check_action_result(ACTION, VALID)

    assert len(checks) == 1
