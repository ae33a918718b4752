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

_CELL_MATERIALS = ("cells", "prp")

ATTRIBUTES: dict = {
    "material": {
        "label_ja": "素材の種類", "label_en": "Material type",
        "values": ["cells", "prp", "extracellular-vesicles", "culture-supernatant", "nucleic-acid", "mrna", "phage"],
        "required": True, "property": RKO.describedMaterial,
        "question_ja": "治療に用いる素材は何か（細胞、PRP、EV、培養上清、核酸、mRNA、ファージ）", "question_en": "What is the therapy made of (cells, PRP, EVs, culture supernatant, nucleic acid, mRNA, phage)?",
    },
    "cell_kind": {
        "label_ja": "細胞の種類", "label_en": "Cell kind",
        "values": ["es", "ips", "ips-like", "somatic-stem", "somatic"], "cells_only": True, "property": RKO.describedCellKind,
        "question_ja": "細胞はES細胞・iPS細胞・iPS様細胞・体性幹細胞・体細胞のいずれに由来するか", "question_en": "Do the cells derive from ES, iPS or iPS-like cells, somatic stem cells, or somatic (non-stem) cells?",
    },
    "origin": {
        "label_ja": "細胞の由来", "label_en": "Cell origin",
        "values": ["autologous", "allogeneic", "xenogeneic"], "cells_only": True, "property": RKO.describedOrigin,
        "question_ja": "細胞は本人（自家）・他人（同種）・動物（異種）のいずれから採取したか", "question_en": "Are the cells the patient's own (autologous), another person's (allogeneic) or an animal's (xenogeneic)?",
    },
    "processing": {
        "label_ja": "加工の程度", "label_en": "Processing",
        "values": ["cultured", "minimally-manipulated"], "cells_only": True, "property": RKO.describedProcessing,
        "question_ja": "細胞を培養（活性化・分化誘導を含む）するか、分離・遠心分離など最小限の操作のみか", "question_en": "Are the cells cultured (including activation or differentiation), or only minimally manipulated (separated, centrifuged)?",
    },
    "gene_introduced": {
        "label_ja": "遺伝子導入・改変", "label_en": "Gene introduced or modified",
        "values": "boolean", "cells_only": True, "property": RKO.geneIntroduced,
        "question_ja": "細胞に遺伝子を導入し、またはゲノム編集等で改変したか", "question_en": "Were genes introduced into the cells, or modified (e.g. genome editing)?",
    },
    "homologous_use": {
        "label_ja": "相同利用", "label_en": "Homologous use",
        "values": "boolean", "cells_only": True, "property": RKO.describedHomologousUse,
        "question_ja": "投与する細胞は、対象部位の細胞と同様の機能を果たすか（相同利用か）。例：末梢血を遠心分離したものを皮膚・口腔内に用いるのは相同利用、関節腔内は相同利用でない",
        "question_en": "Do the cells perform the same function as the cells at the treated site (homologous use)? E.g. centrifuged peripheral blood into skin or the oral cavity is homologous; into a joint cavity it is not.",
    },
    "purpose": {
        "label_ja": "目的", "label_en": "Purpose",
        "values": ["reconstruction", "treatment"], "cells_only": True, "property": RKO.describedPurpose,
        "question_ja": "目的は身体の構造又は機能の再建・修復・形成（例：皮膚・軟骨の修復）か、疾病の治療・予防か",
        "question_en": "Is the purpose to reconstruct, repair or form the body's structure or function (e.g. repairing skin or cartilage), or to treat or prevent a disease?",
    },
    "clinical_trial": {
        "label_ja": "治験として実施", "label_en": "Given as a clinical trial (治験)",
        "values": "boolean", "default": False, "property": RKO.clinicalTrial,
        "question_ja": "医薬品医療機器等法の治験として行うか", "question_en": "Is it given as a clinical trial (治験) under the PMD Act?",
    },
    "approved_product": {
        "label_ja": "承認品を承認どおり使用", "label_en": "Approved product used as approved",
        "values": "boolean", "default": False, "property": RKO.approvedProductOnLabel,
        "question_ja": "承認を受けた製品のみを承認の内容どおりに用いるか", "question_en": "Is only an approved product used, within its approval?",
    },
    "route": {
        "label_ja": "投与経路", "label_en": "Route",
        "values": ["intravenous", "intra-arterial", "intra-articular", "intradermal-or-subcutaneous", "topical", "oral-cavity", "intramuscular", "implantation", "other"],
        "informational": True,
        "question_ja": "投与経路", "question_en": "Route of administration",
    },
    "target": {
        "label_ja": "対象疾患・部位", "label_en": "Target (disease or site)",
        "values": "text", "informational": True,
        "question_ja": "対象とする疾患・部位", "question_en": "Target disease or site",
    },
}
"""Attribute name → labels, allowed values (a list, "boolean" or free "text") and the question that decides it."""

