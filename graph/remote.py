"""A SPARQL 1.1 endpoint as the graph store: ``REGKG_STORE=sparql+http://host:port/sparql``.

Organisations that share one graph run a SPARQL server; this adapter gives it
the same :class:`~regkg.graph.store.GraphStore` contract as the embedded store.

Builds and the atomic switch. Every build writes its named graphs under
build-specific names in the server (``urn:regkg:build:<build-id>:<graph IRI>``,
one server graph per regkg graph) and lists them in a control graph. A build
becomes live with one ``INSERT DATA`` of a single ``published`` triple, after
all its graphs were uploaded and their sizes checked. Readers take the most
recently published build, so they only ever see one complete build, on any
SPARQL 1.1 endpoint: no multi-graph transaction, ``MOVE`` or rename is needed
(SPARQL Update only *recommends* that a request be atomic, and moving large
graphs costs a copy on most servers). Older builds are dropped after the
switch, keeping one previous build like the embedded store.

Queries. The upload also writes the union of the build's graphs, once, into
one more server graph, and each query names it with the protocol's
``default-graph-uri`` (the build's graphs go in ``named-graph-uri``). So the
default graph is a set of triples, as the embedded build materialises it: a
server that merges several default graphs as a bag (Virtuoso counts a triple
held in two graphs twice) answers the same as the embedded store. The query
text is sent unchanged apart from the ``VALUES`` binding and the prefixes.
Graph names in results are mapped back to regkg's names, so ``GRAPH ?g``
gives the same answers on both stores.

Credentials come from the settings (``REGKG_STORE_USER`` / ``REGKG_STORE_PASSWORD``,
sent with ``REGKG_STORE_AUTH``: ``digest``, the default, or ``basic``) and never
appear in messages. Updates go to ``REGKG_STORE_UPDATE`` (default: the query
URL); graphs are uploaded with the Graph Store Protocol when ``REGKG_STORE_GSP``
names its endpoint, else with SPARQL ``INSERT`` requests.

Lifecycle. :class:`RemoteStores` is this module's store adapter: a build is
staged in an embedded in-memory store (one build pipeline for every adapter),
uploaded under its own graph names and published by its one triple, all under
the data directory's build lock; the data directory also holds each build's
search artefacts, keyed by the published build id.
"""

from __future__ import annotations

import datetime as dt
import shutil
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
import pyoxigraph as ox

from regkg.graph.lock import BuildLock
from regkg.graph.store import (Artefacts, BuildInfo, NoGraphError, OxigraphStore, SelectResult, StoreError, StoreTimeout,
                               StoreUnavailable, Term, bind_values, new_build_id)
from regkg.ontology.namespaces import sparql_prefixes

SCHEME = "sparql+"
CONTROL_GRAPH = "urn:regkg:control"
CTL = "urn:regkg:control#"
BUILD_PREFIX = "urn:regkg:build:"
#: The build's default graph: the union of its named graphs, written once at upload (as the
#: embedded build materialises it), so the default graph is a set on every server.
UNION_GRAPH = "urn:regkg:union"
UPLOAD_TIMEOUT_S = 600.0
#: Triples per INSERT DATA when there is no Graph Store Protocol (Virtuoso compiles each to SQL).
INSERT_CHUNK = 500
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_BNODE_ID = re.compile(r"[^A-Za-z0-9]")
_PREFIXES = sparql_prefixes()


def physical_graph(build_id: str, graph_iri: str) -> str:
    """The server's name of one regkg graph in one build."""
    return f"{BUILD_PREFIX}{build_id}:{graph_iri}"


