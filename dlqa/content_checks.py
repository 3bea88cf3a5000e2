"""Content checks for pull requests (`qa check`): run by `make test` and by pre-commit.

    qa check                 # all rules on docs/ and notebooks/
    qa check --no-spelling

Rules (each failure prints `file:line: rule: what to do`):

  question-format   topic pages parse: question headings with ids, valid metadata (known role
                    tracks in the front matter's `tracks` and the metadata's `tracks=`)
  track             every question has a role track (the page's `tracks`, or its own `tracks=`)
  page-format       every page: front matter only with the keys the site uses and plain-text
                    values, heading ids of letters, digits, '_' and '-', a plain-text title;
                    notebook markers well formed
  encoding          pages and notebooks are valid UTF-8
  docs-file         files under docs/ are Markdown, PNG/JPEG/GIF/WebP images or the site's own
                    assets (dlqa/docs_files.py); nothing takes a theme or generated file's path
  snippet           `--8<--` includes name only the files mkdocs.yml's snippets base_path allows
  notebook-format   notebook headings are plain text (the first one titles the notebook's page)
  duplicate-id      an id is used by one question only, across all pages
  unanswered        every question has an answer or is a marked stub (`<!-- unanswered -->`)
  reference         every answer links at least one source (a Markdown link to http(s)://...)
  unsafe-html       no <script>, <iframe>, inline event handlers (on...=) or javascript: URLs
  notebook-outputs  notebooks are committed without outputs
  link              links to other pages point at existing pages and anchors (an embedded
                    notebook's headings are anchors of its page)
  code-syntax       every ```python block in a page is valid Python
  math-prose        no prose between two `$` signs: "costs $4 ... at $2 per" renders as one formula
                    (write `\\$` for a dollar amount)
  spelling          codespell, with the project's word list (.codespell-words)
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import jupytext
import yaml

from dlqa.docs_files import default_theme_dirs, read_head, refused_file, theme_files
from dlqa.errors import ContentError
from dlqa.files import decode_utf8
from dlqa.notebooks.pages import check_headings
from dlqa.page import TRACKS, anchors, code_blocks, duplicate_ids, parse_page, without_code
from dlqa.project import project_root

UNSAFE_HTML = [
    (re.compile(r"<\s*script\b", re.I), "raw <script> tags are not allowed; pages are content only"),
    (re.compile(r"<\s*iframe\b", re.I), "raw <iframe> tags are not allowed; link to the page instead"),
    (re.compile(r"<[^>]*\son[a-z]+\s*=", re.I), "inline event handlers (on...=) are not allowed"),
    (re.compile(r"javascript\s*:", re.I), "javascript: URLs are not allowed"),
]
REFERENCE_LINK = re.compile(r"\]\(\s*https?://|<https?://")
MD_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
GENERATED_PAGES = {"docs/coverage.md", "docs/questions.md", "docs/review.md", "docs/mock.md"}  # written by hooks: coverage_page, question_index, study_pages
# pymdownx.snippets' include lines: `--8<-- "file"`, or a block of file names between two `--8<--` lines.
SNIPPET_LINE = re.compile(r"""^[ \t]*(?P<escape>;*)-+8<-+(?:[ \t]+(?P<quote>["'])(?P<name>.+?)(?P=quote))?[ \t]*$""")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}: {self.message}"


def problem(error: ContentError, rule: str) -> Problem:
    return Problem(error.path, error.line or 1, rule, error.message)


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def check_unsafe_html(text: str, path: str) -> list[Problem]:
    """Raw HTML hazards outside code (code is shown escaped, so it is safe)."""
    text = without_code(text) if path.endswith(".md") else text
    return [
        Problem(path, line_of(text, match.start()), "unsafe-html", message)
        for pattern, message in UNSAFE_HTML
        for match in pattern.finditer(text)
    ]


def check_questions(pages: dict[str, str]) -> list[Problem]:
    """question-format, duplicate-id, track, unanswered and reference on topic pages (path -> text)."""
    problems, parsed = [], []
    for path, text in pages.items():
        try:
            parsed.append(parse_page(text, path))
        except ContentError as error:
            problems.append(problem(error, "question-format"))
    problems += [problem(error, "duplicate-id") for error in duplicate_ids(parsed)]
    for page in parsed:
        for question in page.questions:
            where = f"#{question.id} ({question.title})"
            if not question.tracks:
                problems.append(Problem(page.path, question.line, "track",
                                        f"{where} has no role track; give the page a default in its front matter "
                                        f"(tracks: [ml-engineer]) or the question its own (tracks=...); known tracks: "
                                        f"{', '.join(TRACKS)}"))
            if question.stub:
                continue
            if not question.answer:
                problems.append(Problem(page.path, question.line, "unanswered",
                                        f"{where} has no answer; write one or put back the line <!-- unanswered -->"))
            elif not REFERENCE_LINK.search(question.answer):
                problems.append(Problem(page.path, question.line, "reference",
                                        f"{where} cites no source; add a link to a paper, book chapter or official docs"))
    return problems


def notebook_anchors(source: str) -> set[str]:
    """The anchors of the headings in a notebook's markdown cells (jupytext percent source): embedded
    in a page, they are the page's anchors too."""
    cells = jupytext.reads(source, fmt="py:percent").cells
    return anchors("\n\n".join(cell.source for cell in cells if cell.cell_type == "markdown"))


def check_links(docs: dict[str, str], root: Path, notebooks: dict[str, str] | None = None) -> list[Problem]:
    """Relative links between pages: the page exists and so does the anchor (path -> text, paths under docs/);
    a page's anchors include those of the notebooks it embeds (`notebooks`: path -> source, paths under notebooks/)."""
    problems, page_anchors = [], {}
    notebooks = notebooks or {}
    for path, text in docs.items():
        page_anchors[path] = anchors(text)
        try:
            markers = parse_page(text, path, topic=False).markers
        except ContentError as error:
            if not path.startswith("docs/topics/"):  # check_questions reports a topic page's
                problems.append(problem(error, "page-format"))
            continue
        for marker in markers:
            source = notebooks.get(f"notebooks/{marker.name}.py")
            page_anchors[path] |= notebook_anchors(source) if source is not None else set()
    existing = set(docs) | GENERATED_PAGES
    for path, text in docs.items():
        for match in MD_LINK.finditer(without_code(text)):
            target = match[1]
            if re.match(r"^[a-z]+:|^//|^#$", target) or not (target.split("#")[0].endswith(".md") or target.startswith("#")):
                continue
            page, _, anchor = target.partition("#")
            resolved = str((root / path).parent.joinpath(page).resolve().relative_to(root.resolve())) if page else path
            if page and resolved not in existing:
                problems.append(Problem(path, line_of(text, match.start()), "link", f"{target}: no page {resolved}"))
            elif anchor and resolved in docs and anchor not in page_anchors[resolved]:
                problems.append(Problem(path, line_of(text, match.start()), "link", f"{target}: no #{anchor} in {resolved}"))
    return problems


def check_code_syntax(text: str, path: str) -> list[Problem]:
    """Python code blocks (also inside tabs and admonitions) must parse."""
    problems = []
    for line, body in code_blocks(text, "python"):
        try:
            ast.parse(textwrap.dedent(body))
        except SyntaxError as error:
            problems.append(Problem(path, line + (error.lineno or 1), "code-syntax", f"Python syntax error: {error.msg}"))
    return problems


# Inline math as pymdownx.arithmatex finds it (no space inside either `$`); code is blanked first.
INLINE_MATH = re.compile(r"(?<![\\$])\$(?![\s$])((?:\\.|[^\\$\n])+?)(?<!\s)\$(?!\$)")
TEX_TEXT = re.compile(r"\\(?:text|mathrm|operatorname|textbf|textit|mbox)\{[^{}]*\}")
PROSE = re.compile(r"(?:\b[A-Za-z]{2,}\b[,.;:]?\s+){3,}\b[A-Za-z]{2,}\b")


def check_math_prose(text: str, path: str) -> list[Problem]:
    """Inline formulas whose TeX (outside \\text{...}) reads as four or more words of prose."""
    return [Problem(path, line_of(text, m.start()), "math-prose",
                    f"the text between two `$` signs reads as prose ({m[0][:60]!r}): write `\\$` for a dollar amount")
            for m in INLINE_MATH.finditer(without_code(text)) if PROSE.search(TEX_TEXT.sub("", m[1]))]


def check_notebook_outputs(notebooks: dict[str, str]) -> list[Problem]:
    problems = []
    for path, text in notebooks.items():
        if not path.endswith(".ipynb"):
            continue
        cells = json.loads(text).get("cells", [])
        for index, cell in enumerate(cells, 1):
            if cell.get("outputs") or cell.get("execution_count"):
                problems.append(Problem(path, 1, "notebook-outputs",
                                        f"cell {index} has outputs; clear them (jupyter nbconvert --clear-output --inplace)"))
    return problems


def check_spelling(paths: list[Path], root: Path) -> list[Problem]:
    result = subprocess.run(
        [sys.executable, "-m", "codespell_lib", "--ignore-words", str(root / ".codespell-words"),
         "--ignore-regex", r"`[^`\n]+`", *map(str, paths)],  # code spans hold identifiers and n-grams
        capture_output=True, text=True,
    )
    problems = []
    for line in result.stdout.splitlines():
        match = re.match(r"^(.*?):(\d+): (.*)$", line)
        if match:
            problems.append(Problem(str(Path(match[1]).resolve().relative_to(root.resolve())), int(match[2]), "spelling",
                                    f"{match[3]} (or add the word to .codespell-words)"))
    return problems


def check_docs_files(root: Path, theme: frozenset[str]) -> list[Problem]:
    """docs-file: every file MkDocs would publish from docs/ (dotfiles are not) is on the allow-list."""
    docs = root / "docs"
    problems = []
    for path in sorted(docs.rglob("*")):
        relative = path.relative_to(docs)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            reason = refused_file(relative.as_posix(), read_head(path), theme)
            if reason:
                problems.append(Problem(f"docs/{relative.as_posix()}", 1, "docs-file", reason))
    return problems


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml for its plain settings: tags such as !ENV and !!python/name become None."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def snippet_bases(root: Path) -> list[Path]:
    """The snippets extension's base_path entries in mkdocs.yml, as paths."""
    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    for extension in config.get("markdown_extensions") or []:
        if isinstance(extension, dict) and "pymdownx.snippets" in extension:
            bases = (extension["pymdownx.snippets"] or {}).get("base_path", ["."])
            return [root / base for base in ([bases] if isinstance(bases, str) else bases)]
    return []


def snippet_allowed(name: str, bases: list[Path]) -> bool:
    """Whether pymdownx.snippets (restrict_base_path) would include `name` (a file, maybe with `:lines`)."""
    for base in bases:
        for candidate in (name, name.split(":", 1)[0]):
            if base.is_file() and candidate == base.name:
                return True
            target = (base / candidate).resolve()
            if base.is_dir() and target.is_relative_to(base.resolve()) and target.exists():
                return True
    return False


def check_snippets(text: str, path: str, bases: list[Path]) -> list[Problem]:
    """snippet: each include names a file under the snippets base path (fenced code included: the
    extension reads every line)."""
    problems, block = [], None
    for number, line in enumerate(text.split("\n"), 1):
        match = SNIPPET_LINE.match(line)
        if match and match["escape"]:
            continue
        if match and match["name"] is None:
            block = None if block is not None else number
            continue
        names = [match["name"]] if match else [line.strip()] if block is not None and line.strip() else []
        for name in names:
            if not snippet_allowed(name, bases):
                allowed = ", ".join(base.name for base in bases) or "none"
                problems.append(Problem(path, number, "snippet", f"{name!r} cannot be included: only files of "
                                        f"the snippets base_path in mkdocs.yml can ({allowed})"))
    return problems


def run_checks(root: Path, spelling: bool = True) -> list[Problem]:
    problems: list[Problem] = []

    def read(pattern: str) -> dict[str, str]:
        texts = {}
        for p in sorted(root.glob(pattern)):
            try:
                texts[str(p.relative_to(root))] = decode_utf8(p.read_bytes(), str(p.relative_to(root)))
            except ContentError as error:
                problems.append(problem(error, "encoding"))
        return texts

    docs = read("docs/**/*.md")
    notebooks = {**read("notebooks/*.py"), **read("notebooks/*.ipynb")}
    topics = {path: text for path, text in docs.items() if path.startswith("docs/topics/")}
    problems += check_questions(topics) + check_links(docs, root, notebooks) + check_notebook_outputs(notebooks)
    problems += check_docs_files(root, theme_files(default_theme_dirs()))
    bases = snippet_bases(root) if (root / "mkdocs.yml").is_file() else []
    for path, text in docs.items():
        problems += check_snippets(text, path, bases)
    for path, text in notebooks.items():
        if path.endswith(".py"):
            try:
                check_headings(text, path)
            except ContentError as error:
                problems.append(problem(error, "notebook-format"))
    for path, text in {**docs, **notebooks}.items():
        problems += check_unsafe_html(text, path)
    for path, text in docs.items():
        problems += check_code_syntax(text, path) + check_math_prose(text, path)
    if spelling:
        targets = [root / name for name in ("docs", "notebooks", "README.md", "CONTRIBUTING.md") if (root / name).exists()]
        problems += check_spelling(targets, root)
    return sorted(problems, key=lambda p: (p.path, p.line, p.rule))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-spelling", action="store_true", help="skip codespell")
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    problems = run_checks(args.root or project_root(), spelling=not args.no_spelling)
    for item in problems:
        print(item)
    print(f"{len(problems)} problem(s)" if problems else "content checks passed")
    return 1 if problems else 0
