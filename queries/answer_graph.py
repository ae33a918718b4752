"""Answers read off the graph: one function per intent, each running a named query.

Each answerer takes the linked entities, picks the ones its query needs (a
modality for risk class, a risk class or pathway for the committee, …) and
returns the items, the citations of the statements it used and the SPARQL it
ran — or None when the question does not give it what it needs, so the next
intent (or search) can try.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from regkg.graph.store import GraphStore
from regkg.ontology.namespaces import ID, compact
from regkg.queries.citations import date_ja
from regkg.queries.library import get_query
from regkg.queries.linking import DOCUMENT_TYPE_NAMES, EntityLinker, Linked
from regkg.queries.retrieval.bridge import stem
from regkg.queries.retrieval.tokens import normalize, terms

#: Facet types whose value says what the material is, and so can name a modality on its own.
NAMING_FACET_TYPES = ("CellKind", "MaterialType")
#: Facet types that qualify a modality rather than name one (autologous, allogeneic, cultured,
#: genetically engineered): with a modality, the classifier decides the class of the qualified therapy.
QUALIFIER_FACET_TYPES = ("CellOrigin", "ProcessingLevel")
MAX_ITEMS = 12


@dataclass(frozen=True)
class Item:
    iri: str
    ja: str
    en: str
    type: str


@dataclass(frozen=True)
class Citation:
    document: str
    title: str
    locator: str
    provision: str
    evidence: str = ""


@dataclass
class GraphAnswer:
    intent: str
    subject: Item | None
    items: list[Item]
    citations: list[Citation]
    sparql: str
    detail_ja: str = ""  # e.g. a deadline or a condition, in each language
    detail_en: str = ""
    #: what each item is, (ja, en), where the answer sets items side by side
    said: tuple[tuple[str, str], ...] = ()
    #: the items under headings, where they differ by heading (each risk class with its committee)
    groups: tuple[tuple[Item, tuple[Item, ...]], ...] = ()
    #: why the items hold, (ja, en): the criterion that decided a risk class
    because: tuple[str, str] = ()


def words(text: str) -> set[str]:
    """The words a question and a graph label are compared by: their terms, English ones by their
    stem ("deaths" in a label is the "death" asked about)."""
    return {stem(t) if t.isascii() and t.isalpha() else t for t in terms(text)}


@dataclass(frozen=True)
class Context:
    store: GraphStore
    linker: EntityLinker
    question: str
    linked: list[Linked]
    cues: tuple[str, ...] = ()  # the asked relation's cue words (question lexicon), to pick steps by label
    relation_cues: dict[str, tuple[str, ...]] = field(default_factory=dict)  # every relation's, for composite answers
    generic: frozenset[str] = frozenset()  # the lexicon's generic words (plan, therapy, 治療), which name no one thing

    def asked_terms(self) -> set[str]:
        """The question's terms outside its linked names and its generic words: what it asks about
        the subject ("the waiting period" of "a class 1 plan")."""
        text = self.question
        for link in sorted(self.linked, key=lambda l: -l.start):
            text = text[: link.start] + " " + text[link.end :]
        return words(text) - {t for word in self.generic for t in words(word)}

    def of_type(self, *types: str) -> list[str]:
        return list(dict.fromkeys(l.iri for l in self.linked if l.type in types))

    def item(self, iri: str) -> Item:
        return Item(iri, self.linker.pref_label(iri, "ja"), self.linker.pref_label(iri, "en"),
                    self.linker.types.get(iri, ""))


def _v(row: dict, name: str) -> str:
    term = row.get(name)
    return term.value if term is not None else ""


def _run(ctx: Context, name: str, **params: str) -> tuple[list[dict], str]:
    query = get_query(name)
    return query.run(ctx.store, params).rows, query.sparql


def _citations(rows: list[dict]) -> list[Citation]:
    seen: dict[tuple[str, str], Citation] = {}
    for r in rows:
        doc = _v(r, "document")
        if doc:
            key = (doc, _v(r, "locator"))
            seen.setdefault(key, Citation(doc, _v(r, "document_title"), _v(r, "locator"), _v(r, "provision"), _v(r, "evidence")))
    return list(seen.values())


def _items(rows: list[dict], var: str, type_: str) -> list[Item]:
    out: dict[str, Item] = {}
    for r in rows:
        iri = _v(r, var)
        if iri and iri not in out:
            out[iri] = Item(iri, _v(r, f"{var}_ja"), _v(r, f"{var}_en"), type_)
    return list(out.values())[:MAX_ITEMS]


def _modalities(ctx: Context) -> list[str]:
    """Linked modalities, or the one most general modality of a linked value that says what the material
    is (ES細胞 → ES cell-derived cells). Where the cells come from and how they are processed
    (autologous, cultured) qualify a modality but name none: "autologous fat grafting" is not the
    autologous iPS-derived cells that happen to be the only modality declared autologous."""
    found = ctx.of_type("Modality")
    if found:
        return found
    for facet in ctx.of_type(*NAMING_FACET_TYPES):
        rows, _ = _run(ctx, "facet-modalities", facet=facet)
        general = list(dict.fromkeys(_v(r, "modality") for r in rows if _v(r, "general") == "true"))
        if len(general) == 1:
            return general
    return []


def risk_class(ctx: Context) -> GraphAnswer | None:
    for modality in _modalities(ctx):
        qualified = _qualified_class(ctx, modality)
        if qualified is not None:
            return qualified
        rows, sparql = _run(ctx, "modality-risk-class", modality=modality)
        rows = [r for r in rows if _v(r, "risk_class") or _v(r, "outside_asrm") == "true"]
        if not rows:
            continue
        # the rules stated nearest to the modality decide; broader ones are the general fallback
        nearest = min(int(_v(r, "distance")) for r in rows)
        rows = [r for r in rows if int(_v(r, "distance")) == nearest]
        items = _items(rows, "risk_class", "RiskClass")
        cond_ja = "、".join(dict.fromkeys(_v(r, "condition_ja") for r in rows if _v(r, "condition_ja")))
        cond_en = "; ".join(dict.fromkeys(_v(r, "condition_en") for r in rows if _v(r, "condition_en")))
        outside = not items
        return GraphAnswer("risk_class", ctx.item(modality), items, _citations(rows), sparql,
                           "安確法の対象外" if outside else cond_ja, "outside the ASRM" if outside else cond_en)
    return None


def _qualified_class(ctx: Context, modality: str) -> GraphAnswer | None:
    """The class of the modality as the question qualifies it ("gene-modified T cells": activated
    lymphocytes, genetically engineered; "allogeneic MSC"), decided by the classifier from what the
    modality implies and what the qualifiers say; None when the question adds nothing to the
    modality or the classifier cannot decide without more."""
    from regkg.queries.classify import classify
    from regkg.queries.errors import InputError
    from regkg.queries.therapy_form import facet_attributes, modality_attributes

    qualifiers = ctx.of_type(*QUALIFIER_FACET_TYPES)
    if not qualifiers:
        return None
    implied = modality_attributes(ctx.store, modality)
    given = dict(implied)
    for facet in qualifiers:
        given.update(facet_attributes(ctx.store, facet))
    if given == implied:
        return None
    try:
        result = classify(given, ctx.store.artefacts.cache if ctx.store.artefacts else None)
    except InputError:
        return None
    decided = result["risk_class"]
    if not (decided or result["outside_asrm"]) or not result["citations"]:
        return None
    base, named = ctx.item(modality), [ctx.item(f) for f in qualifiers]
    subject = Item(modality, f"{base.ja}（{'、'.join(q.ja for q in named)}）",
                   f"{base.en} ({', '.join(q.en for q in named)})", base.type)
    items = [Item(decided["iri"], decided["label_ja"], decided["label_en"], "RiskClass")] if decided else []
    citations = [Citation(c["document"], c.get("title", ""), c.get("locator", ""),
                          c["iri"] if c.get("iri", c["document"]) != c["document"] else "") for c in result["citations"]]
    criterion = result["criterion"]
    return GraphAnswer("risk_class", subject, items, citations, "", "" if decided else "安確法の対象外",
                       "" if decided else "outside the ASRM", because=(criterion["ja"], criterion["en"]))


def _risk_classes(ctx: Context) -> list[str]:
    """Linked risk classes, else the classes a linked modality (or facet) falls under: one hop."""
    linked = ctx.of_type("RiskClass")
    if linked or ctx.of_type("Pathway", "Procedure"):
        return linked
    found = risk_class(ctx)
    return [i.iri for i in found.items] if found is not None else []


def _who(intent: str) -> Callable[[Context], GraphAnswer | None]:
    """Who reviews / receives / is heard: the recipient of the best-matching procedure step."""

    def answer(ctx: Context) -> GraphAnswer | None:
        sources: list[tuple[str, dict[str, str]]] = [("risk-class-procedure", {"risk_class": rc})
                                                     for rc in _risk_classes(ctx)]
        sources += [("procedure-steps", {"pathway": p}) for p in ctx.of_type("Pathway")]
        sources += [("procedure-steps", {"procedure": p}) for p in ctx.of_type("Procedure")]
        named = ctx.of_type("ProcedureStep")  # a step the question names is the one asked about
        if len(named) > 1:  # a name several steps share (疾病等報告: the 7-, 15- and 60-day and Minister reports)
            return _each_step(ctx, intent, named)
        if named:  # whatever else it names ("the periodic report for a Class III therapy")
            sources = [("procedure-steps", {"only_step": named[0]})]
        # the step is chosen by what the question asks of its subject, not by the subject's name ("a
        # class 3 provision plan" names the plan, not the step that changes it)
        q_terms = ctx.asked_terms()
        best: tuple[float, list[dict], str, str, bool] | None = None
        tied: dict[str, list[dict]] = {}  # the steps that score as the best, in its source, with their rows
        best_source = -1
        for source, (name, params) in enumerate(sources):
            rows, sparql = _run(ctx, name, **params)
            by_step: dict[str, list[dict]] = {}
            for r in rows:
                if _v(r, "recipient"):
                    by_step.setdefault(_v(r, "step"), []).append(r)
            applicants = _applicants(rows)
            for step, step_rows in by_step.items():
                r = step_rows[0]
                label = normalize(" ".join(_v(r, k) for k in ("step_ja", "step_en", "recipient_ja", "recipient_en")))
                cue = sum(c in label for c in ctx.cues) + (2 if step in named else 0)
                if not cue:
                    continue
                overlap = len(q_terms.intersection(words(label)))
                score = cue * 2 + overlap
                if best is None or score > best[0]:
                    # a review that answers the applicant (the Minister examines the product and
                    # approves it to the applicant) is done by the step's actor, not its recipient
                    answers = intent == "committee" and _v(r, "recipient") in applicants.get(_v(r, "order"), set())
                    best = (score, step_rows, sparql, step, answers)
                    tied, best_source = {step: step_rows}, source
                elif score == best[0] and source == best_source:
                    tied[step] = step_rows
        if best is None:
            return None
        if len(tied) > 1 and not best[4]:
            # steps of one procedure the question asks equally, going to different bodies (a specially
            # certified committee applies to the Minister, a Class III one to the Regional Bureau): each
            if len({frozenset(_v(r, "recipient") for r in step_rows) for step_rows in tied.values()}) > 1:
                return _each_step(ctx, intent, list(tied))
        _, rows, sparql, step, answers = best
        items = _items(rows, "actor", "Actor") if answers else _items(rows, "recipient", "Actor")
        if intent == "committee":
            items = [i for i in items if any(w in (i.ja + i.en).lower() for w in ("委員会", "審議会", "committee", "council"))] or items
        return GraphAnswer(intent, ctx.item(step), items, _citations(rows), sparql)

    return answer


def _applicants(rows: list[dict]) -> dict[str, set[str]]:
    """For each step order, the actors of the procedure's earlier steps: who applied, whom a later
    step answers."""
    steps = sorted({(int(_v(r, "order") or 0), _v(r, "actor")) for r in rows if _v(r, "actor")})
    return {str(order): {a for o, a in steps if o < order} for order, _ in steps}


def authority(ctx: Context) -> GraphAnswer | None:
    """Who grants, licenses or orders: the actor of a step of the subject's procedure that answers
    someone who applied to it — a step from A to B after a step from B to A (the applicant applies to
    the Minister, then the Minister approves the product; the Regional Bureau checks a licence that
    was applied to it for). Of several, the step whose words the question uses, else the earliest."""
    sources = [("procedure-steps", {"pathway": p}) for p in ctx.of_type("Pathway")]
    sources += [("procedure-steps", {"procedure": p}) for p in ctx.of_type("Procedure")]
    asked = ctx.asked_terms()
    best: tuple[tuple[int, int], list[dict], str, str] | None = None
    for name, params in sources:
        rows, sparql = _run(ctx, name, **params)
        by_procedure: dict[str, list[dict]] = {}
        for r in rows:
            by_procedure.setdefault(_v(r, "procedure"), []).append(r)
        for steps in by_procedure.values():
            for r in steps:
                actor, recipient, order = _v(r, "actor"), _v(r, "recipient"), int(_v(r, "order") or 0)
                if not (actor and recipient and actor != recipient and any(
                        (_v(x, "actor"), _v(x, "recipient")) == (recipient, actor) and int(_v(x, "order") or 0) < order
                        for x in steps)):
                    continue
                label = normalize(" ".join(_v(r, k) for k in ("step_ja", "step_en")))
                score = (len(asked.intersection(words(label))), -int(_v(r, "order") or 0))
                if best is None or score > best[0]:
                    best = (score, [x for x in steps if _v(x, "step") == _v(r, "step")], sparql, _v(r, "step"))
    if best is None:
        return None
    _, rows, sparql, step = best
    return GraphAnswer("authority", ctx.item(step), _items(rows, "actor", "Actor"), _citations(rows), sparql)


def _each_step(ctx: Context, intent: str, steps: list[str]) -> GraphAnswer | None:
    """Who receives each of the steps the question names, step by step."""
    groups, citations, sparql = [], [], ""
    for step in steps:
        rows, sparql = _run(ctx, "procedure-steps", only_step=step)
        rows = [r for r in rows if _v(r, "recipient")]
        if rows:
            groups.append((ctx.item(step), tuple(_items(rows, "recipient", "Actor"))))
            citations += _citations(rows)
    if not groups:
        return None
    items = list(dict.fromkeys(i for _, group in groups for i in group))
    return GraphAnswer(intent, None, items, list(dict.fromkeys(citations)), sparql, groups=tuple(groups))


def who_by_class(ctx: Context, intent: str) -> list[tuple[Item, GraphAnswer]]:
    """The ``intent`` answer (committee, submit) for each risk class of the question's modality, when
    the classes differ in it (PRP is Class II or III: a specially certified or a certified committee);
    an empty list when they agree or the question names a class, pathway or procedure itself."""
    if ctx.of_type("RiskClass", "Pathway", "Procedure", "ProcedureStep"):
        return []
    found = []
    for rc in _risk_classes(ctx):
        answer = _who(intent)(replace(ctx, linked=[Linked(rc, "RiskClass", 0, 0, "", "class", 1.0)]))
        if answer is not None and answer.items:
            found.append((ctx.item(rc), answer))
    return found if len({tuple(i.iri for i in a.items) for _, a in found}) > 1 else []


def _by_class(intent: str) -> Callable[[Context], GraphAnswer | None]:
    """Who reviews / receives, each class with its own when the modality's classes differ in it."""

    def answer(ctx: Context) -> GraphAnswer | None:
        found = who_by_class(ctx, intent)
        if not found:
            return _who(intent)(ctx)
        return GraphAnswer(intent, None, list(dict.fromkeys(i for _, a in found for i in a.items)),
                           [c for _, a in found for c in a.citations],
                           "\n".join(dict.fromkeys(a.sparql for _, a in found)),
                           groups=tuple((rc, tuple(a.items)) for rc, a in found))

    return answer