@dataclass(frozen=True)
class Endpoint:
    """Where the server is and how to log in; the password never appears in ``repr``."""

    query_url: str
    update_url: str
    graph_store_url: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    auth_scheme: str = "digest"

    @classmethod
    def from_settings(cls, settings) -> Endpoint:
        """The endpoint ``settings.store_url`` and the ``store_*`` settings describe (checked here)."""
        store_url = settings.store_url or ""
        if not store_url.startswith(SCHEME):
            raise StoreError(f"REGKG_STORE must start with {SCHEME}http:// or {SCHEME}https://")
        query_url = store_url[len(SCHEME):]
        for name, url in (("REGKG_STORE", query_url), ("REGKG_STORE_UPDATE", settings.store_update_url),
                          ("REGKG_STORE_GSP", settings.store_gsp_url)):
            if not url:
                continue
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise StoreError(f"{name} is not an http(s) URL")
            if parts.username or parts.password:
                raise StoreError(f"{name} must not contain credentials; "
                                 "set REGKG_STORE_USER and REGKG_STORE_PASSWORD instead")
        if settings.store_auth not in ("digest", "basic"):
            raise StoreError("REGKG_STORE_AUTH must be 'digest' or 'basic'")
        return cls(
            query_url=query_url,
            update_url=settings.store_update_url or query_url,
            graph_store_url=settings.store_gsp_url,
            user=settings.store_user,
            password=settings.store_password,
            auth_scheme=settings.store_auth,
        )

    def auth(self) -> httpx.Auth | None:
        if not self.user:
            return None
        if self.auth_scheme == "basic":
            return httpx.BasicAuth(self.user, self.password or "")
        return httpx.DigestAuth(self.user, self.password or "")


class SparqlClient:
    """The HTTP side: SPARQL 1.1 Protocol queries and updates, Graph Store Protocol uploads."""

    def __init__(self, endpoint: Endpoint, timeout_s: float = 10.0) -> None:
        self.endpoint = endpoint
        self.timeout_s = timeout_s
        # One keep-alive connection pool per client: a query costs one round trip, not a handshake.
        self._http = httpx.Client(auth=endpoint.auth(), timeout=timeout_s)

    def close(self) -> None:
        self._http.close()

    def _send(self, method: str, url: str, what: str, timeout: float | None = None, **kwargs) -> httpx.Response:
        try:
            response = self._http.request(method, url, timeout=timeout or self.timeout_s, **kwargs)
        except httpx.TimeoutException as exc:
            raise StoreTimeout(f"the SPARQL server did not answer the {what} within "
                               f"{timeout or self.timeout_s:g} s") from exc
        except httpx.HTTPError as exc:
            raise StoreUnavailable(f"cannot reach the SPARQL server at {url}: {type(exc).__name__}") from exc
        if response.status_code in (401, 403):
            raise StoreUnavailable(f"the SPARQL server refused the {what} ({response.status_code}); "
                             "check REGKG_STORE_USER / REGKG_STORE_PASSWORD")
        if response.status_code >= 400:
            message = " ".join(response.text.split())[:500]
            raise StoreError(f"the SPARQL server rejected the {what} ({response.status_code}): {message}")
        return response

    def query(self, sparql: str, accept: str, default_graphs: Iterable[str] = (),
              named_graphs: Iterable[str] = ()) -> httpx.Response:
        data: dict[str, object] = {"query": _PREFIXES + sparql}
        default_graphs, named_graphs = list(default_graphs), list(named_graphs)
        if default_graphs:
            data["default-graph-uri"] = default_graphs
        if named_graphs:
            data["named-graph-uri"] = named_graphs
        return self._send("POST", self.endpoint.query_url, "query", data=data, headers={"Accept": accept})

    def update(self, sparql: str) -> None:
        self._send("POST", self.endpoint.update_url, "update", timeout=UPLOAD_TIMEOUT_S,
                   data={"update": _PREFIXES + sparql})

    def put_graph(self, graph_iri: str, triples: list[ox.Triple]) -> None:
        """Replace one server graph (GSP ``PUT``, else ``DROP`` and SPARQL inserts)."""
        if self.endpoint.graph_store_url:
            # N-Triples is Turtle; servers that predate application/n-triples accept text/turtle.
            self._send("PUT", self.endpoint.graph_store_url, "upload", timeout=UPLOAD_TIMEOUT_S,
                       params={"graph-uri": graph_iri}, content=_ntriples(triples),
                       headers={"Content-Type": "text/turtle; charset=utf-8"})
            return
        self.update(f"DROP SILENT GRAPH <{graph_iri}>")
        plain = [t for t in triples if not _has_bnode(t)]
        for start in range(0, len(plain), INSERT_CHUNK):
            body = _ntriples(plain[start:start + INSERT_CHUNK]).decode("utf-8")
            self.update(f"INSERT DATA {{ GRAPH <{graph_iri}> {{\n{body}\n}} }}")
        # Blank nodes are only the same node within one request, and Virtuoso refuses them in
        # INSERT DATA: they go in template inserts, each holding whole groups of linked triples.
        for chunk in _linked_chunks([t for t in triples if _has_bnode(t)], INSERT_CHUNK):
            body = _ntriples(chunk).decode("utf-8")
            self.update(f"INSERT {{ GRAPH <{graph_iri}> {{\n{body}\n}} }} WHERE {{}}")

    def rows(self, sparql: str, **dataset) -> tuple[list[str], list[dict[str, Term | None]]]:
        body = self.query(sparql, "application/sparql-results+json", **dataset).json()
        variables = body.get("head", {}).get("vars", [])
        rows = [{v: _term(b[v]) if v in b else None for v in variables}
                for b in body.get("results", {}).get("bindings", [])]
        return variables, rows


