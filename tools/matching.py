"""Match questions against each other and place them on topic pages. Pure functions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

# Words that carry no meaning for matching or ids.
STOPWORDS = set(
    """a an the of in on at to for from by with and or is are was were be been do does did you your we
    our i it its this that these those what which who how why when where can could should would will
    shall may might must there their they them some any various various different explain describe
    discuss define mean meant understand concept example briefly detail details use used using
    about into than then also such as way ways me tell give name list""".split()
)
NEAR_MATCH_SCORE = 88  # token-sort ratio on content words, 0-100


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


ARTICLES = {"a", "an", "the"}


def exact_key(text: str) -> str:
    """Equal for phrasings that differ only in case, spacing, punctuation and articles."""
    return "".join(w for w in words(text) if w not in ARTICLES)


def content_words(text: str) -> str:
    return " ".join(w for w in words(text) if w not in STOPWORDS)


@dataclass(frozen=True)
class Known:
    """A question already on a page (or added earlier in this run), by one of its phrasings."""

    phrasing: str
    question_id: str
    page: str


def find_exact(text: str, known: list[Known]) -> Known | None:
    key = exact_key(text)
    return next((k for k in known if exact_key(k.phrasing) == key), None)


def find_near(text: str, known: list[Known], score_cutoff: int = NEAR_MATCH_SCORE) -> tuple[Known, float] | None:
    """The most similar known phrasing scoring at least `score_cutoff`, or None."""
    if not known:
        return None
    choices = [content_words(k.phrasing) for k in known]
    best = process.extractOne(content_words(text), choices, scorer=fuzz.token_sort_ratio, score_cutoff=score_cutoff)
    if best is None:
        return None
    _, score, index = best
    return known[index], score


def make_id(text: str, taken: set[str], max_words: int = 5) -> str:
    """A short, readable, unique id from the question's first sentence."""
    first = re.split(r"(?<=[?.])\s", text.strip(), maxsplit=1)[0]
    chosen = [w for w in words(first) if w not in STOPWORDS][:max_words] or words(first)[:max_words] or ["question"]
    base = "-".join(chosen)
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def keyword_score(text: str, keywords: list[str]) -> int:
    """How strongly `text` names a topic: total length of the keywords it contains."""
    haystack = " " + " ".join(words(text)) + " "
    return sum(len(k) for k in keywords if f" {' '.join(words(k))} " in haystack)


def choose_topic(question: str, section: str, topics: dict[str, list[str]], default: str) -> str:
    """The topic page a question belongs to: by its own words, then its section's, then `default`."""
    for text in (question, section):
        scores = {slug: keyword_score(text, keywords) for slug, keywords in topics.items()}
        best = max(scores.values(), default=0)
        if best > 0:
            tied = [slug for slug, score in scores.items() if score == best]
            if len(tied) > 1 and text is question and section:
                section_scores = {slug: keyword_score(section, topics[slug]) for slug in tied}
                return max(tied, key=lambda slug: section_scores[slug])
            return tied[0]
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
