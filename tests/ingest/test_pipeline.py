"""The build interface on a temporary corpus with good and bad files."""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph

from regkg.ingest.pipeline import discover, ingest_corpus
from regkg.ingest.provenance import PROVENANCE_GRAPH, prov_activity_quads

from .test_readers import minimal_pdf

RKO = "https://w3id.org/regkg/ontology#"


def _corpus(corpus: Path, tmp: Path) -> Path:
    root = tmp / "corpus"
    (root / "laws").mkdir(parents=True)
    (root / "seeds").mkdir()
    (root / "guidance").mkdir()
    shutil.copy(corpus / "MANIFEST.json", root / "MANIFEST.json")
    shutil.copy(corpus / "laws" / "425AC0000000085.md", root / "laws")
    shutil.copy(corpus / "seeds" / "003_35fcc31887c68d9f.txt", root / "seeds")
    shutil.copy(corpus / "guidance" / "comparability-0329.md", root / "guidance")
    (root / "seeds" / "empty.txt").write_bytes(b"")
    (root / "seeds" / "latin1.txt").write_bytes("再生医療".encode("shift_jis"))
    (root / "guidance" / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (root / "guidance" / "bad.xml").write_text("<Law><LawBody>", encoding="utf-8")
    (root / "guidance" / "slides.pdf").write_bytes(minimal_pdf(["Sterility test."]))
    return root


def test_ingest_statuses_quads_and_incremental(corpus: Path, tmp_path: Path, lexicon) -> None:
    root = _corpus(corpus, tmp_path)
    assert [p.name for p in discover([root])] == sorted(
        [p.name for p in discover([root])], key=lambda n: str(next(root.rglob(n))))
    assert "MANIFEST.json" not in {p.name for p in discover([root])}
    seen = []
    results = {r.doc_id: r for r in ingest_corpus([root], lexicon, {}, on_progress=seen.append)}
    assert len(seen) == len(results) == 8
    failed = {k: r.error for k, r in results.items() if r.status == "failed"}
    assert set(failed) == {"empty", "latin1", "broken", "bad"}
    assert failed["empty"] == "empty file" and "UTF-8" in failed["latin1"]
    assert "PDF" in failed["broken"] and "malformed XML" in failed["bad"]
    assert all(not results[k].quads for k in failed)

    law = results["425ac0000000085"]
    assert law.status == "ingested" and law.doc_iri == "https://w3id.org/regkg/id/law/425AC0000000085"
    assert law.graph_iri == "https://w3id.org/regkg/graph/doc/425ac0000000085"
    assert all(q.graph_name.value == law.graph_iri for q in law.quads)
    assert law.counts["provisions"] > 20 and law.counts["versions"] >= 4 and law.counts["xrefs_resolved"] > 5

    store = pyoxigraph.Store()
    store.extend(law.quads)
    ask = lambda q: store.query(q, use_default_graph_as_union=True)  # noqa: E731
    assert ask(f"""PREFIX rko: <{RKO}> PREFIX eli: <http://data.europa.eu/eli/ontology#>
        ASK {{ ?v a rko:ProvisionVersion ; rko:versionOf <https://w3id.org/regkg/id/law/425AC0000000085/art/1> ;
               eli:date_applicability ?d ; rko:partial false ; <http://purl.org/dc/terms/source> ?src .
               <https://w3id.org/regkg/id/law/425AC0000000085/art/1/para/1> eli:is_part_of
                   <https://w3id.org/regkg/id/law/425AC0000000085/art/1> ; rko:locator "第1条第1項" ;
                   rko:originalText ?o ; <http://purl.org/dc/terms/language> "ja" .
               <https://w3id.org/regkg/id/law/425AC0000000085> rko:sha256 ?h ; rko:corpusPath "laws/425AC0000000085.md" ;
                   <http://purl.org/dc/terms/title> ?t . }}""")
    seed = results["003-35fcc31887c68d9f"]
    store.extend(seed.quads)
    assert ask(f"""PREFIX rko: <{RKO}> ASK {{ ?p a rko:Passage ; <http://purl.org/dc/terms/isPartOf>
        <https://w3id.org/regkg/id/doc/003-35fcc31887c68d9f> ; rko:mentions ?e ; rko:locator ?l }}""")

    # second build: unchanged files are not parsed again
    hashes = {k: r.sha256 for k, r in results.items() if r.status == "ingested"}
    again = {r.doc_id: r for r in ingest_corpus([root], lexicon, hashes)}
    assert {k for k, r in again.items() if r.status == "unchanged"} == set(hashes)
    assert all(not again[k].quads for k in hashes)

    started = datetime(2025, 1, 1, tzinfo=timezone.utc)
    prov = prov_activity_quads(list(results.values()), started, datetime.now(timezone.utc), "0.1.0")
    assert {q.graph_name.value for q in prov} == {PROVENANCE_GRAPH}
    used = [q for q in prov if q.predicate.value.endswith("#used")]
    assert len(used) == 8
