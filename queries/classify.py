"""Describe a therapy, get its ASRM risk class — decided by HermiT over the OWL axioms.

The attributes a user gives are completed over every value of the attributes
they left out; each completion is looked up in the reasoner's table (see
``reasoning.py``). When all completions agree the class is decided; when they
do not, the answer names the attribute whose value decides it and the class
each value leads to. Explanations and citations come from the same axioms
file, so what is shown is what the reasoner used.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDFS, SKOS

from regkg.ontology.load import ONTOLOGY_DIR
from regkg.ontology.namespaces import DCTERMS, ID, RKO
from regkg.queries.errors import InputError
from regkg.queries.locators import locator_text
from regkg.queries.reasoning import AXIOMS_FILE, ClassificationTable, Description
from regkg.queries.therapy_attributes import outcomes, readings, vocabulary, word_key

ATTRIBUTES: dict = vocabulary().attributes
"""Attribute name → labels, allowed values (a list, "boolean" or free "text") and the question that decides it,
as ``ontology/therapy-attributes.ttl`` states them (see ``therapy_attributes.py``)."""

# ---------------------------------------------------------------- input

def _normalise_value(name: str, raw: object) -> object | None:
    spec = ATTRIBUTES[name]
    if raw is None or (isinstance(raw, bool) and spec["values"] == "boolean"):
        return raw
    text = str(raw).strip()
    words = vocabulary()
    if word_key(text) in words.unknown or not text:
        return None
    if spec["values"] == "text":
        return text
    named = words.words[name]
    value = named.get(word_key(text), named.get(word_key(text.rsplit("/", 1)[-1])))
    if value is not None:
        return value
    if spec["values"] == "boolean":
        raise InputError(f"attribute {name!r} takes true, false or unknown, not {raw!r}")
    raise InputError(f"unknown value {raw!r} for attribute {name!r}; valid: {', '.join(spec['values'])} (or unknown)")


def normalise(attributes: Mapping[str, object]) -> dict[str, object]:
    """Validated attributes: names checked, values mapped to their canonical slug or boolean; unknowns dropped."""
    unknown = sorted(set(attributes) - set(ATTRIBUTES))
    if unknown:
        raise InputError(f"unknown attribute(s) {', '.join(unknown)}; valid: {', '.join(ATTRIBUTES)}")
    values = {name: _normalise_value(name, raw) for name, raw in attributes.items()}
    values = {k: v for k, v in values.items() if v is not None}
    if "material" not in values:
        raise InputError(f"attribute 'material' is required; valid: {', '.join(ATTRIBUTES['material']['values'])}")
    return values


# ---------------------------------------------------------------- the table of complete descriptions

def _relevant(material: str, excluded: bool) -> list[str]:
    """Attributes the axioms read for this material: those asked of every material and, unless an exclusion
    (治験, approved product) makes the rest irrelevant, those asked of this one."""
    return [n for n, spec in ATTRIBUTES.items() if "property" in spec
            and (not spec["materials"] or (material in spec["materials"] and not excluded))]


def _domain(name: str) -> list[object]:
    values = ATTRIBUTES[name]["values"]
    return [True, False] if values == "boolean" else list(values)


def _description(values: Mapping[str, object]) -> Description:
    excluded = bool(values.get("clinical_trial") or values.get("approved_product"))
    return tuple(sorted((k, values[k]) for k in _relevant(str(values["material"]), excluded)))


def all_descriptions() -> list[Description]:
    """Every complete description the attribute vocabulary allows (506)."""
    out: set[Description] = set()
    for material in ATTRIBUTES["material"]["values"]:
        for trial, approved in itertools.product([True, False], repeat=2):
            base = {"material": material, "clinical_trial": trial, "approved_product": approved}
            names = [n for n in _relevant(material, trial or approved) if n not in base]
            for combo in itertools.product(*(_domain(n) for n in names)):
                out.add(_description({**base, **dict(zip(names, combo))}))
    return sorted(out, key=repr)


@lru_cache(maxsize=2)
def _table(cache_dir: Path | None = None) -> ClassificationTable:
    """The reasoner's table, kept on disk in ``cache_dir`` (the data directory's cache) when given."""
    properties = {n: str(s["property"]) for n, s in ATTRIBUTES.items() if "property" in s}
    return ClassificationTable(all_descriptions(), properties, cache_dir=cache_dir)


def precompute(cache_dir: Path | None = None) -> int:
    """Run the reasoner over every description now (e.g. after a build); returns the table size."""
    return len(_table(cache_dir).table())


# ---------------------------------------------------------------- documentation from the axioms file

@lru_cache(maxsize=1)
def _docs() -> Graph:
    graph = Graph()
    graph.parse(AXIOMS_FILE, format="turtle")
    graph.parse(ONTOLOGY_DIR / "documents.ttl", format="turtle")
    graph.parse(ONTOLOGY_DIR / "risk-classes.ttl", format="turtle")
    graph.parse(ONTOLOGY_DIR / "therapy-attributes.ttl", format="turtle")  # the answer values' labels
    return graph


def _lang(graph: Graph, subject: URIRef, predicate: URIRef, lang: str) -> str:
    for value in graph.objects(subject, predicate):
        if getattr(value, "language", None) == lang:
            return str(value)
    return ""


@lru_cache(maxsize=64)
def _criterion(iri: str) -> dict:
    """Label, rule, priority and citations of a criterion class (cached: the axioms file is read once)."""
    graph, node = _docs(), URIRef(iri)
    priority = graph.value(node, RKO.priority)
    citations = []
    for cite in graph.objects(node, RKO.citation):
        citations.append(_citation(str(graph.value(cite, DCTERMS.source)), str(graph.value(cite, RKO.locator) or ""),
                                   str(graph.value(cite, RKO.provision) or "")))
    return {
        "iri": iri,
        "priority": int(priority) if priority is not None else 99,
        "ja": _lang(graph, node, RDFS.label, "ja"),
        "en": _lang(graph, node, RDFS.label, "en"),
        "rule": str(graph.value(node, RKO.encodesRule) or ""),
        "citations": sorted(citations, key=lambda c: (c["document"], c["locator"])),
    }


# ---------------------------------------------------------------- classification

def _outcome(classes: list[str]) -> tuple[str | None, bool, list[dict]]:
    """(risk class slug, outside?, fired criteria best first) from the reasoner's classes."""
    local = {c.rsplit("#", 1)[-1] for c in classes}
    found = [name for name in outcomes() if name in local]
    if len(found) != 1:
        raise RuntimeError(f"the risk-class axioms gave {found or 'no outcome'} for one description")
    slug = outcomes()[found[0]]
    own = _criteria_of(found[0])
    criteria = [c for c in map(_criterion, classes) if c["rule"] and c["iri"] in own]
    criteria.sort(key=lambda c: c["priority"])
    return slug, slug is None, criteria


