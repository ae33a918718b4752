"""Document metadata from the corpus MANIFEST.json, keyed by corpus-relative path."""

from __future__ import annotations

import json
from pathlib import Path


def load_manifest(corpus_dir: Path) -> dict[str, dict]:
    """``{"laws/425AC0000000085.md": {...}}``; empty when the folder has no manifest."""
    path = corpus_dir / "MANIFEST.json"
    if not path.is_file():
        return {}
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if isinstance(entries, dict):
        entries = entries.get("documents", [])
    return {e["path"]: e for e in entries if isinstance(e, dict) and "path" in e}
