"""The ``vnfacts`` command line: each command parses its arguments and calls one library function."""
