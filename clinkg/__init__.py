"""clinkg: clinical Q&A articles as an OWL knowledge graph.

This package is the small core both sides share: errors, the store interface and its
implementations, the query catalogue and configuration. It imports neither `clinkg.loaders` nor
`clinkg.server`; `clinkg.cli` is the composition root that wires them together.
"""

__version__ = "0.1.0"
