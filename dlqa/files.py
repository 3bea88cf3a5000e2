"""Writing files: every writer (generator, move, notebook cache) goes through `write_atomically`;
the page editors (`qa stubs`, `qa move`) through `write_pages`, which adds the checks that keep
a concurrent edit and each line's own ending."""

from __future__ import annotations

import difflib
import os
import stat
import tempfile
from pathlib import Path

from dlqa.errors import ContentError

NEW_FILE_MODE = 0o644


def write_atomically(path: Path, content: str | bytes) -> None:
    """Replace `path` with `content` (bytes, or text as UTF-8 with newlines as given) in one step.

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
        with os.fdopen(handle, "wb") as stream:
            stream.write(content.encode("utf-8") if isinstance(content, str) else content)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def decode_utf8(data: bytes, path: str) -> str:
    """`data` decoded as UTF-8; invalid bytes raise a ContentError naming the file, the line and the byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ContentError(str(path), line, f"not valid UTF-8 (byte {error.start}: {data[error.start:error.start + 1]!r}); "
                           "save the file as UTF-8") from None


def read_text_exactly(path: Path) -> str:
    """The file's text as stored (UTF-8), CRLF line endings kept (read_text would turn them into "\n").
    Invalid UTF-8 raises a ContentError naming the file and line."""
    return decode_utf8(Path(path).read_bytes(), str(path))


def keep_line_endings(original: str, edited: str) -> str:
    """`edited` (lines broken by "\n") with the line endings of `original` restored: a line that
    `edited` keeps from `original` keeps its own ending byte for byte; a new line gets the ending
    most of `original`'s lines use. Pure."""
    if "\r" not in original:
        return edited
    old = original.split("\n")
    old_keys = [line.removesuffix("\r") for line in old]
    endings = ["\r" if line.endswith("\r") else "" for line in old[:-1]]  # the last piece has no line break
    usual = "\r" if original.count("\r\n") * 2 >= original.count("\n") else ""
    new = edited.split("\n")
    out: list[str] = []
    for tag, old_start, old_end, new_start, new_end in difflib.SequenceMatcher(None, old_keys, new, autojunk=False).get_opcodes():
        if tag == "equal":
            out += [(new[j], endings[i] if i < len(endings) else usual)
                    for i, j in zip(range(old_start, old_end), range(new_start, new_end))]
        else:
            out += [(new[j], usual) for j in range(new_start, new_end)]
    return "\n".join(line + ending for line, ending in out[:-1]) + ("\n" if out[:-1] else "") + out[-1][0]


def write_pages(changes: dict[Path, tuple[str, str]]) -> None:
    """Write edited pages, all or none. `changes` maps a path to (its text as read, its new text with
    "\n" line breaks). Every file is first checked to still hold the text it was read with (else a
    ContentError names it and nothing is written); each keeps its line endings and its mode."""
    for path, (read, _) in changes.items():
        try:
            current = Path(path).read_bytes()
        except FileNotFoundError:
            current = None
        if current != read.encode("utf-8"):
            raise ContentError(str(path), 0, "changed on disk since this command read it (another edit or run?); "
                               "nothing was written: run the command again")
    for path, (read, new) in changes.items():
        write_atomically(path, keep_line_endings(read, new))
