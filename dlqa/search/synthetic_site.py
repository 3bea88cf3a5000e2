"""A synthetic copy of the site with N times the questions, for the search benchmark.

    python -m dlqa.search.synthetic_site 10 /tmp/site-10x   # then: mkdocs build -f /tmp/site-10x/mkdocs.yml

Copy k (1..N-1) of every topic page keeps the page's structure, answer lengths, math and code
but replaces about half of its prose words with made-up words chosen by (word, k), so the
copies neither repeat each other nor the real pages, and the vocabulary grows as a real site
would. The real pages stay as they are: the public query set still has its targets.
Notebook markers are dropped from the copies (their notebooks run once, on the real pages).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
from pathlib import Path

from dlqa.project import project_root

LINKED = ["dlqa", "pyproject.toml", "package.json", "notebooks", "node_modules", "CONTRIBUTING.md", "requirements.txt", "constraints.txt"]
# Spans kept verbatim: link targets, attribute lists and ids, HTML comments (metadata),
# LaTeX commands and inline math.
PROTECTED = re.compile(r"\]\([^)]*\)|\{[^}]*\}|<!--.*?-->|\\[A-Za-z]+|\$[^$]*\$")
WORD = re.compile(r"\b[a-z]{4,}\b")
HEADING_ID = re.compile(r"\{ ?#([a-z0-9][a-z0-9-]*) ?\}")
SAME_PAGE_LINK = re.compile(r"\]\(#([\w-]+)\)")
NOTEBOOK_MARKER = re.compile(r"^\s*<!-- notebook: [\w-]+ -->\s*$")
SYLLABLES = ["ka", "lo", "mi", "ter", "van", "sul", "pra", "dor", "ne", "qui", "ram", "bel", "tho", "gis", "fen", "zu"]


def made_up_word(word: str, copy: int) -> str:
    """The same word in the same copy always becomes the same made-up word of similar length."""
    digest = hashlib.blake2b(f"{copy}:{word}".encode(), digest_size=8).digest()
    letters = ""
    for byte in digest:
        letters += SYLLABLES[byte % len(SYLLABLES)]
        if len(letters) >= len(word):
            break
    return letters


def replaces(word: str, copy: int) -> bool:
    return hashlib.blake2b(f"{copy}/{word}".encode(), digest_size=1).digest()[0] % 2 == 0


def vary_prose(line: str, copy: int) -> str:
    pieces, last = [], 0
    for span in PROTECTED.finditer(line):
        pieces.append(WORD.sub(lambda m: made_up_word(m[0], copy) if replaces(m[0], copy) else m[0], line[last:span.start()]))
        pieces.append(span[0])
        last = span.end()
    pieces.append(WORD.sub(lambda m: made_up_word(m[0], copy) if replaces(m[0], copy) else m[0], line[last:]))
    return "".join(pieces)


def vary_page(markdown: str, copy: int) -> str:
    """Copy `copy` of a topic page: prose varied; front matter, code and structure kept; no notebooks."""
    front_matter = re.match(r"---\n.*?\n---\n", markdown, re.S)
    kept = front_matter[0] if front_matter else ""
    lines, in_code = [], False
    for line in markdown[len(kept):].splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
        if NOTEBOOK_MARKER.match(line):
            continue
        lines.append(line if in_code else vary_prose(line, copy))
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
    for copy in range(1, factor):
        for page in sorted((root / "docs" / "topics").glob("*.md")):
            name = f"{page.stem}-copy{copy}.md"
            (out / "docs" / "topics" / name).write_text(vary_page(page.read_text(encoding="utf-8"), copy), encoding="utf-8")
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
