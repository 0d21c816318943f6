"""Inline secrets in MCP configurations: detection (the salted fingerprints are
:func:`airgraph.ingest.secrets.fingerprint`, shared with every ingestor).

A value is *inline* when it is written in the file rather than referenced
(``${VAR}``, ``${env:VAR}``, ``${input:id}``, ``$VAR``, ``%VAR%``). An inline value is
a *secret* when its name says so (``*_TOKEN``, ``*_KEY``, ``PASSWORD``, ...) or its
shape does (a GitHub, OpenAI, AWS, Slack, GitLab or Google key). Secret values never
reach the store: callers keep a salted fingerprint, so the same secret can be
recognised in two places without being stored.
"""

from __future__ import annotations

import re

__all__ = ["is_reference", "looks_secret", "secret_shape"]

_REFERENCE = re.compile(r"^\s*(\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_][A-Za-z0-9_]*%"
                        r"|\{env:[^}]*\})\s*$")
_SECRET_NAME = re.compile(r"(TOKEN|SECRET|PASSW(OR)?D|PASSPHRASE|API_?KEY|ACCESS_?KEY|"
                          r"PRIVATE_?KEY|CREDENTIAL|AUTH|_PAT$|^PAT_|BEARER|COOKIE|SESSION)",
                          re.IGNORECASE)
_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("GitHub token", re.compile(r"\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})")),
    ("OpenAI/Anthropic key", re.compile(r"\bsk-(ant-)?[A-Za-z0-9_-]{20,}")),
    ("AWS access key id", re.compile(r"\b(AKIA|ASIA)[A-Z0-9]{16}\b")),
    ("Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("GitLab token", re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}")),
    ("Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    ("Stripe key", re.compile(r"\b[rs]k_live_[0-9A-Za-z]{20,}")),
    ("private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
)
_NOT_SECRET_VALUES = frozenset({"", "true", "false", "0", "1", "yes", "no", "none", "null"})


def is_reference(value: str) -> bool:
    """True when ``value`` names a variable instead of holding the value itself."""
    return bool(_REFERENCE.match(value)) or value.startswith("${input:")


def secret_shape(value: str) -> str | None:
    """The kind of well-known credential ``value`` contains, if any."""
    return next((label for label, pattern in _SHAPES if pattern.search(value)), None)


def looks_secret(name: str, value: str) -> str | None:
    """Why the inline ``value`` under ``name`` is a hard-coded secret, or None.

    A secret-sounding name with a placeholder-like value (``true``, ``1``, a
    reference) is not one: few false positives matter more than recall here.
    """
    if is_reference(value) or value.strip().lower() in _NOT_SECRET_VALUES:
        return None
    shape = secret_shape(value)
    if shape:
        return shape
    if _SECRET_NAME.search(name) and len(value.strip()) >= 8 and not value.startswith("<"):
        return f"inline value of {name}"
    return None
