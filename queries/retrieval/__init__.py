"""Retrieval over the graph's provisions and passages: tokens, BM25, embeddings, the cached index.

``regkg.queries.search`` is the public entry point; the modules here are its parts,
each with one job, so the QA pipeline and the evaluation can reuse them.
"""
