"""How common an English word is, from spacy-lookups-data's word frequencies.

Tells a typo or keyboard mash from a real word, offline: "kensington" and
"cbh" are rare but real, "kjhgfdsa" is not a word at all.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from functools import lru_cache

KNOWN_WORD_LOG_PROB = -14.5
NONSENSE_LOG_PROB = -16.0


@lru_cache(maxsize=1)
def word_log_probs() -> dict[str, float]:
    import spacy_lookups_data

    path = os.path.join(os.path.dirname(spacy_lookups_data.__file__), "data", "en_lexeme_prob.json.gz")
    with gzip.open(path) as handle:
        return json.load(handle)


def is_known(word: str) -> bool:
    return word_log_probs().get(word.casefold(), -99.0) > KNOWN_WORD_LOG_PROB


def is_nonsense(text: str | None) -> bool:
    """True when no word of the message is a word anyone writes ("asdkjfh qwpoeiru")."""
    words = re.findall(r"[^\W\d_]+", (text or "").casefold())
    if not words:
        return False
    probs = word_log_probs()

    def rare(word: str) -> bool:
        # "hii", "yesss", "heyyy": a real word typed long.
        squeezed = re.sub(r"(.)\1+", r"\1", word)
        return max(probs.get(word, -99.0), probs.get(squeezed, -99.0)) < NONSENSE_LOG_PROB

    return all(rare(word) for word in words)
