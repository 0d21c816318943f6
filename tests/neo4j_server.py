"""Start and stop a real Neo4j Community 5.26 server (tools/neo4j-local) from Python.

No pytest here, so benchmarks and scripts can use it too::

    from neo4j_server import start_neo4j

    server = start_neo4j(data="/tmp/n4j", password="secret")  # blocks until Bolt is up
    ...  # neo4j.GraphDatabase.driver(server.uri, auth=server.auth)
    server.kill()               # SIGKILL, e.g. in the middle of a write
    server = server.restart()   # same --data dir, same port, same password
    server.stop()               # stdin EOF -> clean shutdown; then SIGTERM, then SIGKILL

The launcher runs in its own process group with stdin=PIPE: if this Python process dies, the
server sees EOF on stdin and shuts down by itself.
"""

from __future__ import annotations

import atexit
import os
import queue
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
LAUNCHER = REPO_ROOT / "tools" / "neo4j-local" / "neo4j-local"
START_TIMEOUT = 180.0
BUILD_TIMEOUT = 900.0


_LIVE: list["Neo4jProcess"] = []  # started here and not yet stopped or killed


def live_servers() -> list["Neo4jProcess"]:
    """Servers started by this process that were not stopped or killed yet."""
    return [s for s in _LIVE if s.is_running()]


@atexit.register
def _stop_all() -> None:
    for server in live_servers():
        server.stop(timeout=30)


class Neo4jStartError(RuntimeError):
    """The launcher failed or timed out; the message ends with its stderr tail."""


