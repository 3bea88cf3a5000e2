"""Ids for new questions: short, readable, unique. Pure functions."""

from __future__ import annotations

import hashlib
import re

from dlqa.matching import STOPWORDS, exact_key, first_sentence, words


def make_id(text: str, taken: set[str], max_words: int = 5) -> str:
    """A short, readable, unique id from the question's first sentence (ASCII words; a question in
    another script gets a stable short hash of its text)."""
    ascii_words = [w for w in words(first_sentence(text)) if re.fullmatch(r"[a-z0-9]+", w)]
    chosen = [w for w in ascii_words if w not in STOPWORDS][:max_words] or ascii_words[:max_words]
    base = "-".join(chosen) if chosen else "q-" + hashlib.sha256(exact_key(text).encode()).hexdigest()[:8]
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
