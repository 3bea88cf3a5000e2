"""MkDocs hook: embed executed Jupytext notebooks in pages.

A line ``<!-- notebook: NAME -->`` in a page is replaced by ``notebooks/NAME.py``
(Jupytext percent format), executed with nbclient and rendered as Markdown:
markdown cells verbatim, code cells as ```python fences, text outputs as ```text
fences and PNG figures as images. The executed ``.ipynb`` and the figures are
added to the site under ``notebooks/``.

Executed notebooks are cached in ``.cache/notebooks/NAME-KEY.ipynb`` where KEY is
the sha256 of the code cells' source, the kernel name and the pins
(``requirements.txt`` and ``constraints.txt``),
so prose-only edits never re-execute. Notebooks missing from the cache are
executed in parallel before any page is rendered.

Environment knobs (paths are relative to the directory of mkdocs.yml):
  NOTEBOOKS_EXECUTE=0     never execute: show prose and code, outputs only if cached
  NOTEBOOKS_TIMEOUT=120   per-cell timeout in seconds
  NOTEBOOKS_JOBS=N        notebooks executed at once (default: os.cpu_count() or 2)
  NOTEBOOKS_DIR=notebooks           where NAME.py files live
  NOTEBOOKS_CACHE_DIR=.cache/notebooks
"""

from __future__ import annotations

import base64
import concurrent.futures
import dataclasses
import hashlib
import json
import logging
import os
import posixpath
import re
import tempfile
import time
from pathlib import Path
from typing import Iterable

import jupytext
import nbformat
from nbclient import NotebookClient
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.plugins.notebooks")

KERNEL_NAME = "python3"
CACHE_VERSION = 1  # bump when the way notebooks are executed changes
# ipykernel's inline backend draws with Agg (headless) and turns figures into
# image/png outputs; plain MPLBACKEND=Agg would make ipykernel drop the figures.
KERNEL_ENV = {"MPLBACKEND": "module://matplotlib_inline.backend_inline", "PYTHONHASHSEED": "0"}
REQUIRED_EXTENSIONS = ("md_in_html", "attr_list", "admonition")

# ---------------------------------------------------------------------------
# Pure functions
# ---------------------------------------------------------------------------

MARKER_RE = re.compile(r"^(?P<indent>[ \t]*)<!--[ \t]*notebook:[ \t]*(?P<name>[A-Za-z0-9_-]+)[ \t]*-->[ \t]*$")
CANDIDATE_RE = re.compile(r"^[ \t]*<!--\s*notebooks?\b", re.IGNORECASE)
FENCE_RE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})")
ANSI_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclasses.dataclass(frozen=True)
class Marker:
    lineno: int  # 1-based line in the page source
    name: str
    indent: str


class MarkerError(ValueError):
    def __init__(self, lineno: int, line: str):
        super().__init__(f"{lineno}: malformed notebook marker {line.strip()!r} (expected '<!-- notebook: NAME -->' "
                         "alone on its line, NAME made of letters, digits, '_' and '-')")
        self.lineno = lineno


def parse_markers(markdown: str) -> list[Marker]:
    """Find ``<!-- notebook: NAME -->`` lines outside fenced code blocks.

    Raises MarkerError for a line that looks like a marker but is not one.
    """
    markers, fence = [], None
    for lineno, line in enumerate(markdown.splitlines(), start=1):
        if m := FENCE_RE.match(line):
            f = m["fence"]
            if fence is None:
                fence = f
            elif f[0] == fence[0] and len(f) >= len(fence) and not line.strip().strip(f[0]):
                fence = None
            continue
        if fence is not None or not CANDIDATE_RE.match(line):
            continue
        if not (m := MARKER_RE.match(line)):
            raise MarkerError(lineno, line)
        markers.append(Marker(lineno, m["name"], m["indent"]))
    return markers


def code_sources(nb) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "code"]


def cache_key(sources: Iterable[str], kernel_name: str, requirements: str | None) -> str:
    """sha256 of the code cells' source, the kernel and the pinned requirements (prose is not part of it)."""
    payload = json.dumps([CACHE_VERSION, kernel_name, requirements, list(sources)])
    return hashlib.sha256(payload.encode()).hexdigest()


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


