"""Run notebooks and cache the executed copies.

A notebook is `notebooks/NAME.py` (Jupytext percent format). Executed notebooks are cached
in `.cache/notebooks/NAME-KEY.ipynb`, KEY being the sha256 of the code cells' source, the
kernel name and the pins (`requirements.txt` and `constraints.txt`), so prose-only edits
never re-execute. Notebooks missing from the cache are executed in parallel.

Notebooks are contributed code. Each runs in a fresh kernel whose working folder is a scratch
folder (deleted afterwards), with only a few harmless environment variables (no tokens): its one
output is the executed notebook. The project's own files (docs/, dlqa/, notebooks/, .github/ and
the top-level files) are hashed before and after execution, and any change fails the build. A
notebook has TIMEOUT seconds per cell and TOTAL_TIMEOUT in all, and its outputs may take at most
MAX_OUTPUT_BYTES; each limit fails the build naming the notebook and the limit.

A corrupt cache file (unreadable, invalid, or not matching the source's code cells) is
discarded with a warning naming it, and the notebook runs again. Cell ids are derived from
the cell's position, so the notebooks the site serves are byte-identical between builds.

Environment:
  NOTEBOOKS_EXECUTE=0        never execute: prose and code, outputs only if cached
  NOTEBOOKS_CACHE_DIR=DIR    another cache folder (the benchmark uses a throwaway one)
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import hashlib
import json
import logging
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Iterable

import jupytext
import nbformat
from nbclient import NotebookClient

from dlqa.errors import ContentError
from dlqa.files import decode_utf8, write_atomically
from dlqa.notebooks.pages import check_headings
from dlqa.notebooks.render import strip_ansi

log = logging.getLogger("mkdocs.plugins.notebooks")
# A corrupt cache file is the cache's problem, not the content's: it is reported as a warning
# that does not fail a strict build (MkDocs counts warnings of the "mkdocs" loggers only).
cache_log = logging.getLogger("dlqa.notebooks.cache")
if not cache_log.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))  # MkDocs' look
    cache_log.addHandler(_handler)

KERNEL_NAME = "python3"
TIMEOUT = 120  # seconds per cell
TOTAL_TIMEOUT = 300  # seconds per notebook, kernel start included
MAX_OUTPUT_BYTES = 5_000_000  # per notebook: its outputs as stored in the .ipynb (figures are base64)
# The only variables of the build's environment a kernel sees (no tokens, no credentials).
KERNEL_ENV_KEPT = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "VIRTUAL_ENV", "SYSTEMROOT")
# What notebooks must not change while they run: the project's own files, hashed before and after.
WATCHED_DIRS = ("docs", "dlqa", "notebooks", ".github")
CACHE_VERSION = 1  # bump when the way notebooks are executed changes
CACHE_DIR_ENV = "NOTEBOOKS_CACHE_DIR"
EXECUTE_ENV = "NOTEBOOKS_EXECUTE"
# ipykernel's inline backend draws with Agg (headless) and turns figures into
# image/png outputs; plain MPLBACKEND=Agg would make ipykernel drop the figures.
KERNEL_ENV = {"MPLBACKEND": "module://matplotlib_inline.backend_inline", "PYTHONHASHSEED": "0"}


@dataclasses.dataclass(frozen=True)
class Settings:
    root: Path  # the project: notebooks/ and the pins live here
    cache_dir: Path
    execute: bool
    jobs: int
    requirements: str | None

    @property
    def notebook_dir(self) -> Path:
        return self.root / "notebooks"

    def source(self, name: str) -> Path:
        return self.notebook_dir / f"{name}.py"

    def display(self, path: Path) -> str:
        return Path(os.path.relpath(path, self.root)).as_posix()


@dataclasses.dataclass
class Prepared:
    name: str
    nb: object  # nbformat.NotebookNode: current prose and code, with outputs if executed or cached
    has_outputs: bool


def settings_for(root: Path) -> Settings:
    """The settings of a project, from its pins and the environment."""
    pins = [root / name for name in ("requirements.txt", "constraints.txt") if (root / name).is_file()]
    return Settings(
        root=root,
        cache_dir=root / os.environ.get(CACHE_DIR_ENV, ".cache/notebooks"),
        execute=os.environ.get(EXECUTE_ENV, "1").strip().lower() not in ("0", "false", "no", "off"),
        jobs=os.cpu_count() or 2,
        requirements="".join(path.read_text(encoding="utf-8") for path in pins) if pins else None,
    )


def source_text(path: Path, shown: str | None = None) -> str:
    """A notebook's source text. Raises ContentError (naming `shown`, default the path) on invalid
    UTF-8 or on a heading that is not plain text (check_headings)."""
    text = decode_utf8(Path(path).read_bytes(), shown or str(path))
    check_headings(text, shown or str(path))
    return text


def read_source(path: Path, shown: str | None = None):
    """The notebook of a percent-format source, with deterministic cell ids.

    jupytext gives every cell a random id on each read, which would make the served .ipynb
    differ from build to build; ids from the cell's position are stable and valid (nbformat 4.5).
    """
    nb = jupytext.reads(source_text(path, shown), fmt="py:percent")
    for index, cell in enumerate(nb.cells):
        cell.id = f"cell-{index + 1}"
    return nb


def code_sources(nb) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "code"]


def cache_key(sources: Iterable[str], kernel_name: str, requirements: str | None) -> str:
    """sha256 of the code cells' source, the kernel and the pinned requirements (prose is not part of it)."""
    payload = json.dumps([CACHE_VERSION, kernel_name, requirements, list(sources)])
    return hashlib.sha256(payload.encode()).hexdigest()


