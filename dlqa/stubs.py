"""Turn question lists into "not answered yet" stubs on the topic pages (`qa stubs`).

    qa stubs [--dry-run] [--explain] [--merge | --force] [--topic SLUG] LIST...

Each question of each list is matched against every question and phrasing already
on the pages: an exact match (after normalising) adds nothing; a near match is
reported and skipped (`--merge` adds it as an "Also asked as" phrasing of the
match and its list label to the match's metadata, `--force` adds it as a question
of its own); anything else becomes a stub at the end of the topic page its words
(or its section) point to, or the page named by `[topic: slug]` at the end of its
line, or by `--topic`.

Existing text is never removed (a merge only adds a list label to the metadata),
a second run with the same lists changes nothing, and bad input stops the run
before any page is written. List text is escaped (page.escape_text) so it shows as
written and cannot add markup; a page edited on disk during the run is not
overwritten (files.write_pages), and new lines take the page's line endings.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field, replace
from typing import Callable
from pathlib import Path

from dlqa.errors import ContentError
from dlqa.files import decode_utf8, write_pages
from dlqa.ids import make_id
from dlqa.lists import ListedQuestion, ParsedList, parse_list
from dlqa.matching import NEAR_MATCH, NEIGHBOUR, Known, Match, QuestionIndex, Vocabulary, first_sentence, prose
from dlqa.page import LIST_LABEL, NewQuestion, Page, anchors, append_questions, escape_text, merge_into, parse_page, plain_text
from dlqa.placement import NEIGHBOURS, choose_topic, guess_difficulty
from dlqa.project import project_root
from dlqa.topic_pages import load_topic_pages

DEFAULT_TOPIC = "fundamentals"
PROGRESS_EVERY = 2000  # questions between two progress lines on long runs


def list_name(path: Path) -> str:
    """Short label recorded in the pages: `000` for `000_4bce….txt`, else the file stem, with each
    run of characters a label may not hold (page.LIST_LABEL) replaced by `-`."""
    head = path.stem.split("_", 1)[0]
    return head if head.isdigit() else "-".join(LIST_LABEL.findall(path.stem)) or "list"


def read_list(path: Path) -> ParsedList:
    if path.is_dir():
        raise ContentError(str(path), 0, "is a directory; name the list files inside it")
    if not path.is_file():
        raise ContentError(str(path), 0, "no such file")
    data = path.read_bytes()
    if not data.strip():
        raise ContentError(str(path), 0, "file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data.count(b"\0") * 3 >= len(data):
        raise ContentError(str(path), 0, "looks like UTF-16 text (Word and Notepad save it so); save the list as UTF-8")
    if b"\0" in data:
        raise ContentError(str(path), 0, "looks like a binary file, not a text list of questions")
    text = decode_utf8(data, str(path))
    parsed = parse_list(text, str(path))
    if not parsed.questions:
        raise ContentError(str(path), 0, "no question found (expected bullets, numbered items or headings)")
    return parsed


def pages_by_slug(topics_dir: Path) -> dict[str, Page]:
    return {page.slug: page for page in load_topic_pages(topics_dir)}


def known_rows(pages: dict[str, Page]) -> list[Known]:
    """Each question's texts the matcher compares with: its heading, its phrasings, the opening
    sentence of its answer, and the whole answer (for placing new questions only)."""
    rows = []
    for slug, page in pages.items():
        for question in page.questions:
            rows.append(Known(plain_text(question.title), question.id, slug, "heading"))
            rows.extend(Known(plain_text(p), question.id, slug, "phrasing") for p in question.phrasings)
            opening = answer_opening(question.answer)
            if opening:
                rows.append(Known(opening, question.id, slug, "answer"))
            body = " ".join(prose(question.answer).split())
            if body:
                rows.append(Known(body, question.id, slug, "body"))
    return rows


def answer_opening(answer: str) -> str:
    """The answer's first sentence, the plain one the style guide asks for ("" for none)."""
    paragraph = answer.strip().split("\n\n", 1)[0].strip()
    if not paragraph or paragraph.startswith(("<!--", "!!!", "???", "|", "```", "$$", "#")):
        return ""
    return first_sentence(" ".join(prose(paragraph).split()))


