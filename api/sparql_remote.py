"""``/sparql`` on a SPARQL server store (``REGKG_STORE``): the same contract as the worker pool.

The server evaluates the query with the live build as its dataset; regkg keeps
everything users see the same as on the embedded store. pyoxigraph reads the
query first, so a syntax error has the same message and position on both, and
results are parsed and written again by :func:`~regkg.api.sparql_pool.serialise`
in the negotiated format, cut at the same row cap. The server's own time limit
is the HTTP timeout of the adapter (``REGKG_QUERY_TIMEOUT``).
"""

from __future__ import annotations

import pyoxigraph as ox

from regkg.api.sparql_pool import Job, Outcome, guarded, serialise
from regkg.graph.remote import RemoteStore

#: Empty, so evaluating a query on it costs nothing: it parses the text and tells the query form.
_PROBE = ox.Store()
_RESULTS_JSON = "application/sparql-results+json"
_N_TRIPLES = "application/n-triples"


def execute_remote(store: RemoteStore, job: Job) -> Outcome:
    def run() -> Outcome:
        probe = _PROBE.query(job.query, prefixes=job.prefixes)
        graphs = (job.default_graphs, job.named_graphs)
        if isinstance(probe, (ox.QueryBoolean, ox.QuerySolutions)):
            if job.result_type is None:
                return serialise(probe, job)  # not acceptable, before the server does any work
            body = store.protocol_query(job.query, _RESULTS_JSON, *graphs)
            return serialise(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON), job)
        if job.graph_type is None:
            return serialise(probe, job)
        body = store.protocol_query(job.query, _N_TRIPLES, *graphs)
        return serialise(ox.parse(body, format=ox.RdfFormat.N_TRIPLES), job)

    return guarded(run)
