"""Which need a whole message asks for: a small text classifier over word and
character n-grams, trained on need-labelled caller messages (``data/needs/``, blocks
with ``need: <code>``; and from Rasa's ``data/nlu``, requests labelled by the ruler's
need, and everything that asks for no service labelled ``none``).

``data/needs/`` is kept out of Rasa's own training data on purpose: 1,300 requests
described in distress words moved the intent classifier's line between a crisis and
a request for help, and the crisis recall of the sealed set fell (95.1% to 86.6%).
The need classifier learns from them; the intent classifier does not.

It generalises where the ruler's exact phrases cannot ("my son needs to be
evaluated for his behaviour" is child and youth services), and
``bot.nlp.understanding`` weighs it against the ruler's hits.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

NONE = "none"
NEED_EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "data" / "needs"


def need_examples(directory: Path = NEED_EXAMPLES_DIR) -> list[tuple[str, str]]:
    """(text, need) pairs from ``directory``'s YAML files (``needs:`` blocks of ``need`` and ``examples``)."""
    pairs = []
    for path in sorted(directory.glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("needs") or []:
            need = (block.get("metadata") or {}).get("need") or block.get("need")
            for line in (block.get("examples") or "").splitlines():
                text = line.strip().removeprefix("- ").strip()
                if need and text:
                    pairs.append((text, str(need)))
    return pairs


def normalise(text: str) -> str:
    text = text.casefold()
    text = re.sub(r"\d{5}(?:-\d{4})?", " zipcode ", text)
    text = re.sub(r"\d+", " 0 ", text)
    return re.sub(r"\s+", " ", text).strip()


class NeedModel:
    def __init__(self) -> None:
        self.pipeline = Pipeline(
            [
                (
                    "features",
                    FeatureUnion(
                        [
                            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
                            (
                                "chars",
                                TfidfVectorizer(
                                    analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2
                                ),
                            ),
                        ]
                    ),
                ),
                ("classifier", LogisticRegression(C=20.0, max_iter=3000, class_weight="balanced")),
            ]
        )
        self.trained = False

    def train(self, texts: list[str], labels: list[str]) -> NeedModel:
        self.pipeline.fit([normalise(t) for t in texts], labels)
        self.trained = True
        return self

    def scores(self, text: str) -> dict[str, float]:
        """Probability of each need code (and ``none``) for one message."""
        if not self.trained:
            return {}
        probabilities = self.pipeline.predict_proba([normalise(text)])[0]
        return {str(label): float(p) for label, p in zip(self.pipeline.classes_, probabilities, strict=True)}
