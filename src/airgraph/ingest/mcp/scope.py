"""What files a stdio server is given: filesystem roots in its arguments, docker mounts.

Pure functions over the command and arguments as written. A scope is *broad* when it
is the filesystem root or a home folder (where SSH keys and cloud credentials live).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

__all__ = ["DockerRisk", "ScopePath", "docker_risks", "filesystem_scope", "is_broad"]

_FS_SERVER = re.compile(r"(^|[/@-])(server-)?filesystem($|[@:])|mcp-server-filesystem")
_DIR_FLAGS = frozenset({"--root", "--dir", "--directory", "--path", "--allowed-dir",
                        "--allowed-dirs", "--allowed-directory", "--allowed-directories",
                        "--workspace", "--repository", "--repo", "--base-dir", "--root-dir",
                        "--db-path"})
_UV = frozenset({"uv", "uvx"})
_HOME = re.compile(r"^(~|\$HOME|\$\{HOME\}|\$\{userHome\}|%USERPROFILE%|/root|/home/[^/]+"
                   r"|/Users/[^/]+|[A-Za-z]:[\\/]+Users[\\/]+[^\\/]+)[\\/]*$")
_ROOT = re.compile(r"^(/+|[A-Za-z]:[\\/]*)$")
_DOCKER = frozenset({"docker", "podman", "nerdctl"})
_SOCKET = re.compile(r"(docker|podman|containerd)\.sock")


@dataclass(frozen=True, slots=True)
class ScopePath:
    """A host path the server can reach; ``via`` says how it was found."""

    path: str
    writable: bool
    via: str
    """An argument flag, ``filesystem-server``, ``docker-mount`` or ``broad-argument``."""

    @property
    def broad(self) -> bool:
        return is_broad(self.path)


@dataclass(frozen=True, slots=True)
class DockerRisk:
    what: str
    evidence: str


def is_broad(path: str) -> bool:
    """True for the filesystem root and for home folders."""
    return bool(_ROOT.match(path) or _HOME.match(path))


def _program(command: str | None) -> str:
    return PurePosixPath((command or "").replace("\\", "/")).name.removesuffix(".exe")


def filesystem_scope(command: str | None, args: list[str]) -> list[ScopePath]:
    """The host paths ``command args`` gives the server, in argument order, unique."""
    program = _program(command)
    found: list[ScopePath] = []
    if program in _DOCKER:
        found.extend(_docker_mounts(args))
    else:
        found.extend(_path_args(program, args))
    unique: dict[str, ScopePath] = {}
    for scope in found:
        unique.setdefault(scope.path, scope)
    return list(unique.values())


def _path_args(program: str, args: list[str]) -> list[ScopePath]:
    found: list[ScopePath] = []
    roots_follow = False
    i = 0
    while i < len(args):
        arg = args[i]
        flag, eq, value = arg.partition("=")
        if flag in _DIR_FLAGS and not (program in _UV and flag == "--directory"):
            if not eq and i + 1 < len(args):
                value = args[i + 1]
                i += 1
            if value:
                found.append(ScopePath(value, True, flag))
        elif _FS_SERVER.search(arg):
            roots_follow = True
        elif roots_follow and not arg.startswith("-"):
            found.append(ScopePath(arg, True, "filesystem-server"))
        elif is_broad(arg):
            found.append(ScopePath(arg, True, "broad-argument"))
        i += 1
    return found


def _docker_mounts(args: list[str]) -> list[ScopePath]:
    found: list[ScopePath] = []
    for flag, value in _docker_options(args):
        if flag in ("-v", "--volume"):
            parts = value.split(":")
            if len(parts) >= 2 and (parts[0].startswith(("/", "~", "$", ".")) or
                                    re.match(r"^[A-Za-z]$", parts[0])):
                host = parts[0] if len(parts[0]) > 1 else f"{parts[0]}:{parts[1]}"
                mode = parts[-1] if len(parts) >= 3 else ""
                if not _SOCKET.search(host):  # a socket is a docker risk, not a file scope
                    found.append(ScopePath(host, "ro" not in mode.split(","), "docker-mount"))
        elif flag == "--mount":
            fields = dict(p.partition("=")[::2] for p in value.split(","))
            host = fields.get("source") or fields.get("src")
            if fields.get("type", "volume") == "bind" and host and not _SOCKET.search(host):
                readonly = "readonly" in fields or "ro" in fields
                found.append(ScopePath(host, not readonly, "docker-mount"))
    return found


def _docker_options(args: list[str]) -> list[tuple[str, str]]:
    """``(flag, value)`` of every ``-v``/``--volume``/``--mount``/``--privileged`` option."""
    options: list[tuple[str, str]] = []
    i = 0
    while i < len(args):
        flag, eq, value = args[i].partition("=")
        if flag in ("-v", "--volume", "--mount"):
            if not eq and i + 1 < len(args):
                value = args[i + 1]
                i += 1
            options.append((flag, value))
        elif flag in ("--privileged", "--pid", "--network", "--net"):
            if flag != "--privileged" and not eq and i + 1 < len(args):
                value = args[i + 1]
                i += 1
            options.append((flag, value))
        i += 1
    return options


def docker_risks(command: str | None, args: list[str]) -> list[DockerRisk]:
    """Container options that hand the host to the server: the runtime's socket,
    ``--privileged``, the host's PID or network namespace."""
    if _program(command) not in _DOCKER:
        return []
    risks: list[DockerRisk] = []
    for flag, value in _docker_options(args):
        if flag in ("-v", "--volume", "--mount") and _SOCKET.search(value):
            risks.append(DockerRisk("the container runtime's socket is mounted (root on the "
                                    "host)", f"{flag} {value}"))
        elif flag == "--privileged":
            risks.append(DockerRisk("the container runs privileged", flag))
        elif flag in ("--pid", "--network", "--net") and value == "host":
            risks.append(DockerRisk(f"the container shares the host's {flag.lstrip('-')} "
                                    "namespace", f"{flag} {value}"))
    return risks
