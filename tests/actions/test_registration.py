"""The action server registers exactly the domain's custom actions, as rasa_sdk finds them."""

from __future__ import annotations

import yaml
from rasa_sdk.executor import ActionExecutor

from bot.config import PROJECT_ROOT


def test_every_custom_action_of_the_domain_is_registered_and_nothing_else():
    executor = ActionExecutor()
    executor.register_package("actions")  # as rasa_sdk's server does: a base class that is not
    # abstract would be instantiated here and fail for want of a name
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    custom = {name for name in domain["actions"] if not name.startswith("utter_")}

    assert set(executor.actions) == custom
