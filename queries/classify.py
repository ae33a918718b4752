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
from rdflib.namespace import RDFS, SKOS

from regkg.ontology.load import ONTOLOGY_DIR
from regkg.ontology.namespaces import DCTERMS, ID, RKO
from regkg.queries.errors import InputError
from regkg.queries.reasoning import AXIOMS_FILE, ClassificationTable, Description
from regkg.queries.therapy_attributes import outcomes, vocabulary, word_key

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
        source = graph.value(cite, DCTERMS.source)
        provision = graph.value(cite, RKO.provision)
        citations.append({
            "document": str(source),
            "title": _lang(graph, source, SKOS.prefLabel, "ja") or _lang(graph, source, SKOS.prefLabel, "en"),
            "locator": str(graph.value(cite, RKO.locator) or ""),
            "iri": str(provision or source),
        })
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
    criteria = [c for c in map(_criterion, classes) if c["rule"]]
    criteria.sort(key=lambda c: c["priority"])
    outside = found[0] == "OutsideAsrmTherapy"
    slug = outcomes()[found[0]]
    band = (0, 9) if outside else {"class-1": (10, 19), "class-2": (20, 29), "class-3": (30, 39)}[slug]
    return slug, outside, [c for c in criteria if band[0] <= c["priority"] <= band[1]]


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
        "possible": [{"key": o, "label_ja": _outcome_labels()[o][0], "label_en": _outcome_labels()[o][1]}
                     for o in outcomes],
        "criterion": {"ja": criterion["ja"], "en": criterion["en"]} if criterion else {"ja": "", "en": ""},
        "rule": criterion["rule"] if criterion else "",
        "criteria": [{"iri": c["iri"], "ja": c["ja"], "en": c["en"], "rule": c["rule"]} for c in (common or [])],
        "citations": criterion["citations"] if criterion else [],
        "undecided": undecided,
        "assumed": [{"attribute": n, "value": ATTRIBUTES[n]["default"]} for n in assumed],
        "readings": _readings(known, results, table) if decided else [],
        "attributes": given,
    }
    answer["explanation"] = _explain(answer)
    return answer


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


def _readings(known: Mapping[str, object], results: list[tuple], table: ClassificationTable) -> list[dict]:
    """Where sources disagree (allogeneic non-stem cells), the class under the other reading.

    The MHLW Q&A puts allogeneic cells in Class I; seed 001 summarises the
    classes without the donor (Class III = processed somatic cells). When the
    allogeneic criterion is the only Class I criterion and the cells are not
    stem cells, the other reading is the class the same therapy has without it.
    """
    allogeneic = str(RKO.ClassICriterionAllogeneic)
    readings = []
    for values, slug, _, criteria in results:
        fired = [c["iri"] for c in criteria]
        if fired != [allogeneic] or values.get("cell_kind") not in ("somatic",):
            return []
        other = {**values, "origin": "autologous"}
        other_slug, other_outside, other_criteria = _outcome(table.classes_of(_description(other)))
        readings.append(_outcome_key(other_slug, other_outside))
    if not readings:
        return []
    seed = _criterion(str(RKO.AsrmClassIII))["citations"]
    return [{
        "reading_en": "Seed 001 summarises the classes without the donor: Class I = ES/iPS cells, Class II = somatic stem cells, Class III = processed somatic cells. Read that way this therapy would be " + "/".join(sorted(set(readings))) + ".",
        "reading_ja": "seed 001は提供者に触れずに区分を要約している（第1種: ES・iPS細胞等、第2種: 体性幹細胞等、第3種: 体細胞を加工等）。この読み方ではこの治療は" + "/".join(sorted(set(readings))) + "となる。",
        "outcomes": sorted(set(readings)),
        "citations": [c for c in seed if c["document"].endswith("001-4cca66a7f5034154")],
    }]


def _outcome_labels() -> dict[str, tuple[str, str]]:
    """(Japanese, English) names of every possible outcome, keyed as in ``possible_outcomes``."""
    return {"outside-asrm": ("法の対象外", "outside the ASRM"),
            **{slug: _risk_class_labels(slug) for slug in outcomes().values() if slug}}


def _explain(answer: dict) -> dict:
    names = _outcome_labels()
    if answer["outside_asrm"]:
        ja = f"再生医療等安全性確保法の対象外：{answer['criterion']['ja']}。"
        en = f"Outside the ASRM: {answer['criterion']['en']}."
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
        ja += " 治験ではなく、承認品を承認どおり用いるものでもないと仮定した（該当すれば法第2条第1項・第2項により対象外）。"
        en += " Assumed: not a clinical trial (治験) and not an approved product used as approved (either would put it outside the ASRM, Art. 2(1)/(2))."
    return {"ja": ja, "en": en}
