"""The page model: the one place that knows how a page of the site is written, read and edited.

A topic page (docs/topics/*.md) is the source of truth for its answers. Each question is a
level-2 heading with a stable explicit id, a metadata comment, optional "Also asked as"
phrasings, and either an answer or the stub marker:

    ## What is dropout? { #dropout }

    <!-- question difficulty=basic lists=000,002 -->

    *Also asked as:*

    - Where can I dropout of CNN?

    <!-- unanswered -->

Every question belongs to one or more role tracks (TRACKS). A page's front matter names the
default (`tracks: [ml-engineer, research-scientist]`); a question's metadata replaces it
(`tracks=llm-engineer`) or adds to it (`tracks=+llm-engineer,ml-infrastructure`).

An answer may end with follow-up questions an interviewer would ask next, one item each:

    ??? question "Follow-up questions"
        - *Why not Newton's method?* It needs the Hessian.
        - Why is the noise useful? (It helps escape sharp minima.)
        - Which open problem would you work on?

Any page may embed an executed notebook with `<!-- notebook: NAME -->` alone on its line.
Fenced code follows CommonMark: a fence opens with three or more backticks or tildes (at any
indent, for tabs and admonitions) and closes only with the same character, at least as many,
and nothing else on the line. Nothing inside a fence is a heading, a marker or metadata.

Pure functions only; reading and writing files is the caller's business.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable

import yaml
from mkdocs.utils.meta import get_data as mkdocs_metadata

from dlqa.errors import ContentError

DIFFICULTIES = ("basic", "intermediate", "advanced")
# The role tracks a question can belong to (slug: title), in display order. Defined here only:
# the badges, `qa check`, the Anki deck and the study tools (through the question index) read them.
TRACKS = {
    "ml-engineer": "ML engineer",
    "llm-engineer": "LLM engineer",
    "research-scientist": "Research scientist",
    "ml-infrastructure": "ML infrastructure",
}
ID_PATTERN = r"[a-z0-9][a-z0-9-]*"
QUESTION_HEADING = re.compile(rf"^## (?P<title>.+?) \{{ ?#(?P<id>{ID_PATTERN}) ?\}}\s*$")
ANY_H2 = re.compile(r"^## ")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*(?:\{[^}]*#([\w-]+)[^}]*\})?\s*$")
META = re.compile(r"^<!-- question (?P<body>.*?) -->\s*$")
META_FIELD = re.compile(r"(\w+)=(\S+)")
LIST_LABEL = re.compile(r"[A-Za-z0-9_.-]+")  # a list's label in the metadata: `lists=000,modern-2026`
ALSO_LABEL = "*Also asked as:*"
STUB_MARKER = "<!-- unanswered -->"
FOLLOWUPS_START = re.compile(r'^\?\?\?\+? question "Follow-up questions"\s*$')
FOLLOWUP_ITEM = re.compile(r"^    - (?P<text>.*)$")
FOLLOWUP_EMPHASISED = re.compile(r"^\*(?P<q>[^*]+)\*(?:\s+(?P<a>.*))?$")  # `*Question?* answer`
FOLLOWUP_POINTER = re.compile(r"\bsee\b", re.IGNORECASE)  # "See also [x](...)": a link, not a question
NOTEBOOK_MARKER = re.compile(r"^(?P<indent>[ \t]*)<!--[ \t]*notebook:[ \t]*(?P<name>[A-Za-z0-9_-]+)[ \t]*-->[ \t]*$")
NOTEBOOK_CANDIDATE = re.compile(r"^[ \t]*<!--\s*notebooks?\b", re.IGNORECASE)
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
CODE_SPAN = re.compile(r"`[^`\n]+`")

# --- Text the theme prints ----------------------------------------------------------------
# MkDocs' templates do not autoescape: front matter, page and notebook titles and heading ids
# reach the navigation, <title>, <meta> and both tables of contents as raw HTML (and Material's
# `striptags` turns `&lt;` back into `<`). So what a page gives the theme is plain text or refused.

SAFE_ID = re.compile(r"[A-Za-z0-9_-]+")  # every heading id: from the generator, attr_list or toc
# The front-matter keys the site uses, and what each value must be. Any other key (Material's
# `template`, `icon`, `status`, `subtitle`, `tags`, `hide`, MkDocs' `author` ...) is refused: the
# theme would print it, or let it pick a template.
FRONT_MATTER_KEYS = {
    "title": "text",
    "description": "text",
    "topic_keywords": "list of text",
    "tracks": "tracks",  # the page's default role tracks (TRACKS)
    "search": "search options",  # generated pages: `search: {exclude: true}`
}
MARKUP_CHARACTERS = re.compile(r'[<>"\x00-\x08\x0b-\x1f\x7f]')
ATX_HEADING = re.compile(r"^ {0,3}(?P<level>#{1,6})(?:[ \t]+(?P<text>.*?))?[ \t]*$")
ATTR_LIST = re.compile(r"\{:?(?P<body>[^{}]*)\}[ \t]*$")  # `{ #id .class key=value }` ending a line
ATTR_ID = re.compile(r"""(?:^|\s)(?:#(?P<hash>[^\s}]+)|id\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s}]+)))""")


def markup_in_text(text: str) -> str | None:
    """Why `text` is not plain text where the theme prints it raw, or None if it is."""
    bad = MARKUP_CHARACTERS.search(text)
    if bad:
        return f"it holds {bad[0]!r}, which the theme would print as markup"
    if html.unescape(text) != text:
        entity = re.search(r"&#?\w+;?", text)[0]
        return f"it holds the character reference {entity!r}, which the theme turns back into markup"
    return None


def attr_list_ids(line: str) -> list[str]:
    """The ids an attr_list at the end of `line` sets (`{ #id }`, `{: id="..." }`)."""
    match = ATTR_LIST.search(line)
    if not match:
        return []
    return [next(v for v in found.groupdict().values() if v is not None) for found in ATTR_ID.finditer(match["body"])]


def check_front_matter(data: dict, lines: list[str], path: str) -> None:
    """Raise ContentError (at the key's line) unless every key is one the site uses, with a value of
    the right type holding plain text."""

    def fail(key: str, message: str) -> None:
        line = next((i + 1 for i, text in enumerate(lines) if re.match(rf"{re.escape(str(key))}\s*:", text)), 1)
        raise ContentError(path, line, f"front matter {key!r}: {message}")

    for key, value in data.items():
        kind = FRONT_MATTER_KEYS.get(key)
        if kind is None:
            fail(key, f"unknown key; the site uses only {', '.join(FRONT_MATTER_KEYS)} (the theme prints "
                      "front matter as raw HTML)")
        elif kind == "text" and not isinstance(value, str):
            fail(key, f"must be text, not {type(value).__name__}")
        elif kind == "list of text" and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            fail(key, "must be a list of text items, like [word, other words]")
        elif kind == "tracks" and (reason := unknown_tracks(value)):
            fail(key, reason)
        elif kind == "search options" and not (isinstance(value, dict) and set(value) <= {"exclude"}
                                               and all(isinstance(v, bool) for v in value.values())):
            fail(key, "may only be {exclude: true} or {exclude: false}")
        for text in [value] if isinstance(value, str) else value if kind == "list of text" else []:
            if (reason := markup_in_text(text)):
                fail(key, f"{text!r} must be plain text: {reason}")


def unknown_tracks(value) -> str | None:
    """Why `value` is not a non-empty list of known track slugs, or None."""
    known = ", ".join(TRACKS)
    if not (isinstance(value, list) and value and all(isinstance(v, str) for v in value)):
        return f"must be a list of one or more tracks, like [ml-engineer, llm-engineer] (known: {known})"
    unknown = [v for v in value if v not in TRACKS]
    return f"unknown track {unknown[0]!r}; the known tracks are {known}" if unknown else None


def check_theme_text(lines: list[str], start: int, inside: list[bool], path: str) -> None:
    """Raise ContentError unless every heading id set in the page matches SAFE_ID and the page's
    first level-1 heading (its title, when the front matter has none) is plain text."""
    first_h1 = True
    for index in range(start, len(lines)):
        if inside[index - start]:
            continue
        line = lines[index]
        for found in attr_list_ids(line):
            if not SAFE_ID.fullmatch(found):
                raise ContentError(path, index + 1, f"id {found!r} may hold only letters, digits, '_' and '-' "
                                   "(ids are printed raw into the tables of contents)")
        heading = ATX_HEADING.match(line)
        if heading and len(heading["level"]) == 1 and first_h1:
            first_h1 = False
            title = ATTR_LIST.sub("", heading["text"] or "").rstrip("# \t")
            if (reason := markup_in_text(title)):
                raise ContentError(path, index + 1, f"the page title {title!r} must be plain text: {reason}")

# --- Fences and code --------------------------------------------------------------------


@dataclass(frozen=True)
class Fence:
    start: int  # 0-based line of the opening fence
    end: int  # 0-based line of the closing fence (the last line if never closed)
    indent: str
    info: str  # the text after the opening fence, e.g. "python" or "{ .text }"
    closed: bool = True


def fences(lines: list[str]) -> list[Fence]:
    """Every fenced code block, by CommonMark's rules (an unclosed fence runs to the end)."""
    found, opening = [], None
    for index, line in enumerate(lines):
        match = FENCE.match(line)
        if opening is None:
            if match and not (match["fence"][0] == "`" and "`" in match["info"]):
                opening = (index, match)
        elif match and match["fence"][0] == opening[1]["fence"][0] and len(match["fence"]) >= len(opening[1]["fence"]) \
                and not match["info"].strip():
            found.append(Fence(opening[0], index, opening[1]["indent"], opening[1]["info"].strip()))
            opening = None
    if opening is not None:
        found.append(Fence(opening[0], len(lines) - 1, opening[1]["indent"], opening[1]["info"].strip(), closed=False))
    return found


def fenced(lines: list[str]) -> list[bool]:
    """For each line: is it part of a fenced block (fence lines included)?"""
    inside = [False] * len(lines)
    for block in fences(lines):
        inside[block.start:block.end + 1] = [True] * (block.end + 1 - block.start)
    return inside


def without_code(text: str) -> str:
    """The text with fenced blocks and code spans blanked out (same length, same line numbers)."""
    lines = text.split("\n")
    blanked = [" " * len(line) if inside else line for line, inside in zip(lines, fenced(lines))]
    return CODE_SPAN.sub(lambda match: " " * len(match[0]), "\n".join(blanked))


def code_blocks(text: str, language: str) -> list[tuple[int, str]]:
    """(1-based line of the opening fence, body) of each closed block whose info starts with `language`."""
    lines = text.split("\n")
    return [
        (block.start + 1, "\n".join(lines[block.start + 1:block.end]) + "\n")
        for block in fences(lines)
        if block.info.startswith(language) and block.closed
    ]


def anchors(text: str) -> set[str]:
    """Explicit `{ #id }` ids, the ids MkDocs derives from the other headings, and HTML ids."""
    found = set()
    for line in without_code(text).split("\n"):
        match = HEADING.match(line)
        if match:
            found.add(match[2] or re.sub(r"[\s]+", "-", re.sub(r"[^\w\s-]", "", match[1].lower())).strip("-"))
    return found | set(re.findall(r'\bid="([\w-]+)"', text))


# --- The model --------------------------------------------------------------------------


@dataclass(frozen=True)
class Marker:
    line: int  # 1-based line in the page source
    name: str
    indent: str


@dataclass(frozen=True)
class FollowUp:
    """A follow-up question under an answer, both parts as written (Markdown); `answer` is "" when
    the item gives none. `start`/`end`: where the answer sits in the item's text."""

    question: str
    answer: str
    line: int  # 1-based line of the item
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Meta:
    """A parsed metadata comment. `tracks` as written: "" (the page's), "a,b" (instead of the
    page's) or "+a,b" (in addition to the page's)."""

    difficulty: str
    lists: list[str]
    tracks: str = ""


@dataclass
class Question:
    id: str
    title: str
    line: int  # 1-based line of the heading
    end: int = 0  # 0-based index of the line after the question's block
    difficulty: str = ""
    lists: list[str] = field(default_factory=list)
    phrasings: list[str] = field(default_factory=list)
    stub: bool = False
    answer: str = ""  # the text after the metadata and phrasings, stub marker excluded
    also_end: int = 0  # 0-based index of the line after the last phrasing (0 if none)
    meta_line: int = 0  # 0-based index of the metadata comment (0 if none)
    tracks: list[str] = field(default_factory=list)  # the question's tracks, the page's default applied
    tracks_written: str = ""  # the metadata's `tracks=` value as written ("" if none)
    followups: list[FollowUp] = field(default_factory=list)


@dataclass
class Page:
    path: str
    text: str
    front_matter: dict = field(default_factory=dict)
    questions: list[Question] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    source: str = ""  # the text as given to parse_page, CRLF line endings kept

    @property
    def slug(self) -> str:
        return self.path.rsplit("/", 1)[-1].removesuffix(".md")

    @property
    def title(self) -> str:
        return self.front_matter.get("title", self.slug)

    @property
    def tracks(self) -> list[str]:
        """The page's default tracks (front matter `tracks`)."""
        return list(self.front_matter.get("tracks", []))

    @property
    def keywords(self) -> list[str]:
        return list(self.front_matter.get("topic_keywords", []))

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)


