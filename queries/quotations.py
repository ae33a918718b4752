"""The phrases a question quotes: 「臨床試験の試験成績に関する資料」, 'cell donor', “nucleic acids etc.”.

Someone who quotes a phrase copied it from the text they ask about, so a passage that holds it
word for word is likely that text (search prefers it)."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from regkg.queries.retrieval.tokens import squash

#: Paired quotation marks. An English single quote opens only after a space or bracket and closes
#: before one, so the apostrophes of "committee's" or "what's" quote nothing.
_QUOTED = re.compile(r"「([^「」]+)」|『([^『』]+)』|“([^“”]+)”|\"([^\"]+)\"|(?<![\w'])'([^']+)'(?![\w'])")
#: Shorter quotes (「手引き」, 'EV') are names more than copied text: entity linking reads those.
MIN_QUOTE_CHARS = 6
#: Share of a quote a text must hold in one piece to hold it: people quote from memory, and a
#: provision amended or cut at a line differs in a word at its end ("…その他の資料" / "…その他の").
QUOTE_SHARE = 0.8


def quoted_phrases(q: str) -> list[str]:
    """The phrases ``q`` quotes, squashed (``tokens.squash``), long enough to be copied text."""
    phrases = (next(g for g in m.groups() if g is not None) for m in _QUOTED.finditer(q))
    return [p for p in dict.fromkeys(squash(p) for p in phrases) if len(p) >= MIN_QUOTE_CHARS]


def holds(text: str, phrase: str) -> bool:
    """Whether ``text`` (squashed) holds most of the quoted ``phrase`` in one piece."""
    if phrase in text:
        return True
    match = SequenceMatcher(None, phrase, text, autojunk=False).find_longest_match(0, len(phrase), 0, len(text))
    return match.size >= max(MIN_QUOTE_CHARS, QUOTE_SHARE * len(phrase))