@lru_cache(maxsize=8)
def _criteria_of(outcome: str) -> frozenset[str]:
    """The criterion classes an outcome class is made of, read from its axiom: the outcome itself and the
    classes its definition joins or unites (``owl:intersectionOf``, ``owl:unionOf``), never those it excludes
    (``owl:complementOf``). So Class II is explained by a Class II criterion, never by a Class I one that failed."""
    graph, out = _docs(), set()
    pending = [URIRef(str(RKO[outcome]))]
    while pending:
        node = pending.pop()
        if isinstance(node, URIRef):
            out.add(str(node))
        for definition in graph.objects(node, OWL.equivalentClass):
            for joined in (OWL.intersectionOf, OWL.unionOf):
                for members in graph.objects(definition, joined):
                    pending += [m for m in Collection(graph, members) if (m, OWL.complementOf, None) not in graph]
        for joined in (OWL.intersectionOf, OWL.unionOf):  # a member that is itself an anonymous union
            for members in graph.objects(node, joined):
                pending += [m for m in Collection(graph, members) if (m, OWL.complementOf, None) not in graph]
    return frozenset(out)


def _outcome_key(slug: str | None, outside: bool) -> str:
    return "outside-asrm" if outside else str(slug)


def _risk_class_labels(slug: str) -> tuple[str, str]:
    """(Japanese, English) preferred label of a risk class, as risk-classes.ttl gives them."""
    node = URIRef(str(ID[f"risk-class/{slug}"]))
    return _lang(_docs(), node, SKOS.prefLabel, "ja"), _lang(_docs(), node, SKOS.prefLabel, "en")


def _risk_class(slug: str | None) -> dict | None:
    if slug is None:
        return None
    ja, en = _risk_class_labels(slug)
    return {"iri": str(ID[f"risk-class/{slug}"]), "label_ja": ja, "label_en": en}


def _completions(known: Mapping[str, object]) -> list[dict[str, object]]:
    excluded = bool(known.get("clinical_trial") or known.get("approved_product"))
    missing = [n for n in _relevant(str(known["material"]), excluded) if n not in known]
    return [{**known, **dict(zip(missing, combo))} for combo in itertools.product(*(_domain(n) for n in missing))]