def lf_text(text: str) -> str:
    """The text with CRLF line breaks as "\n": what the model and every editor work on."""
    return text.replace("\r\n", "\n")


def split_front_matter(text: str, path: str) -> tuple[dict, int]:
    """(front matter, index of the first body line). Only the keys the site uses, with plain-text
    values, are accepted (check_front_matter)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        if mkdocs_metadata(text)[1]:  # MkDocs also reads `key: value` lines at the top as metadata
            raise ContentError(path, 1, f"MkDocs reads {lines[0].strip()!r} as page metadata; start the page with "
                               "a heading, or put metadata between '---' lines")
        return {}, 0
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            try:
                data = yaml.safe_load("\n".join(lines[1:index])) or {}
            except yaml.YAMLError as error:
                raise ContentError(path, 1, f"front matter is not valid YAML: {error}") from None
            if not isinstance(data, dict):
                raise ContentError(path, 1, "front matter must be a mapping")
            check_front_matter(data, lines[:index], path)
            return data, index + 1
    raise ContentError(path, 1, "front matter is not closed by a '---' line")


def parse_page(text: str, path: str, *, topic: bool = True) -> Page:
    """The model of a page: its notebook markers and, on a topic page, every question.

    `text` may break lines with CRLF: the model's `text` uses "\n" and `source` keeps the text as
    given, so a writer can restore each line's own ending (dlqa.files.keep_line_endings).
    Raises ContentError (path, line, message) on front matter outside the allow-list, a heading id or
    page title that is not plain text, a malformed marker or, on a topic page, a heading, metadata
    or an id that breaks the rules.
    """
    source, text = text, lf_text(text)
    front_matter, start = split_front_matter(text, path)
    lines = text.split("\n")
    inside = fenced(lines[start:])
    check_theme_text(lines, start, inside, path)
    markers, headings = [], []
    for index in range(start, len(lines)):
        line = lines[index]
        if inside[index - start]:
            continue
        if NOTEBOOK_CANDIDATE.match(line):
            match = NOTEBOOK_MARKER.match(line)
            if not match:
                raise ContentError(path, index + 1, f"malformed notebook marker {line.strip()!r} (expected "
                                   "'<!-- notebook: NAME -->' alone on its line, NAME made of letters, digits, '_' and '-')")
            markers.append(Marker(index + 1, match["name"], match["indent"]))
        elif topic and ANY_H2.match(line):
            match = QUESTION_HEADING.match(line)
            if not match:
                raise ContentError(path, index + 1, "a level-2 heading must be a question with an explicit id, "
                                   f"like '## What is dropout? {{ #dropout }}': {line!r}")
            headings.append((index, match))
    questions, seen = [], {}
    for position, (index, match) in enumerate(headings):
        end = headings[position + 1][0] if position + 1 < len(headings) else len(lines)
        question = _parse_block(lines, index, end, match, path, front_matter.get("tracks", []))
        if question.id in seen:
            raise ContentError(path, index + 1, f"duplicate id #{question.id} (first used on line {seen[question.id]})")
        seen[question.id] = index + 1
        questions.append(question)
    return Page(path, text, front_matter, questions, markers, source)


def _parse_block(lines: list[str], index: int, end: int, match: re.Match, path: str,
                 default_tracks: list[str]) -> Question:
    question = Question(id=match["id"], title=match["title"].strip(), line=index + 1, end=end,
                        tracks=list(default_tracks))
    body_start = index + 1
    for offset in range(index + 1, end):
        line = lines[offset].strip()
        if not line:
            continue
        meta = META.match(line)
        if meta:
            fields = parse_meta(meta)
            question.difficulty, question.lists, question.tracks_written = fields.difficulty, fields.lists, fields.tracks
            try:
                question.tracks = resolve_tracks(default_tracks, fields.tracks)
            except ValueError as error:
                raise ContentError(path, offset + 1, f"#{question.id}: {error}") from None
            if question.difficulty not in DIFFICULTIES:
                raise ContentError(path, offset + 1, f"#{question.id}: difficulty must be one of "
                                   f"{', '.join(DIFFICULTIES)}, not {question.difficulty!r}")
            bad = [label for label in question.lists if not LIST_LABEL.fullmatch(label)]
            if bad:
                raise ContentError(path, offset + 1, f"#{question.id}: list label {bad[0]!r} may hold only letters, "
                                   "digits, '_', '.' and '-' (labels are separated by commas)")
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
    inside = fenced(answer_lines)
    question.followups = [
        FollowUp(item.question, item.answer, body_start + item.line + 1, item.start, item.end)
        for item in followups("\n".join(line if not code else "" for line, code in zip(answer_lines, inside)))
    ]
    return question


def parse_meta(match: re.Match) -> Meta:
    """The fields of a matched metadata comment."""
    fields = dict(META_FIELD.findall(match["body"]))
    return Meta(fields.get("difficulty", ""), [name for name in fields.get("lists", "").split(",") if name],
                fields.get("tracks", ""))


def resolve_tracks(default: list[str], written: str) -> list[str]:
    """A question's tracks: the page's `default`, replaced by `written` ("a,b") or extended by it
    ("+a,b"), in TRACKS order. Raises ValueError naming the known tracks on an unknown one."""
    if not written:
        return [track for track in TRACKS if track in default]
    names = [name for name in written.removeprefix("+").split(",") if name]
    unknown = [name for name in names if name not in TRACKS]
    if unknown or not names:
        what = f"unknown track {unknown[0]!r}" if unknown else f"tracks={written} names no track"
        raise ValueError(f"{what}; the known tracks are {', '.join(TRACKS)} (tracks=a,b replaces the page's "
                         "tracks, tracks=+a adds to them)")
    chosen = set(names) | (set(default) if written.startswith("+") else set())
    return [track for track in TRACKS if track in chosen]


def split_followup(text: str) -> tuple[str, int, int] | None:
    """(question, answer start, answer end) of a follow-up item's text (Markdown), or None when the
    item is a pointer ("See also [x](...)") rather than a question. The answer is `text[start:end]`
    (empty when the item has none). Three forms: `*Question?* Answer`, `Question? (Answer.)` or
    `Question? Answer`, and a bare question or task."""
    text = text.rstrip()
    emphasised = FOLLOWUP_EMPHASISED.match(text)
    if emphasised:
        start = emphasised.start("a") if emphasised["a"] else len(text)
        return emphasised["q"].strip(), start, len(text)
    mark = re.search(r"\?(?=\s|$)", text)
    if not mark:
        return None if FOLLOWUP_POINTER.search(text) else (text, len(text), len(text))
    question, start = text[:mark.end()], mark.end()
    while start < len(text) and text[start] == " ":
        start += 1
    end = len(text)
    if text[start:].startswith("(") and text.endswith(")") and _closing_paren(text, start) == end - 1:
        start, end = start + 1, end - 1
    return question, start, end


def _closing_paren(text: str, start: int) -> int:
    """Index of the parenthesis closing the one at `start` (-1 if none); math and code spans, which
    may hold unbalanced ones (`$[0, 1)$`), do not count."""
    text = re.sub(r"\$[^$]+\$|`[^`]+`", lambda span: " " * len(span[0]), text)
    depth = 0
    for index in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[index], 0)
        if depth == 0:
            return index
    return -1


def followups(answer: str) -> list[FollowUp]:
    """The follow-up questions of an answer (its `??? question "Follow-up questions"` blocks); each
    FollowUp's `line` is 0-based in `answer`, `start`/`end` are offsets in that line."""
    found, lines, block = [], answer.split("\n"), False
    for index, line in enumerate(lines):
        if FOLLOWUPS_START.match(line):
            block = True
        elif block and line.strip() and not line.startswith("    "):
            block = False
        elif block and (item := FOLLOWUP_ITEM.match(line)):
            split = split_followup(item["text"])
            if split:
                offset = len(line) - len(item["text"])
                question, start, end = split
                found.append(FollowUp(question, line[offset + start:offset + end], index,
                                      offset + start, offset + end))
    return found


