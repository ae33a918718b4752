"""Bounded passages cut at sentence boundaries.

Search and citation need units a reader can check at a glance, so passages
are at most ``MAX_CHARS`` long. Cuts fall after 。！？ (or ". " in English);
a sentence longer than the limit is cut after 、 or a space, and only as a last
resort mid-text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_CHARS = 400
_SENTENCE = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+[」』)）]*|\n+|$)|(?<=[.])\s+")
_SENTENCE_END = re.compile(r"(?<=[。！？!?])[」』)）]*|(?<=[a-z0-9)][.])(?=\s)|\n")

#: A sentence announcing a list: ends with a colon or, unfinished, with a comma (「…として、」 then
#: the numbered items), or names what follows (次の各号 / 以下の / as follows).
LIST_ANNOUNCEMENT = re.compile(r"[:：、,，]\s*$|次の各号|次に掲げる|次の(?:とおり|通り)|以下(?:の|を|に)|as follows|the following", re.IGNORECASE)
#: A sentence that speaks of what the one before it said: it opens with a demonstrative or a
#: back-reference (その場合, これらの, こうした, "This", "In that case").
CONTINUATION = re.compile(r"^\s*(?:その|この|これ|それ|こうした|そうした|こういった|そういった|当該|同様に"
                          r"|(?:This|These|That|Those|Such|In (?:this|that|such) cases?)\b)")
_OPENING, _CLOSING = "(（「『", ")）」』"


def continues_previous(sentence: str) -> bool:
    """Whether a sentence is read with the one before it: it refers back to it (CONTINUATION), or
    it closes a bracket it never opened — the segmenter cut the sentence before it at a 。 inside a
    parenthesis (「区分(…をいう。)に属する…」), so it holds that sentence's end."""
    if CONTINUATION.match(sentence):
        return True
    depth = 0
    for ch in sentence:
        if ch in _OPENING:
            depth += 1
        elif ch in _CLOSING:
            depth -= 1
            if depth < 0:
                return True
    return False


#: A line that describes the document rather than says anything: front matter ("- title: …",
#: "source: https…", a key that holds an acronym as "file URLs cited: …") and editorial notes in
#: brackets. Never an answer, never a quote. A key starts in lower case: "Risk: …" is a term defined.
METADATA_LINE = re.compile(r"^\s*(?:-\s*)?[a-z][A-Za-z_ ]{1,40}:\s|^\s*\[")
#: A web address: its path's words (a file name, "uploads", a year) are not what the text says.
URL = re.compile(r"https?://\S+")
#: A list item: numbered or bulleted (1. / (1) / ① / 一 / イ / (a) / (i) / • / ・ / -).
LIST_ITEM = re.compile(r"^\s*(?:[0-9０-９]+(?:[.．)）]|\s)|[（(][0-9０-９a-zA-Zア-ン一-九ivx]+[)）]|[①-⑳]|[一二三四五六七八九十]+\s"
                   r"|[イロハニホヘトチリヌ]\s|[•・\-–])")


@dataclass
class Chunk:
    text: str
    start: int  # offset in the text given to split_passages
    end: int


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; line breaks also end a sentence."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end()
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _hard_split(start: int, end: int, text: str, limit: int) -> list[tuple[int, int]]:
    out = []
    while end - start > limit:
        window = text[start : start + limit]
        cut = max(window.rfind("、"), window.rfind(" "), window.rfind("，"))
        cut = cut + 1 if cut > limit // 3 else limit
        out.append((start, start + cut))
        start += cut
    out.append((start, end))
    return out


def split_passages(text: str, max_chars: int = MAX_CHARS) -> list[Chunk]:
    """Greedy packing of whole sentences into chunks of at most ``max_chars``."""
    pieces: list[tuple[int, int]] = []
    for s, e in sentence_spans(text):
        pieces.extend(_hard_split(s, e, text, max_chars) if e - s > max_chars else [(s, e)])
    chunks: list[Chunk] = []
    cur_s: int | None = None
    cur_e = 0
    for s, e in pieces:
        if cur_s is not None and e - cur_s > max_chars:
            chunks.append(Chunk(text[cur_s:cur_e].strip(), cur_s, cur_e))
            cur_s = None
        if cur_s is None:
            cur_s = s
        cur_e = e
    if cur_s is not None:
        chunks.append(Chunk(text[cur_s:cur_e].strip(), cur_s, cur_e))
    return [c for c in chunks if c.text]
