"""Interactive graph drawings (pyvis / vis-network), built in memory with graph text kept as
text, and capped so large estates stay usable.

Ids, names and descriptions come from attackers (MCP tool descriptions, server names), so:

- graph text reaches the page only as JSON values inside the vis-network script, and
  Jinja's ``tojson`` writes ``<``, ``>``, ``&`` and ``'`` there as ``\\u003c``-style escapes, so
  no graph text can close the script or open a tag;
- labels are drawn on a canvas, and tooltips are plain strings, which vis-network 9 sets
  with ``innerText``; the page is rendered with pyvis's link-tooltip mode off (that mode,
  switched on by any tooltip containing ``href``, assigns ``innerHTML``), and graph text is
  never passed to pyvis's ``heading`` or ``select_menu``, which are not escaped;
- vis-network ids are integers, so graph ids appear nowhere else;
- vis-network is inlined from pyvis's bundled copy and the template's CDN tags are removed,
  so the drawing loads nothing from the network.

Beyond ``cap`` nodes, the lowest-priority nodes are folded into one node per group (tools
per server, identities per provider, stores per sensitivity) and :class:`GraphView` says so.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import streamlit as st
from pyvis.network import Network

__all__ = ["DEFAULT_CAP", "LEGEND", "GraphView", "ViewEdge", "ViewNode", "build", "show",
           "plain"]

DEFAULT_CAP = 300
"""Most nodes drawn; vis-network stays responsive in a browser up to a few hundred."""

_ROLE_COLOURS = {
    "start": "#d62728", "influenced": "#ff7f0e", "target": "#9467bd",
    "exposed-restricted": "#8b0000", "exposed-confidential": "#e377c2",
    "exposed-internal": "#bcbd22", "exposed-public": "#2ca02c", "exposed": "#7f7f7f",
    "sink": "#17becf", "sink-external": "#1f77b4", "guardrail": "#2ca02c",
    "group": "#c7c7c7", "context": "#aec7e8",
}
_SHAPES = {"EntryPoint": "star", "Agent": "dot", "Tool": "triangle", "MCPServer": "hexagon",
           "Workload": "square", "Identity": "diamond", "DataStore": "triangleDown",
           "Sink": "dot", "Guardrail": "square", "Model": "dot", "Owner": "dot"}
LEGEND = ("Colours: red the start, orange influenced, dark red / pink / olive / green exposed "
          "stores (restricted / confidential / internal / public), blue sinks (dark blue: "
          "external), grey groups. Shapes: star entry point, dot agent, triangle tool, "
          "hexagon MCP server, square workload, diamond identity, down-triangle data store.")

_LABEL_CHARS = 42
_REMOTE_TAG = re.compile(r"<link[^>]*https?://[^>]*>|<script[^>]*src=\"https?://[^>]*>\s*</script>",
                         re.S)
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>", re.S)
# vis-network's fit ignores labels in a layered layout: zoom out a little so the labels of
# the first and last columns stay inside the frame.
_ZOOM_OUT = ("<script>setTimeout(function () { network.fit(); "
             "network.moveTo({scale: network.getScale() * 0.92}); }, 50);</script>\n</body>")


@dataclass(frozen=True, slots=True)
class ViewNode:
    """A node to draw: ``role`` picks its colour, ``group`` its bucket beyond the cap, and
    lower ``priority`` nodes are kept first."""

    id: str
    label: str
    kind: str
    role: str
    group: str
    priority: int = 5
    detail: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ViewEdge:
    src: str
    dst: str
    kind: str
    detail: tuple[str, ...] = ()
    emphasis: bool = False


@dataclass(frozen=True, slots=True)
class GraphView:
    """The page to embed, and what was drawn."""

    html: str
    height: int
    total: int
    drawn: int
    folded: int
    """Nodes folded into group nodes."""

    @property
    def note(self) -> str | None:
        if not self.folded:
            return None
        return (f"Showing {self.drawn} of {self.total} nodes: {self.folded} lower-priority "
                "nodes are folded into grey group nodes (tools per server, identities per "
                "provider, stores per sensitivity). The tables list every node.")


def plain(text: object, limit: int | None = None) -> str:
    """``text`` as one line of printable characters, cut to ``limit``."""
    flat = "".join(c if unicodedata.category(c)[0] != "C" else " " for c in str(text))
    flat = " ".join(flat.split())
    return flat if limit is None or len(flat) <= limit else flat[: limit - 1] + "…"


def build(nodes: Sequence[ViewNode], edges: Iterable[ViewEdge], *, cap: int = DEFAULT_CAP,
          height: int = 560, layered: bool = False,
          describe: Callable[[str], tuple[str, ...]] | None = None) -> GraphView:
    """The vis-network page for ``nodes`` and the ``edges`` between them.

    ``layered`` lays the nodes out left to right (for paths); otherwise physics places them.
    ``describe(id)`` adds tooltip lines to each node drawn (asked only for those).
    """
    kept, home = _fold(nodes, cap)
    if describe is not None:
        kept = [n if n.role == "group" else replace(n, detail=n.detail + describe(n.id))
                for n in kept]
    index = {n.id: i for i, n in enumerate(kept)}
    net = Network(height=f"{height}px", width="100%", directed=True, cdn_resources="in_line")
    net.set_options(json.dumps(_options(layered, len(kept))))
    for i, n in enumerate(kept):
        net.add_node(i, label=plain(n.label, _LABEL_CHARS), title=_tooltip(n),
                     color=_ROLE_COLOURS.get(n.role, "#7f7f7f"), shape=_SHAPES.get(n.kind, "dot"),
                     size=22 if n.role in ("start", "target") else 14)
    merged: dict[tuple[int, int, str], list[ViewEdge]] = defaultdict(list)
    for e in edges:
        a, b = home.get(e.src), home.get(e.dst)
        if a is not None and b is not None and a != b:
            merged[(index[a], index[b], e.kind)].append(e)
    show_labels = layered or len(merged) <= 60
    for (a, b, kind), group in merged.items():
        first = group[0]
        title = "\n".join([plain(kind)] + [plain(d, 200) for d in first.detail]
                          + ([f"{len(group)} edges"] if len(group) > 1 else []))
        net.add_edge(a, b, title=title, label=plain(kind) if show_labels else None,
                     width=3 if any(e.emphasis for e in group) else 1,
                     color="#d62728" if any(e.emphasis for e in group) else "#999999",
                     font={"size": 10, "align": "middle"})
    html = _render(net)
    if layered:
        html = html.replace("</body>", _ZOOM_OUT, 1)
    return GraphView(html, height, len(nodes), len(kept),
                     sum(1 for n in nodes if home.get(n.id) != n.id))


def show(view: GraphView) -> None:
    """Embed ``view`` in the page, with the note when nodes were folded."""
    if view.note:
        st.info(view.note)
    st.iframe(view.html, height=view.height + 24)


def _tooltip(n: ViewNode) -> str:
    lines = [plain(n.label, 200), f"{plain(n.kind)} · {plain(n.id, 200)}"]
    return "\n".join(lines + [plain(d, 200) for d in n.detail[:12]])


def _fold(nodes: Sequence[ViewNode], cap: int) -> tuple[list[ViewNode], dict[str, str]]:
    """The nodes to draw and, for every node, the id of the node it is drawn as."""
    if len(nodes) <= cap:
        return list(nodes), {n.id: n.id for n in nodes}
    ordered = sorted(nodes, key=lambda n: (n.priority, n.kind, n.id))
    budget = cap * 4 // 5
    kept, rest = ordered[:budget], ordered[budget:]
    groups = Counter(n.group for n in rest)
    if len(groups) > cap - budget:  # too many buckets: one per kind instead
        rest = [ViewNode(n.id, n.label, n.kind, n.role, f"{n.kind} (other)", n.priority,
                         n.detail) for n in rest]
        groups = Counter(n.group for n in rest)
    home = {n.id: n.id for n in kept}
    members: dict[str, list[ViewNode]] = defaultdict(list)
    for n in rest:
        home[n.id] = f"group:{n.group}"
        members[n.group].append(n)
    for group, inside in sorted(members.items()):
        shown = [plain(m.label, 60) for m in inside[:10]]
        more = [f"… and {len(inside) - 10} more"] if len(inside) > 10 else []
        kept.append(ViewNode(f"group:{group}", f"{len(inside)} × {group}", inside[0].kind,
                             "group", group, detail=tuple(shown + more)))
    return kept, home


def _options(layered: bool, n: int) -> dict[str, object]:
    interaction = {"hover": True, "tooltipDelay": 120, "navigationButtons": False}
    if layered:
        return {"layout": {"hierarchical": {"enabled": True, "direction": "LR",
                                             "sortMethod": "directed", "levelSeparation": 190,
                                             "nodeSpacing": 110}},
                "physics": {"enabled": False}, "interaction": interaction,
                "edges": {"smooth": {"type": "cubicBezier", "forceDirection": "horizontal"}}}
    return {"physics": {"solver": "forceAtlas2Based",
                        "forceAtlas2Based": {"gravitationalConstant": -80, "springLength": 140},
                        "stabilization": {"iterations": 300 if n < 150 else 150}},
            "interaction": interaction, "edges": {"smooth": False}}


def _render(net: Network) -> str:
    nodes, edges, _heading, height, width, options = net.get_network_data()
    html = net.templateEnv.get_template(net.path).render(
        height=height, width=width, nodes=nodes, edges=edges, heading="", options=options,
        physics_enabled=True, use_DOT=False, dot_lang=None, widget=False, bgcolor=net.bgcolor,
        conf=False, tooltip_link=False, neighborhood_highlight=False, select_menu=False,
        filter_menu=False, notebook=False, cdn_resources="in_line")
    return _EMPTY_HEADING.sub("", _REMOTE_TAG.sub("", html))
