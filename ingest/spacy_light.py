"""Import spaCy without torch: import this module before anything from ``spacy``.

spaCy imports thinc, and thinc imports torch whenever it is installed (it is,
for sentence-transformers) just to offer torch-backed layers — 5 s or more of a
cold start, while regkg's pipeline is ja_ginza's tokenizer alone and uses no
thinc layer. torch is hidden while spaCy is imported (``import torch`` raises
ImportError, so thinc records that it has none) and is importable again
afterwards for the code that really needs it (encoding passages at build time).
"""

from __future__ import annotations

import sys


def _import_spacy() -> None:
    if "spacy" in sys.modules or "torch" in sys.modules:
        return  # already imported, or torch is loaded anyway: hiding it saves nothing
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes ``import torch`` raise ImportError
    try:
        import spacy  # noqa: F401
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]


_import_spacy()
