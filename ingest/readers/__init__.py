"""One reader per source format; all return a :class:`~regkg.ingest.model.SourceDocument`.

``read(path, meta)`` picks the reader from the file suffix (and, for Markdown,
from whether the manifest or the file says it is a law).
"""

from __future__ import annotations

from pathlib import Path

from ..model import ReadError, SourceDocument

SUPPORTED_SUFFIXES = (".xml", ".md", ".txt", ".pdf", ".html", ".htm")


def read(path: Path, meta: dict | None = None) -> SourceDocument:
    """Read one file into a SourceDocument; raises ReadError with a readable reason."""
    meta = meta or {}
    suffix = path.suffix.lower()
    if suffix == ".xml":
        from . import egov_xml
        return egov_xml.read(path, meta)
    if suffix == ".md":
        from . import guidance_md, law_md
        return law_md.read(path, meta) if law_md.is_law_markdown(path, meta) else guidance_md.read(path, meta)
    if suffix == ".txt":
        from . import text
        return text.read(path, meta)
    if suffix == ".pdf":
        from . import pdf
        return pdf.read(path, meta)
    if suffix in (".html", ".htm"):
        from . import html
        return html.read(path, meta)
    raise ReadError(f"unsupported file type {suffix!r}")


def read_text_file(path: Path) -> str:
    """UTF-8 text (BOM allowed); undecodable or empty files are a ReadError."""
    data = path.read_bytes()
    if not data.strip():
        raise ReadError("empty file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ReadError(f"not valid UTF-8 at byte {e.start}: {e.reason}") from None
