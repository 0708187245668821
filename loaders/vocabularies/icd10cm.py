"""ICD-10-CM from the `simple-icd-10-cm` package -> SKOS concepts in their own named graph.

The same codes `loaders/vocabularies/lexicon.py` maps article conditions to, so a mapping's
target has its label, notation and hierarchy in the store. Chapters are left out (they have no
code); blocks ("I80-I89") are the scheme's top concepts, and codes keep the dotted form ("I80.0").
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from importlib import metadata
from typing import TextIO

from rdflib import OWL, RDF, RDFS, SKOS

from clinkg.loaders.progress import Progress
from clinkg.loaders.vocabularies.hpo import Advance, VocabularyReport
from clinkg.loaders.vocabularies.ntriples import Counter, chunked, iri, literal
from clinkg.ontology import namespaces as ns
from clinkg.ontology.namespaces import ICD10CM_GRAPH, ICD10CM_SCHEME
from clinkg.store import Store
from clinkg.store.state import new_stamp

_TYPE, _LABEL = iri(str(RDF.type)), iri(str(RDFS.label))
_CONCEPT, _SCHEME_CLASS = iri(str(SKOS.Concept)), iri(str(SKOS.ConceptScheme))
_IN_SCHEME, _TOP = iri(str(SKOS.inScheme)), iri(str(SKOS.topConceptOf))
_NOTATION, _PREF, _ALT = iri(str(SKOS.notation)), iri(str(SKOS.prefLabel)), iri(str(SKOS.altLabel))
_BROADER, _VERSION = iri(str(SKOS.broader)), iri(str(OWL.versionInfo))
_SCHEME = iri(str(ICD10CM_SCHEME))


def load_icd10cm(store: Store, progress: TextIO | None = None) -> VocabularyReport:
    """Replace the ICD-10-CM graph by every block and code of simple-icd-10-cm."""
    import simple_icd_10_cm as icd

    codes = [code for code in icd.get_all_codes(True) if not icd.is_chapter(code)]
    bar = Progress("icd10cm", len(codes), progress, unit="codes")
    counter = Counter()
    started = time.perf_counter()
    store.bulk_load(ICD10CM_GRAPH, chunked(icd10cm_ntriples(codes, bar.advance), counter))
    bar.finish()
    store.replace_graphs(new_stamp())
    seconds = time.perf_counter() - started
    source = f"simple-icd-10-cm {metadata.version('simple-icd-10-cm')}"
    return VocabularyReport("icd10cm", ICD10CM_GRAPH, counter.triples, seconds, (source,))


def icd10cm_ntriples(codes: list[str], advance: Advance | None = None) -> Iterator[str]:
    """N-Triples of the scheme, then of each code: labels, notation, broader, inclusion terms."""
    import simple_icd_10_cm as icd

    version = metadata.version("simple-icd-10-cm")
    yield f"{_SCHEME} {_TYPE} {_SCHEME_CLASS} .\n{_SCHEME} {_LABEL} {literal('ICD-10-CM')} .\n"
    yield f"{_SCHEME} {_VERSION} {literal(version)} .\n"
    for index, code in enumerate(codes):
        if advance is not None and index % 5000 == 0:
            advance(min(5000, len(codes) - index))
        concept = iri(str(ns.icd10cm(code)))
        label = literal(icd.get_description(code))
        lines = [
            f"{concept} {_TYPE} {_CONCEPT} .\n",
            f"{concept} {_IN_SCHEME} {_SCHEME} .\n",
            f"{concept} {_NOTATION} {literal(code)} .\n",
            f"{concept} {_PREF} {label} .\n",
            f"{concept} {_LABEL} {label} .\n",
        ]
        parent = icd.get_parent(code)
        if parent and not icd.is_chapter(parent):
            lines.append(f"{concept} {_BROADER} {iri(str(ns.icd10cm(parent)))} .\n")
        else:
            lines.append(f"{concept} {_TOP} {_SCHEME} .\n")
        lines += [f"{concept} {_ALT} {literal(term)} .\n" for term in icd.get_inclusion_term(code)]
        yield "".join(lines)
