"""A build cuts its units into sentences once; every start reads the cut back."""

import numpy as np

from regkg.queries.retrieval.sentence_table import MIN_SENTENCE, SentenceTable, chunks
from regkg.queries.retrieval.units import TextUnit


def _unit(i: int, text: str) -> TextUnit:
    return TextUnit(f"ex:u{i}", "Passage", text, "", "ja", "ex:doc", "", "", ())


def test_short_sentences_join_the_next_and_repeated_sentences_share_a_row():
    units = [_unit(0, "第1条\n提供計画を厚生労働大臣に提出しなければならない。同じ文はこの二つの単位にある。"),
             _unit(1, "同じ文はこの二つの単位にある。"), _unit(2, "")]
    table = SentenceTable.of(units)
    assert table.sentences[0].startswith("第1条 提供計画")  # a heading shorter than MIN_SENTENCE is carried
    assert all(len(s) >= MIN_SENTENCE for s in table.sentences[:2])
    assert table.sentence_unit.tolist() == [0, 0, 1, 2]
    assert table.sentence_row[1] == table.sentence_row[2] and len(table.distinct) == 3
    assert chunks("") == [""]


def test_a_saved_table_is_read_back_only_for_the_units_it_was_cut_from(tmp_path):
    table = SentenceTable.of([_unit(0, "細胞培養加工施設の構造設備の基準。英語 is also cut. Second sentence here.")])
    table.save(tmp_path / "sentences", "units-1")
    loaded = SentenceTable.load(tmp_path / "sentences", "units-1")
    assert loaded is not None and loaded.distinct == table.distinct
    assert np.array_equal(loaded.sentence_row, table.sentence_row)
    assert np.array_equal(loaded.sentence_unit, table.sentence_unit)
    assert SentenceTable.load(tmp_path / "sentences", "units-2") is None
    (tmp_path / "sentences" / "meta.json").write_text("{broken", encoding="utf-8")
    assert SentenceTable.load(tmp_path / "sentences", "units-1") is None
