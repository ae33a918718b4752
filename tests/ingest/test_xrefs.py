from regkg.ingest.xrefs import ASRM, PMD_ACT, context_for, document_keys, extract

LAW = "https://w3id.org/regkg/id/law/"


def targets(text: str, ctx) -> list[str | None]:
    return [r.target for r in sorted(extract(text, ctx), key=lambda r: r.start)]


def test_bare_and_named_articles_inside_a_law() -> None:
    ctx = context_for(PMD_ACT)
    ctx.unit_iri = LAW + PMD_ACT + "/art/23-26/para/1"
    got = targets("第二十三条の二十五第一項の承認の申請者が、同条第二項第三号イ及びロ並びに前項の規定", ctx)
    assert got == [LAW + PMD_ACT + "/art/23-25/para/1", LAW + PMD_ACT + "/art/23-25/para/2/item/3", None]
    ctx.unit_iri = LAW + PMD_ACT + "/art/23-26/para/2"
    assert targets("前項の規定", ctx) == [LAW + PMD_ACT + "/art/23-26/para/1"]


def test_ho_means_parent_act_in_ordinance() -> None:
    ctx = context_for("426M60000100110")
    got = targets("法第4条第2項(法第5条第2項において準用する場合を含む)及び施行規則第7条", ctx)
    assert got == [LAW + ASRM + "/art/4/para/2", LAW + ASRM + "/art/5/para/2", LAW + "426M60000100110/art/7"]


def test_law_names_and_parenthesised_numbers() -> None:
    ctx = context_for(None, "再生医療等の安全性の確保等に関する法律")
    got = targets("医薬品医療機器等法第二十三条の二十六第一項第二号、"
                  "再生医療等の安全性の確保等に関する法律(平成二十五年法律第八十五号)第二条第五項", ctx)
    assert got == [LAW + PMD_ACT + "/art/23-26/para/1/item/2", LAW + ASRM + "/art/2/para/5"]
    # a bare article in a notice has no known law
    assert targets("第十条", ctx) == [None]


def test_document_references() -> None:
    docs = {}
    docs.update(document_keys({"number": "医薬機審発0329第1号 (令和6年3月29日)"}, "D:comparability"))
    docs.update(document_keys({"title": "ICH Q5A(R2) Viral Safety"}, "D:q5a"))
    ctx = context_for(None, documents=docs)
    got = {r.surface: r.target for r in extract("ICH Q5A(R2)に準拠し、医薬機審発0329第1号を参照", ctx)}
    assert got == {"ICH Q5A(R2)": "D:q5a", "医薬機審発0329第1号": "D:comparability"}
