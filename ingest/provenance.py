"""PROV-O record of one build, for the graph …/graph/provenance."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, Quad

from regkg.ontology.namespaces import GRAPH, ID, RKO

from .pipeline import DocumentResult

PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
PROVENANCE_GRAPH = str(GRAPH["provenance"])


def prov_activity_quads(results: Sequence[DocumentResult], started: datetime, ended: datetime,
                        version: str, inputs: str | None = None) -> list[Quad]:
    """A prov:Activity for the build: start/end, regkg version, prov:used per file with its hash.

    Failed files are recorded too (with their reason) so a reader sees what
    the build could not ingest. A document graph copied from the previous
    build ("unchanged") gets the same derivation as a freshly ingested one, so
    an incremental build holds the triples of a clean build. ``inputs`` is the
    fingerprint of everything besides a file's bytes that shapes its triples;
    the next build reuses documents only when it is unchanged. A file is
    named by its content hash, with its file name as a label: the graph is
    public through ``/sparql``, and the server's directory layout is not.
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
        file_node = NamedNode(f"{ID}source/{r.sha256 or 'unread/' + quote(r.path.name)}")
        out.append(Quad(file_node, NamedNode(RDFS_LABEL), Literal(r.path.name), g))
        out.append(Quad(act, NamedNode(PROV + "used"), file_node, g))
        out.append(Quad(file_node, RDF_TYPE, NamedNode(PROV + "Entity"), g))
        if r.sha256:
            out.append(Quad(file_node, NamedNode(str(RKO["sha256"])), Literal(r.sha256), g))
        out.append(Quad(file_node, NamedNode(str(RKO["ingestStatus"])), Literal(r.status), g))
        if r.error:
            reason = r.error.replace(str(r.path.resolve()), r.path.name).replace(str(r.path), r.path.name)
            out.append(Quad(file_node, NamedNode(str(RKO["ingestError"])), Literal(reason), g))
        if r.status in ("ingested", "unchanged"):
            out.append(Quad(NamedNode(r.graph_iri), NamedNode(PROV + "wasGeneratedBy"), act, g))
            out.append(Quad(NamedNode(r.graph_iri), NamedNode(PROV + "wasDerivedFrom"), file_node, g))
    return out
