"""The Python API: docstring examples run, unknown ids suggest, layering holds, and the
kernel warm-up compiles every signature the queries use."""

from __future__ import annotations

import doctest
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import airgraph
from airgraph import api
from airgraph.demo import demo_records

ROOT = Path(__file__).parents[3]


@pytest.fixture
def demo_store(tmp_path) -> str:
    uri = f"sqlite:///{tmp_path / 'demo.db'}"
    airgraph.ingest_source(demo_records(), uri)
    return uri


def test_the_api_docstring_examples_run(demo_store):
    result = doctest.testmod(api, extraglobs={"demo_store": demo_store},
                             optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 5 and result.failed == 0


def test_the_readme_python_examples_run(demo_store, monkeypatch):
    monkeypatch.setenv("AIRGRAPH_STORE", demo_store)
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(>>> .*?)```", readme, re.S)
    assert blocks, "the README has a Python section with >>> examples"
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for i, block in enumerate(blocks):
        runner.run(parser.get_doctest(block, {}, f"README[{i}]", "README.md", 0))
    assert runner.summarize(verbose=False).failed == 0


def test_results_equal_the_cli_json(demo_store):
    from typer.testing import CliRunner

    from airgraph.cli.main import app

    g = airgraph.open(demo_store)
    out = CliRunner().invoke(app, ["reach", "ep:web-chat", "--store", demo_store, "--json"])
    assert json.loads(out.stdout) == g.blast_radius("ep:web-chat").to_dict()
    out = CliRunner().invoke(app, ["show", "ep:web-chat", "--store", demo_store, "--json"])
    assert json.loads(out.stdout) == g.node("ep:web-chat").to_dict()


def test_an_unknown_id_raises_with_suggestions(demo_store):
    with pytest.raises(airgraph.UnknownIdError) as caught:
        airgraph.open(demo_store).blast_radius("ep:web-chta")
    assert "ep:web-chat" in caught.value.suggestions
    assert isinstance(caught.value, airgraph.AirgraphError)


def test_library_use_starts_no_background_process(demo_store, tmp_path):
    """Only the CLI may warm the kernel cache in the background."""
    code = textwrap.dedent(f"""
        import os, airgraph
        from airgraph.graph.kernels import _warmup
        airgraph.open({demo_store!r}).blast_radius("ep:web-chat")
        print(_warmup._spawned)
    """)
    env = {**os.environ, "AIRGRAPH_HOME": str(tmp_path / "home")}
    env.pop("AIRGRAPH_NO_BACKGROUND_WARM", None)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         check=True)
    assert out.stdout.strip() == "False"


def test_the_layers_hold():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    result = subprocess.run([lint or "lint-imports"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-3000:]


def test_the_warm_up_compiles_every_signature_the_queries_use(demo_store, tmp_path):
    """Run the warm-up, then every query on the demo under both assumptions with compiled
    kernels: no kernel may compile a signature the warm-up did not."""
    code = textwrap.dedent(f"""
        import json, airgraph
        from airgraph.graph.kernels import _warmup
        _warmup.warm()
        def signatures():
            out = {{}}
            for name in _warmup._MODULES:
                dispatcher = getattr(_warmup.kernel_module(name), name)
                out[name] = sorted(map(str, dispatcher.signatures))
            return out
        before = signatures()
        g = airgraph.open({demo_store!r})
        for assume in ("realistic", "worst"):
            g.blast_radius("ep:web-chat", assume)
            g.attack_paths("ep:web-content", "arn:aws:s3:::corvane-kyc-uploads", 3, assume)
            g.lethal_trifecta(assume)
            g.reach_all(assume)
            g.choke_points(assume)
            g.findings(assume)
        after = signatures()
        print(json.dumps({{k: sorted(set(after[k]) - set(before[k])) for k in after}}))
    """)
    env = {**os.environ, "AIRGRAPH_KERNELS": "compiled", "AIRGRAPH_HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=900)
    assert out.returncode == 0, out.stderr[-3000:]
    missed = {k: v for k, v in json.loads(out.stdout.splitlines()[-1]).items() if v}
    assert not missed, f"kernel signatures the warm-up misses: {missed}"


def test_the_readme_lists_every_ingestor_of_the_registry():
    from airgraph.ingest.registry import INGESTORS

    readme = (ROOT / "README.md").read_text()
    listed = re.findall(r"^\| `airgraph ingest (\w+)` \| (.*?) \|", readme, re.M)
    assert dict(listed) == {i.name: i.summary for i in INGESTORS.values()}