_SYNONYMS = {
    "material": {"cell": "cells", "platelet-rich-plasma": "prp", "ev": "extracellular-vesicles", "evs": "extracellular-vesicles",
                 "exosome": "extracellular-vesicles", "exosomes": "extracellular-vesicles", "supernatant": "culture-supernatant",
                 "conditioned-medium": "culture-supernatant", "nucleic-acids": "nucleic-acid", "bacteriophage": "phage"},
    "cell_kind": {"esc": "es", "ipsc": "ips", "ips-cells": "ips", "somatic-stem-cells": "somatic-stem", "msc": "somatic-stem", "stem": "somatic-stem"},
    "origin": {"auto": "autologous", "allo": "allogeneic", "allogenic": "allogeneic", "xeno": "xenogeneic", "animal": "xenogeneic"},
    "purpose": {"repair": "reconstruction", "formation": "reconstruction", "regeneration": "reconstruction",
                "reconstructive": "reconstruction", "再建": "reconstruction", "修復": "reconstruction", "形成": "reconstruction",
                "disease-treatment": "treatment", "therapy": "treatment", "prevention": "treatment", "治療": "treatment"},
    "processing": {"activated": "cultured", "differentiated": "cultured", "expanded": "cultured", "processed": "cultured",
                   "minimal": "minimally-manipulated", "minimally-processed": "minimally-manipulated", "uncultured": "minimally-manipulated",
                   "centrifuged": "minimally-manipulated", "not-cultured": "minimally-manipulated"},
}
_TRUE = {"true", "yes", "y", "1", "はい", "あり"}
_FALSE = {"false", "no", "n", "0", "いいえ", "なし"}
_UNKNOWN = {"", "unknown", "none", "null", "?", "不明"}

_OUTCOMES = {  # outcome class local name → (risk class slug or None for outside)
    "OutsideAsrmTherapy": None, "AsrmClassI": "class-1", "AsrmClassII": "class-2", "AsrmClassIII": "class-3",
}
# ---------------------------------------------------------------- input

def _normalise_value(name: str, raw: object) -> object | None:
    spec = ATTRIBUTES[name]
    if raw is None:
        return None
    if spec["values"] == "boolean":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _UNKNOWN:
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise InputError(f"attribute {name!r} takes true, false or unknown, not {raw!r}")
    text = str(raw).strip()
    if text.lower() in _UNKNOWN:
        return None
    if spec["values"] == "text":
        return text
    slug = text.lower().replace("_", "-").replace(" ", "-").rsplit("/", 1)[-1].removeprefix("regkg:facet/")
    slug = _SYNONYMS.get(name, {}).get(slug, slug)
    if slug not in spec["values"]:
        raise InputError(f"unknown value {raw!r} for attribute {name!r}; valid: {', '.join(spec['values'])} (or unknown)")
    return slug


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
    """Attributes the axioms read for this material. An exclusion (治験, approved product) makes the rest irrelevant."""
    names = ["material", "clinical_trial", "approved_product"]
    if material in _CELL_MATERIALS and not excluded:
        names += [n for n, spec in ATTRIBUTES.items() if spec.get("cells_only")]
    return names


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
    found = [name for name in _OUTCOMES if name in local]
    if len(found) != 1:
        raise RuntimeError(f"the risk-class axioms gave {found or 'no outcome'} for one description")
    criteria = [c for c in map(_criterion, classes) if c["rule"]]
    criteria.sort(key=lambda c: c["priority"])
    outside = found[0] == "OutsideAsrmTherapy"
    slug = _OUTCOMES[found[0]]
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
            **{slug: _risk_class_labels(slug) for slug in _OUTCOMES.values() if slug}}


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
