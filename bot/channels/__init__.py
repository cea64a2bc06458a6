"""Channel connectors: the only part of bot/ that imports Rasa."""

import sys

# TensorFlow 2.12 imports JAX (and its 30 MB XLA library) only for TFLite's converter, which
# Wayfinder never runs; it carries on without it when the import fails. Set before Rasa is
# first imported, so that no Rasa process holds JAX.
sys.modules.setdefault("jax", None)
