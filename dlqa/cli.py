"""The `qa` command: the project's tools as subcommands.

    qa stubs LIST...     turn question lists into "not answered yet" stubs
    qa check             content checks (ids, answers, references, unsafe HTML, links, spelling)
    qa move ID ...       move, merge or rename a question, rewriting every link to it
    qa coverage          answered and unanswered questions per topic (Markdown table)
    qa bench             time the build; time search (Pagefind vs lunr) at 1x, 3x, 10x the questions
    qa pdf               save the built site's print page as one PDF

Run it from the project (the folder with mkdocs.yml) or any folder below it.
"""

from __future__ import annotations

import argparse
import sys

from dlqa import bench, content_checks, make_pdf, move, stubs
from dlqa.coverage_table import coverage_rows, in_nav_order, render_table
from dlqa.errors import ContentError
from dlqa.project import project_root
from dlqa.topic_pages import load_topic_pages


def coverage(args: argparse.Namespace) -> int:
    root = project_root()
    try:
        pages = load_topic_pages(root / "docs" / "topics")
    except ContentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    pages = in_nav_order(pages, (root / "mkdocs.yml").read_text(encoding="utf-8"))
    print(render_table(coverage_rows(pages)), end="")
    return 0


COMMANDS = {  # name: (module with add_arguments and run, or a run function, one-line help)
    "stubs": (stubs, "turn question lists into 'not answered yet' stubs on the topic pages"),
    "check": (content_checks, "check the site's content before it is merged"),
    "move": (move, "move a question to another page, merge it into another, or rename its id"),
    "coverage": (coverage, "print answered and unanswered questions per topic"),
    "bench": (bench, "time the build, and search as a reader meets it at 1x, 3x and 10x the questions"),
    "pdf": (make_pdf, "save the built site's print page as one PDF (headless Chromium, offline)"),
}


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="qa", description=__doc__.split("\n\n")[0],
                                  formatter_class=argparse.RawDescriptionHelpFormatter,
                                  epilog=__doc__.split("\n\n", 1)[1])
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (target, summary) in COMMANDS.items():
        doc = getattr(target, "__doc__", None) or summary
        sub = commands.add_parser(name, help=summary, description=doc,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
        if hasattr(target, "add_arguments"):
            target.add_arguments(sub)
        sub.set_defaults(run=getattr(target, "run", target))
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
