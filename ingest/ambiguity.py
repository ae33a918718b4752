"""Which lexicon labels are too ambiguous to link wherever they occur, and what context licenses them.

Matches are token-aligned already (the annotator matches whole Sudachi
tokens), but a whole token can still carry another sense: 自己 in 自己完結型
("self-contained") is not 自己 "autologous", 培養 in 細胞培養アイソレータ names
equipment, not a cultured product. Such words share a trait the lexicon
itself reveals: they are short common words that the vocabulary uses as
building blocks of *other* entities' labels (自己 in 自己細胞由来…, 培養 in
培養上清, 細胞 in nearly everything). We call those labels *weak*.

A weak label links only where the word ends its noun phrase (自己の…, 培養した,
細胞の老化) or where it directly modifies another entity mention
(自己[骨髄細胞], 培養[MSC], 他家[iPS細胞]). Inside a longer compound whose rest
is not an entity (自己完結型, 培養アイソレータ, 加工製品) it is dropped. Specific
short terms that build no other entity's label (治験, 国会, 転座) are not weak.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Container, Mapping, Sequence

from .nlp import Word

#: Longest label (in characters) that can be weak; longer labels are specific enough.
MAX_WEAK_CHARS = 2
#: Sudachi POS prefixes that continue a noun compound after the matched word.
_COMPOUND_POS = ("名詞", "接尾辞")
_LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9]")


def weak_labels(labels: Mapping[str, set[str]], tokenize: Callable[[str], list[str]]) -> set[str]:
    """Short one-token words (no Latin letters or digits) that occur inside other entities' labels.

    Acronyms (MSC, EV) are excluded: they are domain terms, not common words.
    """
    tokens = {label: tokenize(label) for label in labels}
    builds: dict[str, set[str]] = defaultdict(set)  # token → entities whose multi-token labels contain it
    for label, toks in tokens.items():
        if len(toks) > 1:
            for tok in toks:
                builds[tok] |= labels[label]
    return {
        label for label, iris in labels.items()
        if len(label) <= MAX_WEAK_CHARS and not _LATIN_OR_DIGIT.search(label)
        and len(tokens[label]) == 1 and builds.get(label, set()) - iris
    }


def licensed(doc: Sequence[Word], end: int, mention_starts: Container[int]) -> bool:
    """Whether a weak match ending at token ``end`` stands in a context that keeps its sense.

    It does when no noun or nominal suffix follows (the word heads its phrase),
    or when what follows is itself an entity mention the word modifies.
    """
    if end >= len(doc) or end in mention_starts:
        return True
    nxt = doc[end]
    return nxt.is_space or not nxt.tag.startswith(_COMPOUND_POS)
