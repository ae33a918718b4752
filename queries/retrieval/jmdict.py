"""English glosses of Japanese words from JMdict, and romanised names from JMnedict (the SQLite
database ``jamdict-data`` installs).

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
    tags = ",".join(f"'{t}'" for t in COMMON_TAGS)
    for word, sense, gloss, common in _rows(_GLOSSES.format(tags=tags), words, path):
        yield Gloss(word, sense, gloss, bool(common))


#: JMnedict name types whose romanisation is how English text writes the name (people, places,
#: organisations); not fictional, mythological or unclassified readings.
NAME_TYPES = ("surname", "given", "masc", "fem", "person", "place", "company", "organization", "station")

# The romanised names JMnedict gives the wanted kanji forms, for the name types above.
_NAMES = """
SELECT DISTINCT k.text, g.text FROM wanted w
  JOIN NEKanji k ON k.text = w.text
  JOIN NETranslation t ON t.idseq = k.idseq
  JOIN NETransType y ON y.tid = t.ID AND y.text IN ({types})
  JOIN NETransGloss g ON g.tid = t.ID
ORDER BY k.text, g.text
"""


def names(words: Iterable[str], path: Path | None = None) -> Iterator[tuple[str, str]]:
    """(written form, romanised name) for each of ``words`` that JMnedict knows as a person's, a
    place's or an organisation's name (寺井 → Terai, 新潟大学 → Niigata University); JMnedict ships
    in the same ``jamdict-data`` database."""
    types = ",".join(f"'{t}'" for t in NAME_TYPES)
    yield from _rows(_NAMES.format(types=types), words, path)


def _rows(sql: str, words: Iterable[str], path: Path | None) -> Iterator[tuple]:
    """Rows of ``sql`` over the temporary table ``wanted`` holding ``words`` (the database is read-only,
    so the words go into a table of this connection); none when the dictionary is not installed."""
    path = path or database_path()
    if path is None:
        return
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        db.execute("CREATE TEMP TABLE wanted (text TEXT PRIMARY KEY)")
        db.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((w,) for w in words))
        yield from db.execute(sql)
