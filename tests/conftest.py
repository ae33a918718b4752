"""Shared fixtures: one real graph built once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from regkg.config import REPO_ROOT, Settings

CORPUS = REPO_ROOT.parent / "shared" / "corpus"


def make_settings(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, store_url=None, embed_model=None, query_timeout_s=10, max_rows=10000)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is expected beside the clone at {CORPUS}")
    return CORPUS


@pytest.fixture(scope="session")
def built_settings(tmp_path_factory, corpus_dir) -> Settings:
    """The whole product graph: ontology, curated knowledge and the shared corpus."""
    from regkg.graph.build import build

    settings = make_settings(tmp_path_factory.mktemp("regkg-data"))
    report = build(settings, [corpus_dir])
    assert not report.failed, [d.error for d in report.failed]
    return settings


@pytest.fixture(scope="session")
def store(built_settings):
    from regkg.graph.store import connect

    return connect(built_settings)


@pytest.fixture(autouse=True, scope="session")
def _isolated_data_dir(tmp_path_factory):
    """Commands run in tests never touch a developer's .regkg/."""
    os.environ["REGKG_DATA"] = str(tmp_path_factory.mktemp("regkg-env"))
    os.environ.pop("REGKG_STORE", None)
