"""Errors with the facts a user needs to act on them; the HTTP boundary maps them to statuses."""

from __future__ import annotations


class ClinkgError(Exception):
    """Base of every error clinkg raises on purpose."""


class ArticleParseError(ClinkgError):
    """An article that cannot be read: names the file, the line (when known) and the reason."""

    def __init__(self, source: str, line: int | None, reason: str) -> None:
        self.source = source
        self.line = line
        self.reason = reason
        where = f"{source}, line {line}" if line is not None else source
        super().__init__(f"{where}: {reason}")


class ValidationError(ClinkgError):
    """A built graph that breaks the SHACL shapes or the ontology; nothing is written."""


class QueryError(ClinkgError):
    """A SPARQL query that does not parse or may not run here (400)."""


class QueryParameterError(ClinkgError):
    """A canned-question parameter that is missing or has a value outside the allowed ones (400)."""

    def __init__(self, parameter: str, value: str | None, allowed: list[str]) -> None:
        self.parameter = parameter
        self.value = value
        self.allowed = allowed
        shown = ", ".join(allowed[:40]) + (" …" if len(allowed) > 40 else "")
        if not allowed:
            shown = "none yet — the store holds no such values; load articles first (clinkg load)"
        if value is None:
            message = f"missing parameter '{parameter}'; allowed values: {shown}"
        else:
            message = f"unknown value '{value}' for '{parameter}'; allowed values: {shown}"
        super().__init__(message)


class LimitExceeded(ClinkgError):
    """A request over one of the server's bounds (values, lengths): names the limit hit (400)."""

    def __init__(self, limit: str, message: str) -> None:
        self.limit = limit
        super().__init__(message)


class UnknownQuestion(ClinkgError):
    """A canned-question id that the catalogue does not have (404)."""


class QueryCatalogueError(ClinkgError):
    """A `.rq` file whose `#+` header does not parse: stops start-up with the file and reason."""


class StoreUnavailable(ClinkgError):
    """The store cannot be reached or did not answer in time (503)."""


class StoreBusy(StoreUnavailable):
    """A write to a store another process is writing: names that process and what to do."""


class NotAcceptable(ClinkgError):
    """An answer that cannot be serialized in any media type the caller accepts (406)."""


class StoreReadOnly(ClinkgError):
    """A write to a store opened without a way to write (a remote store with no update URL)."""


class VocabularyParseError(ArticleParseError):
    """A public vocabulary file (hp.obo, phenotype.hpoa) with a line that cannot be read."""


class InconsistentGraph(ValidationError):
    """A load the reasoner finds inconsistent: refused, with the clash in plain words."""

    def __init__(self, reasons: list[str], hermit: str = "") -> None:
        self.reasons = tuple(reasons)
        self.hermit = hermit
        shown = "\n  ".join(self.reasons) or (
            "HermiT found no model, and no single individual in two disjoint classes explains it"
        )
        super().__init__(f"the load is refused: the graph would be inconsistent:\n  {shown}")


class UnsupportedAxiom(ClinkgError):
    """An ontology axiom the rule compiler does not cover: named, so it is never ignored."""


class ReasonerUnavailable(ClinkgError):
    """The OWL reasoner cannot run here (no Java runtime, or HermiT failed)."""


class QueryRefused(QueryError):
    """A query the public endpoint will not run: SERVICE, a graph not in the store, an update."""


class QueryTimeout(StoreUnavailable):
    """A query that ran past its deadline; its worker process was killed (503, Retry-After)."""

    def __init__(self, message: str, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class TooManyQueries(ClinkgError):
    """Every query worker is busy and the waiting line is full (429, Retry-After)."""

    def __init__(self, message: str, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class ServerBusy(StoreUnavailable):
    """No query worker came free in time (503, Retry-After)."""

    def __init__(self, message: str, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(message)
