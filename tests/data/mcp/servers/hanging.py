"""An MCP test server that starts and never answers (reads stdin, replies nothing)."""

import sys
import time

if __name__ == "__main__":
    for _line in sys.stdin:
        time.sleep(3600)
