"""Where a new question goes (its topic page) and a first guess at its difficulty. Pure functions."""

from __future__ import annotations

import functools
import re

from dlqa.matching import stems, words


@functools.lru_cache(maxsize=None)
def phrase_key(text: str) -> str:
    """` word word `: stemmed words padded with spaces, to find a phrase inside another as whole words."""
    return " " + " ".join(stems(text)) + " "


def keyword_score(text: str, keywords: list[str]) -> int:
    """How strongly `text` names a topic: total length of the keywords it contains (any spelling, any number)."""
    haystack = phrase_key(text)
    return sum(len(k) for k in keywords if phrase_key(k) in haystack)


def choose_topic(question: str, section: str, topics: dict[str, list[str]], default: str) -> str:
    """The topic page a question belongs to: the page its section names, else the page its own words
    name, else `default`. `topics` maps a page's slug to its names (title, slug, keywords)."""
    for text in (section, question):
        scores = {slug: keyword_score(text, names) for slug, names in topics.items()}
        best = max(scores.values(), default=0)
        if best > 0:
            return next(slug for slug, score in scores.items() if score == best)
    return default


def guess_difficulty(question: str) -> str:
    """A first guess, for a reviewer to correct: short definitions are basic, derivations advanced."""
    lowered = question.lower()
    advanced = (
        "in detail", "how many parameters", "parameters are there", "equations", "derive", "dimension of the input",
        "back-propagation in lstm", "backpropagation in lstm", "backpropagation in simple rnn", "manually calculate",
        "architecture of", "structure of transformer", "neural architecture search", "meta-learning", "actor-critic",
        "quantum", "neuromorphic", "open research problems", "contractive",
    )
    if any(marker in lowered for marker in advanced):
        return "advanced"
    sentences = len(re.findall(r"[?.]", question)) or 1
    if sentences == 1 and len(words(question)) <= 9 and lowered.startswith(("what is", "what are", "define")):
        return "basic"
    return "intermediate"
