"""Run the Python snippets of topic pages: one interpreter per page, a fresh namespace per snippet.

    python -m dlqa.run_snippets --results DIR [--timeout 60] docs/topics/cnns.md docs/topics/nlp.md ...

Meant to be started by the tests (tests/test_snippets.py, through run_pages), which set
CUDA_VISIBLE_DEVICES="" and the Hugging Face offline variables. The process first imports the
heavy frameworks the given pages' snippets import (torch, tensorflow, keras, ...: seconds each),
then forks one child interpreter per page, so every page starts from the same clean state
without paying for the imports again. In a page's interpreter:

- each snippet gets a new module namespace (nothing leaks from the snippet before it; imported
  modules stay loaded), runs in a fresh temporary folder, and finds os.environ as it was;
- any network connection (other than a local Unix socket) raises, and an attempt fails the
  snippet even when the library catches the error;
- a snippet is stopped after --timeout seconds of CPU time, or ten times that in wall time;
- marked snippets (title "Not run in the tests: ...") are compiled, not run.

Results go to DIR/N.jsonl for the N-th page (0-based), one JSON line per snippet as soon as it
is known, so the caller can tell which snippet was running if the interpreter dies:
{"line": 12, "ok": false, "error": "docs/topics/x.md:15: NameError: name 'model' is not defined", "traceback": "..."}
"""

from __future__ import annotations

import argparse
import ast
import importlib
import json
import linecache
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from dlqa.snippets import Snippet, page_snippets

# Imported once before the pages fork, when a page's snippets import them (the rest load lazily).
PRELOAD = ("torch", "tensorflow", "keras", "sklearn", "transformers", "peft")

# What every page's interpreter gets: the CPU only, no downloads, quiet TensorFlow, no windows.
OFFLINE_CPU = {
    "CUDA_VISIBLE_DEVICES": "",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "KERAS_BACKEND": "tensorflow",  # Keras 3's default, made explicit
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "MPLBACKEND": "Agg",
    # One thread per runner: two runners and the suite's other worker already share two cores,
    # and thread pools on top only oversubscribe them (the snippets are tiny).
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "TF_NUM_INTRAOP_THREADS": "1",
    "TF_NUM_INTEROP_THREADS": "1",
}


class NetworkBlocked(ConnectionError):
    """A snippet tried to reach the network."""


class SnippetTimeout(Exception):
    """A snippet ran longer than the allowed time."""


ATTEMPTS: list[str] = []


def block_network() -> None:
    """Make every outgoing connection (TCP, UDP, DNS lookup) raise NetworkBlocked, and record it."""

    def refuse(what):
        ATTEMPTS.append(what)
        raise NetworkBlocked(f"the snippet tried to reach the network ({what}); snippets run offline")

    def local(sock) -> bool:
        return sock.family == getattr(socket, "AF_UNIX", None)

    def connect(self, address, *args):
        return original_connect(self, address, *args) if local(self) else refuse(f"connect to {address!r}")

    def connect_ex(self, address, *args):
        return original_connect_ex(self, address, *args) if local(self) else refuse(f"connect to {address!r}")

    def sendto(self, data, *args):
        return original_sendto(self, data, *args) if local(self) else refuse(f"send to {args[-1]!r}")

    original_connect, original_connect_ex, original_sendto = socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto
    socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto = connect, connect_ex, sendto
    socket.getaddrinfo = lambda host, *args, **kwargs: refuse(f"look up {host!r}")
    socket.gethostbyname = lambda host: refuse(f"look up {host!r}")


def imported_modules(code: str) -> set[str]:
    """Top-level names of the modules a snippet imports ({"torch", "keras"}); empty if it does not parse."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def run_snippet(snippet: Snippet, timeout: int) -> dict:
    """The result of one snippet: ok, or the error at its page line with the traceback."""
    source = snippet.padded()
    linecache.cache[snippet.path] = (len(source), None, source.splitlines(True), snippet.path)
    try:
        code = compile(source, snippet.path, "exec")
    except SyntaxError as error:
        return failure(snippet, f"{snippet.path}:{error.lineno}: SyntaxError: {error.msg}", "")
    if snippet.not_run:
        return {"line": snippet.line, "ok": True, "ran": False}
    environ, cwd = dict(os.environ), os.getcwd()
    ATTEMPTS.clear()
    with tempfile.TemporaryDirectory(prefix="snippet-") as folder:
        os.chdir(folder)
        limits(timeout)
        try:
            exec(code, {"__name__": "__main__", "__builtins__": __builtins__})
        except BaseException as error:  # noqa: BLE001 - SystemExit and KeyboardInterrupt are failures too
            limits(0)
            trace = traceback.format_exception(type(error), error, error.__traceback__.tb_next)  # from the snippet on
            return failure(snippet, headline(snippet, error), "".join(trace))
        finally:
            limits(0)
            os.chdir(cwd)
            os.environ.clear()
            os.environ.update(environ)
    if ATTEMPTS:
        return failure(snippet, f"{snippet.where}: NetworkBlocked: the snippet tried to reach the network "
                       f"({ATTEMPTS[0]}) and a library caught the error; snippets run offline", "")
    return {"line": snippet.line, "ok": True, "ran": True}


WALL_FACTOR = 10  # a snippet may take this many times its CPU limit in wall time (a busy machine, a sleep)


def limits(cpu_seconds: int) -> None:
    """Stop the running snippet after `cpu_seconds` of CPU time (all threads; a busy machine does not
    count) or WALL_FACTOR times that in wall time (a snippet that hangs or sleeps); 0 clears both."""
    signal.setitimer(signal.ITIMER_PROF, cpu_seconds)
    signal.setitimer(signal.ITIMER_REAL, cpu_seconds * WALL_FACTOR)


def headline(snippet: Snippet, error: BaseException) -> str:
    """`PATH:LINE: Type: message`, LINE being the page line of the snippet's innermost frame."""
    line = snippet.line
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename == snippet.path:
            line = frame.lineno
    message = str(error).strip().splitlines()
    return f"{snippet.path}:{line}: {type(error).__name__}: {message[0] if message else ''}".rstrip(": ")