def source_base(repo_url: str | None, edit_uri: str | None) -> str | None:
    """``https://github.com/org/repo/blob/BRANCH/`` from repo_url and/or edit_uri, or None.

    edit_uri may be relative to repo_url (``edit/main/docs/``) or absolute
    (``https://github.com/org/repo/edit/main/docs/``, used when there is no repo_url).
    """
    m = re.match(r"(?P<repo>https?://.+?)?/?(?:edit|blob)/(?P<branch>[^/]+)/", edit_uri or "")
    repo = (m and m["repo"]) or repo_url
    return f"{repo.rstrip('/')}/blob/{m['branch'] if m else 'main'}/" if repo else None


def _fence(text: str, classes: str) -> list[str]:
    ticks = "`" * max(3, 1 + max((len(r) for r in re.findall(r"`+", text)), default=0))
    return [f"{ticks} {{ {classes} }}", *text.splitlines(), ticks, ""]


def _text_output(text: str) -> list[str]:
    return _fence(ANSI_RE.sub("", text).rstrip("\n"), ".text .notebook-output")


def image_uri(name: str, cell_index: int, output_index: int) -> str:
    return f"notebooks/{name}/cell{cell_index + 1}-{output_index + 1}.png"


def ipynb_uri(name: str) -> str:
    return f"notebooks/{name}.ipynb"


def notebook_images(nb, name: str) -> dict[str, bytes]:
    """Site path -> PNG bytes for every figure output."""
    return {
        image_uri(name, i, j): base64.b64decode(out["data"]["image/png"])
        for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
        for j, out in enumerate(cell.get("outputs", [])) if "image/png" in out.get("data", {})
    }


def _output_blocks(outputs, cell_index: int, name: str, rel) -> list[str]:
    lines, stream = [], None  # consecutive stream outputs are shown as one block
    for j, out in enumerate(outputs):
        kind = out["output_type"]
        if kind == "stream":
            stream = (stream or "") + out["text"]
            continue
        if stream is not None:
            lines += _text_output(stream)
            stream = None
        data = out.get("data", {})
        if "image/png" in data:
            url = rel(image_uri(name, cell_index, j))
            lines += [f"![Figure from cell {cell_index + 1}]({url}){{ .notebook-figure loading=lazy }}", ""]
        elif "text/plain" in data:
            lines += _text_output(data["text/plain"])
    if stream is not None:
        lines += _text_output(stream)
    return lines


def notebook_to_markdown(nb, *, name: str, page_dir: str, source_url: str | None, source_path: str,
                         outputs_skipped: bool) -> str:
    """Markdown for one embedded notebook; links are relative to the page's directory in docs/."""

    def rel(uri: str) -> str:
        return posixpath.relpath(uri, page_dir or ".")

    source = f"[`{source_path}`]({source_url})" if source_url else f"`{source_path}`"
    download = "Download the notebook" if outputs_skipped else "Download the executed notebook"
    lines = [
        '<div class="notebook" markdown>', "",
        f"Notebook source: {source} · [{download} (`.ipynb`)]({rel(ipynb_uri(name))}){{ download=\"{name}.ipynb\" }}",
        "{: .notebook-links }", "",
    ]
    if outputs_skipped:
        lines += ['!!! warning "Outputs skipped"', "",
                  "    This preview was built with `NOTEBOOKS_EXECUTE=0`: the notebook was not run, "
                  "so its outputs and figures are not shown.", ""]
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            lines += [cell.source, ""]
        elif cell.cell_type == "code" and cell.source.strip():
            lines += _fence(cell.source, ".python")
            lines += _output_blocks(cell.get("outputs", []), i, name, rel)
    lines += ["</div>", ""]
    return "\n".join(lines)


def describe_failure(exc: BaseException, nb, cell_index: int | None, py_source: str, nb_path: str) -> str:
    """``notebooks/x.py:LINE: cell N raised Error: message`` and, when known, the failing source line."""
    if cell_index is None:
        return f"{nb_path}: the notebook could not be run: {type(exc).__name__}: {exc}"
    starts = cell_start_lines(py_source, len(nb.cells))
    line = starts[cell_index] if starts else None
    failing_source = ""
    if hasattr(exc, "ename"):  # nbclient's CellExecutionError: the code raised in the kernel
        what = f"raised {exc.ename}: {exc.evalue}" if exc.evalue else f"raised {exc.ename}"
        source = nb.cells[cell_index].source.splitlines()
        m = re.search(r"Cell In\[\d+\], line (\d+)", ANSI_RE.sub("", exc.traceback))
        if m and 1 <= int(m[1]) <= len(source):
            line = line + int(m[1]) if line is not None else None  # jupytext keeps cell lines verbatim
            failing_source = "\n    " + source[int(m[1]) - 1].strip()
    elif isinstance(exc, TimeoutError):  # nbclient's CellTimeoutError
        what = "timed out: " + str(exc).strip().splitlines()[0]
    else:  # e.g. DeadKernelError
        what = f"failed: {type(exc).__name__}: " + (str(exc).strip().splitlines() or [""])[0]
    where = f"{nb_path}:{line}" if line is not None else nb_path
    return f"{where}: cell {cell_index + 1} {what}{failing_source}"