def deadline(ctx: Context) -> GraphAnswer | None:
    """The deadline of the steps the question names (疾病等報告: each report's), else the one whose
    words the question uses."""
    rows, sparql = _run(ctx, "deadlines")
    asked_steps = set(ctx.of_type("ProcedureStep"))
    named = [r for r in rows if _v(r, "subject") in asked_steps]
    if named:
        steps = {_v(r, "subject"): r for r in named}
        items = [Item(iri, _v(r, "subject_ja"), _v(r, "subject_en"), "ProcedureStep") for iri, r in steps.items()]
        said = tuple((_v(r, "deadline_ja"), _v(r, "deadline_en")) for r in steps.values())
        return GraphAnswer("deadline", None, items, _citations(named), sparql, said=said)
    scope = set(ctx.of_type("Pathway", "Procedure", "RiskClass", "PlanDocument", "Actor"))
    # the deadline asked for is named by the question's own words, not by its subject's name: a
    # question on a class I plan's waiting period is not answered by its reporting interval
    q_terms = ctx.asked_terms()
    best: tuple[int, dict] | None = None
    for r in rows:
        label = normalize(" ".join(_v(r, k) for k in ("subject_ja", "subject_en", "deadline_ja", "deadline_en")))
        overlap = len(q_terms.intersection(words(label)))
        in_scope = _v(r, "procedure") in scope or _v(r, "subject") in scope or any(
            s.rsplit("/", 1)[-1] in _v(r, "procedure") for s in scope)
        score = overlap + (3 if in_scope else 0)
        if overlap and (best is None or score > best[0]):
            best = (score, r)
    if best is None or best[0] < 3:
        return None
    r = best[1]
    subject = Item(_v(r, "subject"), _v(r, "subject_ja"), _v(r, "subject_en"), "")
    return GraphAnswer("deadline", subject, [], _citations([r]), sparql, _v(r, "deadline_ja"), _v(r, "deadline_en"))


