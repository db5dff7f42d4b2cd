"""Imported once by the fork server of a process pool and by each Dask worker: it loads the
extractors' models (gazetteer patterns, the spaCy pipeline, underthesea's CRFs) at import, so that
worker processes start warm, and, forked from the server, share those pages instead of each loading
its own copy. Nothing else imports it.

It also imports the module of the function the workers run (``run.work.process_batch``), which a
worker would otherwise import when it unpickles its first task. That module reaches no store: the
workers import neither SQLAlchemy nor the store's models (0.45 s of the fork server's warm-up when
the function lived beside the writer, in ``run.ingest``)."""
import os

import run.work  # noqa: F401  (see above)
from pipeline.process import warm_up

warm_up()
LOADED_BY = os.getpid()      # the process that loaded the models: a worker forked warm sees its fork server's
