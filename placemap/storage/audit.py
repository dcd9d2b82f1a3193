"""The change log of shared data: who saved, hid or deleted what, and when (read side).

Rows are written by the write functions themselves (``placemap.storage.tables.record_change``, inside the same
transaction as the change) in ``placemap.storage.interventions``, ``upload_store`` and ``community``. Who is
the signed-in person's address, "passcode holder", or "anonymous session" when no sign-in is
configured. Votes and scores are not logged here: their own rows already hold the participant
and the time. Only moderators see the log (``roles.can(role, "see_changes")``).
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from placemap.storage.store import Store
from placemap.storage.tables import as_utc, audit_log

COLUMNS = ["When (UTC)", "Who", "Action", "What", "Id", "Detail"]


def list_changes(db: Store, limit: int = 200, kinds: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The latest changes, newest first, as a table for people (``kinds`` keeps those kinds of object).

    Raises
    ------
    StoreError
        If the database cannot be read.
    """
    a = audit_log
    query = sa.select(a).order_by(a.c.at.desc(), a.c.id.desc()).limit(int(limit))
    if kinds is not None:
        query = query.where(a.c.object_kind.in_(kinds))
    with db.transaction("read the change log") as conn:
        rows = conn.execute(query).mappings().all()
    return pd.DataFrame(
        [
            [
                as_utc(r["at"]).strftime("%Y-%m-%d %H:%M:%S"),
                r["who"],
                r["action"],
                r["object_kind"],
                r["object_id"],
                r["detail"],
            ]
            for r in rows
        ],
        columns=COLUMNS,
    )
