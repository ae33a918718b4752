"""One resolver for modality names: slug, CURIE, IRI, labels and synonyms; did-you-mean for the rest."""

from __future__ import annotations

import pytest

from regkg.queries.errors import NotFound
from regkg.queries.names import fold, modality_names

IPS = "https://w3id.org/regkg/id/modality/ips-derived-cells"


@pytest.mark.parametrize("name", ["ips-derived-cells", "regkg:modality/ips-derived-cells", IPS,
                                  "iPS細胞由来細胞", "iPS cell-derived cells", "  IPS CELL-DERIVED CELLS "])
def test_every_kind_of_name_resolves(store, name):
    assert modality_names(store).resolve(name).iri == IPS


def test_synonyms_from_the_graph(store):
    names = modality_names(store)
    assert names.resolve("MSC").slug == "msc"
    assert names.resolve("エクソソーム").slug == "extracellular-vesicles"


def test_unknown_names_suggest_close_ones(store):
    with pytest.raises(NotFound, match="did you mean: .*adipose-derived-msc"):
        modality_names(store).resolve("adipose msc")
    with pytest.raises(NotFound, match="did you mean: .*chondrocytes"):
        modality_names(store).resolve("軟骨")


def test_fold_ignores_width_case_and_separators():
    assert fold("ＭＳＣ") == fold("msc") == fold("M-S C")
