"""Where a new question goes (its topic page) and a first guess at its difficulty. Pure functions."""

from __future__ import annotations

import functools
import re
from typing import Sequence

from dlqa.matching import Match, stems, words


@functools.lru_cache(maxsize=None)
def phrase_key(text: str) -> str:
    """` word word `: stemmed words padded with spaces, to find a phrase inside another as whole words."""
    return " " + " ".join(stems(text)) + " "


def keyword_score(text: str, keywords: list[str]) -> int:
    """How strongly `text` names a topic: total length of the keywords it contains (any spelling, any number)."""
    haystack = phrase_key(text)
    return sum(len(k) for k in keywords if phrase_key(k) in haystack)


NEIGHBOURS = 5  # nearest existing questions that vote for a new question's page
LEAD = 1.25  # the page they point to must lead the next by this factor, or they decide nothing


def choose_topic(question: str, section: str, topics: dict[str, list[str]], default: str,
                 neighbours: Sequence[Match] = ()) -> tuple[str, str]:
    """(page, why) for a new question: the page its list section names; else the page of the
    existing questions closest to it (`neighbours`, best first: their scores summed per page);
    else the page its own words name; else `default`, because it is close to nothing on the site.
    `topics` maps a page's slug to its names (title, slug, keywords)."""
    named = _named_page(section, topics)
    if named:
        slug, keywords = named
        return slug, f"its list section {section!r} names the page ({', '.join(keywords)})"
    # Questions whose own texts are close decide; answers that merely use its terms only when none is.
    close = [m for m in neighbours if m.known.kind != "body"] or list(neighbours)
    neighbours = close[:NEIGHBOURS]
    votes: dict[str, float] = {}
    for match in neighbours:
        votes[match.known.page] = votes.get(match.known.page, 0.0) + match.score
    ranking = sorted(votes.items(), key=lambda vote: -vote[1])
    if ranking and (len(ranking) == 1 or ranking[0][1] >= LEAD * ranking[1][1]):
        slug = ranking[0][0]
        near = ", ".join(f"#{m.known.question_id} ({m.score:.2f}{', its answer' if m.known.kind == 'body' else ''})"
                         for m in neighbours if m.known.page == slug)
        return slug, f"nearest questions are there: {near}"
    named = _named_page(question, topics)
    if named:
        slug, keywords = named
        return slug, f"no page holds its nearest questions; its words name the page ({', '.join(keywords)})"
    if ranking:
        return default, f"its nearest questions are spread over {', '.join(slug for slug, _ in ranking)}: the default page"
    return default, "close to nothing on the site (no near question, no page keyword): the default page"


def _named_page(text: str, topics: dict[str, list[str]]) -> tuple[str, list[str]] | None:
    """The page whose names `text` contains most of (by total length), with those names; None if none."""
    if not text:
        return None
    scores = {slug: keyword_score(text, names) for slug, names in topics.items()}
    best = max(scores.values(), default=0)
    if best <= 0:
        return None
    slug = next(slug for slug, score in scores.items() if score == best)
    haystack = phrase_key(text)
    return slug, [name for name in topics[slug] if phrase_key(name) in haystack]


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
