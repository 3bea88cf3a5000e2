"""Executed notebooks in pages: `render` turns a notebook into Markdown (pure), `runner` executes and caches."""
