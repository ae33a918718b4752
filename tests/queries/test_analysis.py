"""Question analysis over paraphrase families: templates × entity labels from the graph, both languages.

The labels come from the graph (preferred labels of modalities and risk
classes), so the families grow with the knowledge, and nothing here names a
dev-set question.
"""

from __future__ import annotations

import pytest

from regkg.queries.analysis import analyse, find_cues, get_lexicon
from regkg.queries.ask import MIN_SCORE
from regkg.queries.linking import get_linker

CORE_TYPES = {"Modality", "CellKind", "MaterialType", "CellOrigin", "ProcessingLevel", "RiskClass", "Pathway",
              "Procedure", "ProcedureStep", "PlanDocument", "Actor", "Risk", "Test", "Term", "QualityAttribute",
              "Document", "LegalDocument"}

MODALITIES = ["regkg:modality/ips-derived-cells", "regkg:modality/es-derived-cells", "regkg:modality/msc",
              "regkg:modality/adipose-derived-msc", "regkg:modality/gene-modified-cells"]
CLASSES = ["regkg:risk-class/class-1", "regkg:risk-class/class-2", "regkg:risk-class/class-3"]

FAMILIES = {
    "risk-class": {
        "en": ["Which risk class does {x} fall under?", "What is the risk class of {x}?",
               "What risk category applies to {x}?", "Which class is {x} classified in?"],
        "ja": ["{x}のリスク区分は？", "{x}は第何種に該当しますか？", "{x}を用いる再生医療はどのリスク分類に当たりますか？",
               "{x}は安確法で規制されていますか？"],
    },
    "committee": {
        "en": ["Which committee reviews plans for {x}?", "Who reviews a plan that uses {x}?"],
        "ja": ["{x}を用いる計画を審査する委員会は？", "{x}の提供計画はどの委員会が審査しますか？"],
    },
    "requirements": {
        "en": ["What does {x} need?", "What is required for {x}?", "checklist for {x}",
               "What are the requirements for a therapy with {x}?"],
        "ja": ["{x}に必要な手続は？", "{x}を使う治療には何が必要ですか？", "{x}のチェックリスト",
               "{x}を用いる治療に必要なことは？"],
    },
    "tests": {  # the tests asked for by name, though the question also says needed / required
        "en": ["What tests are required for {x}?", "Which tests does {x} need?", "What kinds of tests are needed for {x}?"],
        "ja": ["{x}に必要な試験は？", "{x}で求められる試験は何ですか？"],
    },
    "risks": {
        "en": ["What are the risks of {x}?", "What safety concerns does {x} raise?"],
        "ja": ["{x}のリスクは？", "{x}にはどんな懸念がありますか？"],
    },
    "plan-items": {
        "en": ["What are the plan items for {x}?", "What must be attached to a plan for {x}?",
               "What should be written in a plan for {x}?"],
        "ja": ["{x}の記載事項は？", "{x}を用いる計画の添付書類は？"],
    },
}
CLASS_FAMILIES = {
    "submit": {"en": ["Where is a plan for {x} submitted?", "To whom do I submit a {x} plan?"],
               "ja": ["{x}の提供計画はどこに提出しますか？", "{x}の計画の提出先は？", "{x}の提供計画は誰が受け取りますか？"]},
    "committee": {"en": ["Which committee reviews {x} plans?"], "ja": ["{x}の計画を審査するのはどの委員会？"]},
    "kinds": {"en": ["Which modalities are {x}?", "List the modalities that are {x}."],
              "ja": ["{x}のモダリティを挙げてください。"]},
    "steps": {"en": ["What are the steps for {x}?", "What is the flow of a {x} plan?"],
              "ja": ["{x}の提供の流れは？", "{x}の手順を教えてください。"]},
}


def _iri(curie: str) -> str:
    return "https://w3id.org/regkg/id/" + curie.split(":", 1)[1]


def _best(store, q: str):
    linker = get_linker(store)
    return analyse(q, linker.link(q), get_lexicon(store))


def _cases(families: dict, entities: list[str]):
    return [(relation, lang, template, entity) for relation, by_lang in families.items()
            for lang, templates in by_lang.items() for template in templates for entity in entities]


@pytest.mark.parametrize(("relation", "lang", "template", "entity"),
                         _cases(FAMILIES, MODALITIES) + _cases(CLASS_FAMILIES, CLASSES))
def test_paraphrase_family_reads_as_its_relation(store, relation, lang, template, entity):
    label = get_linker(store).pref_label(_iri(entity), lang)
    q = template.format(x=label)
    analysis = _best(store, q)
    assert analysis.best is not None, q
    assert analysis.best.relation.name == relation, (q, [(r.relation.name, r.score) for r in analysis.readings])
    assert _iri(entity) in {l.iri for l in analysis.best.subjects}, q


