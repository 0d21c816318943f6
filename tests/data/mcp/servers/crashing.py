"""An MCP test server that crashes on start."""

import sys

if __name__ == "__main__":
    sys.stderr.write("crashing: missing configuration, exiting\n")
    sys.exit(3)