def _ntriples(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def _linked_chunks(triples: list[ox.Triple], size: int) -> Iterator[list[ox.Triple]]:
    """Chunks of about ``size`` triples that never split the triples sharing a blank node."""
    parent: dict[ox.BlankNode, ox.BlankNode] = {}

    def root(node: ox.BlankNode) -> ox.BlankNode:
        while parent.setdefault(node, node) != node:
            parent[node] = node = parent[parent[node]]
        return node

    for t in triples:
        nodes = [n for n in (t.subject, t.object) if isinstance(n, ox.BlankNode)]
        if len(nodes) == 2:
            parent[root(nodes[0])] = root(nodes[1])
    groups: dict[ox.BlankNode, list[ox.Triple]] = {}
    for t in triples:
        groups.setdefault(root(t.subject if isinstance(t.subject, ox.BlankNode) else t.object), []).append(t)
    chunk: list[ox.Triple] = []
    for group in groups.values():
        if chunk and len(chunk) + len(group) > size:
            yield chunk
            chunk = []
        chunk.extend(group)
    if chunk:
        yield chunk


def _has_bnode(t: ox.Triple) -> bool:
    return isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)


def _term(value: Mapping[str, str]) -> Term:
    """A SPARQL JSON result term as a pyoxigraph term (tolerating Virtuoso's ``typed-literal``)."""
    kind, lexical = value["type"], value["value"]
    if kind == "uri":
        return ox.NamedNode(lexical)
    if kind == "bnode":
        return ox.BlankNode(_BNODE_ID.sub("", lexical) or None)
    if "xml:lang" in value:
        return ox.Literal(lexical, language=value["xml:lang"])
    if "datatype" in value:
        if value["datatype"] == XSD_BOOLEAN:
            # Virtuoso stores booleans as 1/0; "1" and "true" are the same xsd:boolean value.
            lexical = {"1": "true", "0": "false"}.get(lexical, lexical)
        return ox.Literal(lexical, datatype=ox.NamedNode(value["datatype"]))
    return ox.Literal(lexical)


# ------------------------------------------------------------------ builds in the server


@dataclass(frozen=True)
class LiveBuild:
    build_id: str
    graphs: tuple[str, ...]  # regkg graph IRIs, sorted


def live_build(client: SparqlClient) -> LiveBuild | None:
    """The most recently published build and its graphs, or None before the first build."""
    _, rows = client.rows(
        f"SELECT ?b WHERE {{ GRAPH <{CONTROL_GRAPH}> {{ ?b <{CTL}published> ?t }} }} "
        "ORDER BY DESC(?t) DESC(STR(?b)) LIMIT 1"
    )
    if not rows:
        return None
    build = rows[0]["b"].value
    _, graph_rows = client.rows(f"SELECT ?g WHERE {{ GRAPH <{CONTROL_GRAPH}> {{ <{build}> <{CTL}graph> ?g }} }}")
    return LiveBuild(build[len(BUILD_PREFIX):], tuple(sorted(r["g"].value for r in graph_rows)))