@dataclass
class Plan:
    """What a run would do; computed without touching any file."""

    added: dict[str, list[NewQuestion]] = field(default_factory=dict)
    merged: list[tuple[str, str, str, str]] = field(default_factory=list)  # (page, id, phrasing, list label)
    near: list[str] = field(default_factory=list)  # report lines
    duplicates: int = 0
    decisions: list[str] = field(default_factory=list)  # one explanation per listed question (--explain)


def describe(match: Match) -> str:
    """`#id on page.md (score 0.72: shares lora, adapt; lacks dora)`: a match and the terms that decided it."""
    shares = ", ".join(match.shared[:4]) or "nothing"
    lacks = f"; lacks {', '.join(match.missing[:3])}" if match.missing else ""
    return f"#{match.known.question_id} on {match.known.page}.md (score {match.score:.2f}: shares {shares}{lacks})"


def plan_stubs(
    lists: list[tuple[str, str, list[ListedQuestion]]],
    pages: dict[str, Page],
    mode: str = "report",
    topic: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Plan:
    """Decide where each listed question goes. `lists` holds (label, path, questions);
    `progress(done, total)` is called every PROGRESS_EVERY questions."""
    plan = Plan()
    incoming = [listed.text for _, _, questions in lists for listed in questions]
    vocabulary = Vocabulary.from_texts([page.text for page in pages.values()] + incoming)
    known = QuestionIndex(known_rows(pages), incoming, vocabulary)
    taken = {k.question_id for k in known.known}.union(*(anchors(page.text) for page in pages.values()))
    topics = {slug: [page.title, slug.replace("-", " "), *page.keywords] for slug, page in pages.items()}
    default = DEFAULT_TOPIC if DEFAULT_TOPIC in pages else next(iter(pages))
    new_by_id: dict[str, tuple[str, NewQuestion]] = {}
    total, done = sum(len(questions) for _, _, questions in lists), 0
    for label, path, questions in lists:
        for listed in questions:
            done += 1
            if progress and done % PROGRESS_EVERY == 0:
                progress(done, total)
            if listed.topic and listed.topic not in pages:
                raise ContentError(path, listed.line, f"unknown topic {listed.topic!r} (pages: {', '.join(pages)})")
            where_listed = f"{path}:{listed.line}: {listed.text!r}"
            exact = known.find_exact(listed.text)
            if exact:
                plan.duplicates += 1
                plan.decisions.append(f"{where_listed}: already present as #{exact.question_id} on {exact.page}.md (same words)")
                if exact.question_id in new_by_id:
                    _add_list(new_by_id, exact.question_id, label)
                continue
            ranked = known.ranked(listed.text, NEIGHBOUR, limit=NEIGHBOURS)
            best = f"best match {describe(ranked[0])}" if ranked else f"no existing question scores {NEIGHBOUR} or more"
            near = ranked[0] if ranked and ranked[0].score >= NEAR_MATCH and mode != "force" else None
            if near:
                match = near.known
                if mode == "merge":
                    plan.merged.append((match.page, match.question_id, listed.text, label))
                    known.add(Known(listed.text, match.question_id, match.page))
                    plan.decisions.append(f"{where_listed}: near match (>= {NEAR_MATCH}), merged: {best}")
                    if match.question_id in new_by_id:
                        slug, q = new_by_id[match.question_id]
                        new_by_id[match.question_id] = (slug, replace(q, phrasings=(*q.phrasings, listed.text)))
                        _add_list(new_by_id, match.question_id, label)
                else:
                    plan.decisions.append(f"{where_listed}: near match (>= {NEAR_MATCH}), not added: {best}")
                    plan.near.append(
                        f"{where_listed} looks like #{match.question_id} on {match.page}.md "
                        f"({match.phrasing!r}, score {near.score:.2f}); not added (use --merge or --force)"
                    )
                continue
            if listed.topic or topic:
                slug, why = listed.topic or topic, "named by " + ("its [topic: ...] tag" if listed.topic else "--topic")
            else:
                slug, why = choose_topic(listed.text, listed.section, topics, default, ranked)
            question_id = make_id(listed.text, taken)
            taken.add(question_id)
            new_by_id[question_id] = (
                slug,
                NewQuestion(question_id, listed.text, guess_difficulty(listed.text), (label,)),
            )
            known.add(Known(listed.text, question_id, slug, "heading"))
            plan.decisions.append(f"{where_listed}: new (below {NEAR_MATCH}; {best}): #{question_id} to {slug}.md, {why}")
    for slug, question in new_by_id.values():
        plan.added.setdefault(slug, []).append(question)
    plan.merged = [m for m in plan.merged if m[1] not in new_by_id]
    return plan


def _add_list(new_by_id: dict, question_id: str, label: str) -> None:
    slug, question = new_by_id[question_id]
    if label not in question.lists:
        new_by_id[question_id] = (slug, replace(question, lists=(*question.lists, label)))


def apply_plan(plan: Plan, pages: dict[str, Page]) -> dict[str, str]:
    """slug -> new page text, for the pages the plan changes."""
    texts = {}
    for slug, question_id, phrasing, label in plan.merged:
        page = parse_page(texts[slug], pages[slug].path) if slug in texts else pages[slug]
        texts[slug] = merge_into(page, question_id, [escape_text(phrasing)], [label])
    for slug, questions in plan.added.items():
        texts[slug] = append_questions(texts.get(slug, pages[slug].text), questions)
    return texts


def print_progress(done: int, total: int) -> None:
    print(f"matched {done:,} of {total:,} questions", file=sys.stderr, flush=True)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("lists", nargs="+", type=Path, metavar="LIST", help="question list files")
    parser.add_argument("--dry-run", action="store_true", help="print what would be added where; write nothing")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--merge", action="store_true", help="add near matches as 'Also asked as' phrasings")
    group.add_argument("--force", action="store_true", help="add near matches as questions of their own")
    parser.add_argument("--topic", help="put every new question on this topic page (slug)")
    parser.add_argument("--explain", action="store_true",
                        help="print, for each question, its best existing match (score, deciding terms) and where a new one goes and why")
    parser.add_argument("--topics-dir", type=Path, help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    topics_dir = args.topics_dir or project_root() / "docs" / "topics"
    try:
        pages = pages_by_slug(topics_dir)
        if args.topic and args.topic not in pages:
            raise ContentError(f"--topic {args.topic}", 0, f"no page {topics_dir / (args.topic + '.md')}")
        parsed = {path: read_list(path) for path in args.lists}
        lists = [(list_name(path), str(path), parsed[path].questions) for path in args.lists]
        mode = "merge" if args.merge else "force" if args.force else "report"
        plan = plan_stubs(lists, pages, mode, args.topic, progress=print_progress)
        if not args.dry_run:
            write_pages({Path(pages[slug].path): (pages[slug].source, text) for slug, text in apply_plan(plan, pages).items()})
    except ContentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for path, result in parsed.items():
        print(f"{path}: {len(result.questions)} questions")
        for skipped in result.skipped:
            print(f"skipped: {path}:{skipped.line}: {skipped.reason}: {skipped.text!r}")
    if args.explain:
        for line in plan.decisions:
            print(f"explain: {line}")
    for line in plan.near:
        print(f"near match: {line}")
    verb = "would add" if args.dry_run else "added"
    for slug, questions in plan.added.items():
        for question in questions:
            print(f"{verb}: #{question.id} to {slug}.md: {question.title}")
    for slug, question_id, phrasing, _ in plan.merged:
        print(f"{verb} phrasing to #{question_id} on {slug}.md: {phrasing}")
    total = sum(len(q) for q in plan.added.values())
    print(f"{total} new, {len(plan.merged)} merged phrasings, {plan.duplicates} already present, {len(plan.near)} near matches")
    return 0