def _tail(path: Path, lines: int) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def build_launcher(timeout: float = BUILD_TIMEOUT, launcher: Path = LAUNCHER) -> None:
    """Build tools/neo4j-local if needed (the first build downloads ~190 MB with Maven)."""
    try:
        res = subprocess.run(
            [str(launcher), "--help"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,  # the JVM reports start-up errors on stdout
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        raise Neo4jStartError(f"building {launcher} took more than {timeout:.0f} s") from None
    if res.returncode != 0:
        tail = "\n".join(res.stdout.splitlines()[-60:])
        raise Neo4jStartError(
            f"{launcher} --help (build and check) failed with status {res.returncode}:\n{tail}"
        )


class Neo4jProcess:
    """A running tools/neo4j-local server. `uri` is bolt://127.0.0.1:PORT."""

    def __init__(
        self,
        proc: subprocess.Popen,
        uri: str,
        log_path: Path,
        *,
        data: Path | None,
        password: str | None,
        options: dict,
    ) -> None:
        self.proc = proc
        self.uri = uri
        self.port = int(uri.rsplit(":", 1)[1])
        self.log_path = log_path
        self.data = data
        self.password = password
        self._options = options

    @property
    def auth(self) -> tuple[str, str] | None:
        """`auth=` for neo4j.GraphDatabase.driver (None when auth is disabled)."""
        return ("neo4j", self.password) if self.password is not None else None

    @property
    def pid(self) -> int:
        return self.proc.pid

    def is_running(self) -> bool:
        return self.proc.poll() is None

    def stderr_tail(self, lines: int = 40) -> str:
        return _tail(self.log_path, lines)

    def _signal(self, sig: int) -> None:
        if self.proc.poll() is not None:
            return  # reaped: its pid (= process group id) may already belong to someone else
        try:
            os.killpg(self.proc.pid, sig)  # own session: the group is the launcher (java after exec)
        except ProcessLookupError:
            pass

    def stop(self, timeout: float = 60.0) -> int:
        """Clean shutdown: close stdin (the server stops at EOF), then SIGTERM, then SIGKILL."""
        if self.proc.stdin and not self.proc.stdin.closed:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
        for sig, wait in ((None, timeout), (signal.SIGTERM, 30.0), (signal.SIGKILL, 30.0)):
            if sig is not None:
                self._signal(sig)
            try:
                rc = self.proc.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue
        else:
            raise RuntimeError(f"neo4j-local pid {self.proc.pid} did not die")
        self._cleanup()
        return rc

    def kill(self) -> None:
        """SIGKILL the server, no shutdown at all (fault injection). Data stays in `data`."""
        self._signal(signal.SIGKILL)
        self.proc.wait(30)
        self._cleanup()

    def restart(self, timeout: float = START_TIMEOUT, same_port: bool = True) -> "Neo4jProcess":
        """Stop (if still running) and start again on the same --data dir; returns the new server."""
        if self.data is None:
            raise ValueError("restart needs a persistent data dir: start_neo4j(data=...)")
        if self.is_running():
            self.stop()
        options = dict(self._options, timeout=timeout)
        if same_port:
            options["port"] = self.port
        return start_neo4j(data=self.data, password=self.password, **options)

    def _cleanup(self) -> None:
        if self in _LIVE:
            _LIVE.remove(self)
        if self.proc.stdin and not self.proc.stdin.closed:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
        self.log_path.unlink(missing_ok=True)

    def __enter__(self) -> "Neo4jProcess":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.is_running():
            self.stop()

    def __repr__(self) -> str:
        return f"Neo4jProcess(uri={self.uri!r}, pid={self.proc.pid}, data={self.data})"


def start_neo4j(
    *,
    port: int = 0,
    password: str | None = None,
    data: str | os.PathLike | None = None,
    pagecache: str | None = None,
    java_opts: str | None = None,
    timeout: float = START_TIMEOUT,
    launcher: str | os.PathLike = LAUNCHER,
) -> Neo4jProcess:
    """Run tools/neo4j-local and wait for its BOLT_URI line.

    port: Bolt port on 127.0.0.1 (0 = a free one). password: enable auth for user neo4j.
    data: persistent Neo4j home (None = a temp dir the server deletes on exit).
    java_opts: NEO4J_LOCAL_JAVA_OPTS (default "-Xms128m -Xmx1g").
    Raises Neo4jStartError with the launcher's stderr tail on failure or timeout.
    """
    launcher = Path(launcher)
    args = [str(launcher), "--port", str(port)]
    if password is not None:
        args += ["--password", password]
    data_path = Path(data).resolve() if data is not None else None
    if data_path is not None:
        args += ["--data", str(data_path)]
    if pagecache is not None:
        args += ["--pagecache", pagecache]
    env = dict(os.environ)
    if java_opts is not None:
        env["NEO4J_LOCAL_JAVA_OPTS"] = java_opts

    fd, log_name = tempfile.mkstemp(prefix="neo4j-local-", suffix=".stderr.log")
    log_path = Path(log_name)
    with os.fdopen(fd, "wb") as log:
        proc = subprocess.Popen(
            args,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            env=env,
            start_new_session=True,
        )

    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:  # keeps draining stdout for the life of the process
        try:
            for raw in proc.stdout:
                lines.put(raw.decode(errors="replace").rstrip("\r\n"))
        except (OSError, ValueError):
            pass
        proc.stdout.close()
        lines.put(None)

    threading.Thread(target=pump, name=f"neo4j-local-{proc.pid}", daemon=True).start()

    deadline = time.monotonic() + timeout
    stray: list[str] = []  # other stdout lines: the JVM reports start-up errors there
    failure = None
    while failure is None:
        remaining = deadline - time.monotonic()
        try:
            line = lines.get(timeout=max(remaining, 0.01))
        except queue.Empty:
            failure = f"no BOLT_URI line within {timeout:.0f} s"
            break
        if line is None:
            failure = f"launcher exited with status {proc.wait()} before it was ready"
        elif line.startswith("BOLT_URI="):
            options = dict(pagecache=pagecache, java_opts=java_opts, launcher=launcher)
            server = Neo4jProcess(
                proc, line[len("BOLT_URI="):], log_path, data=data_path, password=password, options=options
            )
            _LIVE.append(server)
            return server
        else:
            stray.append(line)

    server = Neo4jProcess(proc, "bolt://127.0.0.1:0", log_path, data=data_path, password=password, options={})
    server._signal(signal.SIGKILL)
    proc.wait()
    tail = server.stderr_tail(60)
    server._cleanup()
    shown = " ".join("***" if password is not None and a == password else a for a in args)
    out = "\n--- launcher stdout ---\n" + "\n".join(stray[-20:]) if stray else ""
    raise Neo4jStartError(f"{shown}: {failure}{out}\n--- launcher stderr (tail) ---\n{tail}")


def wipe_neo4j(uri: str) -> None:
    """Delete everything in the (auth-less) test server at ``uri``."""
    import neo4j

    with neo4j.GraphDatabase.driver(uri, auth=None) as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n")


def raw_counts(store: object) -> dict[str, int]:
    """Stored rows of either store, counted behind the protocol: node versions, edge
    versions, ids."""
    from airgraph.graph.embedded_store import EmbeddedStore

    if isinstance(store, EmbeddedStore):
        db = store._db
        return {name: db.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
                for name in ("nodes", "edges", "ids")}
    import neo4j

    with neo4j.GraphDatabase.driver(store.uri, auth=None) as driver:  # type: ignore[attr-defined]
        (row,) = driver.execute_query("""
            CALL () { MATCH (v:AirgraphNodeVersion) RETURN count(v) AS nodes }
            CALL () { MATCH (:AirgraphNode)-[r]->(:AirgraphNode) RETURN count(r) AS edges }
            CALL () { MATCH (n:AirgraphNode) RETURN count(n) AS ids }
            RETURN nodes, edges, ids""").records
        return dict(row)
