"""Turn question lists into "not answered yet" stubs on the topic pages.

    python tools/stubs.py [--dry-run] [--merge | --force] [--topic SLUG] LIST...

Each question of each list is matched against every question and phrasing already
on the pages: an exact match (after normalising) adds nothing; a near match is
reported and skipped (`--merge` adds it as an "Also asked as" phrasing of the
match, `--force` adds it as a question of its own); anything else becomes a stub
at the end of the topic page its words (or its section) point to, or the page
named by `[topic: slug]` at the end of its line, or by `--topic`.

Existing text is never changed or removed, a second run with the same lists
changes nothing, and bad input stops the run before any page is written.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import dataclass, field, replace
from typing import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.lists import ListedQuestion, ListError, ParsedList, parse_list  # noqa: E402
from tools.matching import Known, QuestionIndex, choose_topic, guess_difficulty, make_id  # noqa: E402
from tools.pages import NewQuestion, Page, PageError, add_phrasings, append_questions, parse_page  # noqa: E402

TOPICS_DIR = Path(__file__).resolve().parent.parent / "docs" / "topics"
DEFAULT_TOPIC = "fundamentals"
PROGRESS_EVERY = 2000  # questions between two progress lines on long runs


class InputError(Exception):
    """Bad input: the message names the file (and line)."""


def list_name(path: Path) -> str:
    """Short label recorded in the pages: `000` for `000_4bce….txt`, else the file stem."""
    head = path.stem.split("_", 1)[0]
    return head if head.isdigit() else path.stem


def read_list(path: Path) -> ParsedList:
    if path.is_dir():
        raise InputError(f"{path}: is a directory; name the list files inside it")
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    data = path.read_bytes()
    if not data.strip():
        raise InputError(f"{path}: file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (b"\0" in data and data.count(b"\0") * 3 >= len(data)):
        raise InputError(f"{path}: looks like UTF-16 text (Word and Notepad save it so); save the list as UTF-8")
    if b"\0" in data:
        raise InputError(f"{path}: looks like a binary file, not a text list of questions")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not valid UTF-8 (byte {error.start}); save the list as UTF-8") from None
    try:
        parsed = parse_list(text, str(path))
    except ListError as error:
        raise InputError(str(error)) from None
    if not parsed.questions:
        raise InputError(f"{path}: no question found (expected bullets, numbered items or headings)")
    return parsed


def read_pages(topics_dir: Path) -> dict[str, tuple[str, Page]]:
    """slug -> (text, parsed page) for every topic page; duplicate ids across pages are an error."""
    pages, owners = {}, {}
    for path in sorted(topics_dir.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        try:
            page = parse_page(text, str(path))
        except PageError as error:
            raise InputError(str(error)) from None
        for question in page.questions:
            if question.id in owners:
                raise InputError(f"{path}:{question.line}: duplicate id #{question.id} (also in {owners[question.id]})")
            owners[question.id] = f"{path}:{question.line}"
        pages[page.slug] = (text, page)
    if not pages:
        raise InputError(f"{topics_dir}: no topic pages (*.md) found")
    return pages


@dataclass
class Plan:
    """What a run would do; computed without touching any file."""

    added: dict[str, list[NewQuestion]] = field(default_factory=dict)
    merged: list[tuple[str, str, str]] = field(default_factory=list)  # (page, id, phrasing)
    near: list[str] = field(default_factory=list)  # report lines
    duplicates: int = 0


def plan_stubs(
    lists: list[tuple[str, str, list[ListedQuestion]]],
    pages: dict[str, tuple[str, Page]],
    mode: str = "report",
    topic: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Plan:
    """Decide where each listed question goes. `lists` holds (label, path, questions);
    `progress(done, total)` is called every PROGRESS_EVERY questions."""
    plan = Plan()
    known = QuestionIndex([
        Known(phrasing, question.id, slug)
        for slug, (_, page) in pages.items()
        for question in page.questions
        for phrasing in [question.title, *question.phrasings]
    ])
    taken = {k.question_id for k in known.known}
    topics = {slug: [page.title, slug.replace("-", " "), *page.keywords] for slug, (_, page) in pages.items()}
    default = DEFAULT_TOPIC if DEFAULT_TOPIC in pages else next(iter(pages))
    new_by_id: dict[str, tuple[str, NewQuestion]] = {}
    total, done = sum(len(questions) for _, _, questions in lists), 0
    for label, path, questions in lists:
        for listed in questions:
            done += 1
            if progress and done % PROGRESS_EVERY == 0:
                progress(done, total)
            if listed.topic and listed.topic not in pages:
                raise InputError(f"{path}:{listed.line}: unknown topic {listed.topic!r} (pages: {', '.join(pages)})")
            exact = known.find_exact(listed.text)
            if exact:
                plan.duplicates += 1
                if exact.question_id in new_by_id:
                    _add_list(new_by_id, exact.question_id, label)
                continue
            near = known.find_near(listed.text) if mode != "force" else None
            if near:
                match, score = near
                where = f"#{match.question_id} on {match.page}.md"
                if mode == "merge":
                    plan.merged.append((match.page, match.question_id, listed.text))
                    known.add(Known(listed.text, match.question_id, match.page))
                    if match.question_id in new_by_id:
                        slug, q = new_by_id[match.question_id]
                        new_by_id[match.question_id] = (slug, replace(q, phrasings=(*q.phrasings, listed.text)))
                        _add_list(new_by_id, match.question_id, label)
                else:
                    plan.near.append(
                        f"{path}:{listed.line}: {listed.text!r} looks like {where} "
                        f"({match.phrasing!r}, score {score:.0f}); not added (use --merge or --force)"
                    )
                continue
            slug = listed.topic or topic or choose_topic(listed.text, listed.section, topics, default)
            question_id = make_id(listed.text, taken)
            taken.add(question_id)
            new_by_id[question_id] = (
                slug,
                NewQuestion(question_id, listed.text, guess_difficulty(listed.text), (label,)),
            )
            known.add(Known(listed.text, question_id, slug))
    for slug, question in new_by_id.values():
        plan.added.setdefault(slug, []).append(question)
    plan.merged = [m for m in plan.merged if m[1] not in new_by_id]
    return plan


def _add_list(new_by_id: dict, question_id: str, label: str) -> None:
    slug, question = new_by_id[question_id]
    if label not in question.lists:
        new_by_id[question_id] = (slug, replace(question, lists=(*question.lists, label)))


def apply_plan(plan: Plan, pages: dict[str, tuple[str, Page]]) -> dict[str, str]:
    """slug -> new page text, for the pages the plan changes."""
    texts = {}
    for slug, page_id, phrasing in plan.merged:
        text = texts.get(slug, pages[slug][0])
        question = next(q for q in parse_page(text, slug).questions if q.id == page_id)
        texts[slug] = add_phrasings(text, question, [phrasing])
    for slug, questions in plan.added.items():
        texts[slug] = append_questions(texts.get(slug, pages[slug][0]), questions)
    return texts


def write_atomically(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def print_progress(done: int, total: int) -> None:
    print(f"matched {done:,} of {total:,} questions", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lists", nargs="+", type=Path, metavar="LIST", help="question list files")
    parser.add_argument("--dry-run", action="store_true", help="print what would be added where; write nothing")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--merge", action="store_true", help="add near matches as 'Also asked as' phrasings")
    group.add_argument("--force", action="store_true", help="add near matches as questions of their own")
    parser.add_argument("--topic", help="put every new question on this topic page (slug)")
    parser.add_argument("--topics-dir", type=Path, default=TOPICS_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        pages = read_pages(args.topics_dir)
        if args.topic and args.topic not in pages:
            raise InputError(f"--topic {args.topic}: no page {args.topics_dir / (args.topic + '.md')}")
        parsed = {path: read_list(path) for path in args.lists}
        lists = [(list_name(path), str(path), parsed[path].questions) for path in args.lists]
        mode = "merge" if args.merge else "force" if args.force else "report"
        plan = plan_stubs(lists, pages, mode, args.topic, progress=print_progress)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for path, result in parsed.items():
        print(f"{path}: {len(result.questions)} questions")
        for skipped in result.skipped:
            print(f"skipped: {path}:{skipped.line}: {skipped.reason}: {skipped.text!r}")
    for line in plan.near:
        print(f"near match: {line}")
    verb = "would add" if args.dry_run else "added"
    for slug, questions in plan.added.items():
        for question in questions:
            print(f"{verb}: #{question.id} to {slug}.md: {question.title}")
    for slug, question_id, phrasing in plan.merged:
        print(f"{verb} phrasing to #{question_id} on {slug}.md: {phrasing}")
    total = sum(len(q) for q in plan.added.values())
    print(f"{total} new, {len(plan.merged)} merged phrasings, {plan.duplicates} already present, {len(plan.near)} near matches")
    if not args.dry_run:
        for slug, text in apply_plan(plan, pages).items():
            write_atomically(args.topics_dir / f"{slug}.md", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
