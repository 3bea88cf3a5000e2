"""Content checks for pull requests: run by `make test` and by pre-commit.

    python tools/check_content.py            # all rules on docs/ and notebooks/
    python tools/check_content.py --no-spelling

Rules (each failure prints `file:line: rule: what to do`):

  question-format   topic pages parse: question headings with ids, valid metadata
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
import textwrap
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.pages import PageError, parse_page  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
UNSAFE_HTML = [
    (re.compile(r"<\s*script\b", re.I), "raw <script> tags are not allowed; pages are content only"),
    (re.compile(r"<\s*iframe\b", re.I), "raw <iframe> tags are not allowed; link to the page instead"),
    (re.compile(r"<[^>]*\son[a-z]+\s*=", re.I), "inline event handlers (on...=) are not allowed"),
    (re.compile(r"javascript\s*:", re.I), "javascript: URLs are not allowed"),
]
REFERENCE_LINK = re.compile(r"\]\(\s*https?://|<https?://")
MD_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*(?:\{[^}]*#([\w-]+)[^}]*\})?\s*$")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}: {self.message}"


GENERATED_PAGES = {"docs/coverage.md", "docs/questions.md"}  # written by tools/hooks/coverage.py and question_index.py at build time
FENCED = re.compile(r"^([ \t]*)(```|~~~).*?^\1\2[^\n]*$", re.M | re.S)
CODE_SPAN = re.compile(r"`[^`\n]+`")


def without_code(text: str) -> str:
    """The text with fenced blocks and code spans blanked out (same length, same line numbers)."""
    blank = lambda match: re.sub(r"[^\n]", " ", match[0])  # noqa: E731
    return CODE_SPAN.sub(blank, FENCED.sub(blank, text))


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
    problems, owners = [], {}
    for path, text in pages.items():
        try:
            page = parse_page(text, path)
        except PageError as error:
            location, _, message = str(error).partition(": ")
            file, _, line = location.rpartition(":")
            problems.append(Problem(file, int(line) if line.isdigit() else 1, "question-format", message))
            continue
        for question in page.questions:
            where = f"#{question.id} ({question.title})"
            if question.id in owners:
                problems.append(Problem(path, question.line, "duplicate-id",
                                        f"id #{question.id} is already used at {owners[question.id]}; choose another id"))
            owners.setdefault(question.id, f"{path}:{question.line}")
            if question.stub:
                continue
            if not question.answer:
                problems.append(Problem(path, question.line, "unanswered",
                                        f"{where} has no answer; write one or put back the line <!-- unanswered -->"))
            elif not REFERENCE_LINK.search(question.answer):
                problems.append(Problem(path, question.line, "reference",
                                        f"{where} cites no source; add a link to a paper, book chapter or official docs"))
    return problems


def heading_anchors(text: str) -> set[str]:
    """Explicit `{ #id }` ids and the ids MkDocs derives from the other headings."""
    anchors = set()
    for line in without_code(text).split("\n"):
        match = HEADING.match(line)
        if match:
            anchors.add(match[2] or re.sub(r"[\s]+", "-", re.sub(r"[^\w\s-]", "", match[1].lower())).strip("-"))
    return anchors | set(re.findall(r'\bid="([\w-]+)"', text))


def check_links(docs: dict[str, str], root: Path = ROOT) -> list[Problem]:
    """Relative links between pages: the page exists and so does the anchor (path -> text, paths under docs/)."""
    problems = []
    anchors = {path: heading_anchors(text) for path, text in docs.items()}
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
            elif anchor and resolved in docs and "<!-- notebook:" not in docs[resolved] and anchor not in anchors[resolved]:
                problems.append(Problem(path, line_of(text, match.start()), "link", f"{target}: no #{anchor} in {resolved}"))
    return problems


PYTHON_FENCE = re.compile(r"^(?P<indent>[ \t]*)```python[^\n]*\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.M | re.S)


def check_code_syntax(text: str, path: str) -> list[Problem]:
    """Python code blocks (also inside tabs and admonitions) must parse."""
    problems = []
    for match in PYTHON_FENCE.finditer(text):
        try:
            ast.parse(textwrap.dedent(match["body"]))
        except SyntaxError as error:
            line = line_of(text, match.start()) + (error.lineno or 1)
            problems.append(Problem(path, line, "code-syntax", f"Python syntax error: {error.msg}"))
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


def check_spelling(paths: list[Path], root: Path = ROOT) -> list[Problem]:
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


def run_checks(root: Path = ROOT, spelling: bool = True) -> list[Problem]:
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check the site's content before it is merged.")
    parser.add_argument("--no-spelling", action="store_true", help="skip codespell")
    args = parser.parse_args(argv)
    problems = run_checks(spelling=not args.no_spelling)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s)" if problems else "content checks passed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
