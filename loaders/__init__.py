"""Loaders: article text -> records (parse) -> facts (extract) -> RDF graph (build) -> store.

`parse`, `citations`, `extract` and `build` are pure; `pipeline` is the one place with I/O.
No module here imports Flask or `clinkg.server`.
"""