def steps(ctx: Context) -> GraphAnswer | None:
    """The ordered steps of the procedure asked about: a named procedure, else a pathway's, else a
    risk class's (a modality's through its class); of a pathway's several procedures, the one whose
    words the question uses. None when the classes of a modality differ (PRP: Class II or III),
    since their procedures do."""
    classes = _risk_classes(ctx)
    params = [{"procedure": p} for p in ctx.of_type("Procedure")] + [{"pathway": p} for p in ctx.of_type("Pathway")]
    params += [{"risk_class": classes[0]}] if len(classes) == 1 else []
    asked = ctx.asked_terms()

    def words_asked(procedure: str) -> int:
        item = ctx.item(procedure)
        return len(asked.intersection(words(normalize(item.ja + " " + item.en))))

    for param in params:
        rows, sparql = _run(ctx, "procedure-steps", **param)
        by_procedure: dict[str, list[dict]] = {}
        for r in rows:
            by_procedure.setdefault(_v(r, "procedure"), []).append(r)
        if not by_procedure:
            continue
        procedure = max(by_procedure, key=words_asked)  # of equals, max keeps the one the query returns first
        chosen = by_procedure[procedure]
        return GraphAnswer("steps", ctx.item(procedure), _items(chosen, "step", "ProcedureStep"), _citations(chosen),
                           sparql)
    return None