def duplicate_ids(pages: Iterable[Page]) -> list[ContentError]:
    """One error per question whose id an earlier page already uses."""
    owners, errors = {}, []
    for page in pages:
        for question in page.questions:
            if question.id in owners:
                errors.append(ContentError(page.path, question.line,
                                           f"id #{question.id} is already used at {owners[question.id]}; choose another id"))
            owners.setdefault(question.id, f"{page.path}:{question.line}")
    return errors


# --- Writing ----------------------------------------------------------------------------


def escape_text(text: str) -> str:
    """Plain text (a question from a list) as Markdown that shows it literally in a heading or a
    bullet: HTML and comments become text (`<` -> `&lt;`), braces cannot open an attr_list
    (`{ #id }`, `{: onclick=x }`), and an entity is shown as written. Pure; `plain_text` undoes it."""
    text = re.sub(r"&(?=#?\w+;)", "&amp;", text)
    return text.replace("<", "&lt;").replace(">", "&gt;").replace("{", "&#123;").replace("}", "&#125;")


def plain_text(markdown: str) -> str:
    """The text a heading or phrasing shows, entities decoded: what matching compares."""
    return html.unescape(markdown)


INLINE_MARKUP = re.compile(r"(?P<code>`+)(?P<code_text>.+?)(?P=code)|(?P<math>\$[^$]+\$)"
                           r"|!?\[(?P<link_text>[^\]]*)\]\((?:[^()]|\([^()]*\))*\)|\*{1,3}|(?<!\w)_{1,2}(?=\w)|(?<=\w)_{1,2}(?!\w)")