def classify(attributes: Mapping[str, object], cache_dir: Path | None = None) -> dict:
    """Classify a described therapy; see the module docstring. Raises InputError for bad attributes.

    ``cache_dir`` keeps the reasoner's results between processes (the settings' cache folder)."""
    given = normalise(attributes)
    known = {n: v for n, v in given.items() if not ATTRIBUTES[n].get("informational")}
    assumed = [n for n, s in ATTRIBUTES.items() if "default" in s and n not in known]
    known.update({n: ATTRIBUTES[n]["default"] for n in assumed})
    table = _table(cache_dir)
    results = []
    for values in _completions(known):
        slug, outside, criteria = _outcome(table.classes_of(_description(values)))
        results.append((values, slug, outside, criteria))
    outcomes = sorted({_outcome_key(s, o) for _, s, o, _ in results})
    unknown = [n for n in _relevant(str(known["material"]), False) if n not in known]
    undecided = _undecided(unknown, results) if len(outcomes) > 1 else []
    decided = len(outcomes) == 1
    first = results[0]
    common = _common_criteria([r[3] for r in results]) if decided else []
    criterion = common[0] if common else (first[3][0] if decided and first[3] else None)
    answer = {
        "risk_class": _risk_class(first[1]) if decided else None,
        "outside_asrm": decided and first[2],
        "possible_outcomes": outcomes,
        "possible": [{"key": o, "label_ja": outcome_labels()[o][0], "label_en": outcome_labels()[o][1]}
                     for o in outcomes],
        "criterion": {"ja": criterion["ja"], "en": criterion["en"]} if criterion else {"ja": "", "en": ""},
        "rule": criterion["rule"] if criterion else "",
        "criteria": [{"iri": c["iri"], "ja": c["ja"], "en": c["en"], "rule": c["rule"]} for c in (common or [])],
        "citations": criterion["citations"] if criterion else [],
        "undecided": undecided,
        "assumed": _assumed(known, assumed, table, {c["iri"] for r in results for c in r[3]}, outcomes),
        "readings": _readings(results, table) if decided else [],
        "attributes": given,
    }
    answer["explanation"] = _explain(answer)
    return answer


def _assumed(known: Mapping[str, object], assumed: list[str], table: ClassificationTable,
             fired: set[str], outcomes: list[str]) -> list[dict]:
    """The attributes left out and taken at their default (``rko:defaultValue``), each with what the other
    answer would decide and the citations of the criterion that answer adds, as the axioms give them.

    ``fired``, ``outcomes``: the criteria and outcomes of the answer as given; the other answer is told only
    when it leads elsewhere by a criterion of its own."""
    out = []
    for name in assumed:
        entry: dict = {"attribute": name, "value": ATTRIBUTES[name]["default"],
                       "label_ja": ATTRIBUTES[name]["label_ja"], "label_en": ATTRIBUTES[name]["label_en"]}
        if ATTRIBUTES[name]["values"] == "boolean":
            results = [_outcome(table.classes_of(_description(values)))
                       for values in _completions({**known, name: not entry["value"]})]
            keys = {_outcome_key(slug, outside) for slug, outside, _ in results}
            added = [c for c in results[0][2] if c["iri"] not in fired]
            if len(keys) == 1 and added and keys != set(outcomes):
                entry.update(otherwise=keys.pop(), citations=added[0]["citations"])
        out.append(entry)
    return out


def _answer_label(value: object, lang: str) -> str:
    """はい / いいえ, yes / no: the label of the answer value (therapy-attributes.ttl)."""
    return _lang(_docs(), URIRef(str(ID[f"answer-value/{str(value).lower()}"])), SKOS.prefLabel, lang)


def _provisions(citations: list[dict], lang: str, lead: str) -> str:
    """The provisions among the citations, by their numbers in ``lang`` (``、法第2条第1項`` style lead), or ""."""
    found = [locator_text("", lang, c["iri"]) for c in citations if c["iri"] != c["document"]]
    return lead + "・".join(found) if found else ""


def _common_criteria(per_completion: list[list[dict]]) -> list[dict]:
    """Criteria that fired in every completion, best first."""
    iris = set.intersection(*({c["iri"] for c in crit} for crit in per_completion)) if per_completion else set()
    return [c for c in per_completion[0] if c["iri"] in iris]


