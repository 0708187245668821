"""The clinkg ontology: Turtle sources, SHACL shapes and the namespaces module that mints IRIs."""

from pathlib import Path

ONTOLOGY_DIR = Path(__file__).resolve().parent
ONTOLOGY_FILE = ONTOLOGY_DIR / "clinkg.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"

__all__ = ["ONTOLOGY_DIR", "ONTOLOGY_FILE", "SHAPES_FILE"]
