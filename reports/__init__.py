"""Reports over the store and the extractors: evaluation, exports, charts, gold export, source previews and the benchmark."""