def executed_path(s: Settings, name: str, fresh=None) -> Path:
    """Where the executed .ipynb of notebook NAME's current code is (or will be) cached."""
    fresh = fresh if fresh is not None else read_source(s.source(name), s.display(s.source(name)))
    return s.cache_dir / f"{name}-{cache_key(code_sources(fresh), KERNEL_NAME, s.requirements)}.ipynb"


def merge_outputs(fresh, executed):
    """Return ``fresh`` (current prose and code) with the outputs of ``executed``.

    Both must have the same code cells in the same order, which a matching cache key guarantees.
    """
    nb = nbformat.from_dict(json.loads(json.dumps(fresh)))  # deep copy
    done = [c for c in executed.cells if c.cell_type == "code"]
    todo = [c for c in nb.cells if c.cell_type == "code"]
    if [c.source for c in done] != [c.source for c in todo]:
        raise ValueError("executed notebook does not match the source's code cells")
    for cell, old in zip(todo, done):
        cell.outputs, cell.execution_count = old.get("outputs", []), old.get("execution_count")
    nb.metadata.update({k: v for k, v in executed.metadata.items() if k in ("kernelspec", "language_info")})
    return nb


def cell_start_lines(py_source: str, n_cells: int) -> list[int] | None:
    """1-based line of each cell's ``# %%`` line in a percent-format file (None if unclear)."""
    starts = [i for i, line in enumerate(py_source.splitlines(), start=1) if line.startswith("# %%")]
    if len(starts) == n_cells:
        return starts
    if len(starts) == n_cells - 1:  # content before the first marker is a cell of its own
        return [0, *starts]
    return None


def describe_failure(exc: BaseException, nb, cell_index: int | None, py_source: str, nb_path: str) -> ContentError:
    """``notebooks/x.py:LINE: cell N raised Error: message`` and, when known, the failing source line."""
    if cell_index is None:
        return ContentError(nb_path, 0, f"the notebook could not be run: {type(exc).__name__}: {exc}")
    starts = cell_start_lines(py_source, len(nb.cells))
    line = starts[cell_index] if starts else 0
    failing_source = ""
    if hasattr(exc, "ename"):  # nbclient's CellExecutionError: the code raised in the kernel
        what = f"raised {exc.ename}: {exc.evalue}" if exc.evalue else f"raised {exc.ename}"
        source = nb.cells[cell_index].source.splitlines()
        m = re.search(r"Cell In\[\d+\], line (\d+)", strip_ansi(exc.traceback))
        if m and 1 <= int(m[1]) <= len(source):
            line = line + int(m[1]) if line else 0  # jupytext keeps cell lines verbatim
            failing_source = "\n    " + source[int(m[1]) - 1].strip()
    elif isinstance(exc, TimeoutError):  # nbclient's CellTimeoutError
        what = "timed out: " + str(exc).strip().splitlines()[0]
    else:  # e.g. DeadKernelError
        what = f"failed: {type(exc).__name__}: " + (str(exc).strip().splitlines() or [""])[0]
    return ContentError(nb_path, line, f"cell {cell_index + 1} {what}{failing_source}")


def cache_write(s: Settings, path: Path, nb) -> None:
    """Store an executed notebook atomically and drop older entries of the same notebook."""
    s.cache_dir.mkdir(parents=True, exist_ok=True)
    text = nbformat.writes(nb)
    write_atomically(path, text if text.endswith("\n") else text + "\n")
    name = path.name.rsplit("-", 1)[0]
    stale = re.compile(re.escape(name) + r"-[0-9a-f]{64}\.ipynb")
    for old in s.cache_dir.iterdir():
        if stale.fullmatch(old.name) and old.name != path.name:
            old.unlink(missing_ok=True)


def kernel_env() -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if k in KERNEL_ENV_KEPT}, **KERNEL_ENV}


def output_bytes(nb) -> int:
    """The size of a notebook's outputs as the .ipynb stores them."""
    return sum(len(json.dumps(cell.get("outputs", []))) for cell in nb.cells if cell.cell_type == "code")