STEPS = ["regkg:step/post-start-duties/2", "regkg:step/post-start-duties/5"]  # the 15-day and the yearly report


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("entity", STEPS)
def test_a_form_that_names_the_kind_of_answer_is_evidence_for_the_one_relation_giving_it(store, lang, entity):
    """"When …?" asks for a deadline without the word; only the deadline relation answers "when"."""
    label = get_linker(store).pref_label(_iri(entity), lang)
    q = f"When must the {label} be made?" if lang == "en" else f"{label}はいつ行いますか？"
    analysis = _best(store, q)
    assert analysis.best is not None and analysis.best.relation.name == "deadline", q
    assert not {r.relation.name for r in analysis.readings} - {"deadline"}, q  # nothing else is evoked


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_question_naming_both_ends_of_a_relation_asks_it(store, lang):
    """"Is MSC Class II?" names a modality and a risk class and no cue: it asks the risk-class relation."""
    linker = get_linker(store)
    for modality in MODALITIES:
        for risk_class in CLASSES:
            x, y = linker.pref_label(_iri(modality), lang), linker.pref_label(_iri(risk_class), lang)
            q = f"Is {x} {y}?" if lang == "en" else f"{x}は{y}ですか？"
            analysis = _best(store, q)
            assert analysis.best is not None and analysis.best.relation.name == "risk-class", q
            assert _iri(modality) in {l.iri for l in analysis.best.subjects}, q


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_term_asked_of_a_product_is_not_a_definition_question(store, lang):
    """"What are the quality attributes of MSCs?" asks what they are for MSCs, not what the term
    means; the term alone, or beside the source that uses it, is a definition question."""
    linker = get_linker(store)
    terms = sorted(iri for iri, t in linker.types.items() if t in ("Test", "QualityAttribute", "Risk"))[:6]
    assert terms
    for term in terms:
        x = linker.pref_label(term, lang)
        alone = f"What is {x}?" if lang == "en" else f"{x}とは何ですか？"
        if not any(l.iri == term for l in linker.link(alone)):
            continue  # a label another entity's name swallows
        assert "definition" in {r.relation.name for r in _best(store, alone).readings}, alone
        for modality in MODALITIES[:2]:
            y = linker.pref_label(_iri(modality), lang)
            q = f"What is the {x} of {y}?" if lang == "en" else f"{y}の{x}とは何ですか？"
            assert "definition" not in {r.relation.name for r in _best(store, q).readings}, q


@pytest.mark.parametrize(("asked", "consequence"), [
    ("What is the term of conditional approval?", "What happens after the conditional approval term ends?"),
    ("条件及び期限付承認の期限は？", "条件及び期限付承認の期限が過ぎたらどうなりますか？")])
def test_what_happens_after_a_term_is_not_asking_the_term(store, asked, consequence):
    from regkg.queries.ask import MIN_SCORE

    assert _best(store, asked).best.relation.name == "deadline"
    best = _best(store, consequence).best
    assert best is None or best.relation.name != "deadline" or best.score < MIN_SCORE, consequence


def test_who_names_no_relation_by_itself(store):
    from regkg.queries.analysis import _answered_by_form
    from regkg.queries.linking import Linked

    lexicon = get_lexicon(store)
    assert len([r for r in lexicon.relations.values() if "who" in r.forms and "RiskClass" in r.subject_types]) > 1
    klass = Linked(_iri(CLASSES[0]), "RiskClass", 0, 5, "x", "ruler", 1.0)
    assert _answered_by_form(lexicon, ["who"], [klass]) is None


def test_lexicon_is_well_formed(store):
    lexicon = get_lexicon(store)
    assert {"risk-class", "committee", "submit", "deadline", "reports", "requirements"} <= set(lexicon.relations)
    for relation in lexicon.relations.values():
        assert relation.label_ja and relation.label_en, relation.name
        assert any(c.isascii() for c in relation.cues) and any(not c.isascii() for c in relation.cues), relation.name
        assert relation.forms <= set(lexicon.forms), relation.name
        assert relation.subject_types | relation.hop_types | relation.object_types <= CORE_TYPES, relation.name
    assert {"who", "where", "when", "which", "what", "why", "how"} <= set(lexicon.forms)


def test_longest_cue_claims_its_span():
    cues = find_cues("what is the risk class of x", [("risks", "risk"), ("risk-class", "risk class")], [])
    assert [(c.name, c.text) for c in cues] == [("risk-class", "risk class")]


def test_cue_inside_an_entity_name_is_not_a_cue():
    q = "reports after starting a class 1 therapy"
    start = q.index("class 1")
    cues = find_cues(q, [("risk-class", "class 1"), ("reports", "reports")], [(start, start + 7)])
    assert [c.name for c in cues] == ["reports"]


