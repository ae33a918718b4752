"""regkg's tokens are ja_ginza's: the same as the spaCy pipeline's Doc, on every text it reads."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from regkg.ingest.nlp import UNUSED_COMPONENTS, load_tokenizer

#: whitespace as spaCy's Japanese tokenizer treats it: single spaces, runs, tabs, ideographic
#: spaces, leading and trailing, whitespace only, nothing
_EDGE_TEXTS = ["", " ", "   ", "\n", "a  b", " a b ", "MSC therapy", "細胞  加工\n\n物", "\u3000再生\u3000医療 ",
               "x\t y", "A \n B", "…", "iPS細胞 由来 の 製品。 "]


@pytest.fixture(scope="module")
def ginza_doc_tokens():
    """The reference: ja_ginza loaded through spaCy, as its package defines it."""
    from regkg.ingest import spacy_light  # noqa: F401  (before spacy)
    import spacy

    nlp = spacy.load("ja_ginza", exclude=[*UNUSED_COMPONENTS, "vocab"])
    return lambda text: [(t.text, t.tag_, t.norm_, t.idx) for t in nlp.tokenizer(text)]


def test_words_are_the_ginza_docs_tokens_on_every_corpus_text_and_label(corpus_dir, lexicon, ginza_doc_tokens):
    """Surface, Sudachi tag, normal form and offset, whitespace merged as spaCy merges it; pieces cut
    at two sizes so they start and end anywhere in a line."""
    tokenizer = load_tokenizer()
    texts = [path.read_text(encoding="utf-8") for path in sorted(corpus_dir.rglob("*"))
             if path.suffix in (".md", ".txt")]
    pieces = [t[i : i + size] for t in texts for size in (3000, 701) for i in range(0, len(t), size)]
    assert len(pieces) > 100
    for text in [*pieces, *lexicon.labels, *_EDGE_TEXTS]:
        assert [tuple(w) for w in tokenizer.words(text)] == ginza_doc_tokens(text), text[:80]


def test_words_are_safe_across_threads():
    tokenizer = load_tokenizer()
    text = "再生医療等の安全性の確保等に関する法律第四条の提供計画" * 20
    expected = tokenizer.words(text)
    with ThreadPoolExecutor(8) as pool:
        assert all(w == expected for w in pool.map(tokenizer.words, [text] * 200))

