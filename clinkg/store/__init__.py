"""The store: one small interface (`Store`) and its two implementations.

`clinkg.store.oxigraph.OxigraphStore` is the embedded default; `clinkg.store.remote.RemoteStore`
talks to any SPARQL 1.1 server; `clinkg.store.state` stamps each load so caches follow it.
"""

from clinkg.store.base import (
    XSD_STRING,
    Row,
    SerializedResult,
    Store,
    Term,
    exclusive_writes,
    snapshot,
)

__all__ = ["XSD_STRING", "Row", "SerializedResult", "Store", "Term", "exclusive_writes", "snapshot"]
