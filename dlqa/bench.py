"""Time a cold and a warm build of the whole site (`qa bench`).

Cold: `mkdocs build --strict` with an empty notebook cache, so every embedded notebook is executed.
Warm: the same build again, with every notebook taken from the cache.

The builds write to a temporary site dir and use a temporary cache (NOTEBOOKS_CACHE_DIR), so
neither site/ nor your .cache/notebooks/ is touched. Not a test: it only prints timings.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dlqa.notebooks.runner import CACHE_DIR_ENV, EXECUTE_ENV
from dlqa.project import project_root


def build(config_file: Path, site_dir: Path, cache_dir: Path) -> tuple[float, int, int]:
    """Return (seconds, notebooks executed, notebooks embedded)."""
    env = {**os.environ, CACHE_DIR_ENV: str(cache_dir), "NO_MKDOCS_2_WARNING": "1"}
    env.pop(EXECUTE_ENV, None)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict",
               "--config-file", str(config_file), "--site-dir", str(site_dir)]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=config_file.parent, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"build failed ({' '.join(command)}):\n{result.stderr}")
    executed = re.search(r"notebooks: executed (\d+) notebook", result.stderr)
    embedded = re.search(r"notebooks: \d+ of (\d+) notebook", result.stderr)
    return seconds, int(executed[1]) if executed else 0, int(embedded[1]) if embedded else 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config-file", type=Path, help="mkdocs.yml to build (default: the project's)")


def run(args: argparse.Namespace) -> int:
    config_file = (args.config_file or project_root() / "mkdocs.yml").resolve()
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        tmp = Path(tmp)
        for label in ("cold", "warm"):
            seconds, executed, embedded = build(config_file, tmp / label, tmp / "cache")
            print(f"{label} build: {seconds:6.1f} s  ({executed} of {embedded} notebooks executed)")
    print(f"cpu cores: {os.cpu_count()}")
    return 0
