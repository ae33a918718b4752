from regkg.api import negotiation as media


def test_missing_accept_means_the_first_offer():
    assert media.choose(None, media.RESULT_TYPES) == media.SPARQL_JSON
    assert media.choose("", media.RDF_TYPES) == media.TURTLE


def test_highest_q_wins_then_specificity():
    accept = "application/sparql-results+xml;q=0.9, text/csv, */*;q=0.1"
    assert media.choose(accept, media.RESULT_TYPES) == media.CSV
    assert media.choose("text/*;q=0.5, text/tab-separated-values", media.RESULT_TYPES) == media.TSV


def test_q_zero_excludes_and_nothing_acceptable_is_none():
    assert media.choose("text/turtle;q=0, */*", media.RDF_TYPES) == media.N_TRIPLES
    assert media.choose("image/png", media.RDF_TYPES) is None


def test_browsers_get_html_rdf_clients_do_not():
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
    assert media.prefers_html(browser)
    assert not media.prefers_html("text/turtle, text/html;q=0.5")
    assert not media.prefers_html("*/*")
    assert not media.prefers_html(None)
