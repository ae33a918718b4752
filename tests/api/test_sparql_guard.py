"""The parse-based SPARQL guard: what a text asks for, decided from its syntax tree."""

import pytest

from regkg.api import sparql_guard as guard

LIMITS = guard.Limits(max_chars=10_000, max_depth=20)
HERE = {"http://me/sparql"}


def refused(text: str, update: bool = False) -> guard.Refused:
    with pytest.raises(guard.Refused) as info:
        guard.prepare_update(text, LIMITS) if update else guard.prepare_query(text, LIMITS, HERE)
    return info.value


@pytest.mark.parametrize("text", [
    "INSERT DATA { <a> <b> <c> }",
    "PREFIX ex: <http://ex/>\nDELETE WHERE { ?s ex:p ?o }",
    "BASE <http://x/> load <http://evil/data.ttl>",
    "# comment\nCLEAR ALL",
    "DROP GRAPH <g>", "WITH <g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "CREATE GRAPH <g> ; ADD <a> TO <b>",
])
def test_updates_are_refused_as_queries(text):
    assert guard.parse(text).form == "update"
    assert refused(text).status == 403


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s ?p 'INSERT DATA' }",
    "PREFIX insert: <http://x/> SELECT ?delete WHERE { ?delete insert:p ?o }",
    "# DELETE WHERE\nASK { ?s ?p ?o }",
    "CONSTRUCT WHERE { ?s <http://x/load> ?o }",
    "DESCRIBE <http://x/service>",
])
def test_queries_mentioning_update_words_are_queries(text):
    assert guard.parse(text).form == "query"
    assert guard.prepare_query(text, LIMITS, HERE)


def test_service_inside_strings_and_comments_is_not_a_service():
    text = 'SELECT * WHERE { ?s ?p "SERVICE <http://a/>" } # SERVICE <http://b/> { }'
    assert guard.parse(text).services == ()
    assert guard.parse("SELECT ?service WHERE { ?service ?p ?o }").services == ()


@pytest.mark.parametrize("text", [
    # the two forms that got past the regex tokenizer
    "SELECT * WHERE { { FILTER(1<'>') } UNION { SERVICE <http://127.0.0.1:9/sparql> { ?a ?b ?c } } } # '",
    "SELECT * WHERE { OPTIONAL { ?s rdf:type rdf:x\\' } SERVICE <http://127.0.0.1:9/sparql> { ?x ?y ?z } } # '",
    # their relatives: other quote kinds, escapes, nesting, case, SILENT, variables and prefixed names
    'SELECT * WHERE { { FILTER(1<">") } UNION { SERVICE <http://127.0.0.1:9/s> { ?a ?b ?c } } } # "',
    "SELECT * WHERE { ?s ?p '''a\\''' . service silent <http://127.0.0.1:9/s> { ?x ?y ?z } }",
    "SELECT * WHERE { SELECT * WHERE { { SERVICE <http://evil/> { ?s ?p ?o } } } }",
    "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }",
    "PREFIX me: <http://me/> SELECT * WHERE { SERVICE me:sparql { ?s ?p ?o } }",
    "ASK { FILTER EXISTS { SERVICE <http://evil/> { ?s ?p ?o } } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://evil/> { ?s ?p ?o } }",
])
def test_foreign_services_are_refused_however_written(text):
    error = refused(text)
    assert (error.status, error.code) in {(403, "service_refused"), (400, "malformed_query")}


def test_the_bypass_forms_are_read_as_services():
    text = "SELECT * WHERE { { FILTER(1<'>') } UNION { SERVICE <http://127.0.0.1:9/sparql> { ?a ?b ?c } } } # '"
    assert [s.iri for s in guard.parse(text).services] == ["http://127.0.0.1:9/sparql"]
    assert refused(text).code == "service_refused"


def test_local_service_is_inlined_and_comments_blanked_keeping_positions():
    text = "SELECT * { SERVICE <http://me/sparql> { ?s ?p ?o } } # note"
    ready = guard.prepare_query(text, LIMITS, HERE)
    assert "SERVICE" not in ready and "note" not in ready and len(ready) == len(text)
    assert ready.split() == ["SELECT", "*", "{", "{", "?s", "?p", "?o", "}", "}"]


def test_malformed_text_is_refused_with_its_position():
    error = refused("SELECT ?s WHERE {\n  ?s ?p }")
    assert (error.status, error.code) == (400, "malformed_query") and "2:" in error.message
    assert refused("SELECT * WHERE { ?s ?p ?o } ; ASK {}").status == 400
    assert refused("   # nothing but a comment").message == "the query is empty"


def test_bounds_are_checked_before_parsing():
    assert refused("SELECT * WHERE " + "{ " * 21 + "?s ?p ?o" + " }" * 21).code == "query_too_deep"
    assert refused("SELECT * WHERE { FILTER(" + "(" * 25 + "1" + ")" * 25 + ") }").code == "query_too_deep"
    assert refused("SELECT * WHERE { ?s ?p ?o } #" + "x" * 10_000).code == "query_too_large"
    assert guard.prepare_query("SELECT * WHERE " + "{ " * 19 + "?s ?p ?o" + " }" * 19, LIMITS, HERE)


def test_updates_for_administrators_exclude_load_and_service():
    assert guard.prepare_update("INSERT DATA { <a> <b> <c> } # c", LIMITS).startswith("INSERT DATA")
    assert refused("LOAD <http://example.org/x.ttl>", update=True).code == "load_refused"
    assert refused("INSERT DATA { <a> <b> <c> } ; LOAD SILENT <http://x/>", update=True).code == "load_refused"
    assert refused("INSERT { ?s ?p ?o } WHERE { SERVICE <http://x/> { ?s ?p ?o } }", update=True).code == "service_refused"
    assert refused("SELECT * { ?s ?p ?o }", update=True).code == "not_an_update"
    # the regex tokenizer's blind spot, in an update
    assert refused("INSERT { ?s ?p ?o } WHERE { FILTER(1<'>') } ; LOAD <http://127.0.0.1:9/> # '", update=True).status == 403
