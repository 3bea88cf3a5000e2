"""Ids for new questions: short, readable, unique. Pure functions."""

from __future__ import annotations

import re

from dlqa.matching import STOPWORDS, words


def make_id(text: str, taken: set[str], max_words: int = 5) -> str:
    """A short, readable, unique id from the question's first sentence."""
    first = re.split(r"(?<=[?.])\s", text.strip(), maxsplit=1)[0]
    chosen = [w for w in words(first) if w not in STOPWORDS][:max_words] or words(first)[:max_words] or ["question"]
    base = "-".join(chosen)
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