def reports(ctx: Context) -> GraphAnswer | None:
    """The reports due once provision has started: steps of the subject's procedures that are reports,
    each with its recipient and deadline. A question that names one of them by its deadline
    (「15日以内に報告しなければならないのは」) asks about that report: it alone, with what it covers."""
    params = [{"risk_class": rc} for rc in _risk_classes(ctx)]
    params += [{"pathway": p} for p in ctx.of_type("Pathway")] + [{"procedure": p} for p in ctx.of_type("Procedure")]
    for param in params:
        rows, sparql = _run(ctx, "procedure-steps", **param)
        rows = [r for r in rows if any(c in normalize(_v(r, "step_ja") + " " + _v(r, "step_en")) for c in ctx.cues)]
        if not rows:
            continue
        subject = ctx.item(next(iter(param.values())))
        asked = normalize(ctx.question)
        named = [r for r in rows
                 if any(d and normalize(d) in asked for d in (_v(r, "deadline_ja"), _v(r, "deadline_en")))]
        if named and len({_v(r, "step") for r in named}) < len({_v(r, "step") for r in rows}):
            items = _items(named, "step", "ProcedureStep")
            said = [_defined(ctx, [Linked(i.iri, "ProcedureStep", 0, 0, "", "step", 1.0)])[1] for i in items]
            return GraphAnswer("reports", subject, items, _citations(named), sparql,
                               said=tuple((d.get("ja", ""), d.get("en", "")) for d in said))
        return GraphAnswer("reports", subject, _items(rows, "step", "ProcedureStep"), _citations(rows), sparql)
    return None


