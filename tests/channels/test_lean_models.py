"""Rasa's TensorFlow models loaded for prediction only (bot/channels/lean_models.py) predict
what Rasa's own load predicts, on the trained model and every open NLU message."""

from __future__ import annotations

import asyncio
import gc
import subprocess
import sys

import pytest
from rasa.core.agent import Agent
from rasa.nlu.classifiers.diet_classifier import DIETClassifier

from bot import run
from bot.channels import lean_models
from tests.nlu.evaluation import load

TOLERANCE = 1e-6


def model_path() -> str:
    try:
        return str(run.latest_model())
    except SystemExit:
        pytest.fail("no trained model in models/: `make test` trains one (python -m bot.run --prepare)")


def diet_of(agent: Agent) -> DIETClassifier:
    nodes = agent.processor.graph_runner._instantiated_nodes.values()
    return next(node._component for node in nodes if isinstance(node._component, DIETClassifier))


def rankings(agent: Agent, messages: list[str]) -> list[list[tuple[str, float]]]:
    async def parse_all() -> list[list[tuple[str, float]]]:
        parsed = [await agent.parse_message(text) for text in messages]
        return [
            [(item["name"], item["confidence"]) for item in result["intent_ranking"]] for result in parsed
        ]

    return asyncio.run(parse_all())


@pytest.fixture(scope="module")
def messages() -> list[str]:
    found = [message["text"] for name in ("open", "es_open") for message in load(name)]
    assert len(found) > 400
    return found


def test_the_same_rankings_as_rasas_own_load_on_every_open_message(messages):
    lean_models.uninstall()
    rasas = Agent.load(model_path())
    assert diet_of(rasas).model.optimizer is not None  # Rasa's load trains a step
    expected = rankings(rasas, messages)
    del rasas
    gc.collect()

    lean_models.install()
    try:
        lean = Agent.load(model_path())
    finally:
        lean_models.uninstall()
    assert diet_of(lean).model.optimizer is None  # nothing of training is kept
    found = rankings(lean, messages)

    differing = [
        (text, want[:3], got[:3])
        for text, want, got in zip(messages, expected, found, strict=True)
        if [name for name, _ in want] != [name for name, _ in got]
        or any(abs(a - b) > TOLERANCE for (_, a), (_, b) in zip(want, got, strict=True))
    ]
    assert not differing, differing[:5]
    assert sum(len(ranking) for ranking in found) > len(messages)  # rankings, not empty lists


def test_the_rasa_server_holds_no_jax():
    # TensorFlow imports JAX only for TFLite's converter; bot.channels keeps it out.
    check = (
        "import sys, bot.channels.server, tensorflow;"
        "tflite = sys.modules['tensorflow.lite.python.util'];"
        "assert tflite._xla_computation is None and sys.modules.get('jax') is None"
    )
    assert subprocess.run([sys.executable, "-c", check], capture_output=True).returncode == 0
    without = (
        "import sys, tensorflow;"
        "assert sys.modules['tensorflow.lite.python.util']._xla_computation is not None"
    )
    assert subprocess.run([sys.executable, "-c", without], capture_output=True).returncode == 0
