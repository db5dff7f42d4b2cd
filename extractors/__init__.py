"""Extractors: one package per thing pulled from an analysed article (quantities, periods,
semantics, concepts, officials, places), over the document model in ``document.py`` and the token
layer in ``tokens/`` (underthesea words and POS as a spaCy Doc, the pipeline in models/vi_vnfacts).

``EXTRACTOR_VERSION`` is stored with every machine fact, so that a store filled by another version
re-extracts and reviews are re-attached. Read it as ``extractors.EXTRACTOR_VERSION`` at call time.
It names the token layer's model version, so a rebuilt pipeline counts as a new extractor.
"""
from extractors.tokens import MODEL_NAME, MODEL_VERSION

EXTRACTOR_VERSION = f"2026.11.27+{MODEL_NAME}-{MODEL_VERSION}"
