"""How well the generator recognises questions the site already has (`qa bench --only matching`, tests).

Three sets, all from the site's own data or labelled by hand in tests/matching_eval.yml:

- leave-one-out: every "Also asked as" phrasing on the pages, held out in turn, asked against the
  rest of the site; it must be recognised as its own question;
- same: everyday phrasings of answered questions (short forms, abbreviations, spelling variants);
- distinct: new questions close to an answered one that must not be taken for any.

Recall@1: the share of a set's questions that the generator recognises (exactly or as a near
match) as the labelled question. Precision: of all the questions it recognises as something,
the share recognised as the right question (a distinct question recognised as anything is wrong).
Pure functions over pages and cases; the caller reads the files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from dlqa.matching import QuestionIndex, Vocabulary
from dlqa.page import Page
from dlqa.stubs import known_rows


@dataclass(frozen=True)
class Decision:
    kind: str  # "exact", "near" or "new"
    question_id: str = ""
    score: float = 0.0


@dataclass(frozen=True)
class Case:
    text: str
    expected: str  # the question it is ("" for a distinct question: it is none of them)
    decision: Decision

    @property
    def recognised(self) -> bool:
        return self.decision.kind != "new"

    @property
    def right(self) -> bool:
        return self.recognised and self.decision.question_id == self.expected


def site_texts(pages: dict[str, Page]) -> list[str]:
    """Everything the pages say, for the vocabulary (compounds, abbreviations) and the term statistics."""
    return [page.text for page in pages.values()]


def decide(index: QuestionIndex, text: str, exclude: frozenset[int] = frozenset()) -> Decision:
    exact = index.find_exact(text)
    if exact and index.known.index(exact) not in exclude:
        return Decision("exact", exact.question_id, 1.0)
    near = index.find_near(text, exclude=exclude)
    if near:
        return Decision("near", near.known.question_id, near.score)
    return Decision("new")


def leave_one_out(pages: dict[str, Page]) -> list[Case]:
    """Each "Also asked as" phrasing, asked against the site without it (its rows skipped)."""
    rows = known_rows(pages)
    phrasings = [row.phrasing for row in rows if row.kind == "phrasing"]
    index = QuestionIndex(rows, phrasings, Vocabulary.from_texts(site_texts(pages)))
    cases = []
    for position, row in enumerate(index.known):
        if row.kind == "phrasing":
            exclude = frozenset(i for i in (position, position + 1) if i < len(index.known)
                                and index.known[i].question_id == row.question_id
                                and index.known[i].kind in ("phrasing", "sentence") and (i == position or index.known[i].kind == "sentence"))
            cases.append(Case(row.phrasing, row.question_id, decide(index, row.phrasing, exclude)))
    return cases


def labelled(pages: dict[str, Page], items: Iterable[dict], key: str) -> list[Case]:
    """The cases of one labelled set (`key` names the expected question: "id", or "near" for distinct ones)."""
    items = list(items)
    texts = [item["text"] for item in items]
    index = QuestionIndex(known_rows(pages), texts, Vocabulary.from_texts(site_texts(pages) + texts))
    return [Case(item["text"], item["id"] if key == "id" else "", decide(index, item["text"])) for item in items]


@dataclass(frozen=True)
class Figures:
    cases: int
    recall: float  # recognised as the right question (for distinct cases: not recognised at all)
    recognised: int
    wrong: int  # recognised as another question (distinct: recognised as any)


def figures(cases: list[Case]) -> Figures:
    recognised = sum(case.recognised for case in cases)
    right = sum(case.right if case.expected else not case.recognised for case in cases)
    wrong = sum(case.recognised and not case.right for case in cases)
    return Figures(len(cases), right / len(cases) if cases else 0.0, recognised, wrong)


def precision(*sets: list[Case]) -> float:
    recognised = [case for cases in sets for case in cases if case.recognised]
    return sum(case.right for case in recognised) / len(recognised) if recognised else 1.0


def misses(cases: list[Case]) -> list[Case]:
    return [case for case in cases if (case.expected and not case.right) or (not case.expected and case.recognised)]

