"""IAM policy documents as statements, and the wildcard matching IAM applies to them.

Pure: a document (a dict, or the URL-encoded JSON string the AWS CLI prints) becomes a
tuple of :class:`Statement`; unknown grammar raises :class:`PolicyGrammarError` naming
the element, so the caller can skip one policy and keep the rest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

__all__ = ["ANY_RESOURCE", "PolicyGrammarError", "Statement", "parse_document", "parse_policy"]

ANY_RESOURCE = "*"
"""The resource to ask about when any one resource will do (``lambda:CreateFunction``)."""

_KNOWN_KEYS = {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource",
               "Principal", "NotPrincipal", "Condition"}


class PolicyGrammarError(ValueError):
    """A policy document that is not IAM's grammar."""


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement; ``principals`` maps a principal type (``AWS``, ``Service``, ...) to
    its values, or is ``None`` when the statement names no principal (identity policies)."""

    allow: bool
    actions: tuple[str, ...]
    not_action: bool
    resources: tuple[str, ...]
    not_resource: bool
    conditions: Mapping[str, Any] | None = None
    principals: Mapping[str, tuple[str, ...]] | None = None
    not_principal: bool = False

    def matches_action(self, action: str) -> bool:
        hit = any(_action_pattern(p).match(action) for p in self.actions)
        return hit != self.not_action

    def allows_any_resource(self, resource: str) -> bool:
        """Whether an Allow reaches at least part of ``resource``: a query ending in
        ``/*`` (every object of a bucket) is also reached by a grant on some of them."""
        if resource == ANY_RESOURCE and not self.not_resource:
            return bool(self.resources)
        hit = any(_overlaps(p, resource) for p in self.resources)
        return hit != self.not_resource

    def covers_resource(self, resource: str) -> bool:
        """Whether the statement covers all of ``resource`` (what a Deny must do to deny)."""
        hit = any(_resource_pattern(p).match(resource) for p in self.resources)
        return hit != self.not_resource

    @property
    def covers_everything(self) -> bool:
        """Action ``*`` on resource ``*``: the shape of administrator access."""
        return (not self.not_action and any(a in ("*", "*:*") for a in self.actions)
                and not self.not_resource and ANY_RESOURCE in self.resources)


def parse_policy(document: Any) -> tuple[Statement, ...]:
    """Statements of a policy given as a dict or as (URL-encoded) JSON text."""
    return parse_document(decode_document(document))


def decode_document(document: Any) -> Mapping[str, Any]:
    """A policy document as a dict, whichever shape it came in."""
    if isinstance(document, str):
        text = document.strip()
        if not text.startswith("{"):
            text = unquote(text)
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise PolicyGrammarError(f"policy document is not JSON: {exc.msg}") from None
    if not isinstance(document, Mapping):
        raise PolicyGrammarError("policy document is not an object")
    return document


def parse_document(document: Mapping[str, Any]) -> tuple[Statement, ...]:
    raw = document.get("Statement")
    if raw is None:
        raise PolicyGrammarError("policy document has no Statement")
    items = [raw] if isinstance(raw, Mapping) else raw
    if not isinstance(items, list):
        raise PolicyGrammarError("Statement is neither an object nor a list")
    return tuple(_statement(item, i) for i, item in enumerate(items))


def _statement(item: Any, index: int) -> Statement:
    where = f"Statement[{index}]"
    if not isinstance(item, Mapping):
        raise PolicyGrammarError(f"{where} is not an object")
    unknown = set(item) - _KNOWN_KEYS
    if unknown:
        raise PolicyGrammarError(f"{where} has unknown element(s) {sorted(unknown)}")
    effect = item.get("Effect")
    if effect not in ("Allow", "Deny"):
        raise PolicyGrammarError(f"{where}: Effect must be Allow or Deny, not {effect!r}")
    actions, not_action = _either(item, "Action", "NotAction", where)
    if "Resource" in item or "NotResource" in item:
        resources, not_resource = _either(item, "Resource", "NotResource", where)
    else:  # trust policies name no resource: they apply to the role itself
        resources, not_resource = (ANY_RESOURCE,), False
    principals, not_principal = _principals(item, where)
    conditions = item.get("Condition")
    if conditions is not None and not isinstance(conditions, Mapping):
        raise PolicyGrammarError(f"{where}: Condition is not an object")
    return Statement(effect == "Allow", actions, not_action, resources, not_resource,
                     dict(conditions) if conditions else None, principals, not_principal)


def _either(item: Mapping[str, Any], key: str, not_key: str, where: str) -> tuple[tuple[str, ...], bool]:
    if (key in item) == (not_key in item):
        raise PolicyGrammarError(f"{where} needs exactly one of {key} and {not_key}")
    negated = not_key in item
    return _strings(item[not_key if negated else key], f"{where}.{not_key if negated else key}"), negated


def _principals(item: Mapping[str, Any], where: str) -> tuple[Mapping[str, tuple[str, ...]] | None, bool]:
    negated = "NotPrincipal" in item
    raw = item.get("NotPrincipal" if negated else "Principal")
    if raw is None:
        return None, False
    if raw == "*":
        return {"AWS": ("*",)}, negated
    if not isinstance(raw, Mapping):
        raise PolicyGrammarError(f"{where}: Principal is neither '*' nor an object")
    return {str(k): _strings(v, f"{where}.Principal.{k}") for k, v in raw.items()}, negated


def _strings(value: Any, where: str) -> tuple[str, ...]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise PolicyGrammarError(f"{where} must be a string or a list of strings")
    return tuple(values)


@lru_cache(maxsize=65536)
def _action_pattern(pattern: str) -> re.Pattern[str]:
    """Actions match case-insensitively, with ``*`` and ``?`` wildcards."""
    return re.compile(_glob(pattern), re.IGNORECASE)


@lru_cache(maxsize=65536)
def _resource_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(_glob(pattern))


def _glob(pattern: str) -> str:
    return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c)
                   for c in pattern) + r"\Z"


def _overlaps(pattern: str, resource: str) -> bool:
    if _resource_pattern(pattern).match(resource):
        return True
    return resource.endswith("/*") and pattern.startswith(resource[:-1])
