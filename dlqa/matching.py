"""Match a question against every known question and phrasing: exact (normalised) and near. Pure functions."""

from __future__ import annotations

import functools
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
    """Lower-case words in any script (a run of letters and digits; a script without spaces gives long runs)."""
    return re.findall(r"[^\W_]+", text.lower())


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


def first_sentence(text: str) -> str:
    return re.split(r"(?<=[?.!])\s", text.strip(), maxsplit=1)[0]


@functools.lru_cache(maxsize=None)
def stem(word: str) -> str:
    """One spelling for British/American and singular/plural forms (optimisation, optimizations -> optimization)."""
    word = re.sub(r"is(ation|ations|e|ed|es|ing|er|ers)$", r"iz\1", word)
    word = re.sub(r"(?<=[aeiou])ll(ing|ed|er)$", r"l\1", word)  # modelling -> modeling
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "as")):
        word = word[:-1]
    return word


def stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


SET_MATCH_SCORE = 90  # token-set ratio, when the shorter phrasing shares most of the longer one's words
SET_MATCH_COVER = 0.6


class QuestionIndex:
    """Every known phrasing, with its match keys computed once; phrasings can be added as a run goes on."""

    def __init__(self, known: list[Known] = ()):
        self.known: list[Known] = []
        self._exact: dict[str, Known] = {}
        self._first: dict[str, Known] = {}  # key of a compound phrasing's first sentence
        self._content: list[str] = []
        self._postings: dict[str, list[int]] = {}
        for item in known:
            self.add(item)

    def add(self, item: Known) -> None:
        index = len(self.known)
        self.known.append(item)
        self._exact.setdefault(exact_key(item.phrasing), item)
        first = first_sentence(item.phrasing)
        if first != item.phrasing.strip():
            self._first.setdefault(exact_key(first), item)
        content = " ".join(stem(w) for w in content_words(item.phrasing).split())
        self._content.append(content)
        for word in set(content.split()):
            self._postings.setdefault(word, []).append(index)

    def find_exact(self, text: str) -> Known | None:
        return self._exact.get(exact_key(text))

    def find_near(self, text: str, score_cutoff: int = NEAR_MATCH_SCORE) -> tuple[Known, float] | None:
        """The closest known phrasing, or None. Near means: the same first sentence as a compound
        phrasing (or the other way round), the same content words in another order or with a typo,
        or most of the same content words (a short paraphrase)."""
        first_key = exact_key(first_sentence(text))
        match = self._first.get(exact_key(text)) or self._exact.get(first_key) or self._first.get(first_key)
        if match:
            return match, 100.0
        content = " ".join(stem(w) for w in content_words(text).split())
        mine = set(content.split())
        # Both rules need most words in common, so a near phrasing shares at least one of the
        # question's rarest words: only those words' phrasings are scored (fast at any size).
        rarest = sorted(mine, key=lambda word: len(self._postings.get(word, ())))[: 2 + len(mine) * 2 // 5]
        pool = {i: self._content[i] for word in rarest for i in self._postings.get(word, ())}
        best = process.extractOne(content, pool, scorer=fuzz.token_sort_ratio, score_cutoff=score_cutoff)
        candidates = [best] if best else []
        for index, other in pool.items():
            theirs = set(other.split())
            if min(len(mine), len(theirs)) >= 2 and len(mine & theirs) / max(len(mine), len(theirs)) >= SET_MATCH_COVER:
                score = fuzz.token_set_ratio(content, other)
                if score >= SET_MATCH_SCORE:
                    candidates.append((other, score, index))
        if not candidates:
            return None
        _, score, index = max(candidates, key=lambda c: (c[1], -c[2]))
        return self.known[index], score


def find_exact(text: str, known: list[Known]) -> Known | None:
    return QuestionIndex(known).find_exact(text)


def find_near(text: str, known: list[Known], score_cutoff: int = NEAR_MATCH_SCORE) -> tuple[Known, float] | None:
    """The most similar known phrasing scoring at least `score_cutoff`, or None."""
    return QuestionIndex(known).find_near(text, score_cutoff)
