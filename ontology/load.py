"""Find the ontology's Turtle files and say which named graph each belongs to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from regkg.ontology.namespaces import ONTOLOGY_GRAPH, curated_graph

ONTOLOGY_DIR = Path(__file__).resolve().parent
TBOX_FILE = "core.ttl"
SHAPES_FILE = "shapes.ttl"


@dataclass(frozen=True)
class OntologyFile:
    path: Path
    graph: str


def ontology_files(directory: Path = ONTOLOGY_DIR) -> list[OntologyFile]:
    """The TBox in the ontology graph and each curated topic in its own graph.

    The SHACL shapes are not data: they are read by the validator, not loaded.
    """
    files = []
    for path in sorted(directory.glob("*.ttl")):
        if path.name == SHAPES_FILE:
            continue
        graph = str(ONTOLOGY_GRAPH) if path.name == TBOX_FILE else curated_graph(path.stem)
        files.append(OntologyFile(path, graph))
    return files


def shapes_file(directory: Path = ONTOLOGY_DIR) -> Path:
    return directory / SHAPES_FILE
