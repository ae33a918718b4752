"""Modifiers narrow a linked general modality to the one they name, from the graph's labels and hierarchy."""

from __future__ import annotations

import pytest

from regkg.queries.analysis import get_lexicon
from regkg.queries.linking import get_linker
from regkg.queries.modifiers import get_children, refine

BASE = "https://w3id.org/regkg/id/modality/"


def _modalities(store, q: str) -> set[str]:
    linker, lexicon = get_linker(store), get_lexicon(store)
    links = refine(q, linker.link(q), linker, get_children(store), frozenset(lexicon.generic),
                   lexicon.forms.get("exclusion", ()))
    return {l.iri.removeprefix(BASE) for l in links if l.type == "Modality"}


@pytest.mark.parametrize(("q", "modality"), [
    ("What does an MSC therapy from adipose tissue need?", "adipose-derived-msc"),
    ("脂肪由来のMSCのリスク区分は？", "adipose-derived-msc"),
    ("臍帯由来のMSCのリスク区分は？", "umbilical-cord-msc"),
    ("risk class of autologous iPS cells", "ips-derived-cells-autologous"),
    ("他家のiPS細胞を使う場合の委員会は？", "ips-derived-cells-allogeneic"),
])
def test_a_modifier_names_the_narrower_modality(store, q, modality):
    assert modality in _modalities(store, q)


@pytest.mark.parametrize("q", ["What are the risks of MSCs?", "MSCのリスクは？"])
def test_without_a_modifier_the_general_modality_stays(store, q):
    assert _modalities(store, q) == {"msc"}


def test_a_modifier_set_aside_does_not_narrow(store):
    assert _modalities(store, "Which tissues can MSCs be derived from besides bone marrow?") == {"msc"}
