"""Ingest: source documents → citable, annotated units → quads, one named graph per document.

Entry points (see pipeline.py): ``discover``, ``ingest_corpus``, ``DocumentResult``;
``provenance.prov_activity_quads``; ``lexicon.Lexicon.from_graph``;
``annotate.Annotator``; ``evaluate`` (``python -m regkg.ingest.evaluate``).
Kept import-light: importing the package does not load spaCy.
"""
