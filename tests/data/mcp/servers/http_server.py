"""The benign notes server over streamable HTTP on loopback; the port is the first argument."""

import sys

import benign

if __name__ == "__main__":
    benign.server.run("streamable-http", host="127.0.0.1", port=int(sys.argv[1]))
