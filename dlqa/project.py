"""Where the project's files are: commands run from the project root or any folder below it."""

from __future__ import annotations

from pathlib import Path


def project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` (default: the working folder) that holds mkdocs.yml."""
    start = (start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder
    raise SystemExit(f"error: no mkdocs.yml in {start} or above it; run qa inside the project")