def inline_plain_text(markdown: str) -> str:
    """One line of Markdown as the plain text a reader sees: emphasis marks and link targets dropped,
    code spans as their text, math kept as written (`$x^2$`), entities decoded, spaces collapsed."""

    def shown(match: re.Match) -> str:
        if match["code"]:
            return match["code_text"]
        if match["math"]:
            return match["math"]
        return match["link_text"] if match["link_text"] is not None else ""

    return html.unescape(" ".join(INLINE_MARKUP.sub(shown, markdown).split()))


@dataclass(frozen=True)
class NewQuestion:
    """A question to write; title and phrasings are plain text (escaped when rendered)."""

    id: str
    title: str
    difficulty: str
    lists: tuple[str, ...]
    phrasings: tuple[str, ...] = ()


def render_meta(difficulty: str, lists: Iterable[str], tracks: str = "") -> str:
    """The metadata comment; `tracks` as written (see Meta), left out when "" (the page's)."""
    written = f" tracks={tracks}" if tracks else ""
    return f"<!-- question difficulty={difficulty} lists={','.join(lists)}{written} -->"


def render_heading(title: str, question_id: str) -> str:
    return f"## {title} {{ #{question_id} }}"


def render_question(question: NewQuestion) -> str:
    """The Markdown block of a new, unanswered question (its texts escaped)."""
    parts = [render_heading(escape_text(question.title), question.id), render_meta(question.difficulty, question.lists)]
    if question.phrasings:
        parts.append(ALSO_LABEL)
        parts.append("\n".join(f"- {escape_text(phrasing)}" for phrasing in question.phrasings))
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


