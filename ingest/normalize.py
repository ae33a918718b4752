"""Unicode and layout normalisation of Japanese source text.

Sources mix Kangxi radicals (⼤ for 大, from PDF extraction), full-width digits
and Latin, hard line wraps inside sentences and spaces between Japanese
characters. Search, annotation and identifiers need one canonical form; the
original is kept separately for quotation.

After NFKC every step only deletes characters or replaces one character by
one, so :func:`normalize_with_map` can map each output character back to its
offset in the NFKC text; hand-labelled spans (tests/data) are recorded on the
NFKC text and stay valid whatever the later layout heuristics do.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

_JA = (
    r"\u3005\u3006\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    r"\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u30fc"
)
JA_CHAR = f"[{_JA}]"
_SPACE_BETWEEN_JA = re.compile(rf"(?<={JA_CHAR})[ \u3000]+(?={JA_CHAR})")
# iuris.jp inserts a space before conjunctions even after Latin/digits ("効果 又は").
_SPACE_BEFORE_CONJ = re.compile(r"(?<=\S)[ ]+(?=(?:及び|又は|若しくは|並びに|その他))")
_SENTENCE_END = ("。", "！", "？", "!", "?", "」", "：", ":", ".", ")")
_BULLET = re.compile(
    r"^\s*(?:[・●○■□◆◇▶►➢➤\-*•※]|\(?\d+\)|\d+[.]\s|[①-⑳]|【|#|[一二三四五六七八九十]+\s|source:)"
)
#: A line at least this long that ends without punctuation was wrapped by the
#: PDF extractor, so a blank line after it does not end the paragraph.
WRAP_WIDTH = 30
#: Lines shorter than this are headings or slide fragments, never wrapped prose.
SHORT_LINE = 16


# NFKC maps the Kangxi radicals (U+2F00–) but not the CJK Radicals Supplement
# (U+2E80–), which PDF extraction also produces (医⻭学); fold the ones seen.
_RADICALS_SUPPLEMENT = str.maketrans("⻭⻑⻩⻄⻘⻝⻤⺠⻲⻁⻣⻖⻌⺟", "歯長黄西青食鬼民亀虎骨阝辶母")


def nfkc(text: str) -> str:
    """NFKC plus the CJK-radical fold; one character in, one out for the radicals."""
    return unicodedata.normalize("NFKC", text).translate(_RADICALS_SUPPLEMENT)


def _sub(pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str], s: str, m: list[int]) -> tuple[str, list[int]]:
    """re.sub that keeps the offset map; replacements must not be longer than the match."""
    out: list[str] = []
    out_map: list[int] = []
    pos = 0
    for match in pattern.finditer(s):
        out.append(s[pos : match.start()])
        out_map.extend(m[pos : match.start()])
        r = repl(match)
        assert len(r) <= match.end() - match.start()
        out.append(r)
        out_map.extend(m[match.start() : match.start() + len(r)])
        pos = match.end()
    out.append(s[pos:])
    out_map.extend(m[pos:])
    return "".join(out), out_map


_NEWLINE_RUN = re.compile(r"[ \t\u3000]*\n(?:[ \t\u3000]*\n)*[ \t\u3000]*")


def _join_decision(s: str, match: re.Match[str]) -> str:
    """What a run of line breaks becomes: nothing, a space, one break or a paragraph break."""
    blank = match.group().count("\n") > 1
    prev_start = s.rfind("\n", 0, match.start()) + 1
    prev = s[prev_start : match.start()].strip()
    nxt_end = s.find("\n", match.end())
    nxt = s[match.end() : nxt_end if nxt_end >= 0 else len(s)]
    if not prev or not nxt.strip():
        return "\n\n"[: 2 if blank else 1]
    stop = prev.endswith(_SENTENCE_END) or prev.startswith(("#", "- ", "source:")) or bool(_BULLET.match(nxt))
    joinable = not stop and len(prev) >= (WRAP_WIDTH if blank else SHORT_LINE)
    if not joinable:
        return "\n\n" if blank else "\n"
    if re.match(JA_CHAR, prev[-1]) or re.match(JA_CHAR, nxt.lstrip()[:1] or " "):
        return ""
    return " "


def normalize_with_map(text: str, *, join_lines: bool = True) -> tuple[str, list[int]]:
    """Normalise NFKC text; also return, per output char, its offset in the input."""
    s = text
    m = list(range(len(s)))
    s = s.replace("\t", " ").replace("\r", " ")
    s, m = _sub(_SPACE_BETWEEN_JA, lambda _: "", s, m)
    s, m = _sub(_SPACE_BEFORE_CONJ, lambda _: "", s, m)
    if join_lines:
        s, m = _sub(_NEWLINE_RUN, lambda mt: _join_decision(s, mt), s, m)
    else:
        s, m = _sub(re.compile(r"[ \u3000]+\n"), lambda _: "\n", s, m)
    s, m = _sub(re.compile(r" {2,}"), lambda _: " ", s, m)
    # strip
    lead = len(s) - len(s.lstrip())
    s2 = s.strip()
    return s2, m[lead : lead + len(s2)]


def normalize(text: str, *, join_lines: bool = True) -> str:
    """The canonical text: NFKC, Japanese spaces removed, optionally wraps joined."""
    return normalize_with_map(nfkc(text), join_lines=join_lines)[0]


_NEWLINE_JA = re.compile(rf"(?<={JA_CHAR})\s*\n\s*|\s*\n\s*(?={JA_CHAR})")


def normalize_inline(text: str) -> str:
    """Normalise a single unit's text onto one line per list item: other line breaks are layout
    only, but a break before a numbered or bulleted item is structure (the reader keeps a list
    with the sentence that announces it, and a citation can point at one item)."""
    from .segment import LIST_ITEM

    lines = [line for line in normalize(text, join_lines=False).split("\n") if line.strip()]
    groups: list[list[str]] = []
    for line in lines:
        if not groups or LIST_ITEM.match(line):
            groups.append([line])
        else:
            groups[-1].append(line)
    return "\n".join(_one_line("\n".join(g)) for g in groups)


def _one_line(text: str) -> str:
    text = _NEWLINE_JA.sub("", text)
    text = re.sub(r"\s*\n\s*", " ", text)
    return re.sub(r" {2,}", " ", text).strip()
