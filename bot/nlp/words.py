"""How common an English word is, from spacy-lookups-data's word frequencies.

Tells a typo or keyboard mash from a real word, offline: "kensington" and
"cbh" are rare but real, "kjhgfdsa" is not a word at all.
"""

from __future__ import annotations

import gzip
import json
import math
import os
import re
from collections.abc import Iterator
from functools import lru_cache

KNOWN_WORD_LOG_PROB = -14.5
NONSENSE_LOG_PROB = -16.0


def frequent_words(language: str, floor: float) -> Iterator[tuple[str, float]]:
    """(word, log probability) from spacy-lookups-data's table for ``language``, down to ``floor``.

    The tables (a million words each, one a line) are sorted most common first, so reading stops
    at the floor: loading a whole table cost a process about 240 MB. Should a table ever come
    unsorted, the rest of it is read and filtered instead."""
    import spacy_lookups_data

    path = os.path.join(
        os.path.dirname(spacy_lookups_data.__file__), "data", f"{language}_lexeme_prob.json.gz"
    )
    sorted_so_far, previous = True, math.inf
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            entry = line.strip().rstrip(",")
            if not entry.startswith('"'):
                continue  # the braces
            key, _, value = entry.rpartition(":")
            prob = float(value)
            sorted_so_far, previous = sorted_so_far and prob <= previous, prob
            if prob < floor:
                if sorted_so_far:
                    return
                continue
            yield json.loads(key), prob


@lru_cache(maxsize=1)
def word_log_probs() -> dict[str, float]:
    """English words and their log probability, down to the rarest any threshold here asks about
    (``NONSENSE_LOG_PROB``): a rarer word, kept or not, answers every question the same way."""
    return dict(frequent_words("en", NONSENSE_LOG_PROB))


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
