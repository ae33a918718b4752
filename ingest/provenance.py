"""PROV-O record of one build, for the graph …/graph/provenance."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pyoxigraph import Literal, NamedNode, Quad

from regkg.ontology.namespaces import GRAPH, ID, RKO

from .pipeline import DocumentResult

PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
PROVENANCE_GRAPH = str(GRAPH["provenance"])


def prov_activity_quads(results: Sequence[DocumentResult], started: datetime, ended: datetime,
                        version: str, inputs: str | None = None) -> list[Quad]:
    """A prov:Activity for the build: start/end, regkg version, prov:used per file with its hash.

    Failed files are recorded too (with their reason) so a reader sees what
    the build could not ingest. A document graph copied from the previous
    build ("unchanged") gets the same derivation as a freshly ingested one, so
    an incremental build holds the triples of a clean build. ``inputs`` is the
    fingerprint of everything besides a file's bytes that shapes its triples;
    the next build reuses documents only when it is unchanged.
    """
    g = NamedNode(PROVENANCE_GRAPH)
    act = NamedNode(f"{ID}build/{started.strftime('%Y%m%dT%H%M%S%fZ')}")
    dt = NamedNode(XSD + "dateTime")
    out = [
        Quad(act, RDF_TYPE, NamedNode(PROV + "Activity"), g),
        Quad(act, NamedNode(PROV + "startedAtTime"), Literal(started.isoformat(), datatype=dt), g),
        Quad(act, NamedNode(PROV + "endedAtTime"), Literal(ended.isoformat(), datatype=dt), g),
        Quad(act, NamedNode(str(RKO["softwareVersion"])), Literal(version), g),
    ]
    if inputs:
        out.append(Quad(act, NamedNode(str(RKO["ingestInputs"])), Literal(inputs), g))
    for r in results:
        file_node = NamedNode(r.path.resolve().as_uri())
        out.append(Quad(act, NamedNode(PROV + "used"), file_node, g))
        out.append(Quad(file_node, RDF_TYPE, NamedNode(PROV + "Entity"), g))
        if r.sha256:
            out.append(Quad(file_node, NamedNode(str(RKO["sha256"])), Literal(r.sha256), g))
        out.append(Quad(file_node, NamedNode(str(RKO["ingestStatus"])), Literal(r.status), g))
        if r.error:
            out.append(Quad(file_node, NamedNode(str(RKO["ingestError"])), Literal(r.error), g))
        if r.status in ("ingested", "unchanged"):
            out.append(Quad(NamedNode(r.graph_iri), NamedNode(PROV + "wasGeneratedBy"), act, g))
            out.append(Quad(NamedNode(r.graph_iri), NamedNode(PROV + "wasDerivedFrom"), file_node, g))
    return out
