"""What a question asks: cue words (Japanese and English) → the kind of answer wanted.

The kinds mirror the graph's competency questions (the named queries): risk
class, reviewing committee, where a plan is submitted, whose opinion is heard,
deadlines and terms, tests, risks, plan items, kinds of a modality,
abbreviations and definitions, source documents. A question may carry several
cues; they are returned most specific first, and the answerer tries them in
that order.
"""

from __future__ import annotations

import re

#: (intent, pattern) in priority order: more specific cues before general ones.
CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple((name, re.compile(p, re.IGNORECASE)) for name, p in (
    ("abbreviation", r"stand(s)? for|abbreviat|acronym|略|の略称|正式名称|\b[A-Z]{2,6}s?\b(とは| is\b| in the context)"),
    ("risk_class", r"リスク(分類|区分)|第[一二三1-3]種|何種|risk[- ]class|classif|which class|class (i|ii|iii|1|2|3)\b"),
    ("committee", r"委員会|審査|committee|review"),
    ("opinion", r"意見|諮問|opinion|hear|consult"),
    ("submit", r"提出|届出|届け出|どこに|誰に|submit|file[sd]? with|to whom|where .* (send|submit)"),
    ("deadline", r"期限|期間|何日|何年|何か月|いつまで|deadline|how long|how many (days|years|months)|term\b|within|years?\b|days?\b"),
    ("tests", r"(?<!臨床)(?<!治)試験|検査|評価法|アッセイ|\btests?\b|assay|testing"),
    ("kinds", r"種類|由来|どの組織|どんな組織|どこから|何から|kinds? of|types? of|derived from|sources?\b|tissues?"),
    ("risks", r"リスク|懸念|危険|副作用|ハザード|何が起こ|risks?\b|concerns?|hazards?|safety|dangers?|happen"),
    ("plan_items", r"記載事項|添付書類|記載|添付|plan items?|must (the )?(plan|application) (contain|include|state)|attach"),
    ("document", r"ガイドライン|通知|文書|根拠|どの法|guideline|guidance|notice|which (law|document|regulation)"),
    ("definition", r"とは|定義|what (is|are)|define|definition|meaning"),
))


def intents(question: str) -> list[str]:
    """Every intent whose cue appears in the question, in priority order."""
    return [name for name, pattern in CUES if pattern.search(question)]