def test_a_japanese_cue_starts_where_a_word_starts(store):
    from regkg.queries.analysis import load_tokenizer

    cues = [("definition", "とは"), ("which", "どの"), ("requirements", "必要")]
    for q, expected in (("必要なことは？", ["requirements"]), ("などの書類", []), ("相同利用とは？", ["definition"]),
                        ("どの委員会が", ["which"])):
        starts = frozenset(w.idx for w in load_tokenizer().words(q))
        assert [c.name for c in find_cues(q, cues, [], starts)] == expected, q


def test_a_cue_word_in_a_named_documents_name_is_the_name(store):
    q = "What does the research report say about bacteriophages?"
    linker = get_linker(store)
    sources = linker.document_links(q)
    assert sources, "the research report is a document the graph names"
    analysis = analyse(q, linker.link(q), get_lexicon(store), sources)
    assert "reports" not in {c.name for c in analysis.relation_cues}
    assert "reports" in {c.name for c in analyse(q, linker.link(q), get_lexicon(store)).relation_cues}


@pytest.mark.parametrize("q", ["Why did the group move from autologous iPS cells to an iPS cell stock?",
                               "なぜ自家iPS細胞から他家iPS細胞ストックへ移行したのですか？"])
def test_why_questions_have_no_confident_graph_reading(store, q):
    analysis = _best(store, q)
    assert all(r.score < 2.0 for r in analysis.readings), [(r.relation.name, r.score) for r in analysis.readings]


def test_question_forms_are_found_in_both_languages(store):
    assert "who" in _best(store, "Who receives the plan?").forms
    assert "where" in _best(store, "提供計画はどこに提出しますか？").forms
    assert "when" in _best(store, "How long is the term?").forms
    assert "when" in _best(store, "報告は何日以内ですか？").forms
    assert "when" in _best(store, "報告するまでの日数は？").forms
    assert "how-many" in _best(store, "Roughly how many patients have cirrhosis in Japan?").forms
    assert "how-many" in _best(store, "臨床試験は何件登録されていますか？").forms


@pytest.mark.parametrize("template", [
    "What conditions does a product have to meet to be eligible for {x}?",
    "What are the criteria for {x}?",
    "Which criteria must a product meet to get {x}?",
    "{x}を受けるにはどのような条件を満たす必要がありますか？",
    "{x}の要件は？",
])
@pytest.mark.parametrize("pathway", ["conditional and time-limited approval", "emergency approval"])
def test_the_conditions_a_pathway_sets_are_its_requirements(store, template, pathway):
    # "what conditions must it meet" asks the criteria, which the requirements relation gives
    names = {"conditional and time-limited approval": "条件及び期限付承認", "emergency approval": "緊急承認"}
    q = template.format(x=names[pathway] if "{x}を" in template or "{x}の" in template else pathway)
    analysis = _best(store, q)
    assert analysis.best is not None and analysis.best.relation.name == "requirements", q
    assert analysis.best.score >= MIN_SCORE  # enough to be answered from the graph


@pytest.mark.parametrize(("q", "asked"), [
    ("Which type of certified committee reviews Class I plans?", "committee"),
    ("What kind of committee reviews a plan for MSCs?", "committee"),
    ("What types of MSC are there?", "kinds"),
    ("Which kinds of nucleic acids does the Act cover?", "kinds"),
])
def test_a_cue_ending_in_of_asks_of_the_entity_after_it(store, q, asked):
    # "type of committee" asks which committee, not the kinds of a modality the question also names
    analysis = _best(store, q)
    assert analysis.best is not None and analysis.best.relation.name == asked


@pytest.mark.parametrize(("q", "asking", "content"), [
    ("除かれている医療技術を挙げてください。", "挙げ", "除か"),
    ("EV製造の主な工程は何ですか？", "何", "工程"),
    ("Which tests does a therapy need?", "which", "tests"),
    ("自家脂肪由来幹細胞の治療は大臣への提出が必要ですか？", None, "必要ですか"),
    ("Which modalities other than iPS cells are Class I?", "which", "other than"),
])
def test_the_words_that_only_ask_are_told_apart_from_what_is_asked(store, q, asking, content):
    # "which", 何, 挙げて say what kind of answer is wanted; 必要ですか and "other than" say what is asked
    analysis = _best(store, q)
    said = [q[s:e].lower() for s, e in analysis.asking_spans]
    assert said == ([asking] if asking else [])
    assert not any(content.lower() in w or w in content.lower() for w in said)


