"""The store's state stamp: a fresh identifier written with every load, in its own graph.

Whatever writes to the store (article loads, vocabulary loads) writes a new stamp in the same
atomic call where it can; readers compare stamps to know whether anything changed since they
last looked — the canned-answer cache and the API's ETags rely on it, for the embedded store and
for a remote server alike.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from clinkg.ontology.namespaces import GRAPH, ID
from clinkg.store import Store, Term

STATE_GRAPH = GRAPH["state"]
STORE_NODE = ID["store"]
_STATE_QUERY = """
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?stamp WHERE { <https://w3id.org/clinkg/id/store> dcterms:identifier ?stamp }
"""


def new_stamp() -> dict[URIRef, list[tuple[Term, Term, Term]]]:
    """The state graph for a write about to happen: pass it with the write's own graphs."""
    now = datetime.now(UTC).replace(microsecond=0)
    return {
        STATE_GRAPH: [
            (STORE_NODE, DCTERMS.identifier, Literal(uuid.uuid4().hex)),
            (STORE_NODE, DCTERMS.modified, Literal(now.isoformat(), datatype=XSD.dateTime)),
        ]
    }


def current_stamp(store: Store) -> str | None:
    """The stamp of the last write, or None for a store no clinkg load has written."""
    rows = store.select(_STATE_QUERY)
    return str(rows[0]["stamp"]) if rows and rows[0].get("stamp") is not None else None
