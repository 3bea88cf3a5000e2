"""The topic-page model: read questions out of a page, render and insert new ones.

A topic page (docs/topics/*.md) is the source of truth for its answers. Each
question is a level-2 heading with a stable explicit id, followed by a metadata
comment, optional "Also asked as" phrasings, and either an answer or a stub:

    ## What is dropout? { #dropout }

    <!-- question difficulty=basic lists=000,002 -->

    *Also asked as:*

    - Where can I dropout of CNN?

    <!-- unanswered -->

Pure functions only; reading and writing files is the caller's business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

DIFFICULTIES = ("basic", "intermediate", "advanced")
ID_PATTERN = r"[a-z0-9][a-z0-9-]*"
QUESTION_HEADING = re.compile(rf"^## (?P<title>.+?) \{{ ?#(?P<id>{ID_PATTERN}) ?\}}\s*$")
ANY_H2 = re.compile(r"^## ")
META = re.compile(r"^<!-- question (?P<body>.*?) -->\s*$")
META_FIELD = re.compile(r"(\w+)=(\S+)")
ALSO_LABEL = "*Also asked as:*"
STUB_MARKER = "<!-- unanswered -->"
FENCE = re.compile(r"^\s*(```|~~~)")


class PageError(ValueError):
    """A page cannot be parsed; the message names the file and line."""


@dataclass
class Question:
    id: str
    title: str
    line: int  # 1-based line of the heading
    difficulty: str = ""
    lists: list[str] = field(default_factory=list)
    phrasings: list[str] = field(default_factory=list)
    stub: bool = False
    answer: str = ""  # the text after the metadata and phrasings, stub marker excluded
    also_end: int = 0  # 0-based index of the line after the last phrasing (0 if none)
    meta_line: int = 0  # 0-based index of the metadata comment (0 if none)


@dataclass
class Page:
    path: str
    front_matter: dict
    questions: list[Question]

    @property
    def slug(self) -> str:
        return self.path.rsplit("/", 1)[-1].removesuffix(".md")

    @property
    def title(self) -> str:
        return self.front_matter.get("title", self.slug)

    @property
    def keywords(self) -> list[str]:
        return list(self.front_matter.get("topic_keywords", []))


def split_front_matter(text: str, path: str) -> tuple[dict, int]:
    """(front matter, index of the first body line)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, 0
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            try:
                data = yaml.safe_load("\n".join(lines[1:index])) or {}
            except yaml.YAMLError as error:
                raise PageError(f"{path}:1: front matter is not valid YAML: {error}") from None
            if not isinstance(data, dict):
                raise PageError(f"{path}:1: front matter must be a mapping")
            return data, index + 1
    raise PageError(f"{path}:1: front matter is not closed by a '---' line")


def parse_page(text: str, path: str) -> Page:
    """Every question of a topic page, with its metadata, phrasings and answer."""
    front_matter, start = split_front_matter(text, path)
    lines = text.split("\n")
    headings = []
    in_fence = False
    for index in range(start, len(lines)):
        line = lines[index]
        if FENCE.match(line):
            in_fence = not in_fence
        if in_fence or not ANY_H2.match(line):
            continue
        match = QUESTION_HEADING.match(line)
        if not match:
            raise PageError(
                f"{path}:{index + 1}: a level-2 heading must be a question with an explicit id, "
                f"like '## What is dropout? {{ #dropout }}': {line!r}"
            )
        headings.append((index, match))
    questions, seen = [], {}
    for position, (index, match) in enumerate(headings):
        end = headings[position + 1][0] if position + 1 < len(headings) else len(lines)
        question = _parse_block(lines, index, end, match, path)
        if question.id in seen:
            raise PageError(f"{path}:{index + 1}: duplicate id #{question.id} (first used on line {seen[question.id]})")
        seen[question.id] = index + 1
        questions.append(question)
    return Page(path, front_matter, questions)


def _parse_block(lines: list[str], index: int, end: int, match: re.Match, path: str) -> Question:
    question = Question(id=match["id"], title=match["title"].strip(), line=index + 1)
    body_start = index + 1
    for offset in range(index + 1, end):
        line = lines[offset].strip()
        if not line:
            continue
        meta = META.match(line)
        if meta:
            fields = dict(META_FIELD.findall(meta["body"]))
            question.difficulty = fields.get("difficulty", "")
            if question.difficulty not in DIFFICULTIES:
                raise PageError(
                    f"{path}:{offset + 1}: #{question.id}: difficulty must be one of "
                    f"{', '.join(DIFFICULTIES)}, not {question.difficulty!r}"
                )
            question.lists = [name for name in fields.get("lists", "").split(",") if name]
            question.meta_line = offset
            body_start = offset + 1
        break
    offset = body_start
    while offset < end and not lines[offset].strip():
        offset += 1
    if offset < end and lines[offset].strip() == ALSO_LABEL:
        offset += 1
        while offset < end and not lines[offset].strip():
            offset += 1
        while offset < end and lines[offset].startswith("- "):  # one contiguous bullet list
            question.phrasings.append(lines[offset][2:].strip())
            offset += 1
        question.also_end = offset
        body_start = offset
    answer_lines = lines[body_start:end]
    question.stub = any(line.strip() == STUB_MARKER for line in answer_lines)
    question.answer = "\n".join(line for line in answer_lines if line.strip() != STUB_MARKER).strip()
    return question


@dataclass(frozen=True)
class NewQuestion:
    id: str
    title: str
    difficulty: str
    lists: tuple[str, ...]
    phrasings: tuple[str, ...] = ()


def render_question(question: NewQuestion) -> str:
    """The Markdown block of a new, unanswered question."""
    parts = [
        f"## {question.title} {{ #{question.id} }}",
        f"<!-- question difficulty={question.difficulty} lists={','.join(question.lists)} -->",
    ]
    if question.phrasings:
        parts.append(ALSO_LABEL)
        parts.append("\n".join(f"- {phrasing}" for phrasing in question.phrasings))
    parts.append(STUB_MARKER)
    return "\n\n".join(parts) + "\n"


def append_questions(text: str, questions: list[NewQuestion]) -> str:
    """The page with new question blocks added at its end; existing text is untouched."""
    if not questions:
        return text
    blocks = "\n".join(render_question(q) for q in questions)
    return text.rstrip("\n") + "\n\n" + blocks


def add_phrasings(text: str, question: Question, phrasings: list[str]) -> str:
    """The page with more "Also asked as" phrasings under `question` (lines only inserted)."""
    lines = text.split("\n")
    bullets = [f"- {phrasing}" for phrasing in phrasings]
    if question.also_end:
        lines[question.also_end:question.also_end] = bullets
    else:
        anchor = (question.meta_line or question.line - 1) + 1
        lines[anchor:anchor] = ["", ALSO_LABEL, "", *bullets]
    return "\n".join(lines)
