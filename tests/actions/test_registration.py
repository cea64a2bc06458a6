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


def test_the_actions_need_no_tensorflow_spacy_or_rasa():
    """The action server keeps TensorFlow out of its process (bot.channels.action_server); every
    action module must import, and the directory load, without it, without spaCy (the crisis
    actions answer from the NLU's report) and without Rasa itself (rasa_sdk alone)."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from bot.channels.action_server import keep_tensorflow_out\n"
        "keep_tensorflow_out()\n"
        "from rasa_sdk.executor import ActionExecutor\n"
        "executor = ActionExecutor()\n"
        "executor.register_package('actions')\n"
        "from actions.common import directory\n"
        "directory().taxonomy\n"
        "assert sys.modules['tensorflow'] is None\n"
        "assert not [m for m in ('spacy', 'thinc', 'rasa') if m in sys.modules], sorted(sys.modules)\n"
        "print(len(executor.actions))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300
    )

    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.split()[-1]) > 20
