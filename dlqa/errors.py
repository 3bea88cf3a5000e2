"""The one error type of the tools: a problem in a file, at a line."""

from __future__ import annotations


class ContentError(Exception):
    """Bad input in `path` at `line` (1-based; 0 when the whole file is at fault)."""

    def __init__(self, path: str, line: int, message: str):
        super().__init__(path, line, message)
        self.path, self.line, self.message = str(path), line, message

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"
