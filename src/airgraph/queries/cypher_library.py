"""The bundled Cypher for Neo4j users: questions to paste into Neo4j Browser or cypher-shell.

Each ``queries/cypher/<name>.cypher`` file runs as it is against a Neo4j store
(:class:`~airgraph.graph.neo4j.Neo4jStore`) and opens with a header of ``//``
comments in sections::

    // Title: one line
    //
    // Answers:
    //   what the query answers
    //
    // Parameters:
    //   $name    what it holds (or the single word "none")
    //
    // Returns:  / Assumptions:  / Example (Neo4j Browser):
    //   ...

Every value is a ``$parameter``; the header documents each one and nothing else, which
:func:`list_queries` checks when it reads the files.

>>> [q.name for q in list_queries()][:2]
['agents_reaching_restricted', 'reach']
>>> [p.name for p in get_query("reach").parameters]
['id', 'assume']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable

from airgraph.errors import QueryError

__all__ = ["CypherParameter", "CypherQuery", "get_query", "list_queries", "parse_query"]

SECTIONS = ("title", "answers", "parameters", "returns", "assumptions", "example")
"""Header sections every bundled query has, in this order."""

_SECTION = re.compile(r"([A-Z][a-z]+)(?: \([^)]*\))?:\s*(.*)")
_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)\s+(.*)")
_USED = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_STRINGS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


@dataclass(frozen=True, slots=True)
class CypherParameter:
    """One ``$name`` a query takes, without the dollar sign."""

    name: str
    description: str


@dataclass(frozen=True, slots=True)
class CypherQuery:
    """A bundled query: its header's sections and the whole file (header included)."""

    name: str
    title: str
    parameters: tuple[CypherParameter, ...]
    text: str
    answers: str
    returns: str
    assumptions: str
    example: str

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)


def list_queries() -> list[CypherQuery]:
    """Every bundled query, sorted by name."""
    return [parse_query(path.name.removesuffix(".cypher"), path.read_text(encoding="utf-8"))
            for path in sorted(_files(), key=lambda p: p.name)]


def get_query(name: str) -> CypherQuery:
    """The bundled query ``name`` (the file name without ``.cypher``)."""
    for path in _files():
        if path.name == f"{name}.cypher":
            return parse_query(name, path.read_text(encoding="utf-8"))
    known = ", ".join(q.name for q in list_queries())
    raise QueryError(f"no bundled Cypher query '{name}' (there are: {known})")


def parse_query(name: str, text: str) -> CypherQuery:
    """Read the header of one query file; QueryError when a section is missing or the
    documented parameters differ from the ``$parameters`` the body uses."""
    lines = text.splitlines()
    header = []
    for line in lines:
        if not line.startswith("//"):
            break
        header.append(line[3:] if line.startswith("// ") else line[2:])
    body = "\n".join(lines[len(header):])
    sections = _sections(name, header)
    missing = [s for s in SECTIONS if not sections.get(s)]
    if missing:
        raise QueryError(f"{name}.cypher: header lacks {', '.join(missing)}")
    parameters = _parameters(name, sections["parameters"])
    declared = [p.name for p in parameters]
    used = _used_parameters(body)
    if sorted(declared) != sorted(used) or len(set(declared)) != len(declared):
        raise QueryError(f"{name}.cypher documents parameters {declared} but uses {used}")
    return CypherQuery(name=name, title=sections["title"], parameters=parameters, text=text,
                       answers=sections["answers"], returns=sections["returns"],
                       assumptions=sections["assumptions"], example=sections["example"])


def _files() -> list[Traversable]:
    folder = files("airgraph").joinpath("queries", "cypher")
    return [p for p in folder.iterdir() if p.name.endswith(".cypher") and p.is_file()]


def _sections(name: str, header: list[str]) -> dict[str, str]:
    """Header lines by section: a section line (``Title: ...``) at column 0, then
    lines indented by two spaces; a blank line ends nothing."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in header:
        match = _SECTION.fullmatch(line)
        if match and not line.startswith(" "):
            key = match.group(1).lower()
            if key not in SECTIONS or key in sections:
                raise QueryError(f"{name}.cypher: unexpected header section '{line}'")
            current = sections[key] = [match.group(2)] if match.group(2) else []
        elif line.strip() and current is None:
            raise QueryError(f"{name}.cypher: header line outside a section: '{line}'")
        elif current is not None:
            current.append(line[2:] if line.startswith("  ") else line)
    return {key: "\n".join(value).strip() for key, value in sections.items()}


def _parameters(name: str, text: str) -> tuple[CypherParameter, ...]:
    if text == "none":
        return ()
    found: list[list[str]] = []
    for line in text.splitlines():
        match = _PARAMETER.fullmatch(line.strip())
        if match:
            found.append([match.group(1), match.group(2)])
        elif found and line.strip():
            found[-1][1] += " " + line.strip()
        elif line.strip():
            raise QueryError(f"{name}.cypher: parameter line without $name: '{line}'")
    return tuple(CypherParameter(n, " ".join(d.split())) for n, d in found)


def _used_parameters(body: str) -> list[str]:
    """Distinct ``$names`` in the body, in first-use order, ignoring strings and comments."""
    code = "\n".join(line.split("//", 1)[0] for line in _STRINGS.sub("''", body).splitlines())
    return list(dict.fromkeys(_USED.findall(code)))
