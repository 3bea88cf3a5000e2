"""A synthetic copy of the site with N times the questions, for the search benchmark.

    python -m dlqa.search.synthetic_site 10 /tmp/site-10x   # then: mkdocs build -f /tmp/site-10x/mkdocs.yml

Copy k (1..N-1) of every topic page keeps the page's structure, answer lengths, math and code.
Its prose keeps the site's shared vocabulary and replaces every rarer word, abbreviations and
names included, with a made-up word chosen by (word, k). In answers, the shared vocabulary is
every word found in at least 2 % of the questions ("lstm", "cache", "network"): a copy's answer
talks about the same subjects as the real ones, so a query meets N times the competition, as on
a site N times larger. In questions (headings and "Also asked as" phrasings) it is the words of
at least 7 % of the question headings ("what", "between", "neural"): a copy asks a new question
(the generator would merge a repeated one), so the real question stays the one to find.
Notebook markers are dropped from the copies (their notebooks run once, on the real pages).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
from collections import Counter
from pathlib import Path

from dlqa.page import ALSO_LABEL
from dlqa.project import project_root

LINKED = ["dlqa", "pyproject.toml", "package.json", "notebooks", "node_modules", "CONTRIBUTING.md", "requirements.txt", "constraints.txt"]
# Spans kept verbatim: link targets, attribute lists and ids, HTML comments (metadata),
# LaTeX commands and inline math.
PROTECTED = re.compile(r"\]\([^)]*\)|\{[^}]*\}|<!--.*?-->|\\[A-Za-z]+|\$[^$]*\$")
WORD = re.compile(r"\b[A-Za-z][A-Za-z0-9]+\b")
HEADING_ID = re.compile(r"\{ ?#([a-z0-9][a-z0-9-]*) ?\}")
SAME_PAGE_LINK = re.compile(r"\]\(#([\w-]+)\)")
NOTEBOOK_MARKER = re.compile(r"^\s*<!-- notebook: [\w-]+ -->\s*$")
QUESTION_START = re.compile(r"^## ", re.M)
SHARED_IN_ANSWERS = 0.02    # share of the questions (with answers) a word kept in answers is found in
SHARED_IN_QUESTIONS = 0.07  # share of the question headings a word kept in questions is found in
SYLLABLES = ["ka", "lo", "mi", "ter", "van", "sul", "pra", "dor", "ne", "qui", "ram", "bel", "tho", "gis", "fen", "zu"]


def made_up_word(word: str, copy: int) -> str:
    """The same word in the same copy always becomes the same made-up word of similar length and case."""
    digest = hashlib.blake2b(f"{copy}:{word.lower()}".encode(), digest_size=8).digest()
    letters = ""
    for byte in digest:
        letters += SYLLABLES[byte % len(SYLLABLES)]
        if len(letters) >= len(word):
            break
    if word.isupper():
        return letters.upper()
    return letters.capitalize() if word[0].isupper() else letters


def shared_vocabulary(texts: list[str], share: float) -> frozenset[str]:
    """Lower-cased words found in at least `share` of `texts`."""
    counts = Counter(word for text in texts for word in {match.lower() for match in WORD.findall(PROTECTED.sub(" ", text))})
    return frozenset(word for word, count in counts.items() if count >= share * len(texts))


def vary_prose(line: str, copy: int, shared: frozenset[str]) -> str:
    def vary(text: str) -> str:
        return WORD.sub(lambda m: m[0] if m[0].lower() in shared else made_up_word(m[0], copy), text)

    pieces, last = [], 0
    for span in PROTECTED.finditer(line):
        pieces += [vary(line[last:span.start()]), span[0]]
        last = span.end()
    return "".join(pieces) + vary(line[last:])


def vary_page(markdown: str, copy: int, shared: frozenset[str], shared_in_questions: frozenset[str]) -> str:
    """Copy `copy` of a topic page: prose varied; front matter, code and structure kept; no notebooks."""
    front_matter = re.match(r"---\n.*?\n---\n", markdown, re.S)
    kept = front_matter[0] if front_matter else ""
    lines, in_code, in_phrasings = [], False, False
    for line in markdown[len(kept):].splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
        if NOTEBOOK_MARKER.match(line):
            continue
        # The phrasings: the list after the label (a blank line between them).
        in_phrasings = line.startswith(ALSO_LABEL) or (in_phrasings and (not line.strip() or line.startswith("- ")))
        if in_code:
            lines.append(line)
        elif line.startswith("#") or in_phrasings:
            lines.append(vary_prose(line, copy, shared_in_questions))
        else:
            lines.append(vary_prose(line, copy, shared))
    return kept + own_ids("\n".join(lines), copy) + "\n"


def own_ids(markdown: str, copy: int) -> str:
    """The copy's question ids get a suffix (ids are unique site-wide), and so do links to them on the page."""
    ids = set(HEADING_ID.findall(markdown))
    markdown = HEADING_ID.sub(lambda m: f"{{ #{m[1]}-copy{copy} }}", markdown)
    return SAME_PAGE_LINK.sub(lambda m: f"](#{m[1]}-copy{copy})" if m[1] in ids else m[0], markdown)


def write_synthetic_site(factor: int, out: Path, root: Path) -> Path:
    """Write a copy of the project at `root` with `factor` times the topic pages into `out`; return its mkdocs.yml."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(root / "docs", out / "docs")
    for name in LINKED:
        (out / name).symlink_to(root / name)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    if not re.search(r"^nav:\n(?:[ \n].*\n?)*\Z", config, re.M):
        raise SystemExit("synthetic_site: mkdocs.yml must end with its nav: section")
    nav = []
    pages = {page.stem: page.read_text(encoding="utf-8") for page in sorted((root / "docs" / "topics").glob("*.md"))}
    questions = [part for markdown in pages.values() for part in QUESTION_START.split(markdown)[1:]]
    shared = shared_vocabulary(questions, SHARED_IN_ANSWERS)
    shared_in_questions = shared_vocabulary([question.splitlines()[0] for question in questions], SHARED_IN_QUESTIONS)
    for copy in range(1, factor):
        for stem, markdown in pages.items():
            name = f"{stem}-copy{copy}.md"
            (out / "docs" / "topics" / name).write_text(vary_page(markdown, copy, shared, shared_in_questions), encoding="utf-8")
            nav.append(f"      - topics/{name}\n")
    if nav:
        config = config.rstrip("\n") + "\n  - Synthetic copies:\n" + "".join(nav)
    (out / "mkdocs.yml").write_text(config, encoding="utf-8")
    return out / "mkdocs.yml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("factor", type=int)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    print(write_synthetic_site(args.factor, args.out, project_root()))


if __name__ == "__main__":
    main()
