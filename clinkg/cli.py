"""`clinkg` command line: load, remove, articles, load-vocabulary, serve, query, questions, export.

The composition root: the only core module that wires in `clinkg.loaders` and `clinkg.server`,
imported inside the commands that need them. Each command is a thin shell over a plain function.
"""

from __future__ import annotations

import argparse
import errno
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from clinkg.config import open_store
from clinkg.errors import ArticleParseError, ClinkgError, ValidationError
from clinkg.library import entry_json, list_articles
from clinkg.registry import load_catalogue
from clinkg.server.answers import answer_question, answer_to_json
from clinkg.server.csv_cells import cell_text, csv_text, neutralise_csv
from clinkg.store import Row, Store

EXPORT_TYPES = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "nq": "application/n-quads",
    "trig": "application/trig",
}
VOCABULARIES = ("hpo", "icd10cm")
QUERY_TYPES = {
    "json": "application/sparql-results+json,application/ld+json",
    "csv": "text/csv,application/n-triples",
}


def load_files(
    paths: Sequence[Path],
    store: Store,
    *,
    reasoning: bool = True,
    audit: bool = False,
    replace: bool = False,
    progress: TextIO | None = None,
    workers: int | None = None,
) -> str:
    """Load articles into the store; the pipeline's report as text."""
    from clinkg.loaders.pipeline import load_articles

    report = load_articles(
        list(paths),
        store,
        reasoning=reasoning,
        audit=audit,
        replace=replace,
        progress=progress,
        workers=workers,
    )
    return str(report.render())


def remove_named(names: Sequence[str], store: Store, *, reasoning: bool = True) -> str:
    """Remove articles (id, file name, title or question); the report as text."""
    from clinkg.loaders.pipeline import remove_articles

    return remove_articles(list(names), store, reasoning=reasoning).render()


def list_library(store: Store, fmt: str = "table") -> str:
    """The loaded articles as a table (or JSON): id, title, question, dates, counts."""
    entries = list_articles(store)
    if fmt == "json":
        return json.dumps([entry_json(e) for e in entries], indent=2, ensure_ascii=False)
    columns = ["id", "title", "question", "updated", "loaded", "triples", "warnings", "unresolved"]
    rows = [
        [e.id, e.title, e.question, e.last_updated or "", e.loaded, str(e.triples)] for e in entries
    ]
    for row, e in zip(rows, entries, strict=True):
        row.extend([str(len(e.warnings)), str(e.unresolved_citations)])
    return _table(columns, rows) if rows else "No articles are loaded (clinkg load FILE ...)."


def load_vocabulary(name: str, store: Store, progress: TextIO | None = None) -> str:
    """Replace one public vocabulary's graph (`hpo`, `icd10cm`); its load report as text."""
    if name == "hpo":
        from clinkg.loaders.vocabularies.hpo import load_hpo

        return load_hpo(store, progress=progress).render()
    from clinkg.loaders.vocabularies.icd10cm import load_icd10cm

    return load_icd10cm(store, progress=progress).render()


def show_rules() -> str:
    """The rules and checks the ontology compiles to, as SPARQL, with the axiom of each."""
    from clinkg.loaders.reason.rules import bundled

    return bundled().program.render()


def list_questions() -> str:
    """The catalogue as lines of `id  (params)  summary`."""
    lines = []
    for question in load_catalogue().questions():
        params = ", ".join(f"{p.name}={p.values}" for p in question.params)
        lines.append(f"{question.id}  ({params})  {question.summary}")
    return "\n".join(lines)


def run_question(store: Store, question_id: str, params: dict[str, str], fmt: str) -> str:
    """One canned question answered, as JSON, CSV or a text table."""
    answered = answer_question(store, load_catalogue(), question_id, params)
    if fmt == "json":
        return json.dumps(answer_to_json(answered), indent=2, ensure_ascii=False)
    columns = ["label", "iri", *sorted({k for a in answered.answers for k in a.columns})]
    rows = [
        [item.label, str(item.iri), *(cell_text(item.columns.get(c)) for c in columns[2:])]
        for item in answered.answers
    ]
    return _csv(columns, rows) if fmt == "csv" else _table(columns, rows)


def run_query_file(store: Store, path: Path, fmt: str) -> str:
    """A SPARQL file run as is (a researcher's query), serialized or as a table."""
    try:
        sparql = path.read_text(encoding="utf-8")
    except OSError as error:
        bare_name = not path.exists() and len(path.parts) == 1 and not path.suffix
        hint = f" (for a canned question: --question {path})" if bare_name else ""
        raise ClinkgError(f"cannot read the query file {path}: {error.strerror}{hint}") from error
    if fmt == "table":
        rows: list[Row] = store.select(sparql)
        columns = list(rows[0]) if rows else []
        return _table(columns, [[cell_text(row[c]) for c in columns] for row in rows])
    result = store.query_serialized(sparql, QUERY_TYPES[fmt])
    body = neutralise_csv(result.body) if result.media_type == "text/csv" else result.body
    return body.decode("utf-8")


def _csv(columns: list[str], rows: list[list[str]]) -> str:
    return csv_text(columns, rows).rstrip("\n")


