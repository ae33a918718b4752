"""Words of the web page in Japanese (default) and English.

Japanese legal terms stay Japanese in the English page where the graph gives
no English label, as the answers do.
"""

from __future__ import annotations

LANGS = ("ja", "en")

STRINGS: dict[str, dict[str, str]] = {
    "title": {"ja": "再生医療規制ナレッジグラフ", "en": "Regenerative medicine regulation knowledge graph"},
    "tagline": {"ja": "製品・治療に日本の規制が求めることを、根拠条文とともに。",
                "en": "What Japanese regulation requires of a product or therapy — with the article that says so."},
    "skip": {"ja": "本文へ移動", "en": "Skip to content"},
    "nav_ask": {"ja": "質問", "en": "Ask"},
    "nav_search": {"ja": "検索", "en": "Search"},
    "nav_modalities": {"ja": "モダリティ", "en": "Modalities"},
    "nav_checklist": {"ja": "チェックリスト", "en": "Checklist"},
    "nav_sparql": {"ja": "SPARQL", "en": "SPARQL"},
    "other_lang": {"ja": "English", "en": "日本語"},
    "ask_label": {"ja": "質問を入力してください", "en": "Type your question"},
    "ask_placeholder": {"ja": "例：iPS細胞を用いる再生医療等のリスク分類は？", "en": "e.g. Which risk class applies to iPS cell-derived therapies?"},
    "ask_button": {"ja": "質問する", "en": "Ask"},
    "answer": {"ja": "回答", "en": "Answer"},
    "items": {"ja": "該当項目", "en": "Items"},
    "citations": {"ja": "根拠", "en": "Citations"},
    "confidence": {"ja": "確信度", "en": "Confidence"},
    "method": {"ja": "方法", "en": "Method"},
    "show_sparql": {"ja": "使用したSPARQL", "en": "SPARQL used"},
    "search_label": {"ja": "検索語", "en": "Search terms"},
    "search_button": {"ja": "検索", "en": "Search"},
    "any": {"ja": "すべて", "en": "Any"},
    "language": {"ja": "言語", "en": "Language"},
    "unit_type": {"ja": "種類", "en": "Kind"},
    "provision": {"ja": "条項", "en": "Provision"},
    "passage": {"ja": "文章", "en": "Passage"},
    "document": {"ja": "文書", "en": "Document"},
    "score": {"ja": "スコア", "en": "Score"},
    "no_hits": {"ja": "該当なし", "en": "No results"},
    "modality": {"ja": "モダリティ", "en": "Modality"},
    "risk_class": {"ja": "リスク分類", "en": "Risk class"},
    "outside_asrm": {"ja": "再生医療等安全性確保法の対象外", "en": "Outside the ASRM"},
    "requirements": {"ja": "求められる事項", "en": "Requirements"},
    "risks": {"ja": "リスク", "en": "Risks"},
    "tests": {"ja": "試験", "en": "Tests"},
    "criterion": {"ja": "基準", "en": "Criterion"},
    "condition": {"ja": "条件", "en": "Condition"},
    "general_rules": {"ja": "上位のモダリティに定められた一般的な規則（除外規定を含む）", "en": "General rules stated on broader modalities (including exclusions)"},
    "kind": {"ja": "種別", "en": "Kind"},
    "force": {"ja": "義務の強さ", "en": "Force"},
    "source": {"ja": "出典", "en": "Source"},
    "pathway": {"ja": "経路", "en": "Pathway"},
    "attributes": {"ja": "属性（任意）", "en": "Attributes (optional)"},
    "build_checklist": {"ja": "チェックリストを作成", "en": "Build checklist"},
    "download": {"ja": "ダウンロード", "en": "Download"},
    "choose": {"ja": "選択してください", "en": "Choose"},
    "query": {"ja": "クエリ", "en": "Query"},
    "examples": {"ja": "例（名前付きクエリ）", "en": "Examples (named queries)"},
    "load_example": {"ja": "例を読み込む", "en": "Load example"},
    "run": {"ja": "実行", "en": "Run"},
    "rows": {"ja": "行", "en": "rows"},
    "truncated": {"ja": "結果は上限 {limit} 行で打ち切られました。", "en": "Results were cut at the {limit}-row limit."},
    "labels": {"ja": "名称", "en": "Labels"},
    "synonyms": {"ja": "別名", "en": "Synonyms"},
    "definition": {"ja": "定義", "en": "Definition"},
    "types": {"ja": "型", "en": "Types"},
    "text": {"ja": "本文", "en": "Text"},
    "links": {"ja": "関連", "en": "Links"},
    "incoming": {"ja": "参照元", "en": "Referenced by"},
    "as_data": {"ja": "データとして", "en": "As data"},
    "error": {"ja": "エラー", "en": "Error"},
    "api_docs": {"ja": "API 仕様", "en": "API reference"},
}


def pick_lang(requested: str | None, cookie: str | None) -> str:
    for candidate in (requested, cookie):
        if candidate in LANGS:
            return candidate
    return "ja"


def strings(lang: str) -> dict[str, str]:
    return {key: values[lang] for key, values in STRINGS.items()}
