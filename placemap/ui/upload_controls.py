"""The session's uploaded datasets: adding, removing, opening a shared one, the pickers of uploaded indicators. Imports streamlit."""

from __future__ import annotations

import streamlit as st

from placemap.ui import state
from placemap.ui.page_setup import open_store


def session_uploads() -> dict:
    """This session's uploaded datasets, id -> ``UploadedTable`` or ``UploadedAreas`` (in upload order).

    The session holds only their digests; the datasets live in the process's
    ``registry.UPLOADS``. One dropped from there (the store is bounded) is forgotten here
    with a note.
    """
    from placemap.uploads.registry import UPLOADS

    digests = st.session_state.setdefault(state.UPLOADS, {})
    found = {}
    for dataset_id, digest in list(digests.items()):
        dataset = UPLOADS.get(digest)
        if dataset is None:
            digests.pop(dataset_id)
            st.session_state.setdefault(state.UP_NOTES, []).append(
                "An uploaded dataset was cleared from the server's memory (it holds a limited number): "
                "upload it again, or open its saved link."
            )
        else:
            found[dataset_id] = dataset
    return found


def session_catalogue():
    """The catalogue with this session's uploaded indicators registered beside the official ones."""
    from placemap.data.catalogue import CATALOGUE

    return CATALOGUE.with_uploads(session_tables())


def session_tables() -> list:
    """This session's uploaded indicator tables."""
    from placemap.uploads.table import UploadedTable

    return [d for d in session_uploads().values() if isinstance(d, UploadedTable)]


def session_areas() -> list:
    """This session's uploaded boundaries."""
    from placemap.uploads.uploaded_boundaries import UploadedAreas

    return [d for d in session_uploads().values() if isinstance(d, UploadedAreas)]


def add_to_session(dataset, n_bytes: int) -> str | None:
    """Keep ``dataset`` for this session; a plain message instead when a limit is reached.

    A session holds at most ``MAX_SESSION_DATASETS`` at once (its memory); the bytes added are
    limited per client across sessions (a reload does not reset them).
    """
    from placemap.ui import client
    from placemap.uploads.table import MAX_SESSION_DATASETS

    datasets = session_uploads()
    if dataset.id in datasets:
        return None
    if len(datasets) >= MAX_SESSION_DATASETS:
        return f"This session already holds {MAX_SESSION_DATASETS} uploaded datasets, the most it can. Remove one below first."
    refused = client.refusal("upload_bytes", n_bytes)
    if refused:
        return f"Not added: {refused}"
    from placemap.uploads.registry import UPLOADS

    st.session_state.setdefault(state.UPLOADS, {})[dataset.id] = UPLOADS.put(dataset)
    return None


def remove_from_session(dataset_id: str) -> None:
    """Forget an uploaded dataset (and deselect it on the map)."""
    st.session_state.setdefault(state.UPLOADS, {}).pop(dataset_id, None)
    if str(st.session_state.get(state.W_MAP_UPLOADED) or "").startswith(f"upload_{dataset_id}_"):
        st.session_state[state.W_MAP_UPLOADED] = None


def uploaded_indicator_choice(year: int):
    """The map explorer's "Your data" picker (only when this session has uploaded indicators).

    Returns ``(table, indicator)`` for the chosen one, or ``None`` for the official indicator.
    """
    tables = session_tables()
    if not tables:
        return None
    options = {None: "None: show the official indicator"}
    found = {}
    for table in tables:
        for indicator in table.indicators():
            options[indicator.id] = f"{indicator.label} ({table.name})"
            found[indicator.id] = (table, indicator)
    if st.session_state.get(state.W_MAP_UPLOADED) not in options:
        st.session_state[state.W_MAP_UPLOADED] = None
    chosen = st.sidebar.selectbox(
        "Your data (uploaded)",
        list(options),
        format_func=options.get,
        key=state.W_MAP_UPLOADED,
        help="Indicators you uploaded on the Bring your own data page, for this session.",
    )
    return found.get(chosen)


def open_shared_upload(db, share_id: str | None) -> None:
    """Add the dataset of a ``?upload=<id>`` link to this session, once per id, with a note either way."""
    from placemap.data.prepare import escape_markdown
    from placemap.storage import upload_store
    from placemap.storage.store import StoreError
    from placemap.uploads.table import UploadedTable
    from placemap.uploads.uploaded_boundaries import UploadedAreas

    if not share_id or st.session_state.get(state.UP_LOADED) == share_id:
        return
    st.session_state[state.UP_LOADED] = share_id
    notes = st.session_state.setdefault(state.UP_NOTES, [])
    if db is None:
        notes.append("The saved dataset cannot be opened because the database is unavailable.")
        return
    try:
        saved = upload_store.get_upload(db, share_id)
    except StoreError as exc:
        notes.append(escape_markdown(str(exc)))
        return
    if saved is None:
        notes.append(f"No saved dataset has the link id {escape_markdown(share_id)}; it may have been deleted.")
        return
    try:
        cls = UploadedTable if saved.kind == "indicators" else UploadedAreas
        dataset = cls.from_payload(saved.share_id, saved.name, saved.source, saved.payload)
    except ValueError as exc:
        notes.append(escape_markdown(str(exc)))
        return
    problem = add_to_session(dataset, 0)
    if problem:
        notes.append(problem)
        return
    notes.append(
        f"Opened the saved dataset **{escape_markdown(saved.name)}** (source: {escape_markdown(saved.source)}; "
        f"saved {saved.created_at:%d %B %Y, %H:%M} UTC) for this session."
    )


def uploaded_datasets_table() -> list[dict]:
    """Uploaded datasets with their stated sources (this session's, then the database's), for the About page.

    Rows are shown with ``st.dataframe``, which displays text literally (no HTML or markdown).
    """
    from placemap.storage import upload_store
    from placemap.storage.store import StoreError
    from placemap.uploads.table import UploadedTable

    rows = [
        {
            "Dataset": d.name,
            "Kind": "indicators" if isinstance(d, UploadedTable) else "areas",
            "Source (as stated)": d.source or "not stated",
            "Where": "this session",
        }
        for d in session_uploads().values()
    ]
    from placemap.community.roles import can
    from placemap.ui.access import current_actor

    db, _problem = open_store()
    if db is not None:
        try:
            saved = upload_store.list_uploads(db)
        except StoreError:
            saved = []
        # A share id opens the dataset, so only its owner and moderators see it here.
        actor = current_actor()
        everyone = can(actor.role, "delete_any_upload")
        rows += [
            {
                "Dataset": s.name,
                "Kind": s.kind,
                "Source (as stated)": s.source,
                "Where": f"saved {s.created_at:%d %b %Y}"
                + (f" (link ?upload={s.share_id})" if everyone or s.created_by == actor.id else ""),
            }
            for s in saved
        ]
    return rows
