"""What crisis recognition found in one message, as it travels from the NLU to the response.

The rule layer (``bot.safety.detector``, built on spaCy) runs once, inside the Rasa
server's NLU pipeline, and reports a ``Finding`` with the parse (``crisis_rule_layer``).
The action server answers from that report instead of recognising again, so it never
loads spaCy (and through it TensorFlow): this module imports neither.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

IMMINENT = "imminent"
POSSIBLE = "possible"


@dataclass(frozen=True)
class Finding:
    """The crisis categories, situations and level found in a message (none: no risk found),
    with what the response needs to know about it, and the evidence on either side."""

    categories: tuple[str, ...] = ()
    situations: tuple[str, ...] = ()
    level: str | None = None
    third_party: bool = False
    veteran: bool = False
    language: str = "en"
    # Risk words outside idioms and denials ("tired", "end"), recognised as risk or not.
    risk_words: tuple[str, ...] = ()
    # Evidence of an ordinary request (an idiom, a schedule, a request for information...).
    negatives: tuple[str, ...] = ()

    @property
    def is_crisis(self) -> bool:
        return self.level is not None

    def to_json(self) -> dict[str, Any]:
        return {
            key: list(value) if isinstance(value, tuple) else value for key, value in asdict(self).items()
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Finding:
        """The finding in an NLU report; keys it does not know (``classified_as``...) are left."""
        known = {f.name for f in fields(cls)}
        values = {
            key: tuple(value) if isinstance(value, list) else value
            for key, value in data.items()
            if key in known
        }
        return cls(**values)
