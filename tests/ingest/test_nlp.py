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
