"""Saved uploads in the app's database: save, open by share id, list, delete.

The table is created by the Alembic revision ``0003_uploads``; each row holds one
uploaded dataset as JSON (``UploadedTable.to_payload`` or ``UploadedAreas.to_payload``)
with the name and source note the user gave. Every function raises ``StoreError``
with a plain message when the database cannot do what was asked.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from placemap.storage.store import Store, StoreError
from placemap.storage.tables import (
    ANONYMOUS,
    as_utc,
    new_share_id,
    record_change,
    row_by_share_id,
    uploads,
    valid_share_id,
)

KINDS = ("indicators", "areas")
MAX_SAVED_BYTES = 15 * 1024 * 1024  # one saved dataset, as JSON
MAX_NAME, MAX_SOURCE = 200, 1000  # the column sizes of ``tables.uploads``


@dataclass(frozen=True)
class SavedUpload:
    """One saved dataset: what it is called, where it came from, and its payload."""

    share_id: str
    kind: str
    name: str
    source: str
    geography: str | None
    n_items: int
    created_at: dt.datetime
    payload: dict | None = None  # ``None`` in listings
    created_by: str | None = None  # ``Actor.id`` of who saved it; ``None`` for datasets saved before owners were kept


def save_upload(
    db: Store,
    kind: str,
    name: str,
    source: str,
    payload: dict,
    geography: str | None,
    n_items: int,
    before_write: Callable[[], None] | None = None,
    *,
    owner: str | None = None,
    by: str = ANONYMOUS,
) -> str:
    """Save a dataset and return its new share id (for ``?upload=<id>`` links).

    ``before_write`` runs once the dataset passed its checks, just before it is written (a
    per-client limit goes there, so a mistake in the form does not use it up); it may raise
    ``StoreError`` to refuse. ``owner`` (an ``Actor.id``) is kept so that only they, or a
    moderator, may delete it; ``by`` is who the change log names.

    Raises
    ------
    StoreError
        If the name is blank, the dataset too large, ``before_write`` refuses, or the database fails.
    """
    if kind not in KINDS:
        raise StoreError(f"Unknown kind of upload {kind!r}")
    name, source = (name or "").strip(), (source or "").strip()
    if not name:
        raise StoreError("Give the dataset a name before saving it.")
    if not source:
        raise StoreError("Say where the data comes from (its source) before saving it.")
    text = json.dumps(payload, separators=(",", ":"), allow_nan=False)
    if len(text) > MAX_SAVED_BYTES:
        raise StoreError(
            f"The dataset is too large to save ({len(text) / 1e6:.0f} MB as JSON; the limit is {MAX_SAVED_BYTES / 1e6:.0f} MB)."
        )
    if before_write is not None:
        before_write()
    share_id = new_share_id()
    with db.transaction("save the uploaded dataset", write=True) as conn:
        conn.execute(
            uploads.insert().values(
                share_id=share_id,
                kind=kind,
                name=name[:MAX_NAME],
                source=source[:MAX_SOURCE],
                geography=geography,
                n_items=int(n_items),
                payload=text,
                created_at=dt.datetime.now(dt.UTC),
                created_by=owner,
            )
        )
        record_change(conn, by, "save", "upload", share_id, name[:MAX_NAME])
    return share_id


def get_upload(db: Store, share_id: str) -> SavedUpload | None:
    """The dataset saved under ``share_id`` with its payload, or ``None``."""
    with db.transaction("open the saved dataset") as conn:
        row = row_by_share_id(conn, uploads, share_id)
    if row is None:
        return None
    try:
        payload = json.loads(row["payload"])
    except ValueError as exc:
        raise StoreError("The saved dataset is damaged and cannot be opened.") from exc
    return SavedUpload(
        row["share_id"],
        row["kind"],
        row["name"],
        row["source"],
        row["geography"],
        int(row["n_items"]),
        as_utc(row["created_at"]),
        payload,
        row["created_by"],
    )


_ALL = object()  # ``list_uploads(owner=_ALL)``: everyone's, for moderators


def list_uploads(db: Store, limit: int = 200, owner: object = _ALL) -> list[SavedUpload]:
    """Saved datasets, newest first (without their payloads).

    ``owner`` (an ``Actor.id``) lists only that person's datasets; ``None`` lists none (a
    session with no id owns nothing). Left out, every dataset is listed (for moderators).
    """
    if owner is None:
        return []
    names = ("share_id", "kind", "name", "source", "geography", "n_items", "created_at", "created_by")
    query = sa.select(*[uploads.c[c] for c in names])
    if owner is not _ALL:
        query = query.where(uploads.c.created_by == str(owner))
    query = query.order_by(uploads.c.created_at.desc(), uploads.c.id.desc()).limit(limit)
    with db.transaction("list the saved datasets") as conn:
        rows = conn.execute(query).all()
    return [
        SavedUpload(
            r.share_id, r.kind, r.name, r.source, r.geography, int(r.n_items), as_utc(r.created_at), None, r.created_by
        )
        for r in rows
    ]


def delete_upload(
    db: Store, share_id: str, *, owner: str | None = None, any_owner: bool = False, by: str = ANONYMOUS
) -> bool:
    """Delete a saved dataset if ``owner`` saved it (or ``any_owner``, for moderators); ``True`` if one went.

    The owner check is in the ``WHERE`` clause, so a share id someone else saved is left alone
    even if a page forgot to check.
    """
    if not valid_share_id(share_id) or (owner is None and not any_owner):
        return False
    query = uploads.delete().where(uploads.c.share_id == share_id)
    if not any_owner:
        query = query.where(uploads.c.created_by == owner)
    with db.transaction("delete the saved dataset", write=True) as conn:
        result = conn.execute(query)
        if result.rowcount:
            record_change(conn, by, "delete", "upload", share_id)
    return bool(result.rowcount)
