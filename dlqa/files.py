"""Writing files: every writer (generator, move, notebook cache) goes through `write_atomically`."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

NEW_FILE_MODE = 0o644


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8, newlines as given) in one step.

    Readers see the old file or the new one, never a half-written file; on any failure no
    temporary file is left behind. An existing file keeps its mode; a new one gets 0644.
    """
    path = Path(path)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = NEW_FILE_MODE
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
