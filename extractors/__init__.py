"""Extractors: one package per thing pulled from an analysed article (quantities, periods,
semantics, concepts, officials, places), over the document model in ``document.py``.

``EXTRACTOR_VERSION`` is stored with every machine fact, so that a store filled by another version
re-extracts and reviews are re-attached. Read it as ``extractors.EXTRACTOR_VERSION`` at call time.
"""

EXTRACTOR_VERSION = "2026.11.22"
