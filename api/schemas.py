"""Response models: they document the JSON contract in the OpenAPI description
(so clients and the schemathesis run can check it) and keep fields added by
the read-side modules (``extra="allow"``) rather than silently dropping them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from regkg.config import MAX_QUESTION_CHARS


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Health(Open):
    status: str = Field(description="ok when the graph is loaded and warm-up done; loading during warm-up; no_graph before the first build")
    triples: int | None = None
    documents: int | None = None
    passages: int | None = None
    models: str = Field(description="search models: loading | ready | failed")
    model_config = ConfigDict(extra="allow", json_schema_extra={"example": {"status": "ok", "triples": 215000, "documents": 23, "passages": 1800, "models": "ready"}})


class Citation(Open):
    document: str | None = None
    title: str | None = None
    locator: str | None = None
    provision: str | None = None
    evidence: str | None = Field(None, description="law, notice, guidance, practice or secondary")


class QueryParam(Open):
    name: str
    kind: str
    required: bool
    description: str


class NamedQueryInfo(Open):
    name: str
    title: str
    description: str
    params: list[QueryParam]
    example: dict[str, str]
    sparql: str


class QueryList(Open):
    queries: list[NamedQueryInfo]


class QueryResult(Open):
    name: str
    title: str
    variables: list[str]
    rows: list[dict[str, Any]] = Field(description="one object per row: variable → value (IRIs in full); unbound variables are left out")
    count: int


class EntityHit(Open):
    iri: str
    curie: str
    label: str | None = None
    label_ja: str | None = None
    label_en: str | None = None
    type: str | None = None


class EntityHits(Open):
    query: str
    hits: list[EntityHit]


class Link(Open):
    property: str
    value: str
    iri: bool
    label_ja: str | None = None
    label_en: str | None = None


class Entity(Open):
    iri: str
    curie: str
    labels: dict[str, list[str]] = Field(description="preferred labels by language")
    alt_labels: dict[str, list[str]]
    definition: dict[str, str]
    types: list[Link]
    text: str | None = None
    links: list[Link]
    incoming: list[Link]
    citations: list[Citation]
    text_in_corpus: bool = Field(True, description="false for a cited legal unit whose text the corpus lacks")
    official_url: str | None = Field(None, description="the official page of a legal unit (e-Gov, article anchor)")


class Modality(Open):
    id: str
    iri: str
    label_ja: str | None = None
    label_en: str | None = None
    risk_classes: str | None = None
    outside_asrm: bool = False


class Modalities(Open):
    modalities: list[Modality]


class Requirements(Open):
    modality: Modality
    risk_class: list[dict[str, Any]]
    requirements: list[dict[str, Any]]
    risks: list[dict[str, Any]]
    tests: list[dict[str, Any]]


class AskItem(Open):
    iri: str | None = None
    label: str | None = None
    label_ja: str | None = None
    label_en: str | None = None
    type: str | None = None


class Answer(Open):
    question: str
    answer: str | None = None
    items: list[AskItem] = []
    citations: list[dict[str, Any]] = []
    method: str | None = None
    sparql: str | None = None
    confidence: float | None = None
    understood: dict[str, Any] | None = None  # the reading answered: relation, subjects, constraints


class AskBody(BaseModel):
    q: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS, examples=["iPS細胞を用いる再生医療等のリスク分類は？"])


class SearchHits(Open):
    query: str
    hits: list[dict[str, Any]]
