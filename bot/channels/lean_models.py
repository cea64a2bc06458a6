"""Rasa's TensorFlow models loaded for prediction only, without what training needs.

``RasaModel.load`` builds a model's variables by training it one step on an example
(``model.fit``), then loads the trained weights and runs one prediction to trace the
prediction graph. The step leaves an optimizer with two slots per weight, the traced training
graph and its gradients in memory for as long as the server runs: 214 MB of the Rasa server's
1.07 GB for DIET (issue 13: the Rasa server's memory). Installed, a model that is loaded to
predict builds its variables by predicting once instead, loads the weights, and traces its
prediction again on them (DIET keeps its label embeddings from the first prediction, so those
are made again too). A model loaded to be trained further (``finetune_mode``) is loaded as
Rasa loads it. The predictions do not change: ``tests/channels/test_lean_models.py`` compares
every ranking of the open NLU sets with Rasa's own load.
"""

from __future__ import annotations

from typing import Any

from rasa.utils.tensorflow.models import RasaModel

_RASA_LOAD = RasaModel.load.__func__
_installed = False


def load_for_prediction(
    cls: type[RasaModel],
    model_file_name: str,
    model_data_example: Any,
    predict_data_example: Any = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> RasaModel:
    if finetune_mode or predict_data_example is None:
        return _RASA_LOAD(
            cls, model_file_name, model_data_example, predict_data_example, finetune_mode, *args, **kwargs
        )
    model = cls(*args, **kwargs)
    model.run_inference(predict_data_example)  # makes every variable a prediction reads
    model.load_weights(model_file_name).assert_existing_objects_matched().expect_partial()
    # What the first prediction worked out from the untrained weights goes; the next one,
    # on the trained weights, traces the prediction again.
    model.prepared_for_prediction = False
    model._tf_predict_step = None
    model.run_inference(predict_data_example)
    return model


def install() -> None:
    """Load Rasa's TensorFlow models this way in this process (once)."""
    global _installed
    if not _installed:
        RasaModel.load = classmethod(load_for_prediction)
        _installed = True


def uninstall() -> None:
    """Back to Rasa's own load (tests compare the two)."""
    global _installed
    RasaModel.load = classmethod(_RASA_LOAD)
    _installed = False