# ---------------------------------------------------------------------------
# I/O: settings, cache, execution
# ---------------------------------------------------------------------------


@dataclasses.dataclass
class Settings:
    root: Path
    notebook_dir: Path
    cache_dir: Path
    execute: bool
    timeout: int
    jobs: int
    requirements: str | None
    source_base: str | None  # e.g. https://github.com/org/repo/blob/main/

    def path(self, name: str) -> Path:
        return self.notebook_dir / f"{name}.py"

    def display(self, path: Path) -> str:
        return Path(os.path.relpath(path, self.root)).as_posix()


@dataclasses.dataclass
class Prepared:
    name: str
    nb: object  # nbformat.NotebookNode: current prose and code, with outputs if executed or cached
    has_outputs: bool


def load_settings(config) -> Settings:
    root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
    pins = [root / name for name in ("requirements.txt", "constraints.txt") if (root / name).is_file()]
    return Settings(
        root=root,
        notebook_dir=root / os.environ.get("NOTEBOOKS_DIR", "notebooks"),
        cache_dir=root / os.environ.get("NOTEBOOKS_CACHE_DIR", ".cache/notebooks"),
        execute=os.environ.get("NOTEBOOKS_EXECUTE", "1").strip().lower() not in ("0", "false", "no", "off"),
        timeout=int(os.environ.get("NOTEBOOKS_TIMEOUT", "120")),
        jobs=int(os.environ.get("NOTEBOOKS_JOBS", "0")) or os.cpu_count() or 2,
        requirements="".join(path.read_text(encoding="utf-8") for path in pins) if pins else None,
        source_base=source_base(config.repo_url, config.edit_uri),
    )


def read_source(path: Path):
    return jupytext.read(path, fmt="py:percent")


def cache_file(s: Settings, name: str, key: str) -> Path:
    return s.cache_dir / f"{name}-{key}.ipynb"


def cache_read(s: Settings, name: str, key: str):
    path = cache_file(s, name, key)
    return nbformat.read(path, as_version=4) if path.is_file() else None


def cache_write(s: Settings, name: str, key: str, nb) -> None:
    """Atomically store an executed notebook and drop older entries of the same notebook."""
    s.cache_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=s.cache_dir, prefix=f".{name}-", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        nbformat.write(nb, f)
    os.replace(tmp, cache_file(s, name, key))
    stale = re.compile(re.escape(name) + r"-[0-9a-f]{64}\.ipynb")
    for old in s.cache_dir.iterdir():
        if stale.fullmatch(old.name) and old.name != cache_file(s, name, key).name:
            old.unlink(missing_ok=True)


def execute(s: Settings, name: str, nb):
    """Run a notebook in a fresh kernel (cwd: the notebooks dir). Raises PluginError on any failure."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    current: list[int | None] = [None]
    client = NotebookClient(nb, timeout=s.timeout, kernel_name=KERNEL_NAME,
                            resources={"metadata": {"path": str(s.notebook_dir)}},
                            extra_arguments=["--IPKernelApp.log_level=ERROR"])  # no TCP-encryption warning
    client.on_cell_start = lambda cell, cell_index, **_: current.__setitem__(0, cell_index)
    try:
        client.execute(env={**os.environ, **KERNEL_ENV})
    except Exception as exc:
        path = s.path(name)
        raise PluginError(describe_failure(exc, nb, current[0], path.read_text(encoding="utf-8"),
                                           s.display(path))) from exc
    return nb


def prepare(s: Settings, name: str, *, allow_execute: bool = True) -> Prepared:
    """The notebook's current prose and code, with cached outputs, executing it on a cache miss."""
    fresh = read_source(s.path(name))
    key = cache_key(code_sources(fresh), KERNEL_NAME, s.requirements)
    executed = cache_read(s, name, key)
    if executed is None and s.execute and allow_execute:
        executed = execute(s, name, fresh)
        cache_write(s, name, key, executed)
    if executed is None:
        return Prepared(name, fresh, has_outputs=False)
    return Prepared(name, merge_outputs(fresh, executed), has_outputs=True)


