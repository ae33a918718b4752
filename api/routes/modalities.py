"""``GET /modalities`` and ``GET /modalities/{id}/requirements``: what each modality requires, cited."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path

from regkg.api.errors import error_responses
from regkg.api.runtime import Runtime, runtime
from regkg.api.schemas import Modalities, Requirements
from regkg.queries.modalities import all_modalities, requirements_of

router = APIRouter(tags=["modalities"])


@router.get("/modalities", response_model=Modalities, responses=error_responses(503))
def modalities(rt: Runtime = Depends(runtime)):
    """Every modality with the ASRM risk classes its rules assign (or outside the Act)."""
    return {"modalities": all_modalities(rt.store())}


@router.get("/modalities/{id}/requirements", response_model=Requirements, responses=error_responses(400, 404, 503))
def requirements(
    id: str = Path(description="Modality slug, CURIE, Japanese or English name or synonym", examples=["ips-derived-cells"]),
    rt: Runtime = Depends(runtime),
):
    """What one modality requires: its risk-class rules, requirements (tests, plan items, procedure steps, documents), risks and tests — each once, with all its citations."""
    return requirements_of(rt.store(), id)