def _first_listing(ctx: Context, intent: str, query: str, param: str, subjects: list[str],
                   column: str, kind: str | None = None) -> GraphAnswer | None:
    """The first subject for which ``query`` lists items: they and their citations are the answer.

    ``kind`` is the items' type; without it, the type the query returns for them.
    """
    for subject in subjects:
        rows, sparql = _run(ctx, query, **{param: subject})
        if rows:
            item_kind = kind or compact(_v(rows[0], "type")).removeprefix("rko:")
            return GraphAnswer(intent, ctx.item(subject), _items(rows, column, item_kind), _citations(rows), sparql)
    return None


def tests(ctx: Context) -> GraphAnswer | None:
    return (_first_listing(ctx, "tests", "risk-tests", "risk", ctx.of_type("Risk"), "test", "Test")
            or _first_listing(ctx, "tests", "modality-tests", "modality", _modalities(ctx), "test", "Test"))


def risks(ctx: Context) -> GraphAnswer | None:
    return _first_listing(ctx, "risks", "modality-risks", "modality", _modalities(ctx), "risk", "Risk")


def kinds(ctx: Context) -> GraphAnswer | None:
    """The concepts under the linked one: modalities first (ES細胞 → its modality), then any concept;
    for a risk class named alone, the modalities its rules put in it ("Which modalities are Class I?")."""
    candidates = list(dict.fromkeys(_modalities(ctx) + [l.iri for l in ctx.linked if l.type != "RiskClass"]))
    return (_first_listing(ctx, "kinds", "narrower-concepts", "concept", candidates, "narrower")
            or next(filter(None, (_class_members(ctx, rc) for rc in ctx.of_type("RiskClass"))), None))


