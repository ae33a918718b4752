"""Check the ontology and curated knowledge: SHACL shapes and OWL consistency.

Validation reads the Turtle files directly, so authors can check their work
without building the graph; the build itself trusts files that validate.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from regkg.ontology.load import ONTOLOGY_DIR, ontology_files, shapes_file


@dataclass
class ValidationReport:
    conforms: bool
    shacl_text: str
    violations: int
    owl_consistent: bool | None = None
    owl_message: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.conforms and self.owl_consistent is not False and not self.errors


def load_union(directory: Path = ONTOLOGY_DIR, extra: list[Path] | None = None) -> Graph:
    """TBox and curated files as one rdflib graph (what SHACL and the reasoner see)."""
    graph = Graph()
    for f in ontology_files(directory):
        graph.parse(f.path, format="turtle")
    for path in extra or []:
        graph.parse(path, format="turtle")
    return graph


def shacl_check(data: Graph, shapes_path: Path | None = None) -> tuple[bool, str, int]:
    from pyshacl import validate

    shapes = Graph().parse(shapes_path or shapes_file(), format="turtle")
    conforms, results_graph, text = validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    from rdflib.namespace import SH, RDF

    violations = len(list(results_graph.subjects(RDF.type, SH.ValidationResult)))
    return bool(conforms), text, violations


def owl_check(data: Graph) -> tuple[bool, str]:
    """Load the graph into owlready2 and run HermiT; inconsistency means contradictory axioms."""
    import owlready2

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "regkg.nt"
        data.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load()
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            return False, f"OWL inconsistency: {exc}"
        inconsistent = list(world.inconsistent_classes())
        if inconsistent:
            return False, "unsatisfiable classes: " + ", ".join(str(c) for c in inconsistent)
    return True, "consistent (HermiT)"


def validate(directory: Path = ONTOLOGY_DIR, extra: list[Path] | None = None, owl: bool = True) -> ValidationReport:
    try:
        data = load_union(directory, extra)
    except Exception as exc:  # a Turtle syntax error: report it, do not crash
        return ValidationReport(False, "", 0, errors=[f"cannot parse ontology files: {exc}"])
    conforms, text, violations = shacl_check(data)
    report = ValidationReport(conforms, text, violations)
    if owl:
        report.owl_consistent, report.owl_message = owl_check(data)
    return report
