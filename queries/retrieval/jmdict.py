"""English glosses of Japanese words from JMdict (the SQLite database ``jamdict-data`` installs).

Read once per bridge build, in one pass over the dictionary, for the Japanese
words a corpus actually uses; nothing here runs per request.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

#: JMdict priority tags of common words (newspaper, Ichimango, other lists; nfXX frequency bands).
COMMON_TAGS = ("news1", "ichi1", "spec1", "spec2", "gai1")

# Every English gloss of the wanted written forms (kanji, else kana), with the sense's rank within
# its entry and whether the form is marked common; the written-form indexes make it a few lookups
# per word, not a scan of the dictionary.
_GLOSSES = """
SELECT f.text, s.ID - (SELECT MIN(x.ID) FROM Sense x WHERE x.idseq = s.idseq), g.text, f.common FROM (
    SELECT k.idseq, k.text, EXISTS(SELECT 1 FROM KJP p WHERE p.kid = k.ID AND p.text IN ({tags})) AS common
      FROM wanted w JOIN Kanji k ON k.text = w.text
    UNION ALL
    SELECT n.idseq, n.text, EXISTS(SELECT 1 FROM KNP p WHERE p.kid = n.ID AND p.text IN ({tags})) AS common
      FROM wanted w JOIN Kana n ON n.text = w.text
) f
JOIN Sense s ON s.idseq = f.idseq
JOIN SenseGloss g ON g.sid = s.ID AND g.lang = 'eng'
ORDER BY f.text, s.ID
"""


@dataclass(frozen=True)
class Gloss:
    word: str  # the Japanese written form
    sense: int  # 0 for the entry's first sense
    gloss: str  # one English gloss of that sense
    common: bool  # the written form carries a JMdict priority tag


def database_path() -> Path | None:
    """The JMdict SQLite file of the installed ``jamdict-data`` package, or None when it is missing."""
    try:
        import jamdict_data
    except ModuleNotFoundError:
        return None
    path = Path(jamdict_data.JAMDICT_DB_PATH)
    return path if path.is_file() else None


def glosses(words: Iterable[str], path: Path | None = None) -> Iterator[Gloss]:
    """Glosses of the written forms in ``words``, by word and sense."""
    path = path or database_path()
    if path is None:
        return
    tags = ",".join(f"'{t}'" for t in COMMON_TAGS)
    # read-only database, so the wanted words go into a temporary table of this connection
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        db.execute("CREATE TEMP TABLE wanted (text TEXT PRIMARY KEY)")
        db.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((w,) for w in words))
        for word, sense, gloss, common in db.execute(_GLOSSES.format(tags=tags)):
            yield Gloss(word, sense, gloss, bool(common))
