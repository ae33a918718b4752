"""The provisions a question names: 「安確法施行令第1条」, 「第5条第2項」, "ASRM Article 5", "Art. 23-25(1)".

A question that names an article asks about what that article says, so search
ranks the article's own units higher (``search.PROVISION_BOOST``). Japanese
references are read by the ingest's cross-reference parser (the same grammar
that links provisions to each other); English ones ("Article N", "Art. N(M)")
by a pattern here, each resolved against the law the question names nearest to
it. A reference whose law cannot be told names nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from regkg.ingest import iris
from regkg.ingest.xrefs import context_for, extract
from regkg.queries.linking import Linked

#: "Article 5", "Art. 23-25", "Article 2(9)", "Articles 4": the number, any branch, any paragraph.
_ENGLISH = re.compile(r"\bArt(?:icles?|\.)\s*(\d+(?:-\d+)*)(?:\s*\((\d+)\))?", re.IGNORECASE)
_LAW = re.compile(r"/law/([^/]+)$")


def named_provisions(q: str, documents: Sequence[Linked]) -> list[str]:
    """IRIs of the provisions (article, or paragraph) ``q`` names; ``documents`` are where it names
    documents (a law's name resolves an article number written beside it)."""
    laws = [(d, m.group(1)) for d in documents if (m := _LAW.search(d.iri))]
    out: list[str] = []
    if re.search(r"第\S{1,6}条", q):
        law = laws[0][1] if len(laws) == 1 else None
        out += [r.target for r in extract(q, context_for(law, q)) if r.target and "/art/" in r.target]
    for m in _ENGLISH.finditer(q):
        if not laws:
            break
        law = min(laws, key=lambda x: min(abs(x[0].start - m.end()), abs(m.start() - x[0].end)))[1]
        target = f"{iris.law_iri(law)}/art/{m.group(1)}"
        out.append(target + (f"/para/{m.group(2)}" if m.group(2) else ""))
    return list(dict.fromkeys(out))
