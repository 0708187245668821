"""The SPARQL 1.1 Protocol on the wire: one POST per query or update, and what can go wrong.

Every request is form-encoded (the one encoding every server reads), names its dataset with the
Protocol's `default-graph-uri` / `named-graph-uri` parameters when given, and each failure
becomes a clinkg error that names the URL. Credentials ($CLINKG_SPARQL_USER and
$CLINKG_SPARQL_PASSWORD) answer the server's challenge, HTTP Basic or Digest (Virtuoso's
`/sparql-auth` asks for Digest). Openers are per request, never installed process-wide, so
threads and stores do not share auth state.
"""

from __future__ import annotations

import base64
import http.client
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlencode

from clinkg.errors import ClinkgError, NotAcceptable, QueryError, StoreUnavailable

USER_ENV: Final = "CLINKG_SPARQL_USER"
PASSWORD_ENV: Final = "CLINKG_SPARQL_PASSWORD"
FORM: Final = "application/x-www-form-urlencoded"
# Enough of the server's error text to say what it objected to, not a whole HTML page.
MESSAGE_CHARS: Final = 2000


@dataclass(frozen=True)
class Answer:
    """A server's answer: its body and media type (parameters dropped)."""

    body: bytes
    media_type: str


@dataclass(frozen=True)
class Dataset:
    """The graphs a request names as its default graph and as its named graphs."""

    default: Sequence[str]
    named: Sequence[str]


class ProtocolClient:
    """Sends queries and updates to one server's endpoints."""

    def __init__(
        self,
        query_endpoint: str,
        update_endpoint: str | None,
        timeout: int,
        credentials: tuple[str, str] | None,
    ) -> None:
        self.query_endpoint = query_endpoint
        self.update_endpoint = update_endpoint
        self.timeout = timeout
        self._credentials = credentials
        # The scheme the server last challenged for. Nothing is sent before a challenge:
        # Virtuoso's Digest endpoint refuses a Basic header with no challenge to retry on.
        self._scheme: str | None = None

    def query(self, sparql: str, accept: str, dataset: Dataset | None) -> Answer:
        """POST a query; the answer in one of the `accept`ed types."""
        fields = [("query", sparql)]
        if dataset is not None:
            fields += [("default-graph-uri", graph) for graph in dataset.default]
            fields += [("named-graph-uri", graph) for graph in dataset.named]
        return self._post(self.query_endpoint, fields, accept)

    def update(self, update: str, update_endpoint: str) -> None:
        """POST one update request (one transaction on servers that give one per request)."""
        self._post(update_endpoint, [("update", update)], "*/*")

    def _post(self, url: str, fields: list[tuple[str, str]], accept: str) -> Answer:
        body = urlencode(fields).encode("utf-8")
        try:
            with self._open(url, body, accept) as response:
                return Answer(response.read(), response.headers.get_content_type())
        except urllib.error.HTTPError as error:
            raise http_error(url, error) from error
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, TimeoutError):
                reason = f"no answer within {self.timeout} s"
            raise StoreUnavailable(f"SPARQL server {url} did not answer: {reason}") from error
        except TimeoutError as error:
            message = f"SPARQL server {url} did not answer: no answer within {self.timeout} s"
            raise StoreUnavailable(message) from error
        except (OSError, http.client.HTTPException) as error:
            message = f"SPARQL server {url} did not answer: {error!r}"
            raise StoreUnavailable(message) from error

    def _open(self, url: str, body: bytes, accept: str) -> http.client.HTTPResponse:
        try:
            return self._send(url, body, accept, self._scheme)
        except urllib.error.HTTPError as error:
            scheme = _challenge(error)
            if error.code != 401 or self._credentials is None or scheme in (None, self._scheme):
                raise
            error.close()
            self._scheme = scheme
            return self._send(url, body, accept, scheme)

    def _send(
        self, url: str, body: bytes, accept: str, scheme: str | None
    ) -> http.client.HTTPResponse:
        request = urllib.request.Request(url, data=body, method="POST")
        request.add_header("Content-Type", FORM)
        request.add_header("Accept", accept)
        handlers: list[urllib.request.BaseHandler] = []
        if self._credentials is not None and scheme == "basic":
            pair = ":".join(self._credentials).encode("utf-8")
            request.add_header("Authorization", "Basic " + base64.b64encode(pair).decode())
        elif self._credentials is not None and scheme == "digest":
            # A fresh handler per request: it counts its retries.
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, url, *self._credentials)
            handlers.append(urllib.request.HTTPDigestAuthHandler(passwords))
        response: http.client.HTTPResponse = urllib.request.build_opener(*handlers).open(
            request, timeout=self.timeout
        )
        return response


def _challenge(error: urllib.error.HTTPError) -> str | None:
    """The auth scheme a 401 asks for, when clinkg speaks it (basic or digest)."""
    words = (error.headers.get("WWW-Authenticate") or "").split()
    scheme = words[0].lower() if words else None
    return scheme if scheme in ("basic", "digest") else None


def http_error(url: str, error: urllib.error.HTTPError) -> ClinkgError:
    """The clinkg error for an HTTP error status, with what the server said."""
    said = server_message(error)
    if error.code in (400, 413, 414, 415):
        return QueryError(said or f"SPARQL server {url} answered {error.code} {error.reason}")
    if error.code in (401, 403):
        return StoreUnavailable(
            f"SPARQL server {url} refused access ({error.code}): see ${USER_ENV}, ${PASSWORD_ENV}"
        )
    if error.code == 404:
        return StoreUnavailable(f"SPARQL server {url} has no endpoint at that URL (404)")
    if error.code == 406:
        return NotAcceptable(f"SPARQL server {url} answered {error.code} {error.reason}")
    if error.code == 500:
        return StoreUnavailable(f"SPARQL server {url} failed (500): {said}")
    return StoreUnavailable(f"SPARQL server {url} answered {error.code} {error.reason}")


def server_message(error: urllib.error.HTTPError) -> str:
    """The text the server sent with its error, shortened."""
    try:
        text = error.read().decode("utf-8", "replace").strip()
    except (OSError, http.client.HTTPException):
        return ""
    return text if len(text) <= MESSAGE_CHARS else text[:MESSAGE_CHARS] + " …"