#: Headings of a risk class's members: those its rules put there whatever the case, and the rest.
ALWAYS = Item("", "条件によらず", "in every case", "")
ON_CONDITION = Item("", "条件により", "depending on conditions", "")


def _class_members(ctx: Context, risk_class: str) -> GraphAnswer | None:
    """The modalities the rules put in a risk class: those whose rules give no other outcome and
    state no condition, then those that fall in it only on a condition (MSC: allogeneic Class I,
    else Class II)."""
    rows, sparql = _run(ctx, "risk-class-modalities", risk_class=risk_class)
    if not rows:
        return None
    # all of them, not the first MAX_ITEMS: a list of what a class covers that stops short misleads
    members: dict[str, tuple[Item, bool]] = {}
    for r in rows:  # in every case: the modality's rules give one outcome, and this one states no condition
        alone = _v(r, "outcomes") == "1" and not _v(r, "condition_en") and not _v(r, "condition_ja")
        item = Item(_v(r, "modality"), _v(r, "modality_ja"), _v(r, "modality_en"), "Modality")
        members[item.iri] = (item, alone and members.get(item.iri, (item, True))[1])
    always = [item for item, alone in members.values() if alone]
    conditional = [item for item, alone in members.values() if not alone]
    groups = tuple((head, tuple(items)) for head, items in ((ALWAYS, always), (ON_CONDITION, conditional)) if items)
    return GraphAnswer("kinds", ctx.item(risk_class), always + conditional, _citations(rows), sparql, groups=groups)


#: The pathway whose plan a modality's plan items are asked of when no pathway is named.
ASRM_PROVISION = str(ID["pathway/asrm-provision"])


