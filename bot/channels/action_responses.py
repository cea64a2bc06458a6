"""Action server responses checked against a schema compiled once, not once per response.

Rasa's ``RemoteAction`` checks each response with ``jsonschema.validate``, which first checks the
schema itself, on every call: under a load of 20 concurrent conversations that was a quarter of
the Rasa server's event loop (issue 13). The schema never changes while the server runs, so it is
checked once and compiled once here; each response is still checked in full, with the same error,
and a response that fails is refused as before. ``bot.channels.server`` installs this at start.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@cache
def response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def check_action_result(_action: RemoteAction, result: dict[str, Any]) -> bool:
    """As ``RemoteAction._validate_action_result``: True, or the best-matching ValidationError."""
    error = best_match(response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from "
        f"the Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    RemoteAction._validate_action_result = check_action_result