def merge_into(page: Page, target_id: str, phrasings: list[str], lists: list[str]) -> str:
    """The page text with `phrasings` under #target_id's "Also asked as" (those it lacks) and
    `lists` joined to its metadata's list labels. The one merge rule of the generator and of
    `qa move --into`. Phrasings are Markdown as a page holds them (the generator escapes list text)."""
    target = page.question(target_id)
    new = [p for p in dict.fromkeys(phrasings) if p not in target.phrasings and p != target.title]
    labels = list(dict.fromkeys([*target.lists, *lists]))
    lines = page.text.split("\n")
    if target.meta_line and labels != target.lists:
        lines[target.meta_line] = render_meta(target.difficulty, labels, target.tracks_written)
    return add_phrasings("\n".join(lines), target, new) if new else "\n".join(lines)


def cut_block(page: Page, question_id: str) -> tuple[Question, str, str]:
    """(question, its block from the heading up to the next question, the page text without it)."""
    question = page.question(question_id)
    lines = page.text.split("\n")
    first = question.line - 1
    rest = "\n".join(lines[:first] + lines[question.end:]).rstrip("\n") + "\n"
    return question, "\n".join(lines[first:question.end]), rest


def set_id(page: Page, question_id: str, new_id: str) -> str:
    """The page text with the heading of #question_id carrying `new_id`."""
    question = page.question(question_id)
    lines = page.text.split("\n")
    lines[question.line - 1] = render_heading(question.title, new_id)
    return "\n".join(lines)


