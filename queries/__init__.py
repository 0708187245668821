"""The canned questions: one SPARQL query per `.rq` file with a `#+` YAML header."""

from pathlib import Path

QUERIES_DIR = Path(__file__).resolve().parent
