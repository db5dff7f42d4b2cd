"""Imported once by the fork server of a process pool and by each Dask worker: it loads the
extractors' models (gazetteer patterns, the spaCy pipeline, underthesea's CRFs) at import, so that
worker processes start warm, and, forked from the server, share those pages instead of each loading
its own copy. Nothing else imports it.

It also imports the module of the function the workers run (``run.ingest.process_batch``): a worker
imports it when it unpickles its first task, and with it SQLAlchemy and the store's models — about
a second of CPU in every worker, while the other workers are busy too (found with py-spy on
``--workers 2``). Imported here, the fork server pays it once and the workers share it."""
import run.ingest  # noqa: F401  (see above)
from pipeline.process import warm_up

warm_up()
