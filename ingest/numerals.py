"""Kanji numerals and article numbers, as legal identifiers need them.

第二十三条の二十六 is article ``23-26`` in an IRI and ``第23条の26`` in a
locator; both forms derive from the numbers parsed here.
"""

from __future__ import annotations

import re

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
KANJI_NUM = "〇零一二三四五六七八九十百千"
NUM = rf"[0-9{KANJI_NUM}]+"


def to_int(text: str) -> int:
    """Kanji (二十三, 百四十五, 三〇) or Arabic numerals to an int."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    positional = all(ch in _DIGITS for ch in text)
    if positional:  # 三〇 style
        return int("".join(str(_DIGITS[ch]) for ch in text))
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in _UNITS:
            total += (current or 1) * _UNITS[ch]
            current = 0
        else:
            raise ValueError(f"not a numeral: {text!r}")
    return total + current


_ARTICLE = re.compile(rf"第?({NUM})条((?:の{NUM})*)")


def article_number(text: str) -> tuple[int, ...] | None:
    """``第二十三条の二十六の二`` → (23, 26, 2); None when the text is not an article number."""
    m = _ARTICLE.match(text.strip())
    if not m:
        return None
    branches = [to_int(b) for b in re.findall(NUM, m.group(2))] if m.group(2) else []
    return (to_int(m.group(1)), *branches)


def iri_number(parts: tuple[int, ...]) -> str:
    """(23, 26, 2) → ``23-26-2`` (CONVENTIONS.md: branches joined by hyphens)."""
    return "-".join(str(p) for p in parts)


def locator_number(parts: tuple[int, ...], unit: str = "条") -> str:
    """(23, 26) → ``第23条の26``."""
    head = f"第{parts[0]}{unit}"
    return head + "".join(f"の{p}" for p in parts[1:])
