"""Run the Python snippets of one page in this interpreter, each in a fresh namespace.

    python -m dlqa.run_snippets docs/topics/cnns.md --results out.jsonl [--timeout 60]

Meant to be started by the tests (tests/test_snippets.py) as one process per page, with
CUDA_VISIBLE_DEVICES="" and the Hugging Face offline variables set. Here:

- each snippet gets a new module namespace (nothing leaks from the snippet before it; imported
  modules stay loaded, which is what makes a page cheap), runs in a fresh temporary folder, and
  finds os.environ as it was before the snippet;
- any network connection (other than a local Unix socket) raises, and an attempt fails the
  snippet even when the library catches the error;
- a snippet running longer than --timeout seconds is stopped;
- marked snippets (title "Not run in the tests: ...") are compiled, not run.

Each result is written to --results as one JSON line as soon as it is known, so the caller can
tell which snippet was running if the interpreter dies:
{"line": 12, "ok": false, "error": "docs/topics/x.md:15: NameError: name 'model' is not defined", "traceback": "..."}
"""

from __future__ import annotations

import argparse
import json
import linecache
import os
import signal
import socket
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

from dlqa.snippets import Snippet, page_snippets


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

    def connect(self, address, *args):
        if self.family == getattr(socket, "AF_UNIX", None):
            return original_connect(self, address, *args)
        refuse(f"connect to {address!r}")

    def connect_ex(self, address, *args):
        if self.family == getattr(socket, "AF_UNIX", None):
            return original_connect_ex(self, address, *args)
        refuse(f"connect to {address!r}")

    def sendto(self, data, *args):
        if self.family == getattr(socket, "AF_UNIX", None):
            return original_sendto(self, data, *args)
        refuse(f"send to {args[-1]!r}")

    original_connect, original_connect_ex, original_sendto = socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto
    socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto = connect, connect_ex, sendto
    socket.getaddrinfo = lambda host, *args, **kwargs: refuse(f"look up {host!r}")
    socket.gethostbyname = lambda host: refuse(f"look up {host!r}")


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
        signal.alarm(timeout)
        try:
            exec(code, {"__name__": "__main__", "__builtins__": __builtins__})
        except BaseException as error:  # noqa: BLE001 - SystemExit and KeyboardInterrupt are failures too
            signal.alarm(0)
            trace = traceback.format_exception(type(error), error, error.__traceback__.tb_next)  # from the snippet on
            return failure(snippet, headline(snippet, error), "".join(trace))
        finally:
            signal.alarm(0)
            os.chdir(cwd)
            os.environ.clear()
            os.environ.update(environ)
    if ATTEMPTS:
        return failure(snippet, f"{snippet.where}: NetworkBlocked: the snippet tried to reach the network "
                       f"({ATTEMPTS[0]}) and a library caught the error; snippets run offline", "")
    return {"line": snippet.line, "ok": True, "ran": True}


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


# What every page's interpreter gets: the CPU only, no downloads, quiet TensorFlow, no windows.
OFFLINE_CPU = {
    "CUDA_VISIBLE_DEVICES": "",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "KERAS_BACKEND": "tensorflow",  # Keras 3's default, made explicit
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "MPLBACKEND": "Agg",
}


def run_page(page: str, root: Path, scratch: Path, timeout: int = 60) -> list[str]:
    """Run one page's snippets in a new interpreter; one message per failing snippet ([] if all pass).

    `page` is relative to `root` (it names the page in the messages); `scratch` is an empty
    folder for the results file and the frameworks' home folders.
    """
    snippets = page_snippets((root / page).read_text(encoding="utf-8"), page)
    results_file = scratch / "results.jsonl"
    env = {**os.environ, **OFFLINE_CPU, "HOME": str(scratch), "KERAS_HOME": str(scratch / "keras"),
           "HF_HOME": str(scratch / "hf")}
    command = [sys.executable, "-m", "dlqa.run_snippets", page, "--results", str(results_file), "--timeout", str(timeout)]
    try:
        done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True,
                              timeout=timeout * len(snippets) + 120)
        stopped = f"the interpreter stopped (exit code {done.returncode}) during this snippet:\n{done.stderr[-3000:]}"
    except subprocess.TimeoutExpired:
        stopped = f"TimeoutError: the page's interpreter was stopped during this snippet after {timeout} s per snippet"
    results = {}
    if results_file.exists():
        for line in results_file.read_text(encoding="utf-8").splitlines():
            result = json.loads(line)
            results[result["line"]] = result
    messages = []
    for snippet in snippets:
        result = results.get(snippet.line)
        if result is None:
            messages.append(f"{snippet.where}: {stopped}")
            break
        if not result["ok"]:
            messages.append(f"{result['error']}\n{result['traceback']}".rstrip())
    return messages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("page", help="a Markdown page, e.g. docs/topics/cnns.md (as it should be named in errors)")
    parser.add_argument("--results", required=True, help="file to write one JSON line per snippet to")
    parser.add_argument("--timeout", type=int, default=60, help="seconds allowed per snippet")
    args = parser.parse_args(argv)
    snippets = page_snippets(Path(args.page).read_text(encoding="utf-8"), args.page)

    def stop(signum, frame):
        raise SnippetTimeout(f"the snippet ran longer than {args.timeout} s")

    signal.signal(signal.SIGALRM, stop)
    block_network()
    with open(args.results, "w", encoding="utf-8") as results:
        for snippet in snippets:
            results.write(json.dumps(run_snippet(snippet, args.timeout)) + "\n")
            results.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
