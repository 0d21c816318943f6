"""Findings as the graph stores them: rule, severity from the catalogue, visible evidence."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from airgraph.catalogue import rule as catalogue_rule

__all__ = ["finding", "visible"]

_EVIDENCE_LIMIT = 300
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5"
                     "\u180b-\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f"
                     "\ufeff\uffa0\ufff0-\ufffb\U000e0000-\U000e0fff]")


def _show(match: re.Match[str]) -> str:
    char = match.group()
    name = unicodedata.name(char, "")
    return f"<U+{ord(char):04X}{' ' + name if name else ''}>"


def visible(text: str, limit: int = _EVIDENCE_LIMIT) -> str:
    """``text`` with every invisible or control character spelled out, cut to ``limit``."""
    shown = _HIDDEN.sub(_show, text.replace("\n", " ").replace("\t", " "))
    return shown if len(shown) <= limit else shown[:limit - 1] + "…"


def finding(rule_id: str, message: str, evidence: str, *, file: str | None = None,
            line: int | None = None) -> dict[str, Any]:
    """One finding for ``props["findings"]``; ``evidence`` is made visible here."""
    item: dict[str, Any] = {"rule": rule_id, "severity": catalogue_rule(rule_id).severity,
                            "message": message, "evidence": visible(evidence)}
    if file is not None:
        item["file"] = file
    if line is not None:
        item["line"] = line
    return item
