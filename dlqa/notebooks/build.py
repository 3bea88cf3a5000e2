"""The notebooks of the current build, shared by the notebooks hook (which prepares them) and
the notebook_pages hook (which makes them pages): hooks are loaded as separate modules, so
what they share lives here, like dlqa.site_pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from dlqa.notebooks.pages import Embedding
from dlqa.notebooks.runner import Prepared, Settings


@dataclass
class BuildNotebooks:
    settings: Settings | None = None
    source_base: str | None = None  # e.g. https://github.com/org/repo/blob/main/
    pages_on: bool = False  # mkdocs-jupyter is configured: every notebook also gets a page
    prepared: dict[str, Prepared] = field(default_factory=dict)
    safe: dict[str, object] = field(default_factory=dict)  # name -> the notebook as the site shows it
    embedded: dict[str, list[Embedding]] = field(default_factory=dict)  # name -> the answers embedding it

    def all_notebooks(self) -> list[str]:
        folder = self.settings.notebook_dir
        return sorted(p.stem for p in folder.glob("*.py")) if folder.is_dir() else []


current = BuildNotebooks()
