"""The OWL 2 datatype map (OWL 2 Structural Specification, section 4) and which datatypes' value
spaces lie inside which: a literal of xsd:int is an xsd:integer and an xsd:decimal."""

from __future__ import annotations

from functools import cache

from rdflib import OWL, RDF, RDFS, XSD, URIRef

OWL2_DATATYPES = frozenset(
    {XSD[name] for name in (
        "decimal", "integer", "nonNegativeInteger", "nonPositiveInteger", "positiveInteger",
        "negativeInteger", "long", "int", "short", "byte", "unsignedLong", "unsignedInt",
        "unsignedShort", "unsignedByte", "double", "float", "string", "normalizedString",
        "token", "language", "Name", "NCName", "NMTOKEN", "boolean", "hexBinary",
        "base64Binary", "anyURI", "dateTime", "dateTimeStamp",
    )}
    | {RDF.PlainLiteral, RDF.XMLLiteral, RDF.langString, RDFS.Literal, OWL.real, OWL.rational}
)  # fmt: skip

# Each datatype and the one whose value space directly contains its own.
_WITHIN: dict[URIRef, URIRef] = {
    **{XSD[n]: XSD.integer for n in ("nonNegativeInteger", "nonPositiveInteger", "long")},
    XSD.positiveInteger: XSD.nonNegativeInteger,
    XSD.unsignedLong: XSD.nonNegativeInteger,
    XSD.unsignedInt: XSD.unsignedLong,
    XSD.unsignedShort: XSD.unsignedInt,
    XSD.unsignedByte: XSD.unsignedShort,
    XSD.negativeInteger: XSD.nonPositiveInteger,
    XSD.int: XSD.long,
    XSD.short: XSD.int,
    XSD.byte: XSD.short,
    XSD.integer: XSD.decimal,
    XSD.decimal: OWL.rational,
    OWL.rational: OWL.real,
    XSD.normalizedString: XSD.string,
    XSD.token: XSD.normalizedString,
    **{XSD[n]: XSD.token for n in ("language", "Name", "NMTOKEN")},
    XSD.NCName: XSD.Name,
    XSD.string: RDF.PlainLiteral,
    RDF.langString: RDF.PlainLiteral,
    XSD.dateTimeStamp: XSD.dateTime,
}


@cache
def compatible_datatypes(datatype: URIRef) -> frozenset[URIRef]:
    """The datatypes whose literals are all in `datatype`'s value space (itself included)."""
    if datatype == RDFS.Literal:
        return OWL2_DATATYPES
    found = {datatype}
    for other in OWL2_DATATYPES:
        step: URIRef | None = other
        while step is not None and step != datatype:
            step = _WITHIN.get(step)
        if step == datatype:
            found.add(other)
    return frozenset(found)
