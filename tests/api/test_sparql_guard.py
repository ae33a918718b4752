import pytest

from regkg.api import sparql_guard as guard


@pytest.mark.parametrize("text", [
    "INSERT DATA { <a> <b> <c> }",
    "PREFIX ex: <http://ex/>\nDELETE WHERE { ?s ex:p ?o }",
    "BASE <http://x/> load <http://evil/data.ttl>",
    "# comment\nCLEAR ALL",
    "DROP GRAPH <g>", "WITH <g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
])
def test_updates_are_recognised(text):
    assert guard.is_update(text)


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s ?p 'INSERT DATA' }",
    "PREFIX insert: <http://x/> SELECT ?delete WHERE { ?delete insert:p ?o }",
    "# DELETE WHERE\nASK { ?s ?p ?o }",
    "CONSTRUCT WHERE { ?s <http://x/load> ?o }",
])
def test_queries_mentioning_update_words_are_not_updates(text):
    assert not guard.is_update(text)


def test_service_clauses_found_outside_strings_only():
    text = 'SELECT * WHERE { ?s ?p "SERVICE <http://a/>" . SERVICE SILENT <http://evil/sparql> { ?s ?p ?o } }'
    clauses = guard.service_clauses(text)
    assert [c.iri for c in clauses] == ["http://evil/sparql"]
    assert guard.service_clauses("SELECT ?service WHERE { ?service ?p ?o }") == []


def test_foreign_and_variable_services_are_refused():
    with pytest.raises(PermissionError, match="evil"):
        guard.inline_local_services("SELECT * { SERVICE <http://evil/> { ?s ?p ?o } }", {"http://me/sparql"})
    with pytest.raises(PermissionError, match="variable"):
        guard.inline_local_services("SELECT * { SERVICE ?x { ?s ?p ?o } }", {"http://me/sparql"})


def test_local_service_is_inlined_keeping_positions():
    text = "SELECT * { SERVICE <http://me/sparql> { ?s ?p ?o } }"
    inlined = guard.inline_local_services(text, {"http://me/sparql"})
    assert "SERVICE" not in inlined and len(inlined) == len(text)
    assert inlined.split() == ["SELECT", "*", "{", "{", "?s", "?p", "?o", "}", "}"]