def failure(snippet: Snippet, error: str, trace: str) -> dict:
    return {"line": snippet.line, "ok": False, "error": error, "traceback": trace}


def run_page_here(snippets: list[Snippet], results: Path, timeout: int) -> None:
    """Run one page's snippets in this interpreter, writing each result as soon as it is known."""
    with open(results, "w", encoding="utf-8") as out:
        for snippet in snippets:
            out.write(json.dumps(run_snippet(snippet, timeout)) + "\n")
            out.flush()


def run_in_child(snippets: list[Snippet], results: Path, timeout: int) -> None:
    """Run a page in a forked copy of this interpreter; kill it if it outlives its time."""
    pid = os.fork()
    if pid == 0:  # the page's own interpreter; its output goes to N.log beside N.jsonl
        status = 0
        try:
            log = os.open(results.with_suffix(".log"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(log, 1)
            os.dup2(log, 2)
            run_page_here(snippets, results, timeout)
        except BaseException:  # noqa: BLE001 - never return into the parent's loop
            traceback.print_exc()
            status = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)
    deadline = time.monotonic() + WALL_FACTOR * timeout * max(len(snippets), 1) + 30
    while os.waitpid(pid, os.WNOHANG) == (0, 0):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return
        time.sleep(0.05)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages", nargs="+", help="Markdown pages, e.g. docs/topics/cnns.md (as named in errors)")
    parser.add_argument("--results", required=True, type=Path, help="folder for one N.jsonl file per page")
    parser.add_argument("--timeout", type=int, default=60, help="CPU seconds allowed per snippet")
    args = parser.parse_args(argv)
    pages = [page_snippets(Path(page).read_text(encoding="utf-8"), page) for page in args.pages]

    def stop(signum, frame):
        if signum == signal.SIGPROF:
            raise SnippetTimeout(f"the snippet ran longer than {args.timeout} s of CPU time")
        raise SnippetTimeout(f"the snippet ran longer than {args.timeout * WALL_FACTOR} s of wall time")

    signal.signal(signal.SIGPROF, stop)
    signal.signal(signal.SIGALRM, stop)
    block_network()
    wanted = set().union(*(imported_modules(s.code) for snippets in pages for s in snippets if not s.not_run))
    for name in PRELOAD:
        if name in wanted:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - the snippet that imports it will report the error
                pass
    for index, snippets in enumerate(pages):
        run_in_child(snippets, args.results / f"{index}.jsonl", args.timeout)
    return 0


def run_pages(pages: list[str], root: Path, scratch: Path, timeout: int = 60) -> dict[str, list[str]]:
    """Run the pages' snippets (one interpreter per page); for each page, one message per failing
    snippet ([] if all pass).

    Pages are relative to `root` (that names them in the messages); `scratch` is an empty folder
    for the results and the frameworks' home folders.
    """
    snippets = {page: page_snippets((root / page).read_text(encoding="utf-8"), page) for page in pages}
    results = scratch / "results"
    results.mkdir()
    env = {**os.environ, **OFFLINE_CPU, "HOME": str(scratch), "KERAS_HOME": str(scratch / "keras"),
           "HF_HOME": str(scratch / "hf")}
    command = [sys.executable, "-m", "dlqa.run_snippets", "--results", str(results), "--timeout", str(timeout), *pages]
    budget = sum(WALL_FACTOR * timeout * max(len(s), 1) + 30 for s in snippets.values()) + 120
    try:
        done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=budget)
        output = done.stderr
    except subprocess.TimeoutExpired as expired:
        output = (expired.stderr or b"").decode(errors="replace")
    return {page: page_messages(snippets[page], results / f"{index}.jsonl", output) for index, page in enumerate(pages)}


def page_messages(snippets: list[Snippet], results: Path, runner_output: str) -> list[str]:
    """One message per failing snippet of a page, from its results file (and its log if it died)."""
    log = results.with_suffix(".log")
    output = (log.read_text(encoding="utf-8", errors="replace") if log.exists() else runner_output)[-3000:]
    found = {}
    if results.exists():
        for line in results.read_text(encoding="utf-8").splitlines():
            result = json.loads(line)
            found[result["line"]] = result
    messages = []
    for snippet in snippets:
        result = found.get(snippet.line)
        if result is None:
            messages.append(f"{snippet.where}: the page's interpreter died or was stopped (time limit) during this "
                            f"snippet; the runner's last output:\n{output}")
            break
        if not result["ok"]:
            messages.append(f"{result['error']}\n{result['traceback']}".rstrip())
    return messages


if __name__ == "__main__":
    sys.exit(main())
