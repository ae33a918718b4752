"""Answer sentences in the question's language.

English answers name each item in English with its Japanese term beside it
("Class I regenerative medicine technology (第一種再生医療等技術)"), because the
Japanese legal term is what a reader must look up; Japanese answers use the
Japanese labels.
"""

from __future__ import annotations

from regkg.queries.answer_graph import GraphAnswer, Item



def name(item: Item | None, lang: str) -> str:
    if item is None:
        return ""
    if lang == "ja":
        return item.ja or item.en
    if item.en and item.ja and item.ja != item.en:
        return f"{item.en} ({item.ja})"
    return item.en or item.ja


def listing(items: list[Item], lang: str) -> str:
    names = [name(i, lang) for i in items if name(i, lang)]
    return ("、" if lang == "ja" else "; ").join(names)


def compose(answer: GraphAnswer, lang: str) -> str:
    """One sentence that names the items (and any term or condition) of a graph answer."""
    s, items = name(answer.subject, lang), listing(answer.items, lang)
    end = "。" if lang == "ja" else ". "
    if answer.groups:  # each heading with its own items (a risk class and its committee)
        return "".join(f"{name(head, lang)}: {listing(list(group), lang)}{end}" for head, group in answer.groups).strip()
    if answer.said:  # each item with what is said of it (a definition, a deadline), side by side
        return "".join(f"{name(item, lang)}: {((ja or en) if lang == 'ja' else (en or ja)).rstrip('。.')}{end}"
                       for item, (ja, en) in zip(answer.items, answer.said)).strip()
    if answer.intent == "steps":  # in order, numbered
        numbered = ("、" if lang == "ja" else "; ").join(f"{n}. {name(i, lang)}" for n, i in enumerate(answer.items, 1))
        return f"{s}の流れ: {numbered}。" if lang == "ja" else f"Steps of {s}: {numbered}."
    if answer.intent == "requirements":  # composed in parts, Japanese terms inline
        return answer.detail_ja if lang == "ja" else answer.detail_en
    if answer.intent in ("definition", "publication"):  # what it is, in the question's language when the graph says it so
        said = (answer.detail_ja or answer.detail_en) if lang == "ja" else (answer.detail_en or answer.detail_ja)
        return f"{s}: {said}" if said else (f"{s}。" if lang == "ja" else f"{s}.")
    detail = answer.detail_ja if lang == "ja" else (
        f"{answer.detail_en} ({answer.detail_ja})" if answer.detail_en and answer.detail_ja else answer.detail_en)
    if answer.intent == "risk_class" and answer.because and answer.items:  # decided by a criterion
        why_ja, why_en = answer.because
        return (f"{s}のリスク区分は{items}です（{why_ja}ため）。" if lang == "ja"
                else f"{s} falls under {items}, because it {why_en}.")
    ja = {
        # no class but a detail: the rule puts the modality outside the Act
        "risk_class": (f"{s}のリスク区分は{items}です" + (f"（条件: {detail}）" if detail else "") + "。") if items
        else f"{s}は{detail}です。",
        "committee": f"{items}が審査します（{s}）。",
        "opinion": f"{items}の意見を聴きます（{s}）。",
        "authority": f"{items}が行います（{s}）。",
        "submit": f"{items}に提出します（{s}）。",
        "deadline": f"{s}: {detail}。",
        "reports": f"{s}の開始後の報告: {items}。",
        "tests": f"{s}に関する試験: {items}。",
        "risks": f"{s}のリスク: {items}。",
        "kinds": f"{s}の種類: {items}。",
        "plan_items": f"{s}の記載事項・添付書類: {items}。",
        "document": f"{s}の出典: {items}。",
        "abbreviation": f"{items}。",
    }
    en = {
        "risk_class": (f"{s} falls under {items}" + (f", depending on: {detail}" if detail else "") + ".") if items
        else f"{s} is {detail}.",
        "committee": f"Reviewed by {items} — {s}.",
        "opinion": f"The opinion of {items} is heard — {s}.",
        "authority": f"By {items} — {s}.",
        "submit": f"Submitted to {items} — {s}.",
        "deadline": f"{s}: {detail}.",
        "reports": f"Reports after starting ({s}): {items}.",
        "tests": f"Tests for {s}: {items}.",
        "risks": f"Risks of {s}: {items}.",
        "kinds": f"Kinds of {s}: {items}.",
        "plan_items": f"Items for {s}: {items}.",
        "document": f"Sources on {s}: {items}.",
        "abbreviation": f"{items}.",
    }
    return (ja if lang == "ja" else en)[answer.intent]


def expansion_sentence(found: list[tuple[str, str]], lang: str) -> str:
    """``[(abbreviation, expansion)]`` → "QTPP stands for …" / 「QTPPは「…」の略です」."""
    if lang == "ja":
        return "".join(f"{a}は「{x}」の略です。" for a, x in found)
    return " ".join(f"{a} stands for {x}." for a, x in found)


def passage_sentence(quote: str, title: str, locator: str, lang: str) -> str:
    where = f"{title} {locator}".strip()
    if lang == "ja":
        return f"{where}によると: 「{quote}」"
    return f"According to {where}: \u201c{quote}\u201d"


def nothing_found(lang: str) -> str:
    if lang == "ja":
        return "該当する規定・記述は見つかりませんでした。"
    return "Nothing in the graph or the documents answers this; no cited answer can be given."


def abstention(understood: str, passages: str, lang: str) -> str:
    """What was understood, that the graph has no cited answer, and passages that may be relevant."""
    if lang == "ja":
        head = f"質問の理解: {understood}。" if understood else ""
        return f"{head}グラフには引用付きの確かな回答がありません。関連するかもしれない記述: {passages}"
    head = f"Understood: {understood}. " if understood else ""
    return f"{head}The graph has no cited answer to this. These passages may be relevant: {passages}"


def declined(lang: str) -> str:
    """A polite no for a question outside Japanese regenerative-medicine regulation."""
    if lang == "ja":
        return ("申し訳ありませんが、この質問は再生医療等の規制（安確法・薬機法・関連通知やガイドライン）の範囲外のようです。"
                "この範囲の質問にお答えします。")
    return ("Sorry, this question seems to be outside Japanese regenerative-medicine regulation "
            "(the ASRM, the PMD Act and related notices and guidance), which is what regkg can answer.")
