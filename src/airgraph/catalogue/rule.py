"""What a rule of the findings catalogue is."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["SEVERITIES", "Rule", "Severity", "severity_rank"]

Severity = Literal["critical", "high", "medium", "low", "info"]
SEVERITIES: tuple[str, ...] = ("critical", "high", "medium", "low", "info")
_SECURITY_SEVERITY = {"critical": 9.5, "high": 8.0, "medium": 5.5, "low": 3.0, "info": 0.0}
_KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class Rule:
    """One kind of finding: ``id`` is stable kebab-case, used by SARIF and policies."""

    id: str
    severity: Severity
    title: str
    description: str
    remediation: str

    def __post_init__(self) -> None:
        if not _KEBAB.match(self.id) or self.severity not in SEVERITIES:
            raise ValueError(f"bad rule {self.id!r} ({self.severity})")

    @property
    def security_severity(self) -> float:
        """The CVSS-like score GitHub code scanning reads (``security-severity``)."""
        return _SECURITY_SEVERITY[self.severity]


def severity_rank(severity: str) -> int:
    """0 for critical, rising to info: sort key, most severe first."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)
