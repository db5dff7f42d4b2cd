"""``python -m cli``: the ``vnfacts`` command (see :mod:`cli.launch`)."""
from cli.launch import main

main()
