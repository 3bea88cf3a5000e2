"""Move a question to another topic page, merge it into another question, or rename its id.

    python tools/move_question.py ID --to PAGE        # move the whole block to PAGE (a slug)
    python tools/move_question.py ID --rename NEW_ID  # give the question a new id
    python tools/move_question.py ID --into OTHER_ID  # merge: ID's heading and phrasings become
                                                      # "Also asked as" phrasings of OTHER_ID,
                                                      # its list labels join OTHER_ID's, and its
                                                      # answer is dropped (keep the better one first)

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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.pages import ID_PATTERN, META, PageError, Question, add_phrasings, parse_page  # noqa: E402
from tools.stubs import write_atomically  # noqa: E402

DOCS = Path(__file__).resolve().parent.parent / "docs"
LINK = re.compile(r"\]\((?P<path>[^)#\s]*)#(?P<anchor>[\w-]+)\)")


def cut_block(text: str, path: Path, question_id: str) -> tuple[Question, list[str], str]:
    """(question, its block's lines, the page without the block): heading up to the next question."""
    questions = parse_page(text, str(path)).questions
    index = next(i for i, q in enumerate(questions) if q.id == question_id)
    lines = text.split("\n")
    first = questions[index].line - 1
    end = questions[index + 1].line - 1 if index + 1 < len(questions) else len(lines)
    return questions[index], lines[first:end], "\n".join(lines[:first] + lines[end:]).rstrip("\n") + "\n"


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


def move(texts: dict[Path, str], source: Path, question_id: str, dest: Path) -> dict[Path, str]:
    """All page texts after moving the block of `question_id` from `source` to the end of `dest`."""
    _, block_lines, rest = cut_block(texts[source], source, question_id)
    block = "\n".join(block_lines).strip("\n")
    # Same-page links inside the moved block now point back at the source page.
    block = re.sub(r"\]\(#([\w-]+)\)", lambda m: f"]({_relative(source, dest)}#{m[1]})", block)
    # Links the block makes to its new page become same-page links.
    block = block.replace(f"]({dest.name}#", "](#")
    texts = {**texts, source: rest}
    texts[dest] = texts[dest].rstrip("\n") + "\n\n" + block + "\n"
    return {path: rewrite_links(text, path, source, question_id, dest, question_id) for path, text in texts.items()}


def merge(texts: dict[Path, str], source: Path, question_id: str, target: Path, target_id: str) -> dict[Path, str]:
    """All page texts after merging `question_id` into `target_id` as phrasings."""
    question, _, rest = cut_block(texts[source], source, question_id)
    texts = {**texts, source: rest}
    kept = _find(texts[target], target, target_id)
    new = [p for p in [question.title, *question.phrasings] if p not in kept.phrasings and p != kept.title]
    lists = list(dict.fromkeys([*kept.lists, *question.lists]))
    lines = texts[target].split("\n")
    lines[kept.meta_line] = META.sub(
        lambda m: f"<!-- question difficulty={kept.difficulty} lists={','.join(lists)} -->", lines[kept.meta_line]
    )
    texts[target] = add_phrasings("\n".join(lines), kept, new)
    return {path: rewrite_links(text, path, source, question_id, target, target_id) for path, text in texts.items()}


def rename(texts: dict[Path, str], source: Path, question_id: str, new_id: str) -> dict[Path, str]:
    """All page texts after the question's heading id becomes `new_id`."""
    question = _find(texts[source], source, question_id)
    lines = texts[source].split("\n")
    lines[question.line - 1] = lines[question.line - 1].replace(f"#{question_id} }}", f"#{new_id} }}")
    texts = {**texts, source: "\n".join(lines)}
    return {path: rewrite_links(text, path, source, question_id, source, new_id) for path, text in texts.items()}


def _find(text: str, path: Path, question_id: str) -> Question:
    for question in parse_page(text, str(path)).questions:
        if question.id == question_id:
            return question
    raise KeyError(question_id)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("id")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--to", metavar="PAGE", help="topic page slug to move the question to")
    group.add_argument("--into", metavar="OTHER_ID", help="question to merge this one into")
    group.add_argument("--rename", metavar="NEW_ID", help="new id (lowercase letters, digits, hyphens)")
    parser.add_argument("--docs", type=Path, default=DOCS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    texts = {path: path.read_text(encoding="utf-8") for path in sorted(args.docs.rglob("*.md"))}
    topics = [path for path in texts if path.parent.name == "topics"]
    try:
        owners = {q.id: path for path in topics for q in parse_page(texts[path], str(path)).questions}
    except PageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.id not in owners:
        print(f"error: no question #{args.id} on any topic page", file=sys.stderr)
        return 2
    if args.to:
        dest = args.docs / "topics" / f"{args.to}.md"
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
            print(f"updated {path.relative_to(args.docs.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
