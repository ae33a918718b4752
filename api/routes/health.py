"""``GET /health``: is the graph loaded, how big is it, are the search models ready."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from regkg.api.runtime import Runtime, runtime
from regkg.api.schemas import Health
from regkg.graph.store import NoGraphError

router = APIRouter(tags=["service"])


@router.get("/health", response_model=Health, responses={503: {"model": Health, "description": "No graph built yet"}})
def health(rt: Runtime = Depends(runtime)):
    """Graph counts (cached per build) and the state of the background warm-up.

    ``status`` is ``loading`` while search models and indexes load in the
    background (graph queries already work), ``ok`` when everything is ready.
    """
    try:
        stats = rt.stats()
    except NoGraphError:
        return JSONResponse({"status": "no_graph", "models": rt.models}, status_code=503)
    status = "loading" if rt.models == "loading" else "ok"
    return {"status": status, "triples": stats.triples, "documents": stats.documents,
            "passages": stats.passages, "models": rt.models}
