"""The ``airgraph`` command line: thin commands over :mod:`airgraph.queries` and the stores."""