def _table(columns: list[str], rows: list[list[str]]) -> str:
    widths = [max([len(c), *(len(r[i]) for r in rows)]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(line.rstrip() for line in lines)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    parser = argparse.ArgumentParser(
        prog="clinkg", description="Clinical articles as a knowledge graph."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    load = commands.add_parser("load", help="load article text files into the store")
    load.add_argument("files", nargs="+", type=Path, metavar="FILE")
    load.add_argument(
        "--no-reasoning",
        dest="reasoning",
        action="store_false",
        help="skip reasoning (no Java needed); the inferred graph is then emptied",
    )
    load.add_argument(
        "--audit",
        action="store_true",
        help="reason with HermiT over every article graph instead of the compiled rules",
    )
    load.add_argument(
        "--replace",
        action="store_true",
        help="load a file whose content is already loaded under another name, or that would "
        "overwrite an article asking another question, in place of that article",
    )
    load.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="processes that build the articles of a batch ($CLINKG_LOAD_WORKERS; default one "
        "per CPU); the result is the same with any number",
    )
    _store_options(load)

    remove = commands.add_parser(
        "remove", help="remove loaded articles and what only their facts implied"
    )
    remove.add_argument("articles", nargs="+", metavar="ARTICLE", help="id, file name or title")
    remove.add_argument(
        "--no-reasoning",
        dest="reasoning",
        action="store_false",
        help="skip reasoning; the inferred graph is then emptied",
    )
    _store_options(remove)

    articles = commands.add_parser("articles", help="list the loaded articles")
    articles.add_argument("--format", choices=["table", "json"], default="table")
    _store_options(articles)

    vocabulary = commands.add_parser(
        "load-vocabulary", help="bulk-load a public vocabulary into its own graph"
    )
    vocabulary.add_argument("vocabulary", choices=VOCABULARIES)
    vocabulary.add_argument("--quiet", action="store_true", help="no progress bar")
    _store_options(vocabulary)

    serve = commands.add_parser("serve", help="serve /sparql, /api and the web page (waitress)")
    _store_options(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)

    query = commands.add_parser("query", help="run a .rq file or a canned question")
    target = query.add_mutually_exclusive_group(required=True)
    target.add_argument("file", nargs="?", type=Path, metavar="FILE.rq")
    target.add_argument("--question", metavar="ID")
    query.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    query.add_argument("--format", choices=["json", "csv", "table"], default="table")
    _store_options(query)

    commands.add_parser("questions", help="list the canned questions")
    commands.add_parser("rules", help="print the SPARQL rules and checks the ontology compiles to")

    export = commands.add_parser("export", help="write the whole graph to a file or stdout")
    _store_options(export)
    export.add_argument("--format", choices=sorted(EXPORT_TYPES), default="ttl")
    export.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    return parser


def _store_options(command: argparse.ArgumentParser) -> None:
    """--store for the embedded store, or --endpoint (+ --update-endpoint) for a SPARQL server."""
    where = command.add_mutually_exclusive_group()
    where.add_argument("--store", help="store directory (default: $CLINKG_STORE, else ./var/store)")
    where.add_argument(
        "--endpoint",
        metavar="QUERY_URL",
        help="a SPARQL 1.1 server's query URL instead of a store directory ($CLINKG_ENDPOINT)",
    )
    command.add_argument(
        "--update-endpoint",
        metavar="UPDATE_URL",
        help="the server's SPARQL Update URL, for load ($CLINKG_UPDATE_ENDPOINT); "
        "credentials from $CLINKG_SPARQL_USER and $CLINKG_SPARQL_PASSWORD",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; 0 on success, 1 with a message on stderr on a clinkg error."""
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except (ArticleParseError, ValidationError, ClinkgError) as error:
        print(f"clinkg {args.command}: {error}", file=sys.stderr)
        return 1


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "questions":
        print(list_questions())
        return 0
    if args.command == "rules":
        print(show_rules())
        return 0
    store = open_store(args.store, args.endpoint, args.update_endpoint)
    try:
        if args.command == "load":
            print(
                load_files(
                    args.files,
                    store,
                    reasoning=args.reasoning,
                    audit=args.audit,
                    replace=args.replace,
                    progress=sys.stderr,
                    workers=args.workers,
                )
            )
        elif args.command == "remove":
            print(remove_named(args.articles, store, reasoning=args.reasoning))
        elif args.command == "articles":
            print(list_library(store, args.format))
        elif args.command == "load-vocabulary":
            print(load_vocabulary(args.vocabulary, store, None if args.quiet else sys.stderr))
        elif args.command == "serve":
            _serve(store, args.host, args.port)
        elif args.command == "query":
            print(_query(store, args))
        elif args.command == "export":
            _export(store, args.format, args.output)
    finally:
        store.close()
    return 0


def _query(store: Store, args: argparse.Namespace) -> str:
    if args.question:
        pairs = [p.split("=", 1) for p in args.param]
        if any(len(pair) != 2 for pair in pairs):
            raise ClinkgError("--param takes NAME=VALUE")
        return run_question(store, args.question, dict(pairs), args.format)
    return run_query_file(store, args.file, args.format)


def _serve(store: Store, host: str, port: int) -> None:
    from clinkg.server import create_app
    from clinkg.server.serving import serve

    try:
        serve(create_app({"STORE": store}), host, port)
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        raise ClinkgError(
            f"cannot listen on {host}:{port}: the port is in use (another clinkg serve?);"
            " stop that server or pick another --port"
        ) from error


def _export(store: Store, fmt: str, output: Path | None) -> None:
    data = store.export(EXPORT_TYPES[fmt])
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        output.write_bytes(data)


if __name__ == "__main__":
    sys.exit(main())
