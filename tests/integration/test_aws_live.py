"""``airgraph ingest aws`` live, end to end: the real CLI against moto's server on a
loopback port through ``AWS_ENDPOINT_URL``, so sessions, pagination and per-service
error handling run as they would against AWS."""

from __future__ import annotations

import io
import json
import socket
import zipfile
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer
from typer.testing import CliRunner

from airgraph.cli.main import app

REGION = "us-east-1"
ENV_VALUE = "live-env-value-never-stored-5d2e"
USERS = 120  # IAM pages at 100
FUNCTIONS = 55  # Lambda pages at 50


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    url = f"http://127.0.0.1:{port}"
    for key, value in {"AWS_ENDPOINT_URL": url, "AWS_ACCESS_KEY_ID": "testing",
                       "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(key, value)
    for key in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.delenv(key, raising=False)
    try:
        yield url
    finally:
        server.stop()


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("handler.py", "def handler(event, context):\n    return {}\n")
    return buffer.getvalue()


def _populate() -> None:
    iam = boto3.client("iam")
    for i in range(USERS):
        iam.create_user(UserName=f"user-{i:03d}")
    iam.put_user_policy(UserName="user-000", PolicyName="self", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PutUserPolicy",
                                                "Resource": "*"}]}))
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
        "Action": "sts:AssumeRole"}]})
    role = iam.create_role(RoleName="fn", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    iam.put_role_policy(RoleName="fn", PolicyName="read", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                                                "Resource": "arn:aws:s3:::data/*"}]}))
    boto3.client("s3").create_bucket(Bucket="data")
    lam = boto3.client("lambda")
    code = _zip()
    for i in range(FUNCTIONS):
        lam.create_function(FunctionName=f"fn-{i:02d}", Runtime="python3.12", Role=role,
                            Handler="handler.handler", Code={"ZipFile": code},
                            Environment={"Variables": {"TOKEN": ENV_VALUE}})


def test_live_ingest_through_the_cli(endpoint: str, tmp_path: Path) -> None:
    _populate()
    store = tmp_path / "store.db"
    saved = tmp_path / "saved"
    result = CliRunner().invoke(app, ["ingest", "aws", "--region", REGION, "--save", str(saved),
                                      "--store", f"sqlite:///{store}", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["source"] == "aws:123456789012" and report["ingestor"] == "aws"
    # 120 users, a role, the root, a bucket and 55 functions at least.
    assert report["source_nodes"] >= USERS + 3 + FUNCTIONS

    details = json.loads((saved / "authorization-details.json").read_text())
    resources = json.loads((saved / "resources.json").read_text())
    assert len(details["UserDetailList"]) == USERS
    assert len(resources["Lambda"]["Functions"]) == FUNCTIONS

    raw = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert ENV_VALUE.encode() not in raw

    show = CliRunner().invoke(app, ["show", "arn:aws:iam::123456789012:user/user-000",
                                    "--store", f"sqlite:///{store}", "--json"])
    assert show.exit_code == 0, show.output
    out = json.loads(show.stdout)["out"]
    assert [e for e in out if e["kind"] == "CAN_ASSUME" and e["to"] ==
            "arn:aws:iam::123456789012:root" and e["props"]["via"] == "iam-put-user-policy"]

    offline = CliRunner().invoke(app, [
        "ingest", "aws", "--authorization-details", str(saved / "authorization-details.json"),
        "--resources", str(saved / "resources.json"), "--store", f"sqlite:///{store}", "--json"])
    assert offline.exit_code == 0, offline.output
    assert json.loads(offline.stdout)["source_edges"] == report["source_edges"]
