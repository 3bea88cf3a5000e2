"""Time a cold and a warm build of the whole site.

    python tools/bench_build.py [--config-file mkdocs.yml]

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

ROOT = Path(__file__).resolve().parents[1]


def build(config_file: Path, site_dir: Path, cache_dir: Path) -> tuple[float, int, int]:
    """Return (seconds, notebooks executed, notebooks embedded)."""
    env = {**os.environ, "NOTEBOOKS_CACHE_DIR": str(cache_dir), "NO_MKDOCS_2_WARNING": "1"}
    env.pop("NOTEBOOKS_EXECUTE", None)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config-file", type=Path, default=ROOT / "mkdocs.yml")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        tmp = Path(tmp)
        for label in ("cold", "warm"):
            seconds, executed, embedded = build(args.config_file.resolve(), tmp / label, tmp / "cache")
            print(f"{label} build: {seconds:6.1f} s  ({executed} of {embedded} notebooks executed)")
    print(f"cpu cores: {os.cpu_count()}")


if __name__ == "__main__":
    main()