def plan_items(ctx: Context) -> GraphAnswer | None:
    """What a plan or application must state or attach: of a named document, else of a pathway's
    (or a procedure's pathway's) documents (for a risk class, its items and the general ones)."""
    params: dict[str, str] = {}
    if ctx.of_type("PlanDocument"):
        params["in_document"] = ctx.of_type("PlanDocument")[0]
    elif ctx.of_type("Pathway"):
        params["pathway"] = ctx.of_type("Pathway")[0]
    elif ctx.of_type("Procedure"):  # its pathway's documents
        params["procedure"] = ctx.of_type("Procedure")[0]
    if ctx.of_type("RiskClass"):
        params["risk_class"] = ctx.of_type("RiskClass")[0]
    modalities = _modalities(ctx)
    if not params and modalities:  # a modality's provision plan under the ASRM: the general items and its own
        params = {"pathway": ASRM_PROVISION, "modality": modalities[0]}
    if not params:
        return None
    rows, sparql = _run(ctx, "plan-items", **params)
    if not rows:
        return None
    subject = ctx.item(params.get("modality") or next(iter(params.values())))
    return GraphAnswer("plan_items", subject, _items(rows, "item", "PlanItem"), _citations(rows), sparql)


ACRONYM = re.compile(r"\b([A-Z][A-Z0-9]{1,5})s?\b")


def acronyms(text: str) -> list[str]:
    """Upper-case abbreviations a question asks about (QTPP, CPP, DS)."""
    return list(dict.fromkeys(ACRONYM.findall(text)))


def abbreviation(ctx: Context) -> GraphAnswer | None:
    """Every abbreviation in the question, when each links to an entity whose labels spell it out."""
    wanted = acronyms(ctx.question)
    found = {l.text.rstrip("s"): l.iri for l in ctx.linked if l.text.rstrip("s") in wanted}
    if not wanted or set(wanted) - set(found):
        return None
    items = [ctx.item(iri) for iri in dict.fromkeys(found.values())]
    rows: list[dict] = []
    sparql = ""
    for item in items:
        entity_rows, sparql = _run(ctx, "entity-citations", entity=item.iri)
        rows += [r for r in entity_rows if _v(r, "statement") == item.iri] or entity_rows
    return GraphAnswer("abbreviation", None, items, _citations(rows), sparql)


def definition(ctx: Context) -> GraphAnswer | None:
    """The linked entity itself: its labels in both languages and what it is (its curated definition,
    in each language), with the citations of the entity's own statements."""
    candidates = [l for l in ctx.linked if l.type not in ("RiskClass",)] or ctx.linked
    if not candidates:
        return None
    if all(l.type in DOCUMENT_TYPE_NAMES for l in candidates):  # what a document is: its particulars
        return publication(ctx)
    # the name nearest the words that ask for a definition ("the role *of PMDA* in product approval",
    # 「PMDAの役割」), the longest of those
    text = normalize(ctx.question)
    asking = [m.span() for cue in ctx.cues for m in re.finditer(re.escape(normalize(cue)), text)]

    def nearest_longest(l: Linked) -> tuple[int, int, float]:
        return min((max(0, a - l.end, l.start - b) for a, b in asking), default=0), l.start - l.end, -l.score

    best = min(map(nearest_longest, candidates))
    entity, said, sparql = _defined(ctx, [l for l in candidates if nearest_longest(l) == best])
    citations, citation_sparql = _own_citations(ctx, entity)
    item = ctx.item(entity)
    return GraphAnswer("definition", item, [item], citations, sparql + "\n" + citation_sparql,
                       said.get("ja", ""), said.get("en", ""))


def comparison(ctx: Context) -> GraphAnswer | None:
    """How the things a question names differ: what each of them is, side by side, each definition
    with its own citations; None unless two or more of them are defined."""
    spans: dict[tuple[int, int], list[Linked]] = {}
    for link in ctx.linked:
        spans.setdefault((link.start, link.end), []).append(link)
    defined = {}
    for links in spans.values():
        entity, said, sparql = _defined(ctx, links)
        if said and entity not in defined:
            defined[entity] = (said, sparql)
    if len(defined) < 2:
        return None
    items = [ctx.item(entity) for entity in defined]
    said = tuple((d.get("ja") or d.get("en", ""), d.get("en") or d.get("ja", "")) for d, _ in defined.values())
    cited = [_own_citations(ctx, entity) for entity in defined]
    sparql = "\n".join(dict.fromkeys([q for _, q in defined.values()] + [q for _, q in cited]))
    return GraphAnswer("comparison", None, items, [c for found, _ in cited for c in found], sparql, said=said)


