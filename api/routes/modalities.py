"""``GET /modalities`` and ``GET /modalities/{id}/requirements``: what each modality requires, cited."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path

from regkg.api.describe import entity_iri
from regkg.api.errors import error_responses
from regkg.api.rows import row_values, with_citations
from regkg.api.runtime import Runtime, runtime
from regkg.api.schemas import Modalities, Requirements
from regkg.graph.store import GraphStore
from regkg.ontology.namespaces import compact
from regkg.queries.errors import NotFound
from regkg.queries.library import get_query
from regkg.queries.requirements import modality_requirements

router = APIRouter(tags=["modalities"])

MODALITY_BASE = "https://w3id.org/regkg/id/modality/"
CLASS_SEPARATOR = " / "  # as the modalities query concatenates the class labels
_KANJI_DIGITS = str.maketrans("一二三四五六七八九", "123456789")


def _modality(row: dict) -> dict:
    iri = row["modality"]
    item = {"id": iri[len(MODALITY_BASE):] if iri.startswith(MODALITY_BASE) else compact(iri), "iri": iri,
            "outside_asrm": row.get("outside_asrm") == "true"}
    for key in ("modality_ja", "modality_en"):
        if key in row:
            item["label_" + key.rsplit("_", 1)[1]] = row[key]
    if row.get("risk_classes"):
        # GROUP_CONCAT order is engine-defined: show classes as the Act numbers them (第一種, 第二種, …)
        item["risk_classes"] = CLASS_SEPARATOR.join(sorted(row["risk_classes"].split(CLASS_SEPARATOR),
                                                           key=lambda label: label.translate(_KANJI_DIGITS)))
    return item


def all_modalities(store: GraphStore) -> list[dict]:
    return [_modality(r) for r in row_values(get_query("modalities").run(store))]


@router.get("/modalities", response_model=Modalities, responses=error_responses(503))
def modalities(rt: Runtime = Depends(runtime)):
    """Every modality with the ASRM risk classes its rules assign (or outside the Act)."""
    return {"modalities": all_modalities(rt.store())}


def requirements_of(store: GraphStore, modality_id: str) -> dict:
    """Risk class, requirements, risks and tests of one modality (slug or CURIE), each row cited."""
    iri = entity_iri(modality_id if ":" in modality_id else f"regkg:modality/{modality_id}")
    found = [m for m in all_modalities(store) if m["iri"] == iri]
    if not found:
        raise NotFound(f"no modality {modality_id!r}; GET /modalities lists them")
    return {"modality": found[0], **{part: with_citations(result)
                                      for part, result in modality_requirements(store, iri).items()}}


@router.get("/modalities/{id}/requirements", response_model=Requirements, responses=error_responses(400, 404, 503))
def requirements(
    id: str = Path(description="Modality slug or CURIE", examples=["ips-derived-cells"]),
    rt: Runtime = Depends(runtime),
):
    """What one modality requires: its risk class, requirements (tests, plan items, procedure steps, documents), risks and tests, each with its citation."""
    return requirements_of(rt.store(), id)
