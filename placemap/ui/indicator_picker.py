"""The themed, searchable indicator picker every page uses, with the chosen indicator described beside it.

A search box (words people use: "child poverty", "GP") filters one selectbox whose options read
"Theme · indicator" (the selectbox's own type-to-search works on those labels too); the chosen
indicator's definition, direction and unit, year and source follow it. The matching and labels
are ``placemap.data.indicator_picker``. Imports streamlit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from placemap.data import indicator_picker as picker
from placemap.data.indicators import Indicator
from placemap.data.prepare import escape_markdown

SEARCH_LABEL = "Search indicators (e.g. child poverty, life expectancy, GP)"


def search_key(key: str) -> str:
    """The session key of a picker's search box."""
    return f"{key}.search"


def _searched(key: str, indicators: Sequence[Indicator], on_change: Callable[[], None] | None) -> None:
    # A new search picks its best match at once: type, press Enter, see the map.
    found = picker.search(indicators, st.session_state.get(search_key(key)) or "")
    if found:
        st.session_state[key] = found[0].id
    if on_change:
        on_change()


def indicator_picker(
    label: str,
    indicators: Sequence[Indicator],
    key: str,
    *,
    on_change: Callable[[], None] | None = None,
    searchable: bool = True,
    container=None,
    describe: bool = True,
) -> str:
    """Draw the picker; return the chosen indicator's id.

    The caller makes sure ``st.session_state[key]`` (if set) is one of ``indicators``' ids
    before this runs (links and older sessions are validated first).

    Parameters
    ----------
    label : the selectbox's label
    indicators : the records offered (any order: they are listed theme by theme)
    key : the selectbox's session key (the search box's is ``search_key(key)``)
    on_change : called after the user changes the search or the selection
    searchable : show the search box above the list (the selectbox's own type-to-search stays)
    container : where to draw (the sidebar unless told)
    describe : show the chosen indicator's definition, direction, year and source under the list
    """
    box = container if container is not None else st.sidebar
    by_id = {i.id: i for i in picker.ordered(indicators)}
    options = list(by_id)
    if searchable:
        query = box.text_input(
            SEARCH_LABEL,
            key=search_key(key),
            on_change=_searched,
            args=(key, list(by_id.values()), on_change),
        )
        found = [i.id for i in picker.search(list(by_id.values()), query or "")]
        if query and not found:
            box.caption(f"No indicator matches “{escape_markdown(query)}”: all {len(options)} are listed.")
        elif query:
            options = found
    current = st.session_state.get(key)
    if current in by_id and current not in options:
        options = [current, *options]  # the choice stays put until the user picks a match
    chosen = box.selectbox(
        label,
        options,
        format_func=lambda i: picker.option_label(by_id[i]),
        key=key,
        on_change=on_change,
    )
    if describe and chosen in by_id:
        box.caption("  \n".join(escape_markdown(line) for line in picker.description(by_id[chosen])))
    return chosen