def _defined(ctx: Context, links: list[Linked]) -> tuple[str, dict[str, str], str]:
    """Of the entities the same words name (相同利用 is a facet and a form field), the one the graph
    defines, with its definition by language and the query that read it; the first when none is."""
    named = list(dict.fromkeys(l.iri for l in links))
    sparql = ""
    for iri in named:
        texts, sparql = _run(ctx, "entity-definition", entity=iri)
        if texts:
            return iri, {_v(r, "lang"): _v(r, "definition") for r in texts}, sparql
    return named[0], {}, sparql


def _own_citations(ctx: Context, entity: str) -> tuple[list[Citation], str]:
    """The citations of the entity's own statements (all of its citations when it has none of its
    own), and the query that read them."""
    rows, sparql = _run(ctx, "entity-citations", entity=entity)
    return _citations([r for r in rows if _v(r, "statement") == entity] or rows), sparql


def document(ctx: Context) -> GraphAnswer | None:
    if not ctx.linked:
        return None
    entity = ctx.linked[0].iri
    rows, sparql = _run(ctx, "entity-citations", entity=entity)
    if not rows:
        return None
    docs = {(_v(r, "document"), _v(r, "document_title")) for r in rows}
    items = [Item(d, t, "", "Document") for d, t in sorted(docs)][:MAX_ITEMS]
    return GraphAnswer("document", ctx.item(entity), items, _citations(rows), sparql)


#: Where a document's own particulars are read: the header of its text in the corpus (title,
#: number, date), as the corpus manifest records it.
PARTICULARS_LOCATOR = "document header (title, number, date)"


def publication(ctx: Context) -> GraphAnswer | None:
    """What a named document is: its full title, kind, number, date of issue and issuer — the
    graph's record of the document, cited to the document itself."""
    documents = [l.iri for l in ctx.linked if l.type in DOCUMENT_TYPE_NAMES]
    if not documents:
        return None
    rows, sparql = _run(ctx, "documents-by-issuer", document=documents[0])
    if not rows:
        return None
    r = rows[0]
    date = _v(r, "issued")
    issued_ja = date_ja(date)
    ended = _v(r, "no_longer_in_force")
    parts_ja = [p for p in (_v(r, "number"), issued_ja and f"{issued_ja}付", _v(r, "issuer_ja") and f"発出: {_v(r, 'issuer_ja')}",
                            ended and f"{date_ja(ended)}に効力を失った（廃止）") if p]  # the kinds are English words only
    parts_en = [p for p in (_v(r, "kind"), _v(r, "number"), date and f"issued {date}",
                            _v(r, "issuer_en") and f"by the {_v(r, 'issuer_en')}",
                            ended and f"no longer in force from {ended}") if p]
    item = ctx.item(documents[0])
    # the full title, where it is not the name the answer gives the document already
    title_ja = _v(r, "title_ja") if _v(r, "title_ja") not in (item.ja, "") else ""
    title_en = _v(r, "title_en") if _v(r, "title_en") not in (item.en, "") else ""
    citation = Citation(documents[0], _v(r, "title_ja") or item.ja or item.en, PARTICULARS_LOCATOR, "", _v(r, "evidence"))
    return GraphAnswer("publication", item, [item], [citation], sparql,
                       "、".join(p for p in [title_ja and f"正式名称「{title_ja}」", *parts_ja] if p),
                       "; ".join(p for p in [title_en, ", ".join(parts_en)] if p))


ANSWERERS: dict[str, Callable[[Context], GraphAnswer | None]] = {
    "publication": publication,
    "reports": reports,
    "steps": steps,
    "abbreviation": abbreviation,
    "risk_class": risk_class,
    "committee": _by_class("committee"),
    "opinion": _who("opinion"),
    "authority": authority,
    "submit": _by_class("submit"),
    "deadline": deadline,
    "tests": tests,
    "kinds": kinds,
    "risks": risks,
    "plan_items": plan_items,
    "document": document,
    "definition": definition,
    "comparison": comparison,
}


def answer_reading(ctx: Context, intent: str) -> GraphAnswer | None:
    """The graph's answer for one reading's relation, when it has cited items; None otherwise."""
    answerer = ANSWERERS.get(intent)
    result = answerer(ctx) if answerer is not None else None
    if result is not None and (result.items or result.detail_ja) and result.citations:
        return result
    return None
