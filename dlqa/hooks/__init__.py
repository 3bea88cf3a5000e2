"""MkDocs hooks (listed in mkdocs.yml): thin adapters from MkDocs events to the dlqa modules."""
