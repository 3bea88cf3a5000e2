"""Name the source line of something found in a rendered page (for error messages). Pure."""

from __future__ import annotations


def line_of(text: str, needle: str) -> int | None:
    """The 1-based line of `text` where `needle` starts: its lines in a row (indentation aside),
    else the first place its first non-blank line occurs within a line."""
    wanted = [line.strip() for line in needle.strip().splitlines()]
    lines = [line.strip() for line in text.splitlines()]
    if len(wanted) > 1:
        for number in range(len(lines) - len(wanted) + 1):
            if lines[number:number + len(wanted)] == wanted:
                return number + 1
    first = next((line for line in wanted if line), "")
    at = text.find(first) if first else -1
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def where(needle: str, sources: list[tuple[str, str]]) -> str:
    """`path:line` of the first source (display path, text) that holds `needle`, else the first path."""
    for path, text in sources:
        line = line_of(text, needle)
        if line is not None:
            return f"{path}:{line}"
    return sources[0][0] if sources else "?"
