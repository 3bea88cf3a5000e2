"""Name the source line of something found in a rendered page (for error messages). Pure."""

from __future__ import annotations


def line_of(text: str, needle: str) -> int | None:
    """The 1-based line of `text` where the first non-blank line of `needle` first occurs."""
    first = next((line.strip() for line in needle.splitlines() if line.strip()), "")
    at = text.find(first) if first else -1
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def where(needle: str, sources: list[tuple[str, str]]) -> str:
    """`path:line` of the first source (display path, text) that holds `needle`, else the first path."""
    for path, text in sources:
        line = line_of(text, needle)
        if line is not None:
            return f"{path}:{line}"
    return sources[0][0] if sources else "?"
