"""The run machinery: a source's articles listed, handed out in batches to where they are processed
(this process, worker processes, a Dask cluster), stored by the one writer, progress reported, and
the processes a run starts ended with it."""
