"""The shared ja_ginza tokenizer must survive concurrent use (the server tokenizes from threads)."""

from concurrent.futures import ThreadPoolExecutor

from regkg.ingest.nlp import load_nlp


def test_tokenizer_is_safe_across_threads():
    nlp = load_nlp()
    text = "再生医療等の安全性の確保等に関する法律第四条の提供計画" * 20
    expected = len(nlp.tokenizer(text))
    with ThreadPoolExecutor(8) as pool:
        lengths = list(pool.map(lambda t: len(nlp.tokenizer(t)), [text] * 400))
    assert set(lengths) == {expected}


def test_pipeline_still_tokenizes_with_sudachi_forms():
    doc = load_nlp()("間葉系幹細胞を培養した")
    assert [t.text for t in doc][:2] == ["間葉", "系"] or "間葉系" in doc.text
    assert all(t.norm_ for t in doc)


def test_words_read_from_sudachi_are_the_docs_tokens(corpus_dir):
    """Search reads words straight from the Sudachi analysis; they must be the Doc's tokens (surface,
    tag, normal form), on every text of the corpus."""
    tokenizer = load_nlp().tokenizer
    pieces = [text[i : i + 3000] for path in sorted(corpus_dir.rglob("*")) if path.suffix in (".md", ".txt")
              for text in [path.read_text(encoding="utf-8")] for i in range(0, len(text), 3000)]
    assert len(pieces) > 20
    for piece in pieces:
        doc = [(t.text, t.tag_, t.norm_) for t in tokenizer(piece) if t.text.strip()]
        assert [(w.text, w.tag, w.norm) for w in tokenizer.words(piece) if w.text.strip()] == doc


def test_words_are_safe_across_threads():
    tokenizer = load_nlp().tokenizer
    text = "再生医療等の安全性の確保等に関する法律第四条の提供計画" * 20
    expected = tokenizer.words(text)
    with ThreadPoolExecutor(8) as pool:
        assert all(w == expected for w in pool.map(tokenizer.words, [text] * 200))
