"""Ids, names and descriptions are attacker-controlled: they render as text everywhere the
app puts them (the pyvis page, Markdown, tables), never as markup."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from airgraph.app.components.graph_view import DEFAULT_CAP, ViewEdge, ViewNode, build
from airgraph.app.components.text import md
from tests.unit.app.driving import open_page, table
from tests.unit.app.estate import HOSTILE, HOSTILE_ENTRY, HOSTILE_TOOL

RAW = ("<script", "<img", "<a href")
_DATA = re.compile(r"(?:nodes|edges) = new vis\.DataSet\((.*?)\);\n")


def markup_free(html: str, *, layered: bool = False) -> None:
    """Graph text sits only in the vis-network data, with no ``<`` or ``>`` left there, and
    the page has the same tags as a page drawn from harmless text."""
    data = _DATA.findall(html)
    assert len(data) == 2
    for values in data:
        assert "<" not in values and ">" not in values
    assert "popup.innerHTML" not in html  # pyvis's link-tooltip mode is off
    assert not re.search(r"<(?:script|link)[^>]*(?:src|href)=\"?https?://", html)
    assert _tags(html) == _tags(_harmless(layered))


def _tags(html: str) -> list[str]:
    return sorted(re.findall(r"<[a-zA-Z][a-zA-Z0-9]*", _DATA.sub("", html)))


def _harmless(layered: bool) -> str:
    return build([ViewNode("a", "a", "Tool", "start", "g")], [ViewEdge("a", "a", "CALLS")],
                 layered=layered).html


def srcdoc(app: AppTest) -> str:
    frames = app.get("iframe")
    assert frames, "no graph drawn"
    return frames[0].proto.srcdoc


def test_graph_view_keeps_hostile_text_as_text() -> None:
    nodes = [ViewNode(HOSTILE_ENTRY, HOSTILE, "EntryPoint", "start", "g", detail=(HOSTILE,)),
             ViewNode(HOSTILE_TOOL, HOSTILE, "Tool", "influenced", "g")]
    html = build(nodes, [ViewEdge(HOSTILE_ENTRY, HOSTILE_TOOL, "CALLS", (HOSTILE,))]).html
    markup_free(html)
    assert "\\u003cscript\\u003ealert" in html  # the text is there, escaped for the script
    assert "<h1>" not in html


def test_graph_view_caps_and_says_so() -> None:
    nodes = [ViewNode("start", "start", "EntryPoint", "start", "entry", 0)]
    nodes += [ViewNode(f"tool{i}", f"tool {i}", "Tool", "influenced", f"tools of mcp:{i % 7}",
                       5) for i in range(1000)]
    edges = [ViewEdge("start", f"tool{i}", "CALLS") for i in range(1000)]
    view = build(nodes, edges)
    assert view.total == 1001 and view.drawn <= DEFAULT_CAP
    assert view.folded == view.total - (view.drawn - 7)  # seven group nodes
    assert view.note and "1001" in view.note
    assert "\\u00d7 tools of mcp:3" in view.html  # a group node per server
    assert build(nodes[:50], edges[:49]).note is None


def test_md_escapes_markdown_and_html() -> None:
    assert md("[x](javascript:alert(1))") == r"\[x\]\(javascript\:alert\(1\)\)"
    assert "<" not in md(HOSTILE).replace("\\<", "")
    assert md("a\nb\x1b[31m") == "a b \\[31m"


def markdown_texts(app: AppTest) -> list[str]:
    return [e.value for kind in ("markdown", "subheader", "caption", "warning", "info", "title")
            for e in getattr(app, kind)] + [e.value for e in app.sidebar.caption]


def test_blast_radius_of_a_hostile_entry_point(app: AppTest) -> None:
    open_page(app, "blast_radius", node=HOSTILE_ENTRY)
    assert not app.exception
    assert app.selectbox(key="start").value == HOSTILE_ENTRY
    markup_free(srcdoc(app))
    for text in markdown_texts(app):
        for fragment in RAW:
            assert fragment not in text.replace("\\<", "").replace("\\:", ":"), text
    assert HOSTILE_TOOL in set(table(app, "node")["node"])  # tables hold the text as is


def test_paths_to_a_hostile_tool(app: AppTest) -> None:
    open_page(app, "paths", **{"from": HOSTILE_ENTRY, "to": HOSTILE_TOOL})
    assert not app.exception
    markup_free(srcdoc(app), layered=True)
    assert list(table(app, "hop")["to"])[-1] == HOSTILE_TOOL


@pytest.mark.parametrize("node", [HOSTILE_TOOL, HOSTILE_ENTRY])
def test_inventory_detail_of_hostile_nodes(app: AppTest, node: str) -> None:
    open_page(app, "inventory", node=node)
    assert not app.exception
    props = table(app, "property").set_index("property")["value"]
    assert props["name"] == HOSTILE
    for text in markdown_texts(app):
        assert "<img" not in text.replace("\\<", "") and "<script" not in text.replace("\\<", "")
