"""The app really running (``airgraph app`` on a free loopback port) and headless Chromium
from Debian's packages driving it. Nothing downloads a browser or a driver."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.unit.app.estate import seed

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ARTIFACTS = Path(__file__).parent / "artifacts"
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1440,1500", "--hide-scrollbars")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Served:
    base: str
    """The app's URL, ``http://127.0.0.1:PORT``."""
    store: str
    """The store URI it reads."""


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """``airgraph app`` on a seeded store (the app tests' estate)."""
    uri = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'served.db'}"
    seed(uri)
    port = _free_port()
    env = {**os.environ, "AIRGRAPH_HOME": str(tmp_path_factory.mktemp("home"))}
    log = (tmp_path_factory.mktemp("log") / "app.log").open("w+")
    proc = subprocess.Popen([sys.executable, "-m", "airgraph.cli.main", "app", "--store", uri,
                             "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, proc, log)
        yield Served(base, uri)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def _wait_healthy(base: str, proc: subprocess.Popen[bytes], log: object) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)  # type: ignore[attr-defined]
            raise AssertionError(f"airgraph app exited: {log.read()}")  # type: ignore[attr-defined]
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError("airgraph app did not become healthy in 90 s")


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("needs Debian's chromium and chromium-driver (apt-get install -y "
                    "chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium')}")
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()
