"""Move a question to another topic page, merge it into another question, or rename its id (`qa move`).

    qa move ID --to PAGE        # move the whole block to PAGE (a slug)
    qa move ID --rename NEW_ID  # give the question a new id
    qa move ID --into OTHER_ID  # merge: ID's heading and phrasings become "Also asked as"
                                # phrasings of OTHER_ID, its list labels join OTHER_ID's, and
                                # its answer is dropped (keep the better one first)

Every link to the moved, merged or renamed question, on any page, is rewritten to its new
place, so the strict build keeps passing. Use before a question's id is published;
after that, a move needs a redirect.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from dlqa.errors import ContentError
from dlqa.files import write_atomically
from dlqa.page import ID_PATTERN, Page, cut_block, merge_into, parse_page, set_id
from dlqa.project import project_root
from dlqa.topic_pages import load_topic_pages

LINK = re.compile(r"\]\((?P<path>[^)#\s]*)#(?P<anchor>[\w-]+)\)")


def rewrite_links(text: str, here: Path, old_page: Path, old_id: str, new_page: Path, new_id: str) -> str:
    """Point every link at old_page#old_id (written relative to `here`) to new_page#new_id."""

    def replace(match: re.Match) -> str:
        target = (here.parent / match["path"]).resolve() if match["path"] else here.resolve()
        if target != old_page.resolve() or match["anchor"] != old_id:
            return match[0]
        path = "" if new_page.resolve() == here.resolve() else Path(_relative(new_page, here)).as_posix()
        return f"]({path}#{new_id})"

    return LINK.sub(replace, text)


def _relative(target: Path, here: Path) -> str:
    return os.path.relpath(target.resolve(), here.resolve().parent)


def _relink(texts: dict[Path, str], source: Path, old_id: str, target: Path, new_id: str) -> dict[Path, str]:
    return {path: rewrite_links(text, path, source, old_id, target, new_id) for path, text in texts.items()}


def move(texts: dict[Path, str], source: Path, question_id: str, dest: Path) -> dict[Path, str]:
    """All page texts after moving the block of `question_id` from `source` to the end of `dest`."""
    _, block, rest = cut_block(parse_page(texts[source], str(source)), question_id)
    block = block.strip("\n")
    # Same-page links inside the moved block now point back at the source page.
    block = re.sub(r"\]\(#([\w-]+)\)", lambda m: f"]({_relative(source, dest)}#{m[1]})", block)
    # Links the block makes to its new page become same-page links.
    block = block.replace(f"]({dest.name}#", "](#")
    texts = {**texts, source: rest}
    texts[dest] = texts[dest].rstrip("\n") + "\n\n" + block + "\n"
    return _relink(texts, source, question_id, dest, question_id)


def merge(texts: dict[Path, str], source: Path, question_id: str, target: Path, target_id: str) -> dict[Path, str]:
    """All page texts after merging `question_id` into `target_id` (phrasings and list labels)."""
    question, _, rest = cut_block(parse_page(texts[source], str(source)), question_id)
    texts = {**texts, source: rest}
    kept = parse_page(texts[target], str(target))
    texts[target] = merge_into(kept, target_id, [question.title, *question.phrasings], question.lists)
    return _relink(texts, source, question_id, target, target_id)


def rename(texts: dict[Path, str], source: Path, question_id: str, new_id: str) -> dict[Path, str]:
    """All page texts after the question's heading id becomes `new_id`."""
    texts = {**texts, source: set_id(parse_page(texts[source], str(source)), question_id, new_id)}
    return _relink(texts, source, question_id, source, new_id)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--to", metavar="PAGE", help="topic page slug to move the question to")
    group.add_argument("--into", metavar="OTHER_ID", help="question to merge this one into")
    group.add_argument("--rename", metavar="NEW_ID", help="new id (lowercase letters, digits, hyphens)")
    parser.add_argument("--docs", type=Path, help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    docs = args.docs or project_root() / "docs"
    try:
        pages: list[Page] = load_topic_pages(docs / "topics")
    except ContentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    topic_texts = {Path(page.path): page.text for page in pages}
    texts = {path: topic_texts.get(path) or path.read_text(encoding="utf-8") for path in sorted(docs.rglob("*.md"))}
    owners = {q.id: Path(page.path) for page in pages for q in page.questions}
    if args.id not in owners:
        print(f"error: no question #{args.id} on any topic page", file=sys.stderr)
        return 2
    if args.to:
        dest = docs / "topics" / f"{args.to}.md"
        if dest not in texts or dest == owners[args.id]:
            print(f"error: {dest} is not another topic page", file=sys.stderr)
            return 2
        new_texts = move(texts, owners[args.id], args.id, dest)
    elif args.rename:
        if not re.fullmatch(ID_PATTERN, args.rename) or args.rename in owners:
            print(f"error: {args.rename!r} is not a free id (lowercase letters, digits, hyphens)", file=sys.stderr)
            return 2
        new_texts = rename(texts, owners[args.id], args.id, args.rename)
    else:
        if args.into not in owners or args.into == args.id:
            print(f"error: no other question #{args.into} on any topic page", file=sys.stderr)
            return 2
        new_texts = merge(texts, owners[args.id], args.id, owners[args.into], args.into)
    for path, text in new_texts.items():
        if text != texts[path]:
            write_atomically(path, text)
            print(f"updated {path.relative_to(docs.parent)}")
    return 0
