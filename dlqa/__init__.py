"""dlqa: the tools and MkDocs hooks of the Deep Learning Interview Q&A site.

`dlqa.page` is the one model of a page; `qa` (dlqa.cli) is the command line.
"""
