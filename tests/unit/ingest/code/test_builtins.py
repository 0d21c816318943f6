"""What a custom tool's body reveals about it."""

from __future__ import annotations

import pytest

from airgraph.ingest.code.builtins import body_capabilities


@pytest.mark.parametrize(("calls", "caps"), [
    (["subprocess.check_output"], ["execute"]),
    (["os.system", "requests.post"], ["egress", "execute"]),
    (["open"], ["read"]),
    (["open:w"], ["write"]),
    (["eval"], ["execute"]),
    (["json.loads", "print"], []),
    (["evaluate", "requestsx.get"], []),
    (["smtplib.SMTP"], ["message"]),
])
def test_body_capabilities(calls: list[str], caps: list[str]) -> None:
    assert body_capabilities(calls) == caps
