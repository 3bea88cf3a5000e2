"""Content checks for pull requests (`qa check`): run by `make test` and by pre-commit.

    qa check                 # all rules on docs/ and notebooks/
    qa check --no-spelling

Rules (each failure prints `file:line: rule: what to do`):

  question-format   topic pages parse: question headings with ids, valid metadata
  notebook-marker   notebook markers are well formed
  duplicate-id      an id is used by one question only, across all pages
  unanswered        every question has an answer or is a marked stub (`<!-- unanswered -->`)
  reference         every answer links at least one source (a Markdown link to http(s)://...)
  unsafe-html       no <script>, <iframe>, inline event handlers (on...=) or javascript: URLs
  notebook-outputs  notebooks are committed without outputs
  link              links to other pages point at existing pages and anchors
  code-syntax       every ```python block in a page is valid Python
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

from dlqa.errors import ContentError
from dlqa.page import anchors, code_blocks, duplicate_ids, parse_page, without_code
from dlqa.project import project_root

UNSAFE_HTML = [
    (re.compile(r"<\s*script\b", re.I), "raw <script> tags are not allowed; pages are content only"),
    (re.compile(r"<\s*iframe\b", re.I), "raw <iframe> tags are not allowed; link to the page instead"),
    (re.compile(r"<[^>]*\son[a-z]+\s*=", re.I), "inline event handlers (on...=) are not allowed"),
    (re.compile(r"javascript\s*:", re.I), "javascript: URLs are not allowed"),
]
REFERENCE_LINK = re.compile(r"\]\(\s*https?://|<https?://")
MD_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
GENERATED_PAGES = {"docs/coverage.md"}  # written by dlqa/hooks/coverage_page.py at build time


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
    """question-format, duplicate-id, unanswered and reference on topic pages (path -> text)."""
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
            if question.stub:
                continue
            if not question.answer:
                problems.append(Problem(page.path, question.line, "unanswered",
                                        f"{where} has no answer; write one or put back the line <!-- unanswered -->"))
            elif not REFERENCE_LINK.search(question.answer):
                problems.append(Problem(page.path, question.line, "reference",
                                        f"{where} cites no source; add a link to a paper, book chapter or official docs"))
    return problems


def check_links(docs: dict[str, str], root: Path) -> list[Problem]:
    """Relative links between pages: the page exists and so does the anchor (path -> text, paths under docs/)."""
    problems, embeds_notebooks = [], {}
    for path, text in docs.items():
        try:
            embeds_notebooks[path] = bool(parse_page(text, path, topic=False).markers)
        except ContentError as error:
            problems.append(problem(error, "notebook-marker"))
            embeds_notebooks[path] = True
    page_anchors = {path: anchors(text) for path, text in docs.items()}
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
            elif anchor and resolved in docs and not embeds_notebooks[resolved] and anchor not in page_anchors[resolved]:
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


def run_checks(root: Path, spelling: bool = True) -> list[Problem]:
    def read(pattern: str) -> dict[str, str]:
        return {str(p.relative_to(root)): p.read_text(encoding="utf-8") for p in sorted(root.glob(pattern))}

    docs = read("docs/**/*.md")
    notebooks = {**read("notebooks/*.py"), **read("notebooks/*.ipynb")}
    topics = {path: text for path, text in docs.items() if path.startswith("docs/topics/")}
    problems = check_questions(topics) + check_links(docs, root) + check_notebook_outputs(notebooks)
    for path, text in {**docs, **notebooks}.items():
        problems += check_unsafe_html(text, path)
    for path, text in docs.items():
        problems += check_code_syntax(text, path)
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
