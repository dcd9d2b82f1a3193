"""The process-level store of uploaded datasets, keyed by content digest. Pure: no Streamlit.

A browser session keeps only the digests of its uploads (``state.UPLOADS``); the tables and
boundaries themselves live here, once per process, so the shared caches can key an uploaded
indicator on its digest exactly as they key an official one on its id, and two sessions
with the same upload share one copy and one set of cached results.

The store is bounded (``MAX_DATASETS``, ``MAX_BYTES``): the least recently used dataset is
dropped first, and a session whose upload was dropped is told to upload it again (or open
its saved link), as after a server restart.

Example
-------
>>> import pandas as pd
>>> from placemap.uploads.table import ColumnSpec, UploadedTable
>>> table = UploadedTable("d1", "Attendance", "Council", "la",
...                       pd.DataFrame({"rate": [91.5]}, index=pd.Index(["E1"], name="area_code")),
...                       [ColumnSpec("rate", "Attendance", "%")])
>>> registry = UploadRegistry()
>>> digest = registry.put(table)
>>> registry.get(digest) is table, len(digest)
(True, 64)
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict

# Six datasets of up to 60 MB per session (``table.MAX_SESSION_*``) across a few dozen
# sessions; beyond these the oldest unused upload goes first.
MAX_DATASETS = 200
MAX_BYTES = 512 * 1024 * 1024


def dataset_digest(dataset) -> str:
    """sha256 of a dataset's id, name, source and payload (``to_payload``): the key it is stored under.

    The id and stated name are part of it so that two people uploading the same numbers
    under different names each see their own.
    """
    record = {"id": dataset.id, "name": dataset.name, "source": dataset.source, "payload": dataset.to_payload()}
    return hashlib.sha256(json.dumps(record, sort_keys=True, default=str).encode()).hexdigest()


class UploadRegistry:
    """Uploaded datasets (``UploadedTable`` or ``UploadedAreas``) by digest, least recently used dropped first."""

    def __init__(self, max_datasets: int = MAX_DATASETS, max_bytes: int = MAX_BYTES) -> None:
        self._items: OrderedDict[str, tuple[object, int]] = OrderedDict()
        self._lock = threading.Lock()  # sessions run in threads of one process
        self.max_datasets, self.max_bytes = max_datasets, max_bytes

    def put(self, dataset) -> str:
        """Store ``dataset``; return its digest (the same dataset twice is stored once)."""
        digest = dataset_digest(dataset)
        size = _size_of(dataset)
        with self._lock:
            self._items[digest] = (dataset, size)
            self._items.move_to_end(digest)
            while len(self._items) > 1 and (
                len(self._items) > self.max_datasets or sum(s for _, s in self._items.values()) > self.max_bytes
            ):
                self._items.popitem(last=False)
        return digest

    def get(self, digest: str):
        """The dataset stored under ``digest``, or ``None`` when it was never stored or was dropped."""
        with self._lock:
            item = self._items.get(digest)
            if item is None:
                return None
            self._items.move_to_end(digest)
            return item[0]

    def keep(self, datasets) -> dict[str, str]:
        """Store each of ``datasets``; return dataset id -> digest (what a session holds)."""
        return {d.id: self.put(d) for d in datasets}

    def __contains__(self, digest: object) -> bool:
        with self._lock:
            return digest in self._items

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)


def _size_of(dataset) -> int:
    if hasattr(dataset, "areas"):  # boundaries: their shapes' size as WKB
        return int(dataset.areas.geometry.to_wkb().map(len).sum())
    return int(dataset.values.memory_usage(deep=True).sum())


UPLOADS = UploadRegistry()  # the one store of this server process