def _undecided(unknown: list[str], results: list[tuple]) -> list[dict]:
    """For each unknown attribute whose value changes the outcome: the outcomes each value leads to."""
    entries = []
    for name in unknown:
        by_value: dict[object, set[str]] = {}
        for values, slug, outside, _ in results:
            if name in values:
                by_value.setdefault(values[name], set()).add(_outcome_key(slug, outside))
        if len({frozenset(v) for v in by_value.values()}) > 1:
            entries.append({
                "attribute": name,
                "question_ja": ATTRIBUTES[name]["question_ja"],
                "question_en": ATTRIBUTES[name]["question_en"],
                "alternatives": [{"value": v, "outcomes": sorted(o)} for v, o in by_value.items()],
            })
    return entries


def _readings(results: list[tuple], table: ClassificationTable) -> list[dict]:
    """Where a source reads the criterion that decided differently (``rko:ClassificationReading`` in
    therapy-attributes.ttl, e.g. a summary of the classes that does not mention the donor): the class the
    therapy has under that reading, when that criterion alone decided every completion and each meets the
    reading's condition."""
    out = []
    for reading in readings():
        others = set()
        for values, _, _, criteria in results:
            if [c["iri"] for c in criteria] != [reading.criterion] or any(values.get(n) != v for n, v in reading.when):
                others = set()
                break
            slug, outside, _ = _outcome(table.classes_of(_description({**values, **dict(reading.takes)})))
            others.add(_outcome_key(slug, outside))
        if not others:
            continue
        names = outcome_labels()
        out.append({
            "reading_ja": reading.ja + "この読み方ではこの治療は" + "／".join(names[o][0] for o in sorted(others)) + "となる。",
            "reading_en": reading.en + " Read that way this therapy would be " + " / ".join(names[o][1] for o in sorted(others)) + ".",
            "outcomes": sorted(others),
            "citations": [_citation(document, locator) for document, locator in reading.citations],
        })
    return out


def _citation(document: str, locator: str, provision: str = "") -> dict:
    graph, source = _docs(), URIRef(document)
    return {"document": document, "locator": locator, "iri": provision or document,
            "title": _lang(graph, source, SKOS.prefLabel, "ja") or _lang(graph, source, SKOS.prefLabel, "en")}


@lru_cache(maxsize=1)
def outcome_labels() -> dict[str, tuple[str, str]]:
    """(Japanese, English) names of every possible outcome, keyed as in ``possible_outcomes``: a class by its
    label (risk-classes.ttl), outside the Act by the label of its outcome class (risk-class-axioms.ttl)."""
    graph = _docs()
    return {_outcome_key(slug, slug is None): _risk_class_labels(slug) if slug else
            (_lang(graph, URIRef(str(RKO[name])), RDFS.label, "ja"), _lang(graph, URIRef(str(RKO[name])), RDFS.label, "en"))
            for name, slug in outcomes().items()}


def _explain(answer: dict) -> dict:
    names = outcome_labels()
    if answer["outside_asrm"]:
        ja = f"{names['outside-asrm'][0]}：{answer['criterion']['ja']}。"
        en = f"{names['outside-asrm'][1]}: {answer['criterion']['en']}."
    elif answer["risk_class"]:
        ja = f"{answer['risk_class']['label_ja']}：{answer['criterion']['ja']}。"
        en = f"{answer['risk_class']['label_en']}: {answer['criterion']['en']}."
    else:
        options_ja = "、".join(names[o][0] for o in answer["possible_outcomes"])
        options_en = ", ".join(names[o][1] for o in answer["possible_outcomes"])
        deciding = answer["undecided"]
        ja = f"記述だけでは区分が決まらない（{options_ja}のいずれか）。" + "".join(f"決め手：{u['question_ja']}。" for u in deciding)
        en = f"The description does not decide the class ({options_en})." + "".join(f" Deciding question: {u['question_en']}" for u in deciding)
    for reading in answer["readings"]:
        ja += f" 別の読み方：{reading['reading_ja']}"
        en += f" Other reading: {reading['reading_en']}"
    if answer["assumed"]:
        parts_ja, parts_en = [], []
        for a in answer["assumed"]:
            ja_part = f"{a['label_ja']}：{_answer_label(a['value'], 'ja')}"
            en_part = f"{a['label_en']}: {_answer_label(a['value'], 'en')}"
            if a.get("otherwise"):
                other = not a["value"]
                ja_part += f"（{_answer_label(other, 'ja')}なら{names[a['otherwise']][0]}{_provisions(a['citations'], 'ja', '、')}）"
                en_part += f" ({_answer_label(other, 'en')} would make it {names[a['otherwise']][1]}{_provisions(a['citations'], 'en', ', ')})"
            parts_ja.append(ja_part)
            parts_en.append(en_part)
        ja += " 仮定した値：" + "、".join(parts_ja) + "。"
        en += " Assumed: " + "; ".join(parts_en) + "."
    return {"ja": ja, "en": en}
