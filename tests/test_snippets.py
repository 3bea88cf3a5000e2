"""Every Python snippet on a topic page runs, as written, on the CPU with no network.

One test per page (`pytest tests/test_snippets.py -k cnns`): the page's snippets run in one new
interpreter, each in a fresh namespace (dlqa.run_snippets); a failure names
docs/topics/PAGE.md:LINE and the exception. Snippets marked "Not run in the tests: <reason>"
are only compiled, and may be at most 5 % of all snippets.
"""

from pathlib import Path

from concurrent.futures import ThreadPoolExecutor

import pytest

from dlqa.run_snippets import imported_modules, run_pages
from dlqa.snippets import MAX_NOT_RUN, page_snippets

ROOT = Path(__file__).resolve().parent.parent
TOPICS = sorted((ROOT / "docs" / "topics").glob("*.md"))
SNIPPETS = {page.stem: page_snippets(page.read_text(encoding="utf-8"), page.relative_to(ROOT).as_posix()) for page in TOPICS}
RUNNABLE = [name for name, snippets in SNIPPETS.items() if any(not s.not_run for s in snippets)]


GROUPS = 2  # runner processes at once; each imports the frameworks once and forks one interpreter per page


@pytest.fixture(scope="session")
def snippet_failures(request, tmp_path_factory) -> dict[str, list[str]]:
    """Failure messages per page, for the pages this session selected (`-k nlp` runs one page)."""
    names = {item.callspec.params["name"] for item in request.session.items
             if getattr(item, "originalname", "") == "test_page_snippets_run"}
    groups = [[] for _ in range(GROUPS)]
    for name in sorted(names, key=lambda name: -len(SNIPPETS[name])):  # largest pages first, to the emptiest group
        min(groups, key=lambda group: sum(len(SNIPPETS[n]) for n in group)).append(name)
    with ThreadPoolExecutor(GROUPS) as pool:
        runs = [pool.submit(run_pages, [f"docs/topics/{name}.md" for name in group], ROOT, tmp_path_factory.mktemp("snippets"))
                for group in groups if group]
        return {page: messages for run in runs for page, messages in run.result().items()}


@pytest.mark.parametrize("name", RUNNABLE)
def test_page_snippets_run(name, snippet_failures):
    failures = snippet_failures[f"docs/topics/{name}.md"]
    if failures:
        pytest.fail(f"{len(failures)} snippet(s) of docs/topics/{name}.md fail:\n\n" + "\n\n".join(failures), pytrace=False)


def test_few_snippets_are_marked_not_run_and_each_says_why():
    every = [snippet for snippets in SNIPPETS.values() for snippet in snippets]
    marked = [snippet for snippet in every if snippet.not_run]
    assert len(every) > 200, "the topic pages should hold their snippets"
    assert not [s.where for s in marked if not s.reason], "a snippet marked 'Not run in the tests' must give a reason"
    assert len(marked) <= MAX_NOT_RUN * len(every), (
        f"{len(marked)} of {len(every)} snippets are marked not run (at most {MAX_NOT_RUN:.0%}): "
        + ", ".join(s.where for s in marked))


def test_marked_snippets_still_compile():
    for snippets in SNIPPETS.values():
        for snippet in (s for s in snippets if s.not_run):
            compile(snippet.padded(), snippet.path, "exec")


# --- The runner itself, on a page made for the test ---------------------------------------

PAGE = '''\
# Runner test

=== "Tab"

    ```python
    import math
    shared = math.pi
    print(shared)
    ```

!!! note "Admonition"

    ```python
    print(shared)
    ```

```python title="Not run in the tests: needs a cluster"
import torch.distributed as dist
dist.init_process_group("nccl")
```

```python
import socket
try:
    socket.create_connection(("127.0.0.1", 9), timeout=1)
except OSError:
    pass  # a library that swallows the error does not hide the attempt
```

```python
while True: pass
```


```python
import time
time.sleep(60)
```

```text
not python
```

```python
assert 1 + 1 == 3, "arithmetic"
```
'''


CRASH = '```python\nimport os\nos._exit(3)\n```\n\n```python\nprint("never runs")\n```\n'


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    (root / "docs").mkdir()
    (root / "docs" / "crash.md").write_text(CRASH)
    (root / "docs" / "runner.md").write_text(PAGE)
    return run_pages(["docs/crash.md", "docs/runner.md"], root, tmp_path_factory.mktemp("scratch"), timeout=1)


@pytest.fixture(scope="module")
def runner_failures(runs):
    return runs["docs/runner.md"]


def test_a_page_whose_interpreter_dies_is_reported_and_the_next_page_still_runs(runs):
    assert runs["docs/crash.md"] == [runs["docs/crash.md"][0]]
    assert runs["docs/crash.md"][0].startswith("docs/crash.md:1: the page's interpreter died")
    assert len(runs["docs/runner.md"]) == 5


def test_the_runner_preloads_only_what_snippets_import():
    assert imported_modules("import torch.nn as nn\nfrom keras import layers\nfrom . import x\n") == {"torch", "keras"}


def test_fences_in_tabs_and_admonitions_are_found_and_dedented():
    snippets = page_snippets(PAGE, "docs/runner.md")
    assert [s.line for s in snippets] == [5, 13, 17, 22, 30, 35, 44]
    assert snippets[0].code.startswith("import math\n")
    assert snippets[2].not_run and snippets[2].reason == "needs a cluster"


def test_each_snippet_has_a_fresh_namespace(runner_failures):
    assert runner_failures[0].startswith("docs/runner.md:14: NameError: name 'shared' is not defined")


def test_a_network_attempt_fails_the_snippet_even_if_caught(runner_failures):
    assert runner_failures[1].startswith("docs/runner.md:22: NetworkBlocked: the snippet tried to reach the network")


def test_a_slow_snippet_is_stopped_by_its_cpu_time_and_a_hanging_one_by_wall_time(runner_failures):
    busy, sleeping = runner_failures[2], runner_failures[3]
    assert busy.startswith("docs/runner.md:31: SnippetTimeout: the snippet ran longer than 1 s of CPU time") \
        or busy.startswith("docs/runner.md:31: SnippetTimeout: the snippet ran longer than 10 s of wall time")  # a very busy machine
    assert sleeping.startswith("docs/runner.md:37: SnippetTimeout: the snippet ran longer than 10 s of wall time")


def test_a_failure_names_the_page_line_and_the_exception(runner_failures):
    assert runner_failures[4].startswith("docs/runner.md:45: AssertionError: arithmetic")
    assert 'assert 1 + 1 == 3, "arithmetic"' in runner_failures[4]  # the traceback shows the page's code
    assert len(runner_failures) == 5  # the marked snippet (it would fail) was not run