def rewrite_markup(markdown: str, *, meta: Callable[[Meta], str], stub: Callable[[], str],
                   also: Callable[[list[str]], list[str]], followup_answer: Callable[[str], str] = lambda a: a) -> str:
    """`markdown` with, outside fences, each metadata comment replaced by meta(its fields), each stub
    marker by stub(), each unindented "Also asked as" block (label, blank line, bullets) by
    also(its lines), and each follow-up question's answer by followup_answer(answer)."""
    lines = markdown.split("\n")
    inside = fenced(lines)
    for item in followups("\n".join("" if code else line for line, code in zip(lines, inside))):
        if item.answer:
            line = lines[item.line]
            lines[item.line] = line[:item.start] + followup_answer(item.answer) + line[item.end:]
    out, index = [], 0
    while index < len(lines):
        line = lines[index]
        if inside[index]:
            out.append(line)
        elif (match := META.match(line.strip())):
            out.append(meta(parse_meta(match)))
        elif line.strip() == STUB_MARKER:
            out.append(stub())
        elif line == ALSO_LABEL and index + 1 < len(lines) and not lines[index + 1] \
                and (end := _bullets_end(lines, index + 2)) > index + 2:
            out.extend(also(lines[index:end]))
            index = end
            continue
        else:
            out.append(line)
        index += 1
    return "\n".join(out)


def _bullets_end(lines: list[str], start: int) -> int:
    """Index after the "- " bullets from `start` (each followed by another line, as in a file)."""
    end = start
    while end + 1 < len(lines) and lines[end].startswith("- "):
        end += 1
    return end
