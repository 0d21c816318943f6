"""The Streamlit app: ``streamlit run airgraph/app/main.py`` (``airgraph app`` does it).

Each page has a fixed URL path and keeps its selection in the query string, so
``/blast-radius?node=ep:web-chat&assume=worst`` links straight to a view.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from airgraph.app import state
from airgraph.app.components.text import md
from airgraph.errors import AirgraphError

_VIEWS = Path(__file__).parent / "views"
PAGES = (  # (file, title, url path, icon)
    ("overview.py", "Overview", "overview", ":material/dashboard:"),
    ("blast_radius.py", "Blast radius", "blast-radius", ":material/radar:"),
    ("paths.py", "Attack paths", "paths", ":material/route:"),
    ("chokepoints.py", "Choke points", "chokepoints", ":material/content_cut:"),
    ("findings.py", "Findings", "findings", ":material/report:"),
    ("inventory.py", "Inventory", "inventory", ":material/inventory_2:"),
    ("snapshots.py", "Snapshots", "snapshots", ":material/history:"),
    ("cypher.py", "Cypher", "cypher", ":material/terminal:"),
)


def _sidebar() -> None:
    numbers = [s.number for s in state.snapshots()]
    current = state.snapshot()
    chosen = st.sidebar.selectbox("Snapshot", numbers[::-1], index=numbers[::-1].index(current),
                                  key="snapshot", help="The snapshot every page reads.")
    state.keep(snapshot=None if chosen == numbers[-1] else chosen)
    st.sidebar.caption(f"Store: {md(state.store_uri(), 200)}")
    if st.sidebar.button("Reload", help="Read the store again (after a new ingest)."):
        state.clear()
        st.rerun()


def main() -> None:
    st.set_page_config(page_title="airgraph", page_icon=":material/hub:", layout="wide")
    pages = [st.Page(_VIEWS / file, title=title, url_path=path, icon=icon)
             for file, title, path, icon in PAGES]

    def home() -> None:  # the default page is served at "/", so /overview is a page of its own
        st.switch_page(pages[0], query_params=dict(st.query_params))

    page = st.navigation([st.Page(home, title="airgraph", default=True, visibility="hidden"),
                          *pages])
    try:
        _sidebar()
        page.run()
    except AirgraphError as exc:
        st.error(md(exc, 500), icon=":material/error:")


main()
