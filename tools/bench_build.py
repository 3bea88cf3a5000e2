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
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Build:
    seconds: float
    executed: int       # notebooks executed
    embedded: int       # notebooks embedded
    peak_mb: float      # peak resident memory of the largest process of the build


def build(config_file: Path, site_dir: Path, cache_dir: Path, env: dict[str, str] | None = None) -> Build:
    env = {**os.environ, "NOTEBOOKS_CACHE_DIR": str(cache_dir), "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    env.pop("NOTEBOOKS_EXECUTE", None)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict",
               "--config-file", str(config_file), "--site-dir", str(site_dir)]
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(command, cwd=config_file.parent, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config-file", type=Path, default=ROOT / "mkdocs.yml")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        tmp = Path(tmp)
        for label in ("cold", "warm"):
            result = build(args.config_file.resolve(), tmp / label, tmp / "cache")
            print(f"{label} build: {result.seconds:6.1f} s  ({result.executed} of {result.embedded} notebooks executed,"
                  f" peak memory {result.peak_mb:.0f} MB)")
    print(f"cpu cores: {os.cpu_count()}")


if __name__ == "__main__":
    main()