@pytest.mark.parametrize(("lang", "template"), [
    ("ja", "{x}の提供計画を提出するときに、添付する書類は何ですか？"),
    ("ja", "{x}の提供計画を提出する場合、記載事項は何ですか？"),
    ("ja", "{x}の提供計画を提出する前に、記載すべき事項は何ですか？"),
    ("en", "When submitting a plan for {x}, which documents must be attached?"),
    ("en", "Before submitting a plan for {x}, what must be attached?"),
])
def test_a_cue_in_the_situation_clause_is_not_what_is_asked(store, lang, template):
    """'When submitting …, what is attached' asks for attachments, not where to submit."""
    linker, lexicon = get_linker(store), get_lexicon(store)
    for iri in CLASSES:
        q = template.format(x=linker.pref_label(_iri(iri), lang))
        best = analyse(q, linker.link(q), lexicon).best
        assert best is not None and best.relation.name == "plan-items", (q, best and best.relation.name)


@pytest.mark.parametrize(("q", "when"), [
    ("Why were exosome treatments outside the Act when JSRM published its guidance, and how is their risk described?", False),
    ("What must be attached to the plan when the cells are allogeneic?", False),
    ("Which committee reviews the plan, and when is the report due?", True),
    ("When must a serious adverse event be reported?", True),
])
def test_a_when_clause_inside_an_english_question_sets_the_scene(store, q, when):
    # after a word and before a comma (or the end), 'when' opens a subordinate clause: it asks no time
    assert ("when" in _best(store, q).forms) is when


def test_an_english_question_word_with_an_auxiliary_is_not_a_situation(store):
    lexicon = get_lexicon(store)
    q = "When must a serious adverse event be reported to the committee, and by whom?"
    assert "when" in analyse(q, get_linker(store).link(q), lexicon).forms


def test_clauses_end_at_punctuation_and_at_the_lexicons_joiners(store):
    from regkg.queries.analysis import clause_breaks

    lexicon = get_lexicon(store)
    assert {"and", "また"} <= set(lexicon.clause_joiners)
    assert {"using", "two"} <= lexicon.phrase_boundaries
    q = "Which class applies and which committee reviews it"
    assert clause_breaks(q, lexicon.clause_joiners) == [q.index("and")]
    assert clause_breaks("brand names", lexicon.clause_joiners) == []  # a word, not a part of one
    assert len(clause_breaks("リスク区分は？また、委員会は？", lexicon.clause_joiners)) == 4


@pytest.mark.parametrize(("template", "lang"), [("What are the {} basic principles of it?", "en"),
                                                ("Which {} concepts did the revision add?", "en"),
                                                ("What {} kinds of items does it lay out?", "en")])
def test_a_question_that_says_how_many_things_it_asks_for_is_counted(template, lang):
    from regkg.queries.analysis import asked_count
    from regkg.queries.retrieval.tokens import number_names

    for word, (value, scale) in number_names().items():
        if not scale and 2 <= value <= 10:
            q = template.format(word)
            assert asked_count(q) == (int(value), q.index(word), q.index(word) + len(word)), word


@pytest.mark.parametrize("number", ["2", "3", "二", "三", "４"])
def test_a_japanese_count_is_a_numeral_with_tsu_or_before_a_plain_noun(number):
    from regkg.queries.analysis import asked_count

    value = {"二": 2, "三": 3, "４": 4}.get(number) or int(number)
    listed, kinds = f"主な課題を{number}つ挙げてください。", f"{number}種類の項目は何ですか？"
    assert asked_count(listed) == (value, 5, 7)  # the numeral and its counter
    assert asked_count(kinds) == (value, 0, 1)


@pytest.mark.parametrize("q", ["Which reports are due within 15 days?", "How long is the term, seven years?",
                               "重篤な疾病等は15日以内に報告しますか？", "3年ごとの定期報告とは？", "What are the risks?"])
def test_an_amount_is_not_a_count_of_items(store, q):
    linked = get_linker(store).link(q)
    assert analyse(q, linked, get_lexicon(store)).count is None


@pytest.mark.parametrize(("q", "focus"), [("What tests are required for MSCs?", "tests"),
                                          ("Which kinds of cells are Class I?", "kinds"),
                                          ("どの委員会が審査しますか？", "委員会"),
                                          ("どのような試験が必要ですか？", "試験"),
                                          ("間葉系幹細胞に必要な試験は？", "試験"),
                                          ("What is an iPS cell?", None),
                                          ("What are the steps of conditional approval?", "steps"),
                                          ("What is the review period for a Class I plan?", "period")])
def test_the_focus_is_the_noun_a_question_word_asks_for(store, q, focus):
    from regkg.ingest.nlp import load_tokenizer
    from regkg.queries.analysis import _comparable, focus_span

    lexicon = get_lexicon(store)
    text = _comparable(q)
    form_cues = find_cues(text, [(f, c) for f, cues in lexicon.forms.items() for c in cues], [])
    span = focus_span(load_tokenizer().words(q), form_cues)
    assert (q[span[0]:span[1]] if span else None) == focus
