"""Serve KaTeX's stylesheet and fonts from the site itself.

Formulas are rendered at build time (render_math hook): pages need KaTeX's CSS and the
fonts it names, not its script. Mermaid diagrams arrive as SVG and need nothing.

The files come from `node_modules/` (installed by `make install` from the pinned
package.json) and are added to the build as `assets/vendor/...`, so the site
never asks a CDN for anything. A missing file fails the build with the command
that fixes it.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

# Site path prefix -> directory inside node_modules.
VENDORED = {
    "assets/vendor/katex": "katex/dist",
}
# Only what the pages load: KaTeX's stylesheet and its fonts (browsers that read this CSS take woff2).
PATTERNS = {
    "assets/vendor/katex": ["katex.min.css", "fonts/*.woff2"],
}


def vendored_files(node_modules: Path) -> list[tuple[str, Path]]:
    """(site path, source file) for every vendored asset; raises if one is missing."""
    pairs = []
    for prefix, package_dir in VENDORED.items():
        root = node_modules / package_dir
        for pattern in PATTERNS[prefix]:
            matches = sorted(root.glob(pattern))
            if not matches:
                raise PluginError(
                    f"vendor_assets: {root / pattern} is missing. "
                    "Run `make install` (it runs `npm ci`; Node.js 18+ is required)."
                )
            pairs += [(f"{prefix}/{path.relative_to(root).as_posix()}", path) for path in matches]
    return pairs


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    node_modules = Path(config.config_file_path).parent / "node_modules"
    for site_path, source in vendored_files(node_modules):
        files.append(File.generated(config, site_path, abs_src_path=str(source)))
    return files
