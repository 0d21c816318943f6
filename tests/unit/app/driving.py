"""Driving the app under AppTest: open a page with a query string, read its tables."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

__all__ = ["clean", "metrics", "open_page", "table"]


def open_page(app: AppTest, page: str, **params: str) -> AppTest:
    app.run()  # AppTest learns the pages st.navigation registers on the first run
    for name, value in params.items():
        app.query_params[name] = value
    return app.switch_page(f"views/{page}.py").run()


def table(app: AppTest, first_column: str, nth: int = 0) -> pd.DataFrame:
    """The ``nth`` table whose first column is ``first_column`` (tables are not widgets, so
    they have no key to look them up by)."""
    return [d.value for d in app.dataframe if list(d.value.columns[:1]) == [first_column]][nth]


def metrics(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def clean(app: AppTest) -> None:
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]