def execute(s: Settings, name: str, nb):
    """Run a notebook in a fresh kernel, in a scratch folder, within the time and output limits.
    Raises ContentError on any failure."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    current: list[int | None] = [None]
    path = s.source(name)
    start = time.monotonic()

    def cell_timeout(cell) -> int:  # the per-cell limit, or what is left of the notebook's total
        return max(1, int(min(TIMEOUT, TOTAL_TIMEOUT - (time.monotonic() - start))))

    with tempfile.TemporaryDirectory(prefix=f"dlqa-notebook-{name}-") as scratch:
        client = NotebookClient(nb, timeout=TIMEOUT, timeout_func=cell_timeout, kernel_name=KERNEL_NAME,
                                resources={"metadata": {"path": scratch}},
                                extra_arguments=["--IPKernelApp.log_level=ERROR"])  # no TCP-encryption warning
        client.on_cell_start = lambda cell, cell_index, **_: current.__setitem__(0, cell_index)
        try:
            client.execute(env=kernel_env())
        except Exception as exc:
            if time.monotonic() - start >= TOTAL_TIMEOUT - 1:
                raise ContentError(s.display(path), 0, f"ran longer than the limit of {TOTAL_TIMEOUT} s per "
                                   "notebook (keep notebooks to a few seconds)") from exc
            raise describe_failure(exc, nb, current[0], path.read_text(encoding="utf-8"), s.display(path)) from exc
    if (size := output_bytes(nb)) > MAX_OUTPUT_BYTES:
        raise ContentError(s.display(path), 0, f"its outputs take {size:,} bytes, more than the limit of "
                           f"{MAX_OUTPUT_BYTES:,} bytes per notebook (print less, draw fewer or smaller figures)")
    return nb


def project_files(root: Path) -> dict[str, str]:
    """sha256 of every file notebooks must leave alone: the project's top-level files and those under WATCHED_DIRS."""
    paths = [p for p in root.iterdir() if p.is_file()]
    paths += [p for folder in WATCHED_DIRS if (root / folder).is_dir() for p in (root / folder).rglob("*")
              if p.is_file() and "__pycache__" not in p.parts]
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def changed_files(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


def warn_discarded(s: Settings, path: Path, error: BaseException) -> None:
    reason = (str(error).strip().splitlines() or [""])[0][:200]
    cache_log.warning(f"notebooks: discarded the corrupt cache file {s.display(path)} "
                      f"({type(error).__name__}: {reason}); the notebook runs again")


def read_cached(s: Settings, path: Path, fresh):
    """``fresh`` with the outputs of the cached executed notebook, or None when there is none.

    A cache file that cannot be read, is not a valid notebook or does not match the source's
    code cells is deleted, with a warning naming it, and counts as missing.
    """
    if not path.is_file():
        return None
    try:
        executed = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
        nbformat.validate(executed)
        return merge_outputs(fresh, executed)
    except Exception as error:  # noqa: BLE001 - any unreadable cache entry is discarded, never fatal
        warn_discarded(s, path, error)
        path.unlink(missing_ok=True)
        return None


def prepare(s: Settings, name: str, *, allow_execute: bool = True) -> Prepared:
    """The notebook's current prose and code, with cached outputs, executing it on a cache miss."""
    fresh = read_source(s.source(name), s.display(s.source(name)))
    cached = executed_path(s, name, fresh)
    merged = read_cached(s, cached, fresh)
    if merged is None and s.execute and allow_execute:
        executed = execute(s, name, fresh)
        cache_write(s, cached, executed)
        merged = merge_outputs(fresh, executed)
    if merged is None:
        return Prepared(name, fresh, has_outputs=False)
    return Prepared(name, merged, has_outputs=True)


def prepare_all(s: Settings, names: Iterable[str]) -> dict[str, Prepared]:
    """Prepare notebooks, executing the ones missing from the cache in parallel.

    Raises an ExceptionGroup of ContentErrors, one per failing notebook.
    """
    names = sorted(set(names))
    ready = {n: prepare(s, n, allow_execute=False) for n in names}
    missing = [n for n in names if not ready[n].has_outputs] if s.execute else []
    if missing:
        start = time.monotonic()
        log.info(f"notebooks: executing {len(missing)} notebook(s) with {min(s.jobs, len(missing))} worker(s): "
                 + ", ".join(missing))
        errors = []
        before = project_files(s.root)
        with concurrent.futures.ThreadPoolExecutor(max_workers=s.jobs) as pool:
            futures = {n: pool.submit(prepare, s, n) for n in missing}
            for n, future in futures.items():
                try:
                    ready[n] = future.result()
                except ContentError as exc:
                    errors.append(exc)
        ran = ", ".join(s.display(s.source(n)) for n in missing)
        changed = changed_files(before, project_files(s.root))
        errors += [ContentError(path, 0, f"changed while these notebooks ran: {ran}; a notebook may write only "
                                "to its scratch folder (restore the file with git)") for path in changed]
        for n in missing if changed else []:  # not cached: the next build runs them again, and fails again
            executed_path(s, n).unlink(missing_ok=True)
        if errors:
            raise ExceptionGroup("notebook execution failed", errors)
        log.info(f"notebooks: executed {len(missing)} notebook(s) in {time.monotonic() - start:.1f} s")
    cached = sum(p.has_outputs for p in ready.values()) - len(missing)
    log.info(f"notebooks: {cached} of {len(names)} notebook(s) taken from the cache")
    if not s.execute and cached < len(names):
        log.info(f"notebooks: {EXECUTE_ENV}=0, {len(names) - cached} notebook(s) shown without outputs")
    return ready
