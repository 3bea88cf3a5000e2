"""Which files may live under docs/: an allow-list. Pure functions; the docs_files hook and
`qa check` list the files and read their first bytes.

Everything under docs/ is published on the site's origin, so a contributed SVG, HTML or script
file would run with the reader's storage (their progress), and a file named like a theme or
vendored asset would replace it on every page. Allowed: Markdown pages, raster images (checked
by their first bytes), and the project's own assets by exact path. Extend the lists on purpose.
"""

from __future__ import annotations

import os
from pathlib import Path

# The project's own front-end files, by exact path under docs/ (mkdocs.yml loads them).
PROJECT_ASSETS = frozenset({
    "assets/javascripts/math.js",
    "assets/javascripts/practice.js",
    "assets/javascripts/study.js",
    "assets/javascripts/search-on-input.js",
    "assets/javascripts/search-worker.js",
    "assets/stylesheets/site.css",
    "assets/stylesheets/notebooks.css",
})
PAGE_SUFFIX = ".md"
# Image types a page may show, each with the bytes its files start with (no SVG: it can hold script).
IMAGE_SIGNATURES = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),  # then 4 size bytes and "WEBP"
}
SIGNATURE_BYTES = 12
# Site paths the build writes itself (hooks, plugins): a docs file there would collide with or
# replace generated output. Theme files are reserved too (passed in: they depend on the theme).
RESERVED_PREFIXES = ("assets/vendor/", "notebooks/", "search/", "pagefind/", "print_page/", "js/", "css/", "downloads/")
RESERVED_FILES = frozenset({"questions.md", "coverage.md", "404.md", "print_page.md", "assets/question-index.json",
                            "assets/question-followups.json"})


def refused_file(path: str, head: bytes, theme_files: frozenset[str] | set[str]) -> str | None:
    """Why the file at `path` (relative to docs/, "/"-separated; `head`: its first bytes) may not be
    published, or None."""
    if path in PROJECT_ASSETS:
        return None
    if path in theme_files:
        return "it would replace the theme's own file of that name on every page"
    if path in RESERVED_FILES or path.startswith(RESERVED_PREFIXES):
        return "the build writes this path itself (vendored or generated files)"
    if Path(path).suffix == PAGE_SUFFIX:
        return None
    suffix = Path(path).suffix.lower()
    if suffix in IMAGE_SIGNATURES:
        if Path(path).suffix != suffix:
            return f"write the extension in lower case ({suffix})"
        if not head.startswith(IMAGE_SIGNATURES[suffix]) or (suffix == ".webp" and head[8:12] != b"WEBP"):
            return f"it is not a {suffix[1:].upper()} image (its first bytes say otherwise)"
        return None
    return ("only Markdown pages and PNG, JPEG, GIF or WebP images may be added under docs/ (an SVG, HTML or "
            "script file could run script on the site); the site's own scripts and stylesheets are listed by "
            "name in dlqa/docs_files.py")


def theme_files(template_dirs: list[Path]) -> frozenset[str]:
    """Every file the theme publishes (paths relative to its folders): not its templates, and nothing
    under a hidden folder (MkDocs publishes none; Material keeps its thousands of icons in one)."""
    found = set()
    for folder in map(Path, template_dirs):
        for parent, dirs, names in os.walk(folder):
            dirs[:] = [name for name in dirs if not name.startswith(".") and name != "__pycache__"]
            found |= {(Path(parent) / name).relative_to(folder).as_posix() for name in names
                      if not name.endswith((".html", ".py", ".pyc")) and not name.startswith(".")}
    return frozenset(found)


def default_theme_dirs() -> list[Path]:
    """Material's and MkDocs' template folders (what the build's theme.dirs holds without a custom_dir)."""
    import material.templates
    import mkdocs

    return [Path(material.templates.__file__).parent, Path(mkdocs.__file__).parent / "templates"]


def read_head(path: Path) -> bytes:
    with open(path, "rb") as stream:
        return stream.read(SIGNATURE_BYTES)
