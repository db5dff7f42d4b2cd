"""Imported once by the fork server of a process pool and by each Dask worker: it loads the
extractors' models (gazetteer patterns, the spaCy pipeline, underthesea's CRFs) at import, so that
worker processes start warm, and, forked from the server, share those pages instead of each loading
its own copy. Nothing else imports it."""
from pipeline.process import warm_up

warm_up()
