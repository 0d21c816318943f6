"""``airgraph ingest manifest FILE``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from airgraph.cli.ingest._load import load_and_report
from airgraph.cli.options import JsonOpt, StoreOpt
from airgraph.ingest.manifest import load_manifest

__all__ = ["command"]


def command(
    file: Annotated[Path, typer.Argument(help="Manifest v1 file (YAML, or JSON if it ends "
                                         "in .json).", show_default=False)],
    source: Annotated[str | None, typer.Option(
        help="Source name to replace on re-ingest (default: manifest:<absolute path>).")] = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Ingest a declarative manifest: nodes and edges no API can discover.

    A manifest is also the overlay for what APIs do not know: the sensitivity of a
    bucket, the owner of an agent, the exposure of an entry point. Its properties win
    over a discovered source's for the same id.

    Invalid manifests (unknown kinds, dangling ids, wrong types, syntax errors) stop
    with the file, line and id at fault, and nothing is written.

    Example: airgraph ingest manifest estate.yaml
    """
    name = source or f"manifest:{file.resolve()}"
    load_and_report(store, lambda known: load_manifest(file, source=name, known=known),
                    source=name, as_json=as_json)