def prepare_all(s: Settings, names: Iterable[str]) -> dict[str, Prepared]:
    """Prepare notebooks, executing the ones missing from the cache in parallel."""
    names = sorted(set(names))
    ready = {n: prepare(s, n, allow_execute=False) for n in names}
    missing = [n for n in names if not ready[n].has_outputs] if s.execute else []
    if missing:
        start = time.monotonic()
        log.info(f"notebooks: executing {len(missing)} notebook(s) with {min(s.jobs, len(missing))} worker(s): "
                 + ", ".join(missing))
        errors = []
        with concurrent.futures.ThreadPoolExecutor(max_workers=s.jobs) as pool:
            futures = {n: pool.submit(prepare, s, n) for n in missing}
            for n, future in futures.items():
                try:
                    ready[n] = future.result()
                except PluginError as exc:
                    errors.append(str(exc))
        if errors:
            raise PluginError("notebook execution failed:\n" + "\n".join(errors))
        log.info(f"notebooks: executed {len(missing)} notebook(s) in {time.monotonic() - start:.1f} s")
    cached = sum(p.has_outputs for p in ready.values()) - len(missing)
    log.info(f"notebooks: {cached} of {len(names)} notebook(s) taken from the cache")
    if not s.execute and cached < len(names):
        log.info(f"notebooks: NOTEBOOKS_EXECUTE=0, {len(names) - cached} notebook(s) shown without outputs")
    return ready


# ---------------------------------------------------------------------------
# MkDocs hook events
# ---------------------------------------------------------------------------

_state: dict = {}


def _page_path(s: Settings, file) -> str:
    return s.display(Path(file.abs_src_path)) if file.abs_src_path else f"{file.src_uri} (generated)"


def _add_assets(p: Prepared, files, config) -> None:
    assets = {ipynb_uri(p.name): nbformat.writes(p.nb).encode(), **notebook_images(p.nb, p.name)}
    for uri, content in assets.items():
        if old := files.get_file_from_path(uri):
            files.remove(old)
        files.append(File.generated(config, uri, content=content))


def _check_marker(s: Settings, page_path: str, marker: Marker) -> None:
    if not s.path(marker.name).is_file():
        raise PluginError(f"{page_path}:{marker.lineno}: unknown notebook '{marker.name}' "
                          f"(no {s.display(s.path(marker.name))})")


def _markers(s: Settings, file, text: str) -> list[Marker]:
    try:
        markers = parse_markers(text)
    except MarkerError as exc:
        raise PluginError(f"{_page_path(s, file)}:{exc}") from None
    for marker in markers:
        _check_marker(s, _page_path(s, file), marker)
    return markers


def on_config(config):
    missing = [e for e in REQUIRED_EXTENSIONS if e not in config.markdown_extensions]
    if not any(e in config.markdown_extensions for e in ("pymdownx.superfences", "fenced_code")):
        missing.append("pymdownx.superfences")
    if missing:
        raise PluginError(f"the notebooks hook needs these markdown_extensions: {', '.join(missing)}")
    _state.clear()
    _state["settings"] = load_settings(config)


def on_serve(server, config, builder):
    server.watch(str(_state["settings"].notebook_dir))
    return server


def on_files(files, config):
    s = _state["settings"]
    names = {m.name for f in files.documentation_pages() for m in _markers(s, f, f.content_string)}
    _state["prepared"] = prepare_all(s, names)
    for p in _state["prepared"].values():
        _add_assets(p, files, config)
    return files


def on_page_markdown(markdown, page, config, files):
    s = _state["settings"]
    markers = _markers(s, page.file, markdown)
    if not markers:
        return markdown
    lines = markdown.splitlines()
    for marker in reversed(markers):
        if marker.name not in _state["prepared"]:  # marker added after on_files (e.g. by another hook)
            _state["prepared"][marker.name] = prepare(s, marker.name)
            _add_assets(_state["prepared"][marker.name], files, config)
        p = _state["prepared"][marker.name]
        path = s.path(marker.name)
        block = notebook_to_markdown(
            p.nb, name=marker.name, page_dir=posixpath.dirname(page.file.src_uri),
            source_url=s.source_base + s.display(path) if s.source_base else None,
            source_path=s.display(path), outputs_skipped=not p.has_outputs)
        indented = [marker.indent + line if line else line for line in block.splitlines()]
        lines[marker.lineno - 1:marker.lineno] = ["", *indented, ""]
    return "\n".join(lines) + "\n"
