"""regkg — a regulatory knowledge graph for Japanese regenerative medicine.

The code is laid out along the data flow: ``regkg.ingest`` (sources → triples),
``regkg.ontology`` (the model and curated knowledge), ``regkg.graph`` (the
store and the build), ``regkg.queries`` (the read side) and ``regkg.api``
(HTTP and command line).
"""

__version__ = "0.1.0"
