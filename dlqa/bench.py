"""Benchmark the build and the search (`qa bench`, `make bench`).

Build: `mkdocs build --strict` cold (an empty notebook cache, so every embedded notebook is
executed), then warm (every notebook from the cache); time and peak memory of each.

Page weight (dlqa/page_weight.py): the warm build's home page and three topic pages on an
emulated phone on slow 4G, first visit: bytes and time to the load event; medians against the
targets (300 KB, 2.5 s), and `qa bench` exits 1 if a median is over.

Search (dlqa/search/bench.py): the site at each scale (1 = as it is, N = a synthetic copy with
N times the questions) is built with each search engine (pagefind, the site's; lunr,
Material's own), served on 127.0.0.1, and the public query set is typed into the real search
box in headless Chromium: time to first result warm and cold, bytes downloaded before it,
recall@5, build time and peak memory.

    qa bench                                   # build figures, then search at 1x, 3x and 10x, both engines
    qa bench --scales 1,10 --queries 0         # every query of the set, at 1x and 10x
    qa bench --only search --scales 1 --engines pagefind
    qa bench --only build                      # build figures only (no page weight)
    qa bench --only weight [--site site]       # page weight of an already built site
    qa bench --only matching                   # the stub generator: recall, precision, 20,000 questions

Everything is written to temporary folders: neither site/ nor .cache/notebooks/ is touched
(the search builds reuse .cache/notebooks/ read-only in effect: they only add to it).
Not a test: it prints figures; only the page-weight budget sets the exit status.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from dlqa import page_weight
from dlqa.notebooks.runner import CACHE_DIR_ENV, EXECUTE_ENV
from dlqa.project import project_root


@dataclass
class Build:
    seconds: float
    executed: int  # notebooks executed
    embedded: int  # notebooks embedded
    peak_mb: float  # peak resident memory of the largest process of the build (mkdocs or node)


def build(config_file: Path, site_dir: Path, cache_dir: Path, env: dict[str, str] | None = None) -> Build:
    env = {**os.environ, CACHE_DIR_ENV: str(cache_dir), "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    env.pop(EXECUTE_ENV, None)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict",
               "--config-file", str(config_file), "--site-dir", str(site_dir)]
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(command, cwd=config_file.parent, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
        # ru_maxrss of wait4 is the largest of the process and its waited-for descendants.
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        log.seek(0)
        output = log.read()
    if process.returncode != 0:
        sys.exit(f"build failed ({' '.join(command)}):\n{output}")
    executed = re.search(r"notebooks: executed (\d+) notebook", output)
    embedded = re.search(r"notebooks: \d+ of (\d+) notebook", output)
    return Build(seconds, int(executed[1]) if executed else 0, int(embedded[1]) if embedded else 0,
                 usage.ru_maxrss / 1024)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config-file", type=Path, help="mkdocs.yml to build (default: the project's)")
    parser.add_argument("--only", choices=("build", "weight", "search", "matching"),
                        help="run only the build, the page-weight, the search or the matching (stub generator) benchmark")
    parser.add_argument("--site", type=Path,
                        help="with --only weight: the built site to measure (default: site/)")
    parser.add_argument("--scales", default="1,3,10", help="search: comma-separated multiples of today's questions (default 1,3,10)")
    parser.add_argument("--engines", default="pagefind,lunr", help="search: comma-separated, pagefind and/or lunr (default both)")
    parser.add_argument("--cold", type=int, default=10, help="search: queries typed right after a fresh page load (default 10)")
    parser.add_argument("--queries", type=int, default=30,
                        help="search: type this many queries of the set, evenly spread (default 30; 0: all)")


def run_build(config_file: Path, weigh: bool) -> bool:
    """Cold and warm build figures; then the warm build's page weight if `weigh` (False: over budget)."""
    within = True
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        tmp = Path(tmp)
        for label in ("cold", "warm"):
            result = build(config_file, tmp / label, tmp / "cache")
            print(f"{label} build: {result.seconds:6.1f} s  ({result.executed} of {result.embedded} notebooks executed,"
                  f" peak memory {result.peak_mb:.0f} MB)", flush=True)
        print(f"cpu cores: {os.cpu_count()}", flush=True)
        if weigh:
            within = page_weight.report(page_weight.measure(tmp / "warm"))
    return within


def synthetic_questions(pages: dict, count: int, seed: int = 0) -> list[str]:
    """`count` made-up questions in the site's own words (so they share terms with it and each other)."""
    import random

    from dlqa.matching import FRAMING_WORDS, words

    vocabulary = sorted({w for page in pages.values() for q in page.questions for w in words(q.title)
                         if w not in FRAMING_WORDS and w.isalpha() and len(w) > 2})
    rng = random.Random(seed)
    forms = ["What is the {} {} in {}?", "How does {} affect {} {}?", "Why do {} and {} need {}?", "Explain {} {} for {}."]
    return [rng.choice(forms).format(*rng.sample(vocabulary, 3)) for _ in range(count)]


def run_matching(root: Path, count: int = 20_000) -> None:
    """Recall@1 and precision of the matcher on the evaluation sets, then the generator's time on `count` questions."""
    import yaml

    from dlqa import matching_eval, stubs
    from dlqa.lists import ListedQuestion

    pages = stubs.pages_by_slug(root / "docs" / "topics")
    cases = yaml.safe_load((root / "tests" / "matching_eval.yml").read_text(encoding="utf-8"))
    sets = {
        "held-out phrasings (leave one out)": matching_eval.leave_one_out(pages),
        "everyday phrasings": matching_eval.labelled(pages, cases["same"], "id"),
        "close but distinct": matching_eval.labelled(pages, cases["distinct"], "near"),
    }
    for name, results in sets.items():
        figures = matching_eval.figures(results)
        measure = "recall@1" if name != "close but distinct" else "kept apart"
        print(f"{name:36} {figures.cases:4} questions  {measure} {figures.recall:.3f}  recognised {figures.recognised:4}"
              f"  wrong {figures.wrong}", flush=True)
    print(f"precision (recognised as the right question, all sets): {matching_eval.precision(*sets.values()):.3f}", flush=True)
    listed = [ListedQuestion(text, line, "") for line, text in enumerate(synthetic_questions(pages, count), 1)]
    start, cpu = time.perf_counter(), time.process_time()
    plan = stubs.plan_stubs([("bench", "bench.txt", listed)], pages)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    added = sum(len(questions) for questions in plan.added.values())
    print(f"generator on {count:,} questions: {seconds:.1f} s ({cpu:.1f} s of CPU; {added:,} new,"
          f" {len(plan.near):,} near, {plan.duplicates:,} already present)", flush=True)


def run(args: argparse.Namespace) -> int:
    config_file = (args.config_file or project_root() / "mkdocs.yml").resolve()
    if args.only == "matching":
        run_matching(config_file.parent)
        return 0
    within = True
    if args.only == "weight":
        within = page_weight.report(page_weight.measure(args.site or project_root() / "site"))
    if args.only in (None, "build"):
        within = run_build(config_file, weigh=args.only is None)
    if args.only in (None, "search"):
        from dlqa.search.bench import run_search  # needs Playwright and /usr/bin/chromium

        scales = [int(scale) for scale in args.scales.split(",")]
        engines = args.engines.split(",")
        if not set(engines) <= {"pagefind", "lunr"}:
            sys.exit(f"error: --engines takes pagefind and/or lunr, not {args.engines!r}")
        run_search(config_file, scales, engines, args.cold, args.queries)
    return 0 if within else 1
