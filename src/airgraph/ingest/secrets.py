"""Properties named like secrets: stored as a salted fingerprint, never verbatim.

A property name is *secret-like* when, lower-cased and without ``-``, ``_``, ``.`` or
spaces (so ``apiKey``, ``api-key`` and ``API_KEY`` are one name), it ends with one of
:data:`SECRET_SUFFIXES` (``password``, ``db_password``, ``client_secret``,
``secret_access_key``, ``openai_api_key``, ``refresh_token``, ...) or is one of
:data:`SECRET_NAMES` (``authorization``, ``bearer``, ``credentials``); separators are
expected between words, not inside them. Names are matched at any depth of a nested
property, except under a name ending with one of :data:`DIGEST_SUFFIXES`
(``secret_fingerprints``, ``description_sha256``): those hold digests, never values.
The value is replaced by ``<redacted:FINGERPRINT>``, a salted HMAC: the same secret
gives the same fingerprint on one installation, so it can be recognised in two places
without being stored. Values that hold nothing secret stay as they are: ``null``,
booleans, empty strings and collections, references (``${VAR}``, ``$VAR``, ``%VAR%``,
``{env:VAR}``, an ``arn:``) and earlier redactions.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Callable, Iterable, MutableSequence
from functools import lru_cache
from typing import Any

from airgraph.config import airgraph_home
from airgraph.ingest.records import SourceRecords
from airgraph.schema import canonical_json

__all__ = ["DIGEST_SUFFIXES", "SECRET_NAMES", "SECRET_SUFFIXES", "fingerprint", "installation_salt",
           "is_secret_name", "may_name_secret", "redact_secret_properties"]

SECRET_SUFFIXES = ("password", "passwd", "passphrase", "secret", "token", "apikey",
                   "accesskey", "privatekey", "secretkey", "signingkey", "encryptionkey")
"""Normalised name endings that mark a secret (``apikey`` covers ``x-api-key``)."""
SECRET_NAMES = frozenset({"authorization", "bearer", "credential", "credentials"})
"""Whole normalised names that mark a secret."""
DIGEST_SUFFIXES = ("fingerprint", "fingerprints", "sha256", "hash", "hashes", "digest")
"""Normalised name endings of properties that hold digests (the MCP ingestor's
``secret_fingerprints``), kept as they are."""
SALT_FILE = "mcp-fingerprint-salt"
"""This installation's salt in ``AIRGRAPH_HOME``; named when only MCP used it, and kept
so fingerprints already stored stay comparable."""

_SEPARATORS = str.maketrans("", "", "-_. ")
_KEEP = re.compile(r"^\s*(\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_][A-Za-z0-9_]*%"
                   r"|\{env:[^}]*\}|arn:\S+|<redacted:[0-9a-f]+>)\s*$")
_HINTS = ("pass", "secret", "token", "key", "authorization", "bearer", "credential")
"""Words every secret-like name contains when written with separators between words
only: a substring test on them is cheaper than any regular expression."""


@lru_cache(maxsize=4096)
def is_secret_name(name: str) -> bool:
    """True when the property ``name`` says its value is a secret."""
    plain = name.lower().translate(_SEPARATORS)
    return plain in SECRET_NAMES or plain.endswith(SECRET_SUFFIXES)


@lru_cache(maxsize=4096)
def _holds_digests(name: str) -> bool:
    return name.lower().translate(_SEPARATORS).endswith(DIGEST_SUFFIXES)


def fingerprint(salt: bytes, value: str) -> str:
    """A salted, truncated HMAC of ``value``: equal secrets match, values stay unknown."""
    return hmac.new(salt, value.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


def installation_salt() -> bytes:
    """This installation's fingerprint salt, made on first use (readable by the user only)."""
    path = airgraph_home() / SALT_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # made by a concurrent run
            return path.read_bytes()
        with os.fdopen(fd, "wb") as out:
            out.write(secrets.token_bytes(32))
    return path.read_bytes()


def may_name_secret(json_text: str) -> bool:
    """Cheap test on the JSON text of some properties: False when no name in it can be
    secret-like (True may still find none)."""
    lowered = json_text.lower()
    return any(hint in lowered for hint in _HINTS)


def redact_secret_properties(records: SourceRecords, nodes: Iterable[int],
                             edges: Iterable[int], salt: Callable[[], bytes]) -> None:
    """Replace every secret-like property value of the nodes and edges at positions
    ``nodes`` and ``edges`` by its fingerprint, in place, adding a warning naming the
    object and property; ``salt`` is called only when a secret is found."""
    redactor = _Redactor(salt)
    for i in nodes:
        node = records.nodes[i]
        props = redactor.props(node.props, f"node '{node.id}'", records.warnings)
        if props is not None:
            records.nodes[i] = node._replace(props=props)
    for i in edges:
        edge = records.edges[i]
        label = f"edge '{edge.src} -{edge.kind}-> {edge.dst}'"
        props = redactor.props(edge.props, label, records.warnings)
        if props is None:
            continue
        if isinstance(records.edges, MutableSequence):
            records.edges[i] = edge._replace(props=props)
        else:  # a columnar edge table keeps properties by row
            records.edges.props[i] = props  # type: ignore[attr-defined]


class _Redactor:
    def __init__(self, salt: Callable[[], bytes]) -> None:
        self._get_salt = salt
        self._salt: bytes | None = None

    def props(self, props: Any, obj: str, warnings: list[str]) -> dict[str, Any] | None:
        """A copy of ``props`` with secrets fingerprinted, or None when none was found."""
        found: list[str] = []
        out = self._walk(dict(props), "", found)
        if not found:
            return None
        named = ", ".join(f"'{path}'" for path in sorted(found))
        warnings.append(f"{obj}: {'property' if len(found) == 1 else 'properties'} {named} "
                        "named like a secret: stored as a fingerprint, not the value (give a "
                        "reference such as ${VAR} instead)")
        return out

    def _walk(self, value: Any, path: str, found: list[str]) -> Any:
        if isinstance(value, dict):
            out = {}
            for key, item in value.items():
                where = f"{path}.{key}" if path else str(key)
                if _holds_digests(str(key)):
                    out[key] = item
                elif is_secret_name(str(key)) and _holds_secret(item):
                    out[key] = self._redacted(item)
                    found.append(where)
                else:
                    out[key] = self._walk(item, where, found)
            return out
        if isinstance(value, (list, tuple)):
            return [self._walk(item, f"{path}.{i}", found) for i, item in enumerate(value)]
        return value

    def _redacted(self, value: Any) -> str:
        if self._salt is None:
            self._salt = self._get_salt()
        text = value if isinstance(value, str) else canonical_json(value)
        return f"<redacted:{fingerprint(self._salt, text)}>"


def _holds_secret(value: Any) -> bool:
    if value is None or isinstance(value, bool):
        return False
    if isinstance(value, str):
        return bool(value.strip()) and not _KEEP.match(value)
    return not (isinstance(value, (dict, list, tuple)) and not value)