def _published_builds(client: SparqlClient) -> list[str]:
    """Published build ids, newest first."""
    _, rows = client.rows(
        f"SELECT ?b WHERE {{ GRAPH <{CONTROL_GRAPH}> {{ ?b <{CTL}published> ?t }} }} ORDER BY DESC(?t) DESC(STR(?b))"
    )
    return [r["b"].value[len(BUILD_PREFIX):] for r in rows]


class RemoteStore:
    """One build of the graph in a SPARQL server, behind the :class:`GraphStore` interface.

    A store object is pinned to one build, as an embedded store is pinned to
    one build folder; :class:`FollowedRemoteStore` follows the live build.
    The build's search artefacts live in the data directory, under its id.
    """

    def __init__(self, client: SparqlClient, build_id: str, graphs: Iterable[str], settings) -> None:
        self.client = client
        self.build_id = build_id
        self._graphs = set(graphs)
        self.artefacts = Artefacts(settings.data_dir / "remote" / build_id, settings.data_dir / "models",
                                   settings.embed_model, settings.cache_dir)
        self._refresh_names()

    def _refresh_names(self) -> None:
        self._physical = {g: physical_graph(self.build_id, g) for g in sorted(self._graphs)}
        self._logical = {p: ox.NamedNode(g) for g, p in self._physical.items()}

    def _dataset(self) -> dict[str, list[str]]:
        names = [p for g, p in self._physical.items() if g != UNION_GRAPH]
        union = self._physical.get(UNION_GRAPH)
        return {"default_graphs": [union] if union else names, "named_graphs": names}

    def _map(self, term: Term | None) -> Term | None:
        if isinstance(term, ox.NamedNode):
            return self._logical.get(term.value, term)
        return term

    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> SelectResult:
        variables, rows = self.client.rows(bind_values(sparql, bindings), **self._dataset())
        return SelectResult(variables, [{v: self._map(t) for v, t in row.items()} for row in rows])

    def ask(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> bool:
        body = self.client.query(bind_values(sparql, bindings), "application/sparql-results+json",
                                 **self._dataset()).json()
        if "boolean" not in body:
            raise StoreError("expected an ASK query")
        return bool(body["boolean"])

    def construct(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> list[ox.Triple]:
        response = self.client.query(bind_values(sparql, bindings), "application/n-triples", **self._dataset())
        try:
            triples = list(ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES))
        except SyntaxError as exc:
            raise StoreError(f"expected a CONSTRUCT or DESCRIBE query ({exc})") from exc
        return [ox.Triple(self._map(t.subject), t.predicate, self._map(t.object)) for t in triples]

    def protocol_query(self, sparql: str, accept: str, default_graphs: Iterable[str] = (),
                       named_graphs: Iterable[str] = ()) -> bytes:
        """The server's own serialisation of a user's query, for a SPARQL endpoint to pass on.

        Graph names are translated both ways: the dataset a user names (regkg
        graph IRIs) becomes the live build's server graphs, and build-specific
        names in the answer become regkg's again, as :meth:`select` maps terms.
        """
        dataset = self._dataset()
        for key, graphs in (("default_graphs", list(default_graphs)), ("named_graphs", list(named_graphs))):
            if graphs:
                dataset[key] = [physical_graph(self.build_id, g) for g in graphs]
        body = self.client.query(sparql, accept, **dataset).content
        return body.replace(physical_graph(self.build_id, "").encode(), b"")

    def replace_graph(self, graph_iri: str, quads: Iterable[ox.Quad]) -> None:
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        self.client.put_graph(physical_graph(self.build_id, graph_iri), triples)
        if graph_iri not in self._graphs:
            self.client.update(f"INSERT DATA {{ GRAPH <{CONTROL_GRAPH}> {{ "
                               f"<{BUILD_PREFIX}{self.build_id}> <{CTL}graph> <{graph_iri}> }} }}")
            self._graphs.add(graph_iri)
            self._refresh_names()

    def load_graph(self, graph_iri: str, data: bytes, format: ox.RdfFormat) -> None:
        triples = ox.parse(data, format=format)
        self.replace_graph(graph_iri, (ox.Quad(t.subject, t.predicate, t.object) for t in triples))

    def graph_quads(self, graph_iri: str) -> list[ox.Quad]:
        if graph_iri not in self._graphs:
            return []
        response = self.client.query(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{self._physical[graph_iri]}> {{ ?s ?p ?o }} }}",
            "application/n-triples",
        )
        graph = ox.NamedNode(graph_iri)
        return [ox.Quad(t.subject, t.predicate, t.object, graph)
                for t in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)]

    def graph_sizes(self, with_union: bool = False) -> dict[str, int]:
        """Triples per regkg graph, counted by the server (the union graph only if asked for)."""
        _, rows = self.client.rows("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                                   named_graphs=list(self._physical.values()))
        sizes = {self._map(r["g"]).value: int(r["n"].value) for r in rows}
        return sizes if with_union else {g: n for g, n in sizes.items() if g != UNION_GRAPH}

    def named_graphs(self) -> list[str]:
        return sorted(self._graphs - {UNION_GRAPH})

    def __len__(self) -> int:
        return sum(self.graph_sizes().values())


class RemoteStores:
    """The SPARQL-server adapter: builds in the server, the build lock and artefacts in the data directory."""

    def __init__(self, settings) -> None:
        self.settings = settings
        self.client = SparqlClient(Endpoint.from_settings(settings), settings.query_timeout_s)

    def live_build_id(self) -> str | None:
        build = live_build(self.client)
        return build.build_id if build is not None else None

    def open(self) -> RemoteStore:
        """The live build (raises NoGraphError before the first build)."""
        build = live_build(self.client)
        if build is None:
            raise NoGraphError(f"no graph has been built in {self.client.endpoint.query_url}; "
                               "run `regkg build` first")
        return RemoteStore(self.client, build.build_id, build.graphs, self.settings)

    def follow(self) -> FollowedRemoteStore:
        return FollowedRemoteStore(self)

    def builds(self) -> list[BuildInfo]:
        """Published builds newest first, then builds uploaded but never published (failed or killed)."""
        published = _published_builds(self.client)
        live = published[0] if published else None
        _, rows = self.client.rows(f"SELECT DISTINCT ?b WHERE {{ GRAPH <{CONTROL_GRAPH}> {{ ?b <{CTL}graph> ?g }} }}")
        staged = sorted({r["b"].value[len(BUILD_PREFIX):] for r in rows} - set(published))
        return ([BuildInfo(b, True, b == live) for b in published] + [BuildInfo(b, False, False) for b in staged])

    def drop(self, build_id: str) -> None:
        """Drop one build's graphs and its search artefacts; never the live build."""
        if build_id == self.live_build_id():
            raise ValueError(f"{build_id} is the published build")
        drop_build(self.client, build_id)
        shutil.rmtree(self.settings.data_dir / "remote" / build_id, ignore_errors=True)

    def cleanup(self) -> None:
        """Drop unpublished builds and published ones beyond the newest ``keep_builds`` (under the lock)."""
        for index, info in enumerate(self.builds()):
            if not info.complete or index >= max(1, self.settings.keep_builds):
                self.drop(info.build_id)

    @contextmanager
    def stage(self, purpose: str = "regkg build") -> Iterator[RemoteBuild]:
        with BuildLock(self.settings.data_dir, purpose):
            self.cleanup()
            staged = RemoteBuild(self)
            try:
                yield staged
            finally:
                if not staged.published:
                    staged.discard()


class FollowedRemoteStore:
    """The live build, re-resolved on each ``get()`` (one small query), for long-running servers."""

    def __init__(self, stores: RemoteStores) -> None:
        self.stores = stores
        self._store: RemoteStore | None = None

    def get(self) -> RemoteStore:
        build = live_build(self.stores.client)
        if build is None:
            raise NoGraphError(f"no graph has been built in {self.stores.client.endpoint.query_url}; "
                               "run `regkg build` first")
        if self._store is None or self._store.build_id != build.build_id:
            self._store = RemoteStore(self.stores.client, build.build_id, build.graphs,
                                      self.stores.settings)
        return self._store


class RemoteBuild:
    """A build being written into the server: filled in memory (``store``), invisible until :meth:`publish`."""

    def __init__(self, stores: RemoteStores) -> None:
        self.stores = stores
        self.client = stores.client
        self.build_id = new_build_id()
        live = live_build(self.client)
        self.previous = (RemoteStore(self.client, live.build_id, live.graphs, stores.settings)
                         if live is not None else None)
        self.target = RemoteStore(self.client, self.build_id, (), stores.settings)
        self.store = OxigraphStore.in_memory()
        self.store.build_id = self.build_id
        self.store.artefacts = self.target.artefacts
        self.published = False

    def upload(self, source) -> int:
        """Copy every graph of ``source`` (a GraphStore) and their union into this build, check the
        server holds it all; the number of distinct triples (what ``graph_stats`` counts)."""
        expected: dict[str, int] = {}
        union: set[tuple] = set()
        for graph in source.named_graphs():
            quads = source.graph_quads(graph)
            self.target.replace_graph(graph, quads)
            triples = {(q.subject, q.predicate, q.object) for q in quads}
            expected[graph] = len(triples)
            union |= triples
        self.target.replace_graph(UNION_GRAPH, (ox.Quad(*t) for t in union))
        expected[UNION_GRAPH] = len(union)
        held = self.target.graph_sizes(with_union=True)
        short = {g: (held.get(g, 0), n) for g, n in expected.items() if held.get(g, 0) != n}
        if short:
            detail = ", ".join(f"{g}: {h} of {n}" for g, (h, n) in sorted(short.items())[:5])
            raise StoreError(f"the SPARQL server did not keep every triple of the build ({detail})")
        return len(union)

    def publish(self) -> int:
        """Upload the staged build, then make it live (one triple) and prune old builds; on any failure
        drop what was uploaded. Returns the number of distinct triples, as :meth:`upload`."""
        try:
            triples = self.upload(self.store)
            self.make_live()
        except BaseException:
            self.discard()
            raise
        self.published = True
        self.stores.cleanup()
        return triples

    def make_live(self) -> None:
        """The switch: one ``published`` triple makes this uploaded build the live one."""
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        self.client.update(
            f"INSERT DATA {{ GRAPH <{CONTROL_GRAPH}> {{ <{BUILD_PREFIX}{self.build_id}> <{CTL}published> "
            f'"{stamp}"^^<http://www.w3.org/2001/XMLSchema#dateTime> }} }}'
        )

    def discard(self) -> None:
        """Remove what this build uploaded (best effort: the live build is untouched either way)."""
        try:
            drop_build(self.client, self.build_id)
        except StoreError:
            pass


def publish_copy(settings, source) -> int:
    """Publish a copy of ``source`` (any GraphStore) as a new build of the server ``settings`` names
    (for benchmarks and tests that compare stores holding the same graph)."""
    with RemoteStores(settings).stage("copy of a graph") as staged:
        for graph in source.named_graphs():
            staged.store.replace_graph(graph, source.graph_quads(graph))
        return staged.publish()


def drop_build(client: SparqlClient, build_id: str) -> None:
    """Drop a build's graphs and control triples (its ``published`` triple first, so it stops being chosen)."""
    build = f"<{BUILD_PREFIX}{build_id}>"
    client.update(f"DELETE WHERE {{ GRAPH <{CONTROL_GRAPH}> {{ {build} <{CTL}published> ?t }} }}")
    _, rows = client.rows(f"SELECT ?g WHERE {{ GRAPH <{CONTROL_GRAPH}> {{ {build} <{CTL}graph> ?g }} }}")
    for row in rows:
        client.update(f"DROP SILENT GRAPH <{physical_graph(build_id, row['g'].value)}>")
    client.update(f"DELETE WHERE {{ GRAPH <{CONTROL_GRAPH}> {{ {build} ?p ?o }} }}")

